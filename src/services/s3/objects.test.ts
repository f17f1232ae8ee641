import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { s3Env, userPrincipal, readAll, type S3Env } from './test-support.js';

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest();
const crc32b64 = (s: string) => { const b = Buffer.alloc(4); b.writeUInt32BE(crc32(s)); return b.toString('base64'); };

async function withBucket(fn: (env: S3Env) => Promise<void>) {
  const env = s3Env();
  try {
    await env.call('CreateBucket', { Bucket: 'bkt' });
    await fn(env);
  } finally { env.close(); }
}

test('PutObject/GetObject/HeadObject: ETag, headers, metadata, s3:PutObject and s3:GetObject on the object ARN', () => withBucket(async (env) => {
  const put = await env.put('bkt', 'dir/file.csv', 'a,b\n1,2\n', {
    ContentType: 'text/csv', Metadata: { Source: 'test' }, CacheControl: 'no-cache', ContentEncoding: 'aws-chunked',
  });
  assert.equal(put.ETag, `"${md5('a,b\n1,2\n').toString('hex')}"`);
  assert.equal(put.ServerSideEncryption, 'AES256');
  const [q] = env.last.queries;
  assert.deepEqual([q.action, q.resource, q.resourceAccount], ['s3:PutObject', 'arn:aws:s3:::bkt/dir/file.csv', '000000000000']);
  assert.equal(q.context?.['s3:authType'], 'REST-HEADER');
  const { out, body } = await env.get('bkt', 'dir/file.csv');
  assert.equal(body.toString(), 'a,b\n1,2\n');
  assert.equal(out.ContentLength, 8);
  assert.equal(out.ContentType, 'text/csv');
  assert.equal(out.ContentEncoding, undefined);
  assert.equal(out.CacheControl, 'no-cache');
  assert.deepEqual(out.Metadata, { source: 'test' });
  assert.deepEqual(out.LastModified, env.clock);
  assert.equal(out.ETag, put.ETag);
  assert.equal(out.AcceptRanges, 'bytes');
  assert.deepEqual(env.last.queries.map((x) => [x.action, x.resource]), [['s3:GetObject', 'arn:aws:s3:::bkt/dir/file.csv']]);
  const head = await env.call('HeadObject', { Bucket: 'bkt', Key: 'dir/file.csv', ResponseContentType: 'x/y' });
  assert.equal(head.Body, undefined);
  assert.equal(head.ContentType, 'x/y');
  assert.equal(head.ContentLength, 8);
  assert.equal(env.last.queries[0].action, 's3:GetObject');
  const bare = await env.put('bkt', 'empty', '');
  assert.equal(bare.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
  const empty = await env.get('bkt', 'empty');
  assert.equal(empty.body.length, 0);
  assert.equal(empty.out.ContentType, 'binary/octet-stream');
}));

test('Range: 206 fields, suffix and open ranges, InvalidRange 416, ignored malformed ranges', () => withBucket(async (env) => {
  await env.put('bkt', 'k', '0123456789');
  const r = async (Range: string) => { const { out, body } = await env.get('bkt', 'k', { Range }); return [body.toString(), out.ContentRange, out.ContentLength]; };
  assert.deepEqual(await r('bytes=2-4'), ['234', 'bytes 2-4/10', 3]);
  assert.deepEqual(await r('bytes=7-'), ['789', 'bytes 7-9/10', 3]);
  assert.deepEqual(await r('bytes=-3'), ['789', 'bytes 7-9/10', 3]);
  assert.deepEqual(await r('bytes=5-100'), ['56789', 'bytes 5-9/10', 5]);
  assert.deepEqual(await r('bytes=-100'), ['0123456789', 'bytes 0-9/10', 10]);
  assert.deepEqual(await r('bytes=1-2,4-5'), ['0123456789', undefined, 10]);
  assert.deepEqual(await r('chars=1-2'), ['0123456789', undefined, 10]);
  await assert.rejects(env.get('bkt', 'k', { Range: 'bytes=10-' }), {
    code: 'InvalidRange', status: 416, message: 'The requested range is not satisfiable', fields: { RangeRequested: 'bytes=10-', ActualObjectSize: 10 },
  });
}));

test('conditional GET: If-Match 412, If-None-Match 304, If-Modified-Since, If-Unmodified-Since', () => withBucket(async (env) => {
  const { ETag } = await env.put('bkt', 'k', 'v');
  const later = new Date(env.clock.getTime() + 60_000);
  const earlier = new Date(env.clock.getTime() - 60_000);
  await env.get('bkt', 'k', { IfMatch: ETag });
  await assert.rejects(env.get('bkt', 'k', { IfMatch: '"other"' }), { code: 'PreconditionFailed', status: 412, fields: { Condition: 'If-Match' } });
  await assert.rejects(env.get('bkt', 'k', { IfNoneMatch: ETag }), { code: 'NotModified', status: 304 });
  await env.get('bkt', 'k', { IfNoneMatch: '"other"', IfModifiedSince: later });
  await assert.rejects(env.get('bkt', 'k', { IfModifiedSince: later }), { status: 304 });
  await env.get('bkt', 'k', { IfModifiedSince: earlier });
  await assert.rejects(env.call('HeadObject', { Bucket: 'bkt', Key: 'k', IfUnmodifiedSince: earlier }), { status: 412, fields: { Condition: 'If-Unmodified-Since' } });
  // If-Match true wins over a failing If-Unmodified-Since (RFC 7232).
  await env.get('bkt', 'k', { IfMatch: ETag, IfUnmodifiedSince: earlier });
}));

test('conditional PUT: If-None-Match * creates only; If-Match replaces only that ETag', () => withBucket(async (env) => {
  const { ETag } = await env.put('bkt', 'k', 'v1', { IfNoneMatch: '*' });
  await assert.rejects(env.put('bkt', 'k', 'v2', { IfNoneMatch: '*' }), { code: 'PreconditionFailed', status: 412 });
  await assert.rejects(env.put('bkt', 'k', 'v2', { IfMatch: '"nope"' }), { code: 'PreconditionFailed' });
  await assert.rejects(env.put('bkt', 'new', 'v2', { IfMatch: ETag }), { code: 'NoSuchKey' });
  await env.put('bkt', 'k', 'v2', { IfMatch: ETag });
  assert.equal((await env.get('bkt', 'k')).body.toString(), 'v2');
}));

test('digests: Content-MD5 and x-amz-checksum-* are verified before anything becomes visible', () => withBucket(async (env) => {
  await env.put('bkt', 'k', 'good', { ContentMD5: md5('good').toString('base64') });
  await assert.rejects(env.put('bkt', 'k', 'evil', { ContentMD5: md5('good').toString('base64') }), {
    code: 'BadDigest', status: 400, message: 'The Content-MD5 you specified did not match what we received.',
  });
  await assert.rejects(env.put('bkt', 'k', 'evil', { ContentMD5: 'not-md5' }), { code: 'InvalidDigest', message: 'The Content-MD5 you specified was invalid.' });
  const ok = await env.put('bkt', 'k2', 'hello', { ChecksumCRC32: crc32b64('hello') });
  assert.equal(ok.ChecksumCRC32, crc32b64('hello'));
  await assert.rejects(env.put('bkt', 'k2', 'hullo', { ChecksumCRC32: crc32b64('hello') }), { code: 'BadDigest' });
  await assert.rejects(env.put('bkt', 'k2', 'hullo', { ChecksumCRC32: '!!' }), { code: 'InvalidRequest' });
  // A trailer checksum arrives after the body: the handler reads it only once the body has ended.
  const input: any = { Bucket: 'bkt', Key: 'k3', Body: Readable.from([Buffer.from('late')]) };
  input.Body.on('end', () => { input.ChecksumCRC32 = crc32b64('late'); });
  const trailed = await env.call('PutObject', input, { headers: { 'x-amz-trailer': 'x-amz-checksum-crc32' } });
  assert.equal(trailed.ChecksumCRC32, crc32b64('late'));
  const withMode = await env.get('bkt', 'k3', { ChecksumMode: 'ENABLED' });
  assert.equal(withMode.out.ChecksumCRC32, crc32b64('late'));
  assert.equal((await env.get('bkt', 'k')).body.toString(), 'good');
  await assert.rejects(env.put('bkt', 'short', 'abc', { ContentLength: 10 }), { code: 'IncompleteBody' });
  // aws-chunked: Content-Length counts the framing; the payload's length is x-amz-decoded-content-length.
  const chunked = { Bucket: 'bkt', Key: 'chunked', Body: Readable.from([Buffer.from('abc')]), ContentLength: 180 };
  await env.call('PutObject', chunked, { headers: { 'x-amz-decoded-content-length': '3' } });
  await assert.rejects(env.call('PutObject', { ...chunked, Body: Readable.from([Buffer.from('ab')]) }, { headers: { 'x-amz-decoded-content-length': '3' } }),
    { code: 'IncompleteBody' });
}));

test('limits: EntityTooLarge over 5 GiB, KeyTooLongError over 1,024 bytes, MetadataTooLarge', () => withBucket(async (env) => {
  await assert.rejects(env.put('bkt', 'k', 'x', { ContentLength: 5 * 1024 ** 3 + 1 }), {
    code: 'EntityTooLarge', status: 400, message: 'Your proposed upload exceeds the maximum allowed size',
    fields: { ProposedSize: 5 * 1024 ** 3 + 1, MaxSizeAllowed: 5 * 1024 ** 3 },
  });
  await assert.rejects(env.put('bkt', 'é'.repeat(513), 'x'), { code: 'KeyTooLongError', message: 'Your key is too long' });
  await assert.rejects(env.put('bkt', 'k', 'x', { Metadata: { big: 'v'.repeat(3000) } }), { code: 'MetadataTooLarge' });
  await assert.rejects(env.put('bkt', 'k', 'x', { SSECustomerAlgorithm: 'AES256' }), { code: 'NotImplemented', status: 501 });
}));

test('hostile keys are plain names: ../, absolute, unicode of 1,024 bytes', () => withBucket(async (env) => {
  const keys = ['../../etc/passwd', '/leading', 'a/./b/../c', '🙂'.repeat(256), 'ü'.repeat(512)];
  for (const k of keys) await env.put('bkt', k, `v:${k}`);
  for (const k of keys) assert.equal((await env.get('bkt', k)).body.toString(), `v:${k}`);
  const listed = await env.call('ListObjectsV2', { Bucket: 'bkt' });
  assert.deepEqual(listed.Contents.map((c: any) => c.Key).sort(), [...keys].sort());
}));

test('missing keys: NoSuchKey for who may list the bucket, AccessDenied for who may not', () => withBucket(async (env) => {
  await assert.rejects(env.get('bkt', 'nope'), { code: 'NoSuchKey', status: 404, message: 'The specified key does not exist.', fields: { Key: 'nope' } });
  assert.deepEqual(env.last.queries.map((q) => q.action), ['s3:GetObject', 's3:ListBucket']);
  env.deny = (q) => q.action === 's3:ListBucket';
  await assert.rejects(env.get('bkt', 'nope', {}, userPrincipal('eve')), { code: 'AccessDenied', status: 403 });
  await assert.rejects(env.get('nobucket', 'k'), { code: 'NoSuchBucket', fields: { BucketName: 'nobucket' } });
}));

test('DeleteObject is idempotent; DeleteObjects authorises each key and reports denials per key', () => withBucket(async (env) => {
  for (const k of ['a', 'b', 'secret/c']) await env.put('bkt', k, k);
  await env.call('DeleteObject', { Bucket: 'bkt', Key: 'a' });
  assert.deepEqual(env.last.queries.map((q) => [q.action, q.resource]), [['s3:DeleteObject', 'arn:aws:s3:::bkt/a']]);
  await env.call('DeleteObject', { Bucket: 'bkt', Key: 'a' });
  env.deny = (q) => q.resource.includes('secret/');
  const out = await env.call('DeleteObjects', { Bucket: 'bkt', Delete: { Objects: [{ Key: 'b' }, { Key: 'secret/c' }, { Key: 'gone' }] } });
  assert.deepEqual(out.Deleted, [{ Key: 'b' }, { Key: 'gone' }]);
  assert.equal(out.Errors.length, 1);
  assert.deepEqual([out.Errors[0].Key, out.Errors[0].Code], ['secret/c', 'AccessDenied']);
  assert.deepEqual(env.last.queries.map((q) => q.resource), ['arn:aws:s3:::bkt/b', 'arn:aws:s3:::bkt/secret/c', 'arn:aws:s3:::bkt/gone']);
  env.deny = undefined;
  const quiet = await env.call('DeleteObjects', { Bucket: 'bkt', Delete: { Objects: [{ Key: 'secret/c' }], Quiet: true } });
  assert.deepEqual([quiet.Deleted, quiet.Errors], [undefined, []]);
  assert.deepEqual((await env.call('ListObjectsV2', { Bucket: 'bkt' })).Contents, []);
  await assert.rejects(env.call('DeleteObjects', { Bucket: 'bkt', Delete: { Objects: [] } }), { code: 'MalformedXML' });
}));

test('CopyObject: GetObject on the source, PutObject on the target; COPY keeps and REPLACE replaces metadata', () => withBucket(async (env) => {
  await env.call('CreateBucket', { Bucket: 'other' });
  const src = await env.put('bkt', 'src key', 'payload', { ContentType: 'text/plain', Metadata: { a: '1' } });
  const copied = await env.call('CopyObject', { Bucket: 'other', Key: 'dst', CopySource: 'bkt/src%20key' });
  assert.equal(copied.CopyObjectResult.ETag, src.ETag);
  assert.deepEqual(env.last.queries.map((q) => [q.action, q.resource]), [
    ['s3:GetObject', 'arn:aws:s3:::bkt/src key'], ['s3:PutObject', 'arn:aws:s3:::other/dst'],
  ]);
  assert.equal(env.last.queries[1].context?.['s3:x-amz-copy-source'], 'bkt/src%20key');
  const got = await env.get('other', 'dst');
  assert.deepEqual([got.body.toString(), got.out.ContentType, got.out.Metadata], ['payload', 'text/plain', { a: '1' }]);
  await env.call('CopyObject', { Bucket: 'other', Key: 'dst2', CopySource: '/bkt/src%20key', MetadataDirective: 'REPLACE', Metadata: { b: '2' } });
  assert.deepEqual((await env.get('other', 'dst2')).out.Metadata, { b: '2' });
  await assert.rejects(env.call('CopyObject', { Bucket: 'bkt', Key: 'src key', CopySource: 'bkt/src%20key' }), { code: 'InvalidRequest' });
  await env.call('CopyObject', { Bucket: 'bkt', Key: 'src key', CopySource: 'bkt/src%20key', MetadataDirective: 'REPLACE' });
  await assert.rejects(env.call('CopyObject', { Bucket: 'other', Key: 'x', CopySource: 'bkt' }), { code: 'InvalidArgument' });
  await assert.rejects(env.call('CopyObject', { Bucket: 'other', Key: 'x', CopySource: 'bkt/missing' }), { code: 'NoSuchKey' });
  await assert.rejects(env.call('CopyObject', { Bucket: 'other', Key: 'x', CopySource: 'bkt/src%20key', CopySourceIfMatch: '"zzz"' }),
    { code: 'PreconditionFailed', fields: { Condition: 'x-amz-copy-source-If-Match' } });
  env.deny = (q) => q.action === 's3:GetObject';
  await assert.rejects(env.call('CopyObject', { Bucket: 'other', Key: 'y', CopySource: 'bkt/src%20key' }), { code: 'AccessDenied' });
}));

test('a GET stream opened before a DELETE still returns the whole object', () => withBucket(async (env) => {
  await env.put('bkt', 'k', 'z'.repeat(300000));
  const out = await env.call('GetObject', { Bucket: 'bkt', Key: 'k' });
  await env.call('DeleteObject', { Bucket: 'bkt', Key: 'k' });
  assert.equal((await readAll(out.Body)).length, 300000);
}));

test('a PUT whose client goes away mid-body leaves no object and keeps the previous one', () => withBucket(async (env) => {
  await env.put('bkt', 'k', 'previous');
  const body = new Readable({ read() {} });
  const putting = env.call('PutObject', { Bucket: 'bkt', Key: 'k', Body: body });
  body.push(Buffer.alloc(200000, 1));
  setImmediate(() => body.destroy(new Error('socket hang up')));
  await assert.rejects(putting, /socket hang up/);
  assert.equal((await env.get('bkt', 'k')).body.toString(), 'previous');
  const tmp = join(env.app.config.dataDir, 'objects', 'tmp');
  assert.deepEqual(readdirSync(tmp), []);
}));
