import { call, list } from '../api.js';
import { h, field, header, input, link, replace, run, table, when } from '../dom.js';

/** S3 › Buckets: the list and "Create bucket". */
export async function render(root: HTMLElement): Promise<void> {
  const buckets = list((await call('s3', 'ListBuckets', {})).Buckets);
  const name = input({ required: true, maxlength: 63, autocapitalize: 'none' });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'create-bucket' },
    h('h2', { id: 'create-bucket' }, 'Create bucket'), field('Bucket name', name, 'Lower-case letters, numbers, dots and hyphens; 3–63 characters.'),
    h('button', { type: 'submit', class: 'primary' }, 'Create bucket'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const bucket = name.value.trim();
    if (await run(root, form.querySelector('button'), () => call('s3', 'CreateBucket', { Bucket: bucket }))) {
      location.hash = `#/bucket?${new URLSearchParams({ name: bucket })}`;
    }
  });
  replace(root, header('Buckets'),
    table(buckets, [
      { label: 'Name', value: (b: any) => link('bucket', { name: b.Name }, b.Name) },
      { label: 'Creation date', value: (b: any) => when(b.CreationDate) },
    ], `General purpose buckets (${buckets.length})`),
    form);
}
