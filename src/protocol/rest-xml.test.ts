import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  S3Client, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, ListObjectsCommand, CreateBucketCommand, PutBucketTaggingCommand,
  GetBucketTaggingCommand, DeleteObjectsCommand, CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand,
  ListPartsCommand, AbortMultipartUploadCommand, CopyObjectCommand, UploadPartCopyCommand, HeadObjectCommand, HeadBucketCommand,
  DeleteObjectCommand, DeleteBucketCommand, GetBucketLocationCommand, GetBucketPolicyCommand, PutBucketPolicyCommand,
  GetObjectAclCommand, ListBucketsCommand, GetObjectTaggingCommand, DeleteObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { AwsError } from '../shared/aws-error.js';
import { loadModel } from './model.js';
import { bucketFromHost, restXmlCodec as codec } from './rest-xml.js';
import { capture, replay } from './sdk-oracle.js';
import type { HttpRequest } from './types.js';

const s3 = loadModel('s3');
const RID = 'TX1234567890ABCD';
const PATH_STYLE = { forcePathStyle: true };
const opName = (command: object) => command.constructor.name.replace(/Command$/, '');
// Members the SDK adds on its own (lengths, checksums); everything the caller passed must parse back exactly.
const SDK_ADDED = new Set(['ContentLength', 'ChecksumAlgorithm', 'ChecksumCRC32', 'ContentMD5', 'ChecksumMode']);

async function parsed(command: any, extra: Record<string, unknown> = PATH_STYLE, prepare?: (r: HttpRequest) => void) {
  const req = await capture(S3Client, command, extra);
  prepare?.(req);
  const op = codec.resolveOperation(req, s3);
  assert.equal(op?.name, opName(command), `${req.method} ${req.path}?${req.rawQuery}`);
  return codec.parse(req, op!, s3);
}

async function roundTripInput(command: any, extra?: Record<string, unknown>, prepare?: (r: HttpRequest) => void) {
  const got = await parsed(command, extra, prepare);
  for (const k of Object.keys(got)) if (!(k in command.input)) assert.ok(SDK_ADDED.has(k), `unexpected member ${k}`);
  const picked = Object.fromEntries(Object.keys(command.input).map((k) => [k, got[k]]));
  assert.deepEqual(picked, command.input);
}

async function roundTripOutput(command: any, output: Record<string, unknown>) {
  const res = codec.serialize(output, s3.operations.get(opName(command))!, s3, RID);
  const { output: got, error } = await replay(S3Client, command, res, PATH_STYLE);
  assert.equal(error, undefined, String(error));
  const { $metadata, ...rest } = got!;
  assert.equal($metadata.requestId, RID);
  return rest;
}

