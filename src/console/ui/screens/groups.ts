import { call } from '../api.js';
import { h, field, header, input, link, replace, run, table, when } from '../dom.js';
import { listAll } from '../iam.js';

/** IAM › User groups: the list and "Create group". */
export async function render(root: HTMLElement): Promise<void> {
  const groups = await listAll('ListGroups', {}, 'Groups');
  const name = input({ required: true, maxlength: 128 });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'create-group' },
    h('h2', { id: 'create-group' }, 'Create user group'), field('User group name', name), h('button', { type: 'submit', class: 'primary' }, 'Create user group'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const groupName = name.value.trim();
    if (await run(root, form.querySelector('button'), () => call('iam', 'CreateGroup', { GroupName: groupName }))) {
      location.hash = `#/group?${new URLSearchParams({ name: groupName })}`;
    }
  });
  replace(root, header('User groups'),
    table(groups, [
      { label: 'Group name', value: (g: any) => link('group', { name: g.GroupName }, g.GroupName) },
      { label: 'ARN', value: (g: any) => g.Arn },
      { label: 'Created', value: (g: any) => when(g.CreateDate) },
    ], `User groups (${groups.length})`),
    form);
}
