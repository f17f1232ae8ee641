import { call } from '../api.js';
import { h, badge, button, header, replace, run, showNotice, when, pretty } from '../dom.js';
import { policyEditor } from '../policy-editor.js';

/** One KMS key: its state (enable / disable) and its key policy editor. */
export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const id = params.get('id') ?? '';
  const { KeyMetadata: k } = await call('kms', 'DescribeKey', { KeyId: id });
  const { Policy } = await call('kms', 'GetKeyPolicy', { KeyId: id, PolicyName: 'default' });
  const editor = policyEditor('Key policy', 'key', pretty(Policy));
  const redraw = () => render(root, params);
  const toggle = (operation: 'EnableKey' | 'DisableKey') => async (e: Event) => {
    if (await run(root, e.currentTarget as HTMLButtonElement, () => call('kms', operation, { KeyId: id }))) await redraw();
  };
  replace(root,
    header(k.Description || k.KeyId, k.KeyState === 'Enabled' ? button('Disable key', toggle('DisableKey'))
      : k.KeyState === 'Disabled' ? button('Enable key', toggle('EnableKey')) : null),
    h('dl', null, h('dt', null, 'ARN'), h('dd', null, h('code', null, k.Arn)), h('dt', null, 'Status'), h('dd', null, badge(k.KeyState)),
      h('dt', null, 'Created'), h('dd', null, when(k.CreationDate))),
    h('section', { class: 'panel' }, h('h2', null, 'Key policy'), editor.element,
      button('Save changes', async (e) => {
        const ok = await run(root, e.currentTarget as HTMLButtonElement, () => call('kms', 'PutKeyPolicy', { KeyId: id, PolicyName: 'default', Policy: editor.textarea.value }));
        if (ok) showNotice(root, 'Key policy saved.');
      }, { class: 'primary' })));
}
