import { call, list, putObject, ApiError } from '../api.js';
import { h, button, field, header, input, replace, run, showNotice, table, when, pretty } from '../dom.js';
import { policyEditor } from '../policy-editor.js';

/** One bucket: objects (upload by drag and drop or file picker, with progress; delete) and the bucket policy editor. */
export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const bucket = params.get('name') ?? '';
  const prefix = params.get('prefix') ?? '';
  const policy = await call('s3', 'GetBucketPolicy', { Bucket: bucket }).then((r) => pretty(r.Policy), (e) => {
    if (e instanceof ApiError && e.code === 'NoSuchBucketPolicy') return '';
    throw e;
  });
  const redraw = () => render(root, params);
  const objectsBox = h('div');
  // Uploads and deletions refresh only the list, so upload progress stays on screen.
  const refreshObjects = async () => {
    const objects = list((await call('s3', 'ListObjectsV2', { Bucket: bucket, Prefix: prefix || undefined })).Contents);
    replace(objectsBox, table(objects, [
      { label: 'Name', value: (o: any) => o.Key },
      { label: 'Size', value: (o: any) => `${o.Size} B` },
      { label: 'Last modified', value: (o: any) => when(o.LastModified) },
      { label: 'Actions', value: (o: any) => button('Delete', async (e) => {
        if (await run(root, e.currentTarget as HTMLButtonElement, () => call('s3', 'DeleteObject', { Bucket: bucket, Key: o.Key }))) await refreshObjects();
      }, { 'aria-label': `Delete ${o.Key}` }) },
    ], `Objects (${objects.length})`));
  };
  await refreshObjects();
  const editor = policyEditor('Policy', 'resource', policy);
  replace(root,
    header(bucket, button('Delete bucket', async (e) => {
      if (!confirm(`Delete bucket ${bucket}? It must be empty.`)) return;
      if (await run(root, e.currentTarget as HTMLButtonElement, () => call('s3', 'DeleteBucket', { Bucket: bucket }))) location.hash = '#/buckets';
    })),
    objectsBox,
    uploader(root, bucket, prefix, refreshObjects),
    h('section', { class: 'panel' }, h('h2', null, 'Bucket policy'), editor.element,
      h('div', { class: 'actions' },
        button('Save changes', async (e) => {
          const ok = await run(root, e.currentTarget as HTMLButtonElement, () => call('s3', 'PutBucketPolicy', { Bucket: bucket, Policy: editor.textarea.value }));
          if (ok) showNotice(root, 'Bucket policy saved.');
        }, { class: 'primary' }),
        policy && button('Delete policy', async (e) => {
          if (await run(root, e.currentTarget as HTMLButtonElement, () => call('s3', 'DeleteBucketPolicy', { Bucket: bucket }))) await redraw();
        }))));
}

/** "Upload": a drop zone and "Add files", each file with its own progress bar. */
function uploader(root: HTMLElement, bucket: string, prefix: string, done: () => Promise<void>): HTMLElement {
  const picker = input({ type: 'file', multiple: true });
  const progress = h('ul', { class: 'uploads', 'aria-live': 'polite' });
  const zone = h('div', { class: 'dropzone' }, 'Drag and drop files here, or choose them below.');
  async function upload(files: FileList | File[]) {
    const all = Array.from(files);
    const ok = await run(root, null, async () => {
      for (const file of all) {
        const bar = h('progress', { max: file.size || 1, value: 0, 'aria-label': `Uploading ${file.name}` });
        const note = h('span', null, ' 0%');
        progress.append(h('li', null, file.name, ' ', bar, note));
        await putObject(bucket, prefix + file.name, file, (sent, total) => {
          bar.value = sent;
          note.textContent = ` ${total ? Math.round((sent / total) * 100) : 100}%`;
        });
      }
    });
    if (ok) {
      await done();
      showNotice(root, `Uploaded ${all.length} ${all.length === 1 ? 'file' : 'files'}.`);
    }
  }
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer?.files.length) void upload(e.dataTransfer.files);
  });
  picker.addEventListener('change', () => { if (picker.files?.length) void upload(picker.files); });
  return h('section', { class: 'panel' }, h('h2', null, 'Upload'), zone, field('Add files', picker), progress);
}
