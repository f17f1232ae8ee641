import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { s3Env, type S3Env } from './test-support.js';

const PLAIN = 'user_id,item_id,timestamp\n'.repeat(5000);

/** Concatenated bytes of every object file on disk. */
function diskBytes(env: S3Env): Buffer {
  const root = join(env.app.config.dataDir, 'objects', 'data');
  return Buffer.concat(readdirSync(root).flatMap((d) => readdirSync(join(root, d)).map((f) => readFileSync(join(root, d, f)))));
}

async function withKey(fn: (env: S3Env, keyArn: string, keyId: string) => Promise<void>) {
  const env = s3Env();
  try {
    await env.call('CreateBucket', { Bucket: 'bkt' });
    const { KeyMetadata } = await env.kms('CreateKey', {});
    await fn(env, KeyMetadata.Arn, KeyMetadata.KeyId);
  } finally { env.close(); }
}

test('by default every object is SSE-S3 encrypted at rest (AWS\'s default): no plaintext on disk', () => withKey(async (env) => {
  const put = await env.put('bkt', 'k', PLAIN);
  assert.equal(put.ServerSideEncryption, 'AES256');
  assert.equal(diskBytes(env).indexOf('user_id,item_id'), -1);
  const { out, body } = await env.get('bkt', 'k', { Range: 'bytes=26-51' });
  assert.equal(body.toString(), 'user_id,item_id,timestamp\n');
  assert.equal(out.ServerSideEncryption, 'AES256');
  const enc = await env.call('GetBucketEncryption', { Bucket: 'bkt' });
  assert.deepEqual(enc.ServerSideEncryptionConfiguration.Rules, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: undefined }, BucketKeyEnabled: false }]);
  assert.equal(env.last.queries[0].action, 's3:GetEncryptionConfiguration');
}));

test('SSE-KMS: the data key comes from KMS GenerateDataKey via S3; reads are kms:Decrypt by the caller', () => withKey(async (env, keyArn, keyId) => {
  const put = await env.put('bkt', 'k', PLAIN, { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId });
  assert.deepEqual([put.ServerSideEncryption, put.SSEKMSKeyId], ['aws:kms', keyArn]);
  const [s3q, kmsq] = env.last.queries;
  assert.equal(s3q.action, 's3:PutObject');
  assert.deepEqual([s3q.context?.['s3:x-amz-server-side-encryption'], s3q.context?.['s3:x-amz-server-side-encryption-aws-kms-key-id']], ['aws:kms', keyId]);
  assert.deepEqual([kmsq.action, kmsq.resource, kmsq.resourcePolicy?.kind], ['kms:GenerateDataKey', keyArn, 'key']);
  assert.equal(kmsq.context?.['kms:ViaService'], 's3.us-east-1.amazonaws.com');
  assert.equal(kmsq.context?.['kms:EncryptionContext:aws:s3:arn'], 'arn:aws:s3:::bkt/k');
  assert.equal(diskBytes(env).indexOf('user_id,item_id'), -1);

  const { out, body } = await env.get('bkt', 'k');
  assert.equal(body.toString(), PLAIN);
  assert.deepEqual([out.ServerSideEncryption, out.SSEKMSKeyId], ['aws:kms', keyArn]);
  assert.deepEqual(env.last.queries.map((q) => q.action), ['s3:GetObject', 'kms:Decrypt']);
  assert.equal(env.last.queries[1].context?.['kms:ViaService'], 's3.us-east-1.amazonaws.com');

  env.deny = (q) => q.action === 'kms:Decrypt';
  await assert.rejects(env.get('bkt', 'k'), { code: 'AccessDenied', status: 403 });
  // HEAD reads no bytes, so it needs no key.
  assert.equal((await env.call('HeadObject', { Bucket: 'bkt', Key: 'k' })).SSEKMSKeyId, keyArn);
}));

