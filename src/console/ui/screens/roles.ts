import { h, header, link, replace, table, when } from '../dom.js';
import { listAll } from '../iam.js';

/** IAM › Roles. */
export async function render(root: HTMLElement): Promise<void> {
  const roles = await listAll('ListRoles', {}, 'Roles');
  replace(root,
    header('Roles', h('a', { class: 'button primary', href: '#/create-role' }, 'Create role')),
    table(roles, [
      { label: 'Role name', value: (r: any) => link('role', { name: r.RoleName }, r.RoleName) },
      { label: 'ARN', value: (r: any) => r.Arn },
      { label: 'Created', value: (r: any) => when(r.CreateDate) },
    ], `Roles (${roles.length})`));
}
