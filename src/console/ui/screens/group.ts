import { call, list } from '../api.js';
import { h, button, field, header, link, replace, run, select, table, when } from '../dom.js';
import { listAll, permissionsPanel } from '../iam.js';

/** One group: its users (add, remove) and its permissions policies. */
export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const name = params.get('name') ?? '';
  const { Group: group, Users } = await call('iam', 'GetGroup', { GroupName: name });
  const members = list(Users);
  const users = await listAll('ListUsers', {}, 'Users');
  const choice = select(users.filter((u) => !members.some((m: any) => m.UserName === u.UserName)).map((u) => u.UserName));
  const redraw = () => render(root, params);
  replace(root,
    header(group.GroupName, button('Delete group', async (e) => {
      if (!confirm(`Delete group ${name}?`)) return;
      if (await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'DeleteGroup', { GroupName: name }))) location.hash = '#/groups';
    })),
    h('dl', null, h('dt', null, 'ARN'), h('dd', null, h('code', null, group.Arn)), h('dt', null, 'Created'), h('dd', null, when(group.CreateDate))),
    h('section', { class: 'panel' }, h('h2', null, 'Users in this group'),
      table(members, [
        { label: 'User name', value: (u: any) => link('user', { name: u.UserName }, u.UserName) },
        { label: 'Actions', value: (u: any) => button('Remove', async (e) => {
          if (await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'RemoveUserFromGroup', { GroupName: name, UserName: u.UserName }))) await redraw();
        }, { 'aria-label': `Remove ${u.UserName}` }) },
      ], `Users in ${name}`),
      choice.options.length ? [field('User', choice), button('Add users', async (e) => {
        if (await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'AddUserToGroup', { GroupName: name, UserName: choice.value }))) await redraw();
      })] : null),
    await permissionsPanel(root, 'Group', name));
}