test('S3 requests built by the SDK route and parse back to the command input', async () => {
  const B = 'my-bucket';
  await roundTripInput(new PutObjectCommand({
    Bucket: B, Key: 'dir/a b+c/ünï%.txt', Body: Buffer.from('hello'), ContentType: 'text/plain', Metadata: { owner: 'me', 'x-y': 'z' },
    CacheControl: 'no-cache', Expires: new Date('2030-01-01T00:00:00Z'), StorageClass: 'STANDARD',
  }));
  await roundTripInput(new GetObjectCommand({ Bucket: B, Key: 'k', Range: 'bytes=0-9', VersionId: 'v1', IfModifiedSince: new Date('2024-01-02T03:04:05Z') }));
  await roundTripInput(new ListObjectsV2Command({ Bucket: B, Prefix: 'p/', Delimiter: '/', MaxKeys: 10, ContinuationToken: 't', StartAfter: 's' }));
  await roundTripInput(new ListObjectsCommand({ Bucket: B, Marker: 'm' }));
  await roundTripInput(new CreateBucketCommand({ Bucket: B, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  await roundTripInput(new CreateBucketCommand({ Bucket: B }));
  await roundTripInput(new PutBucketTaggingCommand({ Bucket: B, Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '<&>' }] } }));
  await roundTripInput(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'x' }, { Key: 'y', VersionId: 'v' }], Quiet: true } }));
  await roundTripInput(new CreateMultipartUploadCommand({ Bucket: B, Key: 'big' }));
  await roundTripInput(new UploadPartCommand({ Bucket: B, Key: 'big', UploadId: 'u1', PartNumber: 2, Body: Buffer.from('part') }));
  await roundTripInput(new CompleteMultipartUploadCommand({
    Bucket: B, Key: 'big', UploadId: 'u1', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"e1"' }, { PartNumber: 2, ETag: '"e2"' }] },
  }));
  await roundTripInput(new ListPartsCommand({ Bucket: B, Key: 'big', UploadId: 'u1', MaxParts: 3 }));
  await roundTripInput(new AbortMultipartUploadCommand({ Bucket: B, Key: 'big', UploadId: 'u1' }));
  await roundTripInput(new CopyObjectCommand({ Bucket: B, Key: 'dst', CopySource: 'src-bucket/src%20key', MetadataDirective: 'REPLACE' }));
  await roundTripInput(new UploadPartCopyCommand({ Bucket: B, Key: 'dst', CopySource: 'src/k', UploadId: 'u', PartNumber: 1 }));
  await roundTripInput(new HeadObjectCommand({ Bucket: B, Key: 'k' }));
  await roundTripInput(new HeadBucketCommand({ Bucket: B }));
  await roundTripInput(new DeleteObjectCommand({ Bucket: B, Key: 'k' }));
  await roundTripInput(new DeleteBucketCommand({ Bucket: B }));
  await roundTripInput(new GetBucketLocationCommand({ Bucket: B }));
  await roundTripInput(new PutBucketPolicyCommand({ Bucket: B, Policy: '{"Version":"2012-10-17","Statement":[]}' }));
  await roundTripInput(new GetObjectTaggingCommand({ Bucket: B, Key: 'k' }));
  await roundTripInput(new DeleteObjectTaggingCommand({ Bucket: B, Key: 'k' }));
  await roundTripInput(new ListBucketsCommand({}));
});

test('virtual-hosted-style requests take the bucket from the Host header', async () => {
  const command = new GetObjectCommand({ Bucket: 'vhost-bucket', Key: 'a/b.txt' });
  await roundTripInput(command, {}, (req) => {
    assert.equal(req.headers.host, 'vhost-bucket.localhost:4599');
    assert.equal(req.path, '/a/b.txt');
    req.virtualHostBucket = bucketFromHost(req.headers.host, ['localhost:4599']);
  });
  await roundTripInput(new ListObjectsV2Command({ Bucket: 'vhost-bucket' }), {}, (req) => {
    req.virtualHostBucket = bucketFromHost(req.headers.host, ['localhost:4599']);
  });
  assert.equal(bucketFromHost('b.s3.localhost', ['s3.localhost']), 'b');
  assert.equal(bucketFromHost('b.c.localhost:9000', ['localhost']), 'b.c');
  assert.equal(bucketFromHost('localhost:4599', ['localhost:4599']), undefined);
  assert.equal(bucketFromHost('example.com', ['localhost']), undefined);
});

