import { call, REGION, session } from '../api.js';
import { h, button, field, header, input, replace, run, select, textarea } from '../dom.js';
import { policyChooser } from '../iam.js';
import { policyEditor } from '../policy-editor.js';

const STEPS = ['Select trusted entity', 'Add permissions', 'Name, review, and create'];

/** Services a role can be created for, with the trust policy AWS's console writes for each. */
const SERVICES: Record<string, { principal: string; sourceArn: (account: string) => string }> = {
  Personalize: { principal: 'personalize.amazonaws.com', sourceArn: (a) => `arn:aws:personalize:${REGION}:${a}:*` },
};

/** The service trust policy, with the confused-deputy conditions (aws:SourceAccount, aws:SourceArn). */
export function serviceTrustPolicy(service: string, account: string): string {
  const s = SERVICES[service];
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Service: s.principal },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': s.sourceArn(account) } },
    }],
  }, null, 2);
}

/** Create role: trusted entity "AWS service" → Personalize (or a custom trust policy) → Attach policies → Role name → Create role. */
export async function render(root: HTMLElement): Promise<void> {
  const account = session().accountId;
  let kind: 'service' | 'custom' = 'service';
  const service = select(Object.keys(SERVICES));
  const custom = policyEditor('Custom trust policy', 'trust', serviceTrustPolicy('Personalize', account));
  const chooser = policyChooser(root);
  const roleName = input({ required: true, maxlength: 64 });
  const description = textarea({ rows: 2, maxlength: 1000 });
  let step = 0;
  const trustText = () => (kind === 'service' ? serviceTrustPolicy(service.value, account) : custom.textarea.value);

  const nav = (...buttons: (HTMLElement | false)[]) => h('div', { class: 'actions' },
    button('Cancel', () => { location.hash = '#/roles'; }), step > 0 && button('Previous', () => go(step - 1)), ...buttons);

  async function go(to: number) {
    step = to;
    const body = h('div');
    if (step === 0) {
      const preview = h('pre', { tabindex: '0', 'aria-label': 'Trust policy' }, trustText());
      const serviceBox = h('div', null, field('Service or use case', service), preview);
      service.onchange = () => { preview.textContent = trustText(); };
      const choice = (value: typeof kind, label: string) => h('label', { class: 'radio' },
        h('input', { type: 'radio', name: 'trusted-entity', value, checked: kind === value, onchange: () => { kind = value; draw(); } }), ' ', label);
      const area = h('div');
      const draw = () => replace(area, kind === 'service' ? serviceBox : custom.element);
      draw();
      replace(body, h('fieldset', null, h('legend', null, 'Trusted entity type'), choice('service', 'AWS service'), choice('custom', 'Custom trust policy')), area,
        nav(button('Next', async () => {
          if (kind === 'custom' && !(await custom.check()).valid) return custom.textarea.focus();
          await go(1);
        }, { class: 'primary' })));
    } else if (step === 1) {
      replace(body, h('h2', null, 'Add permissions'), chooser.element, nav(button('Next', () => go(2), { class: 'primary' })));
    } else {
      replace(body, h('h2', null, 'Role details'),
        field('Role name', roleName, 'Maximum 64 characters. Use alphanumeric and +=,.@-_ characters.'),
        field('Description', description),
        h('h2', null, 'Trust policy'), h('pre', { tabindex: '0', 'aria-label': 'Trust policy' }, trustText()),
        h('h2', null, 'Permissions policies'), h('ul', null, chooser.chosen().map((a) => h('li', null, a.split('/').pop()!))),
        nav(button('Create role', async (e) => {
          const name = roleName.value.trim();
          const ok = await run(root, e.currentTarget as HTMLButtonElement, async () => {
            await call('iam', 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: trustText(), ...(description.value ? { Description: description.value } : {}) });
            for (const arn of chooser.chosen()) await call('iam', 'AttachRolePolicy', { RoleName: name, PolicyArn: arn });
          });
          if (ok) location.hash = `#/role?${new URLSearchParams({ name })}`;
          else roleName.focus();
        }, { class: 'primary' })));
    }
    replace(root, header('Create role'),
      h('ol', { class: 'steps', 'aria-label': 'Steps' }, STEPS.map((s, i) => h('li', { 'aria-current': i === step ? 'step' : false }, `Step ${i + 1}: ${s}`))),
      body);
  }
  await go(0);
}
