import { h, field, input, replace, showError, showNotice } from '../dom.js';
import { signIn, type SignInInput } from '../session.js';

const MODES: [SignInInput['mode'], string][] = [['root', 'Root user'], ['user', 'IAM user'], ['access-key', 'Access key']];

/** Sign-in: root credentials, an IAM user's console password, or an access key. */
export async function render(root: HTMLElement, params: URLSearchParams, onSignedIn: () => void): Promise<void> {
  const form = h('form', { class: 'signin', 'aria-labelledby': 'signin-title' });
  const fields = h('div');
  let mode: SignInInput['mode'] = 'root';
  const radios = h('fieldset', null, h('legend', null, 'Sign in as'),
    MODES.map(([value, label]) => h('label', { class: 'radio' },
      h('input', { type: 'radio', name: 'mode', value, checked: value === mode, onchange: () => { mode = value; draw(); } }), ' ', label)));
  const controls: Record<string, HTMLInputElement> = {};
  const control = (name: string, label: string, attrs: Record<string, unknown> = {}) => {
    controls[name] = input({ name, required: true, autocomplete: 'off', ...attrs });
    return field(label, controls[name]);
  };
  function draw() {
    replace(fields, mode === 'user'
      ? [control('accountId', 'Account ID (12 digits)', { inputmode: 'numeric' }), control('userName', 'IAM user name', { autocomplete: 'username' }),
        control('password', 'Password', { type: 'password', autocomplete: 'current-password' })]
      : [control('accessKeyId', mode === 'root' ? 'Root access key ID' : 'Access key ID'),
        control('secretAccessKey', 'Secret access key', { type: 'password' })]);
  }
  draw();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body: SignInInput = { mode };
    for (const [k, c] of Object.entries(controls)) if (c.isConnected) (body as any)[k] = c.value;
    const submit = form.querySelector('button')!;
    submit.disabled = true;
    try {
      await signIn(body);
      location.hash = location.hash || '#/home';
      onSignedIn();
    } catch (err) {
      showError(form, err);
      submit.disabled = false;
    }
  });
  replace(form, h('h1', { id: 'signin-title', tabindex: '-1' }, 'Sign in'), radios, fields, h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  replace(root, h('main', { id: 'main', class: 'signin-page' }, form));
  const notice = params.get('notice');
  if (notice) showNotice(form, notice);
  (form.querySelector('h1') as HTMLElement).focus();
}
