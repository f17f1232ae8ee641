import { h, button, field, input, replace } from './dom.js';

/** Editable "Key" / "Value" rows with "Add new tag" and "Remove"; value() gives IAM's Tags list. */
export function tagRows(): { element: HTMLElement; value(): { Key: string; Value: string }[] } {
  const rows: { key: HTMLInputElement; value: HTMLInputElement }[] = [];
  const list = h('div');
  const draw = () => replace(list, rows.length ? null : h('p', { class: 'hint' }, 'No tags associated with the resource.'), rows.map((r, i) => h('div', { class: 'tag-row' },
    field(`Key ${i + 1}`, r.key), field(`Value ${i + 1}`, r.value),
    button('Remove', () => { rows.splice(i, 1); draw(); }, { 'aria-label': `Remove tag ${i + 1}` }))));
  draw();
  const add = button('Add new tag', () => {
    rows.push({ key: input({ maxlength: 128 }), value: input({ maxlength: 256 }) });
    draw();
    rows[rows.length - 1].key.focus();
  });
  return {
    element: h('div', null, list, add),
    value: () => rows.filter((r) => r.key.value.trim()).map((r) => ({ Key: r.key.value.trim(), Value: r.value.value })),
  };
}
