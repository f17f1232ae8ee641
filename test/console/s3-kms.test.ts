// S3 and KMS through the console: buckets, uploads with progress (file picker and drag and drop),
// the bucket policy editor, keys, enable/disable and the key policy editor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { awsOk, ROOT, ACCOUNT } from '../integration/support.js';
import { openConsole, skipWithoutChromium, type Console } from './support.js';

let c: Console;
before(async () => {
  if (skipWithoutChromium) return;
  c = await openConsole();
  await c.signInAsRoot();
});
after(async () => {
  await c?.close();
});

const BUCKET_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Sid: 'PersonalizeS3BucketAccessPolicy', Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' },
    Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::seed-data', 'arn:aws:s3:::seed-data/*'],
  }],
});

test('bucket: create, upload by file picker and by drag and drop, bucket policy', { skip: skipWithoutChromium }, async () => {
  const { page } = c;
  await page.goto(`${c.url}#/buckets`);
  await page.getByLabel('Bucket name').fill('seed-data');
  await page.getByRole('button', { name: 'Create bucket' }).click();
  await page.getByRole('heading', { name: 'seed-data', exact: true }).waitFor();

  const interactions = 'USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1700000000\n';
  await page.getByLabel('Add files').setInputFiles({ name: 'interactions.csv', mimeType: 'text/csv', buffer: Buffer.from(interactions) });
  await page.getByRole('status').filter({ hasText: 'Uploaded 1 file.' }).waitFor();
  assert.match(await page.getByRole('table').first().innerText(), /interactions\.csv/);

  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['ITEM_ID,GENRE\ni1,drama\n'.repeat(1000)], 'items.csv', { type: 'text/csv' }));
    return dt;
  });
  await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer });
  await page.getByRole('status').filter({ hasText: 'Uploaded 1 file.' }).waitFor();
  const listed = await awsOk(c.tailor.url, ROOT, ['s3api', 'list-objects-v2', '--bucket', 'seed-data']);
  assert.deepEqual(listed.Contents.map((o: any) => [o.Key, o.Size]), [['interactions.csv', interactions.length], ['items.csv', 23 * 1000]]);
  // Each upload's progress bar ends full.
  assert.deepEqual(await page.locator('progress').evaluateAll((bars) => bars.map((b) => (b as HTMLProgressElement).value === (b as HTMLProgressElement).max)), [true, true]);

  const editor = page.getByRole('textbox', { name: 'Policy' });
  await editor.fill('{"Version": "2012-10-17", "Statement": [}');
  await page.getByText(/^Ln 1, Col \d+: Policies must be valid JSON and the first byte must be '\{'$/).waitFor();
  await editor.fill(BUCKET_POLICY);
  await page.getByText('No errors: the policy is valid.').waitFor();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Bucket policy saved.' }).waitFor();
  const stored = await awsOk(c.tailor.url, ROOT, ['s3api', 'get-bucket-policy', '--bucket', 'seed-data']);
  assert.deepEqual(JSON.parse(stored.Policy), JSON.parse(BUCKET_POLICY));
});

test('KMS key: create, disable, enable, key policy', { skip: skipWithoutChromium }, async () => {
  const { page } = c;
  await page.goto(`${c.url}#/keys`);
  await page.getByLabel('Description').fill('seed key');
  await page.getByRole('button', { name: 'Create key' }).click();
  await page.getByRole('heading', { name: 'seed key' }).waitFor();
  await page.getByRole('button', { name: 'Disable key' }).click();
  await page.getByRole('button', { name: 'Enable key' }).click();
  await page.getByRole('button', { name: 'Disable key' }).waitFor();
  const keyId = new URL(page.url()).hash.split('id=')[1];
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Personalize', Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*' },
    ],
  });
  await page.getByRole('textbox', { name: 'Key policy' }).fill(policy);
  await page.getByText('No errors: the policy is valid.').waitFor();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Key policy saved.' }).waitFor();
  const stored = await awsOk(c.tailor.url, ROOT, ['kms', 'get-key-policy', '--key-id', keyId, '--policy-name', 'default']);
  assert.deepEqual(JSON.parse(stored.Policy), JSON.parse(policy));
  const described = await awsOk(c.tailor.url, ROOT, ['kms', 'describe-key', '--key-id', keyId]);
  assert.equal(described.KeyMetadata.KeyState, 'Enabled');
});
