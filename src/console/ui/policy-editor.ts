import { h, field, textarea, uid } from './dom.js';
import { validatePolicy, type PolicyCheck } from './session.js';

type PolicyKind = 'identity' | 'trust' | 'resource' | 'key';

/** IAM returns policy documents URL-encoded (as AWS does); S3 and KMS return them as text. */
export const policyText = (doc: unknown) => {
  const s = String(doc ?? '');
  if (s.startsWith('{')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export interface PolicyEditor {
  element: HTMLElement;
  textarea: HTMLTextAreaElement;
  /** Resolves with the engine's verdict on the current text (and shows it). */
  check(): Promise<PolicyCheck>;
}

/**
 * A JSON policy editor that validates as you type with the policy engine (the same check the API makes)
 * and says where the error is; the verdict is announced politely to screen readers.
 */
export function policyEditor(label: string, kind: PolicyKind, initial = ''): PolicyEditor {
  const area = textarea({ 'aria-invalid': 'false', class: 'policy-json' });
  area.value = initial;
  const status = h('p', { class: 'validation', 'aria-live': 'polite', id: uid('status') });
  area.setAttribute('aria-describedby', status.id);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  async function check(): Promise<PolicyCheck> {
    const mine = ++latest;
    const text = area.value;
    const verdict: PolicyCheck = text.trim() === ''
      ? { valid: false, message: 'Enter a policy document.', line: 1, column: 1 }
      : await validatePolicy(text, kind);
    if (mine === latest) show(verdict);
    return verdict;
  }

  function show(v: PolicyCheck) {
    area.setAttribute('aria-invalid', String(!v.valid));
    status.className = `validation ${v.valid ? 'ok' : 'bad'}`;
    status.textContent = v.valid ? 'No errors: the policy is valid.' : `Ln ${v.line}, Col ${v.column}: ${v.message}`;
  }

  area.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void check().catch(() => undefined), 250);
  });
  // Tab moves focus as everywhere else; the editor does not trap the keyboard.
  const element = h('div', { class: 'policy-editor' }, field(label, area), status);
  if (initial) void check().catch(() => undefined);
  return { element, textarea: area, check };
}
