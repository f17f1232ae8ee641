import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { s3Env, type S3Env } from './test-support.js';

const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash('md5').update(b).digest();

async function withBucket(fn: (env: S3Env) => Promise<void>) {
  const env = s3Env();
  try {
    await env.call('CreateBucket', { Bucket: 'bkt' });
    await fn(env);
  } finally { env.close(); }
}

const part = (env: S3Env, UploadId: string, PartNumber: number, body: Buffer, Key = 'big') =>
  env.call('UploadPart', { Bucket: 'bkt', Key, UploadId, PartNumber, Body: Readable.from([body]) });

test('multipart upload: parts complete into one object with S3\'s multipart ETag; every step is s3:PutObject', () => withBucket(async (env) => {
  const { UploadId, Bucket, Key } = await env.call('CreateMultipartUpload', { Bucket: 'bkt', Key: 'big', ContentType: 'text/csv', Metadata: { k: 'v' } });
  assert.deepEqual([Bucket, Key], ['bkt', 'big']);
  assert.deepEqual(env.last.queries.map((q) => [q.action, q.resource]), [['s3:PutObject', 'arn:aws:s3:::bkt/big']]);
  const bodies = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(1234)];
  const etags = [];
  for (const [i, b] of bodies.entries()) {
    const out = await part(env, UploadId, i + 1, b);
    assert.equal(out.ETag, `"${md5(b).toString('hex')}"`);
    assert.equal(env.last.queries[0].action, 's3:PutObject');
    etags.push(out.ETag);
  }
  const listed = await env.call('ListParts', { Bucket: 'bkt', Key: 'big', UploadId, MaxParts: 2 });
  assert.deepEqual(listed.Parts.map((p: any) => [p.PartNumber, p.Size]), [[1, 5 * MiB], [2, 5 * MiB]]);
  assert.deepEqual([listed.IsTruncated, listed.NextPartNumberMarker], [true, 2]);
  assert.equal(env.last.queries[0].action, 's3:ListMultipartUploadParts');
  const rest = await env.call('ListParts', { Bucket: 'bkt', Key: 'big', UploadId, PartNumberMarker: 2 });
  assert.deepEqual(rest.Parts.map((p: any) => p.PartNumber), [3]);
  const done = await env.call('CompleteMultipartUpload', {
    Bucket: 'bkt', Key: 'big', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
  });
  const expected = createHash('md5').update(Buffer.concat(bodies.map(md5))).digest('hex') + '-3';
  assert.equal(done.ETag, `"${expected}"`);
  assert.equal(done.Location, 'http://localhost:4599/bkt/big');
  assert.equal(env.last.queries[0].action, 's3:PutObject');
  const got = await env.get('bkt', 'big');
  assert.ok(got.body.equals(Buffer.concat(bodies)));
  assert.deepEqual([got.out.ETag, got.out.ContentType, got.out.Metadata], [`"${expected}"`, 'text/csv', { k: 'v' }]);
  await assert.rejects(env.call('ListParts', { Bucket: 'bkt', Key: 'big', UploadId }), { code: 'NoSuchUpload', status: 404 });
  assert.deepEqual(env.store.list('s3.part'), []);
}));

test('CompleteMultipartUpload refuses bad part lists: InvalidPartOrder, InvalidPart, EntityTooSmall, MalformedXML', () => withBucket(async (env) => {
  const { UploadId } = await env.call('CreateMultipartUpload', { Bucket: 'bkt', Key: 'big' });
  const e1 = (await part(env, UploadId, 1, Buffer.from('small'))).ETag;
  const e2 = (await part(env, UploadId, 2, Buffer.from('last'))).ETag;
  const complete = (Parts: unknown[]) => env.call('CompleteMultipartUpload', { Bucket: 'bkt', Key: 'big', UploadId, MultipartUpload: { Parts } });
  await assert.rejects(complete([{ PartNumber: 2, ETag: e2 }, { PartNumber: 1, ETag: e1 }]), {
    code: 'InvalidPartOrder', status: 400, message: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
  });
  await assert.rejects(complete([{ PartNumber: 1, ETag: '"0000"' }]), { code: 'InvalidPart', status: 400, fields: { UploadId, PartNumber: 1, ETag: '"0000"' } });
  await assert.rejects(complete([{ PartNumber: 3, ETag: e1 }]), { code: 'InvalidPart' });
  await assert.rejects(complete([{ PartNumber: 1, ETag: e1 }, { PartNumber: 2, ETag: e2 }]), {
    code: 'EntityTooSmall', message: 'Your proposed upload is smaller than the minimum allowed size', fields: { ProposedSize: 5, MinSizeAllowed: 5 * MiB, PartNumber: 1, ETag: e1 },
  });
  await assert.rejects(complete([]), { code: 'MalformedXML' });
  // A single small part is fine: only non-last parts have a minimum.
  await complete([{ PartNumber: 2, ETag: e2 }]);
  assert.equal((await env.get('bkt', 'big')).body.toString(), 'last');
}));

