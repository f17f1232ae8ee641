import { call } from '../api.js';
import { h, field, header, input, link, replace, run, table, when } from '../dom.js';
import { listAll } from '../iam.js';

/** IAM › Users: the list, and "Create user" with optional console access (a login profile). */
export async function render(root: HTMLElement): Promise<void> {
  const users = await listAll('ListUsers', {}, 'Users');
  const name = input({ required: true, maxlength: 64 });
  const consoleAccess = h('input', { type: 'checkbox', id: 'console-access' });
  const password = input({ type: 'password', autocomplete: 'new-password' });
  const passwordField = field('Custom password', password, 'At least 8 characters, with three of: upper case, lower case, digits, symbols.');
  passwordField.hidden = true;
  consoleAccess.addEventListener('change', () => { passwordField.hidden = !consoleAccess.checked; });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'create-user' },
    h('h2', { id: 'create-user' }, 'Create user'),
    field('User name', name),
    h('label', { class: 'radio' }, consoleAccess, ' Provide user access to the console'),
    passwordField,
    h('button', { type: 'submit', class: 'primary' }, 'Create user'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const userName = name.value.trim();
    const ok = await run(root, form.querySelector('button'), async () => {
      await call('iam', 'CreateUser', { UserName: userName });
      if (consoleAccess.checked) await call('iam', 'CreateLoginProfile', { UserName: userName, Password: password.value });
    });
    if (ok) location.hash = `#/user?${new URLSearchParams({ name: userName })}`;
  });
  replace(root,
    header('Users'),
    table(users, [
      { label: 'User name', value: (u: any) => link('user', { name: u.UserName }, u.UserName) },
      { label: 'ARN', value: (u: any) => u.Arn },
      { label: 'Created', value: (u: any) => when(u.CreateDate) },
    ], `Users (${users.length})`),
    form);
}
