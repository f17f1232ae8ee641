import { call } from '../api.js';
import { h, button, header, replace, run, showNotice, when, pretty } from '../dom.js';
import { permissionsPanel } from '../iam.js';
import { policyEditor, policyText } from '../policy-editor.js';

/** One role: trust policy (view and edit) and permissions policies. */
export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const name = params.get('name') ?? '';
  const { Role: role } = await call('iam', 'GetRole', { RoleName: name });
  const trust = policyEditor('Trust policy', 'trust', pretty(policyText(role.AssumeRolePolicyDocument)));
  replace(root,
    header(role.RoleName, button('Delete role', async (e) => {
      if (!confirm(`Delete role ${name}?`)) return;
      if (await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'DeleteRole', { RoleName: name }))) location.hash = '#/roles';
    })),
    h('dl', null, h('dt', null, 'ARN'), h('dd', null, h('code', null, role.Arn)),
      h('dt', null, 'Description'), h('dd', null, role.Description || '—'), h('dt', null, 'Created'), h('dd', null, when(role.CreateDate))),
    await permissionsPanel(root, 'Role', name),
    h('section', { class: 'panel' }, h('h2', null, 'Trusted entities'), trust.element,
      button('Update policy', async (e) => {
        const ok = await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'UpdateAssumeRolePolicy', { RoleName: name, PolicyDocument: trust.textarea.value }));
        if (ok) showNotice(root, 'Trust policy updated.');
      }, { class: 'primary' })));
}
