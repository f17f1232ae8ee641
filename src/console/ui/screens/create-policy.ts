import { call } from '../api.js';
import { h, button, field, header, input, replace, run, textarea, pretty } from '../dom.js';
import { policyEditor } from '../policy-editor.js';
import { tagRows } from '../tags.js';

const STEPS = ['Specify permissions', 'Add tags', 'Review and create'];

/** Create policy, as AWS's console walks it: the JSON tab (validated as you type) → Next → tags → name, description → Create policy. */
export async function render(root: HTMLElement): Promise<void> {
  const editor = policyEditor('Policy editor', 'identity');
  const tags = tagRows();
  const name = input({ name: 'policy-name', required: true, maxlength: 128 });
  const description = textarea({ rows: 3, maxlength: 1000 });
  let step = 0;

  const steps = () => h('ol', { class: 'steps', 'aria-label': 'Steps' },
    STEPS.map((s, i) => h('li', { 'aria-current': i === step ? 'step' : false }, `Step ${i + 1}: ${s}`)));
  const nav = (...buttons: HTMLElement[]) => h('div', { class: 'actions' },
    button('Cancel', () => { location.hash = '#/policies'; }), step > 0 && button('Previous', () => go(step - 1)), ...buttons);

  async function go(to: number) {
    step = to;
    const body = h('div');
    if (step === 0) {
      const tab = h('button', { type: 'button', role: 'tab', id: 'tab-json', 'aria-selected': 'true', 'aria-controls': 'panel-json' }, 'JSON');
      replace(body, h('h2', null, 'Policy editor'), h('div', { role: 'tablist', 'aria-label': 'Editor mode' }, tab),
        h('div', { role: 'tabpanel', id: 'panel-json', 'aria-labelledby': 'tab-json' }, editor.element),
        nav(button('Next', async () => {
          const verdict = await editor.check().catch((err) => ({ valid: false as const, message: String(err.message ?? err), line: 1, column: 1 }));
          if (verdict.valid) await go(1);
          else editor.textarea.focus();
        }, { class: 'primary' })));
    } else if (step === 1) {
      replace(body, h('h2', null, 'Add tags - optional'), tags.element, nav(button('Next', () => go(2), { class: 'primary' })));
    } else {
      replace(body, h('h2', null, 'Policy details'),
        field('Policy name', name, 'Maximum 128 characters. Use alphanumeric and +=,.@-_ characters.'),
        field('Description - optional', description),
        h('h2', null, 'Permissions defined in this policy'), h('pre', { tabindex: '0', 'aria-label': 'Policy document' }, pretty(editor.textarea.value)),
        nav(button('Create policy', async (e) => {
          const ok = await run(root, e.currentTarget as HTMLButtonElement, async () => {
            const { Policy } = await call('iam', 'CreatePolicy', {
              PolicyName: name.value.trim(), PolicyDocument: editor.textarea.value,
              ...(description.value ? { Description: description.value } : {}),
              ...(tags.value().length ? { Tags: tags.value() } : {}),
            });
            location.hash = `#/policy?${new URLSearchParams({ arn: Policy.Arn })}`;
          });
          if (!ok) name.focus();
        }, { class: 'primary' })));
    }
    replace(root, header('Create policy'), steps(), body);
    (body.querySelector('textarea, input, button') as HTMLElement | null)?.focus();
  }
  await go(0);
}