test('UploadPart checks: part number range, unknown upload, Content-MD5', () => withBucket(async (env) => {
  const { UploadId } = await env.call('CreateMultipartUpload', { Bucket: 'bkt', Key: 'big' });
  await assert.rejects(part(env, UploadId, 0, Buffer.from('x')), {
    code: 'InvalidArgument', message: 'Part number must be an integer between 1 and 10000, inclusive', fields: { ArgumentName: 'partNumber', ArgumentValue: '0' },
  });
  await assert.rejects(part(env, UploadId, 10001, Buffer.from('x')), { code: 'InvalidArgument' });
  await assert.rejects(part(env, 'bogus', 1, Buffer.from('x')), {
    code: 'NoSuchUpload', message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    fields: { UploadId: 'bogus' },
  });
  await assert.rejects(part(env, UploadId, 1, Buffer.from('x'), 'other-key'), { code: 'NoSuchUpload' });
  await assert.rejects(env.call('UploadPart', { Bucket: 'bkt', Key: 'big', UploadId, PartNumber: 1, Body: Readable.from([Buffer.from('x')]), ContentMD5: md5(Buffer.from('y')).toString('base64') }),
    { code: 'BadDigest' });
  assert.deepEqual((await env.call('ListParts', { Bucket: 'bkt', Key: 'big', UploadId })).Parts, []);
}));

test('AbortMultipartUpload drops parts; ListMultipartUploads lists by key, prefix and delimiter', () => withBucket(async (env) => {
  const a1 = (await env.call('CreateMultipartUpload', { Bucket: 'bkt', Key: 'dir/a' })).UploadId;
  env.clock = new Date(env.clock.getTime() + 1000);
  const a2 = (await env.call('CreateMultipartUpload', { Bucket: 'bkt', Key: 'dir/a' })).UploadId;
  const b = (await env.call('CreateMultipartUpload', { Bucket: 'bkt', Key: 'top' })).UploadId;
  await part(env, b, 1, Buffer.from('p'), 'top');
  const all = await env.call('ListMultipartUploads', { Bucket: 'bkt' });
  assert.deepEqual(all.Uploads.map((u: any) => [u.Key, u.UploadId]), [['dir/a', a1], ['dir/a', a2], ['top', b]]);
  assert.equal(env.last.queries[0].action, 's3:ListBucketMultipartUploads');
  const grouped = await env.call('ListMultipartUploads', { Bucket: 'bkt', Delimiter: '/' });
  assert.deepEqual([grouped.Uploads.map((u: any) => u.Key), grouped.CommonPrefixes], [['top'], [{ Prefix: 'dir/' }]]);
  const page = await env.call('ListMultipartUploads', { Bucket: 'bkt', MaxUploads: 1 });
  assert.deepEqual([page.IsTruncated, page.NextKeyMarker, page.NextUploadIdMarker], [true, 'dir/a', a1]);
  const next = await env.call('ListMultipartUploads', { Bucket: 'bkt', KeyMarker: 'dir/a', UploadIdMarker: a1 });
  assert.deepEqual(next.Uploads.map((u: any) => u.UploadId), [a2, b]);
  const afterKey = await env.call('ListMultipartUploads', { Bucket: 'bkt', KeyMarker: 'dir/a' });
  assert.deepEqual(afterKey.Uploads.map((u: any) => u.UploadId), [b]);
  await env.call('AbortMultipartUpload', { Bucket: 'bkt', Key: 'top', UploadId: b });
  assert.deepEqual(env.last.queries.map((q) => [q.action, q.resource]), [['s3:AbortMultipartUpload', 'arn:aws:s3:::bkt/top']]);
  await assert.rejects(env.call('AbortMultipartUpload', { Bucket: 'bkt', Key: 'top', UploadId: b }), { code: 'NoSuchUpload' });
  assert.deepEqual(env.store.list('s3.part'), []);
  assert.equal((await env.call('ListMultipartUploads', { Bucket: 'bkt' })).Uploads.length, 2);
}));
