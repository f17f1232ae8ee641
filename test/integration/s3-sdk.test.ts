// S3 with the AWS SDK for JavaScript v3: virtual-hosted-style addressing (bucket.localhost), ranges,
// copies and batch deletes against a live server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, CopyObjectCommand,
  DeleteObjectsCommand, HeadObjectCommand,
} from '@aws-sdk/client-s3';
import { startTailor, ROOT } from './support.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
let s3: S3Client;

before(async () => {
  tailor = await startTailor();
  const port = new URL(tailor.url).port;
  // `<bucket>.localhost` names no host here: the agent sends every name to the loopback server.
  const lookup = (_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
    opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4);
  const agent = new Agent({ keepAlive: true, lookup: lookup as any });
  s3 = new S3Client({
    endpoint: `http://localhost:${port}`, region: 'us-east-1', credentials: ROOT, forcePathStyle: false, maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: agent }),
  });
});
after(async () => {
  s3?.destroy();
  await tailor?.stop();
});

test('virtual-hosted-style requests reach the bucket the Host header names', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'vhost-bucket' }));
  await s3.send(new PutObjectCommand({ Bucket: 'vhost-bucket', Key: 'dir/ä b+c.txt', Body: 'hello virtual host', ContentType: 'text/plain' }));
  const got = await s3.send(new GetObjectCommand({ Bucket: 'vhost-bucket', Key: 'dir/ä b+c.txt' }));
  assert.equal(await got.Body!.transformToString(), 'hello virtual host');
  assert.equal(got.ContentType, 'text/plain');
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'vhost-bucket', Prefix: 'dir/' }));
  assert.deepEqual(listed.Contents!.map((o) => o.Key), ['dir/ä b+c.txt']);
});

test('a Range GET answers 206 with the bytes asked for', async () => {
  await s3.send(new PutObjectCommand({ Bucket: 'vhost-bucket', Key: 'digits', Body: '0123456789' }));
  const part = await s3.send(new GetObjectCommand({ Bucket: 'vhost-bucket', Key: 'digits', Range: 'bytes=2-5' }));
  assert.equal(part.$metadata.httpStatusCode, 206);
  assert.equal(part.ContentRange, 'bytes 2-5/10');
  assert.equal(await part.Body!.transformToString(), '2345');
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'vhost-bucket', Key: 'digits', Range: 'bytes=20-30' })), (e: any) => e.name === 'InvalidRange');
});

test('CopyObject and DeleteObjects', async () => {
  await s3.send(new CopyObjectCommand({ Bucket: 'vhost-bucket', Key: 'copy', CopySource: 'vhost-bucket/digits' }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'vhost-bucket', Key: 'copy' }));
  assert.equal(head.ContentLength, 10);
  const del = await s3.send(new DeleteObjectsCommand({ Bucket: 'vhost-bucket', Delete: { Objects: [{ Key: 'copy' }, { Key: 'digits' }] } }));
  assert.deepEqual(del.Deleted!.map((d) => d.Key).sort(), ['copy', 'digits']);
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'vhost-bucket', Key: 'copy' })), (e: any) => e.name === 'NotFound');
});

test('a streamed upload with a trailing checksum stores the checksum the trailer carried', async () => {
  const body = Buffer.alloc(3 * 1024 * 1024, 'abc');
  const put = await s3.send(new PutObjectCommand({
    Bucket: 'vhost-bucket', Key: 'trailer.bin', Body: Readable.from([body.subarray(0, 1 << 20), body.subarray(1 << 20)]),
    ContentLength: body.length, ChecksumAlgorithm: 'SHA256',
  }));
  const sha = createHash('sha256').update(body).digest('base64');
  assert.equal(put.ChecksumSHA256, sha);
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'vhost-bucket', Key: 'trailer.bin', ChecksumMode: 'ENABLED' }));
  assert.equal(head.ChecksumSHA256, sha);
  assert.equal(head.ContentLength, body.length);
});

test('a trailing checksum that does not match the body is refused and stores nothing', async () => {
  const { signedRequest } = await import('./signed-request.js');
  const data = Buffer.from('trailer-checked payload');
  const chunked = (checksum: string) => Buffer.concat([
    Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`),
  ]);
  const headers = (body: Buffer) => ({
    'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': String(data.length), 'x-amz-trailer': 'x-amz-checksum-crc32', 'content-length': String(body.length),
  });
  const good = Buffer.alloc(4);
  good.writeUInt32BE(crc32(data) >>> 0);
  const bad = chunked(Buffer.from([0, 0, 0, 0]).toString('base64'));
  const refused = await signedRequest(tailor.url, ROOT, { service: 's3', method: 'PUT', path: '/vhost-bucket/trailer-checked', headers: headers(bad), body: bad });
  assert.equal(refused.status, 400, refused.text);
  assert.match(refused.text, /<Code>BadDigest<\/Code>/);
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'vhost-bucket', Key: 'trailer-checked' })), (e: any) => e.name === 'NotFound');
  const ok = chunked(good.toString('base64'));
  const stored = await signedRequest(tailor.url, ROOT, { service: 's3', method: 'PUT', path: '/vhost-bucket/trailer-checked', headers: headers(ok), body: ok });
  assert.equal(stored.status, 200, stored.text);
});

