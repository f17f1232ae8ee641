import { call, list } from '../api.js';
import { h, badge, button, field, header, input, link, replace, run, select, showNotice, table, when } from '../dom.js';
import { listAll, permissionsPanel } from '../iam.js';

/** One IAM user: permissions policies, groups, access keys and console password. */
export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const name = params.get('name') ?? '';
  const { User: user } = await call('iam', 'GetUser', { UserName: name });
  const redraw = () => render(root, params);
  replace(root,
    header(user.UserName, button('Delete user', async (e) => {
      if (!confirm(`Delete user ${name}?`)) return;
      if (await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'DeleteUser', { UserName: name }))) location.hash = '#/users';
    })),
    h('dl', null, h('dt', null, 'ARN'), h('dd', null, h('code', null, user.Arn)), h('dt', null, 'Created'), h('dd', null, when(user.CreateDate))),
    await permissionsPanel(root, 'User', name),
    await groupsPanel(root, name, redraw),
    await keysPanel(root, name, redraw),
    await passwordPanel(root, name, redraw));
}

async function groupsPanel(root: HTMLElement, name: string, redraw: () => Promise<void>): Promise<HTMLElement> {
  const groups = await listAll('ListGroupsForUser', { UserName: name }, 'Groups');
  const all = await listAll('ListGroups', {}, 'Groups');
  const choice = select(all.filter((g) => !groups.some((m) => m.GroupName === g.GroupName)).map((g) => g.GroupName));
  return h('section', { class: 'panel' }, h('h2', null, 'Groups'),
    table(groups, [
      { label: 'Group name', value: (g: any) => link('group', { name: g.GroupName }, g.GroupName) },
      { label: 'Actions', value: (g: any) => button('Remove', async (e) => {
        if (await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'RemoveUserFromGroup', { UserName: name, GroupName: g.GroupName }))) await redraw();
      }, { 'aria-label': `Remove from ${g.GroupName}` }) },
    ], `Groups of ${name}`),
    choice.options.length ? [field('Group', choice), button('Add user to groups', async (e) => {
      if (await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'AddUserToGroup', { UserName: name, GroupName: choice.value }))) await redraw();
    })] : null);
}

async function keysPanel(root: HTMLElement, name: string, redraw: () => Promise<void>): Promise<HTMLElement> {
  const keys = list((await call('iam', 'ListAccessKeys', { UserName: name })).AccessKeyMetadata);
  const created = h('div', { 'aria-live': 'polite' });
  const setStatus = (id: string, Status: string) => (e: Event) =>
    run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'UpdateAccessKey', { UserName: name, AccessKeyId: id, Status })).then(async (ok) => { if (ok) await redraw(); });
  return h('section', { class: 'panel' }, h('h2', null, 'Access keys'),
    table(keys, [
      { label: 'Access key ID', value: (k: any) => h('code', null, k.AccessKeyId) },
      { label: 'Status', value: (k: any) => badge(k.Status) },
      { label: 'Created', value: (k: any) => when(k.CreateDate) },
      { label: 'Actions', value: (k: any) => [
        k.Status === 'Active'
          ? button('Deactivate', setStatus(k.AccessKeyId, 'Inactive'), { 'aria-label': `Deactivate ${k.AccessKeyId}` })
          : button('Activate', setStatus(k.AccessKeyId, 'Active'), { 'aria-label': `Activate ${k.AccessKeyId}` }),
        ' ',
        button('Delete', async (e) => {
          if (await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'DeleteAccessKey', { UserName: name, AccessKeyId: k.AccessKeyId }))) await redraw();
        }, { 'aria-label': `Delete ${k.AccessKeyId}` }),
      ] },
    ], `Access keys of ${name}`),
    button('Create access key', async (e) => {
      await run(root, e.currentTarget as HTMLButtonElement, async () => {
        const { AccessKey: k } = await call('iam', 'CreateAccessKey', { UserName: name });
        // The secret is shown once, as AWS does; it cannot be retrieved later.
        replace(created, h('div', { class: 'alert notice', role: 'status' },
          'Access key created. This is the only time the secret access key can be viewed.',
          h('dl', null, h('dt', null, 'Access key'), h('dd', null, h('code', null, k.AccessKeyId)),
            h('dt', null, 'Secret access key'), h('dd', null, h('code', null, k.SecretAccessKey)))));
      });
    }),
    created);
}

async function passwordPanel(root: HTMLElement, name: string, redraw: () => Promise<void>): Promise<HTMLElement> {
  const profile = await call('iam', 'GetLoginProfile', { UserName: name }).then((r) => r.LoginProfile, (e) => {
    if (e.code === 'NoSuchEntity') return undefined;
    throw e;
  });
  const password = input({ type: 'password', autocomplete: 'new-password' });
  const save = (operation: string) => async (e: Event) => {
    const ok = await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', operation, { UserName: name, Password: password.value }));
    if (ok) { await redraw(); showNotice(root, 'Console password saved.'); }
  };
  return h('section', { class: 'panel' }, h('h2', null, 'Console sign-in'),
    h('p', null, profile ? `Console access enabled since ${when(profile.CreateDate)}.` : 'Console access is not enabled.'),
    field(profile ? 'New password' : 'Custom password', password),
    profile
      ? [button('Update password', save('UpdateLoginProfile')), ' ', button('Disable console access', async (e) => {
        if (await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'DeleteLoginProfile', { UserName: name }))) await redraw();
      })]
      : button('Enable console access', save('CreateLoginProfile')));
}