test('S3 responses read back through the SDK', async () => {
  const lm = new Date('2024-03-04T05:06:07.000Z');
  const list = await roundTripOutput(new ListObjectsV2Command({ Bucket: 'b' }), {
    Name: 'b', Prefix: 'p/', Delimiter: '/', MaxKeys: 1000, KeyCount: 2, IsTruncated: false,
    Contents: [{ Key: 'p/a', LastModified: lm, ETag: '"x"', Size: 3, StorageClass: 'STANDARD' }, { Key: 'p/<b>&', LastModified: lm, Size: 0 }],
    CommonPrefixes: [{ Prefix: 'p/d/' }],
  });
  assert.equal(list.Contents[1].Key, 'p/<b>&');
  assert.deepEqual(list.Contents[0].LastModified, lm);
  assert.deepEqual(list.CommonPrefixes, [{ Prefix: 'p/d/' }]);

  const get = await roundTripOutput(new GetObjectCommand({ Bucket: 'b', Key: 'k' }), {
    Body: Buffer.from('data'), ContentType: 'text/plain', ContentLength: 4, ETag: '"e"', LastModified: lm, Metadata: { owner: 'me' },
  });
  assert.equal(await get.Body.transformToString(), 'data');
  assert.deepEqual([get.ContentType, get.ContentLength, get.ETag, get.Metadata], ['text/plain', 4, '"e"', { owner: 'me' }]);
  assert.deepEqual(get.LastModified, lm);

  assert.deepEqual(await roundTripOutput(new GetBucketTaggingCommand({ Bucket: 'b' }), { TagSet: [{ Key: 'k', Value: 'v' }] }),
    { TagSet: [{ Key: 'k', Value: 'v' }] });
  assert.deepEqual(await roundTripOutput(new GetBucketLocationCommand({ Bucket: 'b' }), { LocationConstraint: 'eu-west-1' }),
    { LocationConstraint: 'eu-west-1' });
  assert.deepEqual(await roundTripOutput(new GetBucketPolicyCommand({ Bucket: 'b' }), { Policy: '{"a":1}' }), { Policy: '{"a":1}' });
  const acl = await roundTripOutput(new GetObjectAclCommand({ Bucket: 'b', Key: 'k' }), {
    Owner: { ID: 'o' },
    Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'o' }, Permission: 'FULL_CONTROL' }, { Grantee: { Type: 'Group', URI: 'http://acs/AllUsers' }, Permission: 'READ' }],
  });
  assert.deepEqual(acl.Grants[0].Grantee, { Type: 'CanonicalUser', ID: 'o' });
  const del = await roundTripOutput(new DeleteObjectsCommand({ Bucket: 'b', Delete: { Objects: [] } }), {
    Deleted: [{ Key: 'x' }], Errors: [{ Key: 'y', Code: 'AccessDenied', Message: 'Access Denied' }],
  });
  assert.deepEqual(del, { Deleted: [{ Key: 'x' }], Errors: [{ Key: 'y', Code: 'AccessDenied', Message: 'Access Denied' }] });
  const mpu = await roundTripOutput(new CreateMultipartUploadCommand({ Bucket: 'b', Key: 'k' }), { Bucket: 'b', Key: 'k', UploadId: 'u' });
  assert.deepEqual(mpu, { Bucket: 'b', Key: 'k', UploadId: 'u' });
  const buckets = await roundTripOutput(new ListBucketsCommand({}), { Buckets: [{ Name: 'b', CreationDate: lm }], Owner: { ID: 'o', DisplayName: 'me' } });
  assert.deepEqual(buckets, { Buckets: [{ Name: 'b', CreationDate: lm }], Owner: { ID: 'o', DisplayName: 'me' } });
  const put = codec.serialize({ ETag: '"e"' }, s3.operations.get('PutObject')!, s3, RID);
  assert.deepEqual([put.status, put.body, put.headers.etag], [200, '', '"e"']);
  assert.equal(codec.serialize({}, s3.operations.get('DeleteObject')!, s3, RID).status, 204);
});

test('S3 errors read back through the SDK with their extra fields', async () => {
  const res = codec.serializeError(new AwsError('NoSuchKey', 'The specified key does not exist.', 404, 'client', { Key: 'k' }), s3, RID);
  assert.match(String(res.body), /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>k<\/Key><RequestId>TX1234567890ABCD<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/);
  const { error } = await replay(S3Client, new GetObjectCommand({ Bucket: 'b', Key: 'k' }), res, PATH_STYLE);
  assert.equal(error!.name, 'NoSuchKey');
  assert.equal(error!.message, 'The specified key does not exist.');
  assert.equal(error!.$metadata.httpStatusCode, 404);
  assert.equal(error!.$metadata.requestId, RID);
  const bucket = codec.serializeError(new AwsError('BucketAlreadyExists', 'taken', 409, 'client', { BucketName: 'b' }), s3, RID);
  const r2 = await replay(S3Client, new CreateBucketCommand({ Bucket: 'b' }), bucket, PATH_STYLE);
  assert.equal(r2.error!.name, 'BucketAlreadyExists');
  assert.equal(r2.error!.BucketName, 'b');
});