test('SSE-KMS errors: unknown key, disabled key, key id without aws:kms, unknown algorithm', () => withKey(async (env, _arn, keyId) => {
  await assert.rejects(env.put('bkt', 'k', 'x', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/none' }), { code: 'KMS.NotFoundException', status: 400 });
  await assert.rejects(env.put('bkt', 'k', 'x', { SSEKMSKeyId: keyId }), { code: 'InvalidArgument' });
  await assert.rejects(env.put('bkt', 'k', 'x', { ServerSideEncryption: 'AES512' }), { code: 'InvalidEncryptionAlgorithmError' });
  await env.kms('DisableKey', { KeyId: keyId });
  await assert.rejects(env.put('bkt', 'k', 'x', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }), { code: 'KMS.DisabledException' });
  await assert.rejects(env.get('bkt', 'k'), { code: 'NoSuchKey' });
}));

test('bucket default encryption aws:kms applies to writes that name none; DeleteBucketEncryption restores SSE-S3', () => withKey(async (env, keyArn) => {
  await env.call('PutBucketEncryption', { Bucket: 'bkt', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } }] } });
  assert.equal(env.last.queries[0].action, 's3:PutEncryptionConfiguration');
  const got = await env.call('GetBucketEncryption', { Bucket: 'bkt' });
  assert.deepEqual(got.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault, { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn });
  assert.equal((await env.put('bkt', 'k', 'x')).SSEKMSKeyId, keyArn);
  assert.equal((await env.put('bkt', 'k2', 'x', { ServerSideEncryption: 'AES256' })).ServerSideEncryption, 'AES256');
  await env.call('DeleteBucketEncryption', { Bucket: 'bkt' });
  assert.equal(env.last.queries[0].action, 's3:PutEncryptionConfiguration');
  assert.equal((await env.put('bkt', 'k3', 'x')).ServerSideEncryption, 'AES256');
  await assert.rejects(env.call('PutBucketEncryption', { Bucket: 'bkt', ServerSideEncryptionConfiguration: { Rules: [] } }), { code: 'MalformedXML' });
  await assert.rejects(env.call('PutBucketEncryption', { Bucket: 'bkt', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: keyArn } }] } }),
    { code: 'InvalidArgument' });
}));

test('SSE-KMS multipart: the upload\'s key is generated once; each part and the completion decrypt it', () => withKey(async (env, keyArn, keyId) => {
  const { UploadId, SSEKMSKeyId } = await env.call('CreateMultipartUpload', { Bucket: 'bkt', Key: 'mp', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId });
  assert.equal(SSEKMSKeyId, keyArn);
  assert.deepEqual(env.last.queries.map((q) => q.action), ['s3:PutObject', 'kms:GenerateDataKey']);
  const p = await env.call('UploadPart', { Bucket: 'bkt', Key: 'mp', UploadId, PartNumber: 1, Body: Readable.from([Buffer.from(PLAIN)]) });
  assert.deepEqual(env.last.queries.map((q) => q.action), ['s3:PutObject', 'kms:Decrypt']);
  await env.call('CompleteMultipartUpload', { Bucket: 'bkt', Key: 'mp', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p.ETag }] } });
  assert.equal(diskBytes(env).indexOf('user_id,item_id'), -1);
  assert.equal((await env.get('bkt', 'mp')).body.toString(), PLAIN);
}));

test('CopyObject of an SSE-KMS object decrypts the source key and seals the copy under the target\'s encryption', () => withKey(async (env, _arn, keyId) => {
  await env.put('bkt', 'src', PLAIN, { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId });
  const out = await env.call('CopyObject', { Bucket: 'bkt', Key: 'dst', CopySource: 'bkt/src' });
  assert.equal(out.ServerSideEncryption, 'AES256');
  assert.deepEqual(env.last.queries.map((q) => q.action), ['s3:GetObject', 's3:PutObject', 'kms:Decrypt']);
  assert.equal((await env.get('bkt', 'dst')).body.toString(), PLAIN);
}));
