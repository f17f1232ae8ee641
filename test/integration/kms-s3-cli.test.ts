// SSE-KMS with the AWS CLI against a server process: the key policy from the Personalize guide, objects
// encrypted under it up and down, a reader the key policy leaves out, a disabled key, AWS managed keys,
// and keys that survive kill -9.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { spawnTailor, aws, ROOT, ACCOUNT, PERSONALIZE_TRUST, type Creds, awsOk } from './support.js';

let dir: string;
let dataDir: string;
let server: { child: ChildProcess; url: string };

const ok = (creds: Creds, args: string[]) => awsOk(server.url, creds, args);
const fails = async (creds: Creds, args: string[]) => {
  const r = await aws(server.url, creds, args);
  assert.notEqual(r.status, 0, `aws ${args.join(' ')} succeeded`);
  return r.stderr;
};

const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`;
/** The statement of the key policy example in the Personalize developer guide ("Giving Amazon Personalize permission to use your AWS KMS key"). */
const PERSONALIZE_STATEMENT = {
  Sid: 'Allow use of the key',
  Effect: 'Allow',
  Principal: { AWS: ROLE_ARN, Service: 'personalize.amazonaws.com' },
  Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ListGrants'],
  Resource: '*',
};
/** AWS's default statement: IAM policies of the account count for this key. */
const ACCOUNT_STATEMENT = {
  Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*',
};
const policyOf = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Id: 'key-policy-123', Statement: statements });

let keyArn: string;
let readerCreds: Creds;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tailor-kms-s3-'));
  dataDir = join(dir, 'data');
  server = await spawnTailor(dataDir);
  await ok(ROOT, ['iam', 'create-role', '--role-name', 'PersonalizeRole', '--assume-role-policy-document', PERSONALIZE_TRUST]);
  await ok(ROOT, ['s3', 'mb', 's3://kms-data']);
  // A reader IAM lets do anything with S3 and KMS: only key policies can stop it.
  await ok(ROOT, ['iam', 'create-user', '--user-name', 'reader']);
  await ok(ROOT, ['iam', 'put-user-policy', '--user-name', 'reader', '--policy-name', 'all-s3-kms', '--policy-document',
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'kms:*'], Resource: '*' }] })]);
  const key = await ok(ROOT, ['iam', 'create-access-key', '--user-name', 'reader']);
  readerCreds = { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
});
after(() => {
  server?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('the Personalize key policy is accepted; aws s3 cp --sse aws:kms encrypts under the key, up and down', async () => {
  const policy = policyOf(PERSONALIZE_STATEMENT, ACCOUNT_STATEMENT);
  const created = await ok(ROOT, ['kms', 'create-key', '--description', 'personalize data', '--policy', policy]);
  keyArn = created.KeyMetadata.Arn;
  const got = await ok(ROOT, ['kms', 'get-key-policy', '--key-id', keyArn, '--policy-name', 'default']);
  assert.deepEqual(JSON.parse(got.Policy), JSON.parse(policy));
  await ok(ROOT, ['kms', 'create-alias', '--alias-name', 'alias/personalize-data', '--target-key-id', created.KeyMetadata.KeyId]);

  const src = join(dir, 'items.csv');
  const data = randomBytes(3 * 1024 * 1024);
  writeFileSync(src, data);
  await ok(ROOT, ['s3', 'cp', src, 's3://kms-data/import/items.csv', '--sse', 'aws:kms', '--sse-kms-key-id', 'alias/personalize-data']);
  const head = await ok(ROOT, ['s3api', 'head-object', '--bucket', 'kms-data', '--key', 'import/items.csv']);
  assert.deepEqual([head.ServerSideEncryption, head.SSEKMSKeyId, head.ContentLength], ['aws:kms', keyArn, data.length]);
  const back = join(dir, 'items-back.csv');
  await ok(ROOT, ['s3', 'cp', 's3://kms-data/import/items.csv', back]);
  assert.ok(readFileSync(back).equals(data));

  // Without a key id, S3 uses the account's AWS managed key, created on first use.
  await ok(ROOT, ['s3', 'cp', src, 's3://kms-data/managed.csv', '--sse', 'aws:kms']);
  const managed = await ok(ROOT, ['kms', 'describe-key', '--key-id', 'alias/aws/s3']);
  assert.equal(managed.KeyMetadata.KeyManager, 'AWS');
  const mhead = await ok(ROOT, ['s3api', 'head-object', '--bucket', 'kms-data', '--key', 'managed.csv']);
  assert.deepEqual([mhead.ServerSideEncryption, mhead.SSEKMSKeyId], ['aws:kms', managed.KeyMetadata.Arn]);
  // Any principal of the account that may use S3 may use the managed key through S3, and only through S3.
  await ok(readerCreds, ['s3', 'cp', 's3://kms-data/managed.csv', join(dir, 'managed-back.csv')]);
  assert.match(await fails(ROOT, ['kms', 'encrypt', '--key-id', 'alias/aws/s3', '--plaintext', 'aGVsbG8=']), /\(AccessDeniedException\)/);
  rmSync(src);
  rmSync(back);
});

test('a reader allowed s3:* and kms:* by IAM but not by the key policy is denied with the kms:Decrypt AccessDenied', async () => {
  const created = await ok(ROOT, ['kms', 'create-key', '--description', 'no IAM delegation']);
  const arn = created.KeyMetadata.Arn;
  await ok(ROOT, ['s3api', 'put-object', '--bucket', 'kms-data', '--key', 'secret.csv', '--body', writeTemp('USER_ID\n1\n'),
    '--server-side-encryption', 'aws:kms', '--ssekms-key-id', arn]);
  await ok(ROOT, ['s3api', 'put-object', '--bucket', 'kms-data', '--key', 'plain.csv', '--body', writeTemp('USER_ID\n2\n')]);
  // The Personalize statement alone: the account's IAM policies no longer count for this key.
  await ok(ROOT, ['kms', 'put-key-policy', '--key-id', arn, '--policy-name', 'default', '--policy', policyOf(PERSONALIZE_STATEMENT),
    '--bypass-policy-lockout-safety-check']);

  await ok(readerCreds, ['s3api', 'get-object', '--bucket', 'kms-data', '--key', 'plain.csv', join(dir, 'plain-back.csv')]);
  const denied = await fails(readerCreds, ['s3api', 'get-object', '--bucket', 'kms-data', '--key', 'secret.csv', join(dir, 'x.csv')]);
  assert.match(denied, new RegExp(`\\(AccessDenied\\) when calling the GetObject operation: User: arn:aws:iam::${ACCOUNT}:user/reader ` +
    `is not authorized to perform: kms:Decrypt on resource: ${arn.replace(/[/]/g, '\\/')} because no resource-based policy allows the kms:Decrypt action`));
  // HeadObject reads no bytes and needs no key.
  const head = await ok(readerCreds, ['s3api', 'head-object', '--bucket', 'kms-data', '--key', 'secret.csv']);
  assert.equal(head.SSEKMSKeyId, arn);
});

test('disabling the key makes GetObject fail with KMS.DisabledException; enabling it restores reads', async () => {
  await ok(ROOT, ['kms', 'disable-key', '--key-id', keyArn]);
  const stderr = await fails(ROOT, ['s3api', 'get-object', '--bucket', 'kms-data', '--key', 'import/items.csv', join(dir, 'y.csv')]);
  assert.match(stderr, /\(KMS\.DisabledException\) when calling the GetObject operation: .* is disabled\./);
  const put = await fails(ROOT, ['s3', 'cp', writeTemp('x'), 's3://kms-data/new.csv', '--sse', 'aws:kms', '--sse-kms-key-id', keyArn]);
  assert.match(put, /KMS\.DisabledException/);
  await ok(ROOT, ['kms', 'enable-key', '--key-id', keyArn]);
  await ok(ROOT, ['s3api', 'get-object', '--bucket', 'kms-data', '--key', 'import/items.csv', join(dir, 'y.csv')]);
});

test('keys, aliases and SSE-KMS objects survive kill -9 and restart', async () => {
  const managedBefore = (await ok(ROOT, ['kms', 'describe-key', '--key-id', 'alias/aws/s3'])).KeyMetadata.Arn;
  server.child.kill('SIGKILL');
  await new Promise((r) => server.child.once('exit', r));
  server = await spawnTailor(dataDir);
  const described = await ok(ROOT, ['kms', 'describe-key', '--key-id', 'alias/personalize-data']);
  assert.deepEqual([described.KeyMetadata.Arn, described.KeyMetadata.KeyState], [keyArn, 'Enabled']);
  assert.equal((await ok(ROOT, ['kms', 'describe-key', '--key-id', 'alias/aws/s3'])).KeyMetadata.Arn, managedBefore);
  const back = join(dir, 'after-restart.csv');
  await ok(ROOT, ['s3', 'cp', 's3://kms-data/import/items.csv', back]);
  assert.equal(readFileSync(back).length, 3 * 1024 * 1024);
  await ok(ROOT, ['s3', 'cp', 's3://kms-data/managed.csv', back]);
  const cipher = await ok(ROOT, ['kms', 'encrypt', '--key-id', keyArn, '--plaintext', 'aGVsbG8=']);
  const plain = await ok(ROOT, ['kms', 'decrypt', '--ciphertext-blob', cipher.CiphertextBlob]);
  assert.equal(plain.Plaintext, 'aGVsbG8=');
});

let temps = 0;
/** A small file in the test dir with `text` in it; returns its path. */
function writeTemp(text: string): string {
  const path = join(dir, `tmp-${temps++}.txt`);
  writeFileSync(path, text);
  return path;
}