const raw = (method: string, path: string, query: [string, string][] = [], headers: Record<string, string> = {}, body = ''): HttpRequest => ({
  method, path, rawQuery: '', query, headers, body: Buffer.from(body), sourceIp: '', secure: false,
});

test('routing picks the most specific operation without the x-id hint', () => {
  const cases: [HttpRequest, string | undefined][] = [
    [raw('GET', '/'), 'ListBuckets'],
    [raw('GET', '/b'), 'ListObjects'],
    [raw('GET', '/b/'), 'ListObjects'],
    [raw('GET', '/b', [['list-type', '2']]), 'ListObjectsV2'],
    [raw('GET', '/b', [['list-type', '3']]), 'ListObjects'],
    [raw('GET', '/b', [['uploads', '']]), 'ListMultipartUploads'],
    [raw('GET', '/b', [['analytics', '']]), 'ListBucketAnalyticsConfigurations'],
    [raw('GET', '/b', [['analytics', ''], ['id', 'x']]), 'GetBucketAnalyticsConfiguration'],
    [raw('GET', '/b/k'), 'GetObject'],
    [raw('GET', '/b/k', [['uploadId', 'u']]), 'ListParts'],
    [raw('GET', '/b/k', [['x-id', 'GetObject']]), 'GetObject'],
    [raw('PUT', '/b/k'), 'PutObject'],
    [raw('PUT', '/b/k', [['partNumber', '1'], ['uploadId', 'u']]), 'UploadPart'],
    [raw('PUT', '/b/k', [], { 'x-amz-copy-source': 's/k' }), 'CopyObject'],
    [raw('PUT', '/b/k', [['partNumber', '1'], ['uploadId', 'u']], { 'x-amz-copy-source': 's/k' }), 'UploadPartCopy'],
    [raw('DELETE', '/b/k', [['uploadId', 'u']]), 'AbortMultipartUpload'],
    [raw('POST', '/b/k', [['uploadId', 'u']]), 'CompleteMultipartUpload'],
    [raw('POST', '/b', [['delete', '']]), 'DeleteObjects'],
    [raw('PATCH', '/b/k'), undefined],
    [raw('POST', '/b'), undefined],
  ];
  for (const [req, expected] of cases) assert.equal(codec.resolveOperation(req, s3)?.name, expected, `${req.method} ${req.path} ${JSON.stringify(req.query)}`);
  const e = codec.unknownOperation(raw('POST', '/b'), s3);
  assert.deepEqual([e.code, e.status, e.fields], ['MethodNotAllowed', 405, { Method: 'POST', ResourceType: 'BUCKET' }]);
});

test('malformed XML and mistyped bindings are S3 client errors', () => {
  const tagging = s3.operations.get('PutBucketTagging')!;
  for (const body of ['<Tagging>', '<!DOCTYPE x [<!ENTITY a "b">]><Tagging/>', '<Tagging>&xxe;</Tagging>', '<a></b>', 'not xml',
    '<Tagging>' + '<TagSet>'.repeat(100) + '</TagSet>'.repeat(100) + '</Tagging>']) {
    assert.throws(() => codec.parse(raw('PUT', '/b', [['tagging', '']], {}, body), tagging, s3),
      (err: unknown) => err instanceof AwsError && err.code === 'MalformedXML' && err.status === 400, body.slice(0, 30));
  }
  const list = s3.operations.get('ListObjectsV2')!;
  assert.throws(() => codec.parse(raw('GET', '/b', [['list-type', '2'], ['max-keys', 'ten']]), list, s3),
    (err: unknown) => err instanceof AwsError && err.code === 'InvalidArgument' && err.fields.ArgumentName === 'max-keys');
});
