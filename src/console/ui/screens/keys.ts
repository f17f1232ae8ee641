import { call, list } from '../api.js';
import { h, badge, field, header, input, link, replace, run, table, when } from '../dom.js';

/** KMS › Customer managed keys: the list (with each key's state) and "Create key". */
export async function render(root: HTMLElement): Promise<void> {
  const ids = list((await call('kms', 'ListKeys', {})).Keys);
  const keys = await Promise.all(ids.map((k: any) => call('kms', 'DescribeKey', { KeyId: k.KeyId }).then((r) => r.KeyMetadata)));
  const description = input({ maxlength: 8192 });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'create-key' },
    h('h2', { id: 'create-key' }, 'Create key'), field('Description', description), h('button', { type: 'submit', class: 'primary' }, 'Create key'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    await run(root, form.querySelector('button'), async () => {
      const { KeyMetadata } = await call('kms', 'CreateKey', description.value ? { Description: description.value } : {});
      location.hash = `#/key?${new URLSearchParams({ id: KeyMetadata.KeyId })}`;
    });
  });
  replace(root, header('Customer managed keys'),
    table(keys, [
      { label: 'Key ID', value: (k: any) => link('key', { id: k.KeyId }, k.KeyId) },
      { label: 'Description', value: (k: any) => k.Description || '' },
      { label: 'Status', value: (k: any) => badge(k.KeyState) },
      { label: 'Created', value: (k: any) => when(k.CreationDate) },
    ], `Customer managed keys (${keys.length})`),
    form);
}
