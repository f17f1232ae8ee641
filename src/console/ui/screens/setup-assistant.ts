// Setup assistant (`#/setup-assistant?user=…&role=…&bucket=…&key=…`): pick the user, role, bucket and
// key of a Personalize setup; the server checks the guide's five steps with the policy engine against
// the live policies, and each step shows passed or failed, the statement that decided, and the JSON
// that fixes it (copyable).
import { call, list } from '../api.js';
import { setupCheck } from '../session.js';
import { badge, button, field, h, header, input, replace, run, select } from '../dom.js';

interface Check {
  step: number;
  title: string;
  passed: boolean;
  detail: string;
  deciding?: { policy: string; statement?: string; json?: string };
  fix?: { target: string; json: string };
}
interface Report {
  passed: boolean;
  checks: Check[];
}

/** Every page of an IAM list (Marker / IsTruncated). */
async function iamList(operation: string, key: string, nameKey: string): Promise<string[]> {
  const out: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await call('iam', operation, Marker ? { Marker } : {});
    out.push(...list(page[key]).map((x: any) => x[nameKey]));
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return out;
}

/** Keys labelled by their aliases where they have one. */
async function keyOptions(): Promise<[string, string][]> {
  const [keys, aliases] = await Promise.all([call('kms', 'ListKeys', {}), call('kms', 'ListAliases', {})]);
  const named = new Map<string, string[]>();
  for (const a of list(aliases.Aliases)) if (a.TargetKeyId) named.set(a.TargetKeyId, [...(named.get(a.TargetKeyId) ?? []), a.AliasName]);
  return list(keys.Keys).map((k: any) => [k.KeyId, named.has(k.KeyId) ? `${named.get(k.KeyId)!.join(', ')} (${k.KeyId})` : k.KeyId]);
}

/** A JSON block with a Copy button (the clipboard where the page may write it; else the text is selected to copy by hand). */
function copyable(label: string, json: string): HTMLElement {
  const pre = h('pre', { tabindex: '0', 'aria-label': label }, h('code', null, json));
  const note = h('span', { role: 'status', class: 'hint' });
  const copy = button('Copy', async () => {
    try {
      await navigator.clipboard.writeText(json);
      note.textContent = 'Copied.';
    } catch {
      getSelection()?.selectAllChildren(pre);
      note.textContent = 'Selected: press Ctrl+C to copy.';
    }
  }, { 'aria-label': `Copy ${label}` });
  return h('div', { class: 'copyable' }, pre, h('div', { class: 'actions' }, copy, note));
}

function stepView(c: Check): HTMLElement {
  const title = `Step ${c.step}: ${c.title}`;
  return h('li', { class: `step ${c.passed ? 'passed' : 'failed'}`, 'aria-label': title, 'data-step': c.step },
    h('h3', null, title, ' ', badge(c.passed ? 'passed' : 'FAILED')),
    h('p', { class: 'detail' }, c.detail),
    c.deciding ? h('div', { class: 'deciding' },
      h('h4', null, 'Deciding statement'),
      h('p', null, c.deciding.policy, c.deciding.statement ? [' — statement ', h('code', null, c.deciding.statement)] : null),
      c.deciding.json ? h('pre', { tabindex: '0', 'aria-label': `Deciding statement of step ${c.step}` }, h('code', null, c.deciding.json)) : null) : null,
    c.fix ? h('div', { class: 'fix' },
      h('h4', null, 'Fix'),
      h('p', null, 'Put this JSON in the ', h('strong', null, c.fix.target), ':'),
      copyable(`Fix JSON for step ${c.step}`, c.fix.json)) : null);
}

interface Picker {
  control: HTMLSelectElement | HTMLInputElement;
  field(label: string, hint: string): HTMLElement;
}

/** A select of what the list call found; if the call is refused, a text input with AWS's message beside it. */
async function picker(name: string, options: Promise<(string | [string, string])[]>): Promise<Picker> {
  try {
    const control = select(await options, { name, required: name !== 'key' });
    return { control, field: (label, hint) => field(label, control, hint) };
  } catch (e) {
    const control = input({ name, required: name !== 'key', autocomplete: 'off' });
    const err = e as { code?: string; message?: string };
    return { control, field: (label, hint) => field(label, control, `${hint} (Could not list them: ${err.code ? `${err.code}: ` : ''}${err.message}; type the name.)`) };
  }
}

export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  replace(root, header('Setup assistant'),
    h('p', null, 'Checks the five permission steps of an Amazon Personalize setup against the live policies, and shows the JSON that fixes each failed step.'));
  // Each list loads on its own: a principal not allowed to list buckets (say) can still type a name.
  const [user, role, bucket, key] = await Promise.all([
    picker('user', iamList('ListUsers', 'Users', 'UserName')),
    picker('role', iamList('ListRoles', 'Roles', 'RoleName')),
    picker('bucket', call('s3', 'ListBuckets', {}).then((r) => list(r.Buckets).map((b: any) => b.Name as string))),
    picker('key', keyOptions().then((keys) => [['', 'No key (unencrypted data)'] as [string, string], ...keys])),
  ]);
  for (const [el, name] of [[user, 'user'], [role, 'role'], [bucket, 'bucket'], [key, 'key']] as const) {
    const v = params.get(name);
    if (v !== null) el.control.value = v;
  }

  const results = h('section', { class: 'setup-report', 'aria-labelledby': 'report-title' });
  const checkBtn = h('button', { type: 'submit', class: 'primary' }, 'Check');
  const form: HTMLFormElement = h('form', {
    'aria-label': 'Setup to check',
    onsubmit: (e: Event) => {
      e.preventDefault();
      void run(form, checkBtn, async () => {
        const k = key.control.value.trim();
        const report = await setupCheck<Report>({ user: user.control.value.trim(), role: role.control.value.trim(), bucket: bucket.control.value.trim(), ...(k ? { key: k } : {}) });
        const failed = report.checks.filter((c) => !c.passed).length;
        replace(results,
          h('h2', { id: 'report-title', tabindex: '-1' }, report.passed ? `All ${report.checks.length} steps passed` : `${failed} of ${report.checks.length} steps failed`),
          h('ol', { class: 'setup-steps' }, report.checks.map(stepView)));
        (results.querySelector('h2') as HTMLElement).focus();
      });
    },
  },
  user.field('IAM user', 'The user who calls Amazon Personalize.'),
  role.field('IAM service role', 'The role Amazon Personalize assumes to read your data.'),
  bucket.field('S3 bucket', 'The bucket your data is imported from.'),
  key.field('KMS key (optional)', 'The key that encrypts the data or the dataset group: key ID, ARN or alias/….'),
  h('div', { class: 'actions' }, checkBtn));
  root.append(form, results);
}
