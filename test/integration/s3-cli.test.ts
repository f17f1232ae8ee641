// S3 with the AWS CLI against a server process: large streamed copies with flat memory, bucket policies
// from the Personalize guide, denials, and objects that survive kill -9.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { spawnTailor, aws, ROOT, ACCOUNT, type Creds, awsOk } from './support.js';

let dir: string;
let dataDir: string;
let server: { child: ChildProcess; url: string };

const ok = (creds: Creds, args: string[]) => awsOk(server.url, creds, args);
const peakRssMiB = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const md5File = (file: string) => new Promise<string>((resolve, reject) => {
  const h = createHash('md5');
  createReadStream(file).on('data', (c) => h.update(c)).on('end', () => resolve(h.digest('hex'))).on('error', reject);
});

/** A file of `mib` MiB of random-looking bytes, written in 1 MiB blocks. */
function bigFile(path: string, mib: number) {
  const block = randomBytes(1024 * 1024);
  const fd = openSync(path, 'w');
  for (let i = 0; i < mib; i++) {
    block.writeUInt32LE(i, 0);
    writeSync(fd, block);
  }
  closeSync(fd);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tailor-s3-'));
  dataDir = join(dir, 'data');
  server = await spawnTailor(dataDir);
});
after(() => {
  server?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('aws s3 cp streams a large file up and down with flat server memory', async () => {
  const MIB = 1024;
  const src = join(dir, 'big.bin');
  bigFile(src, MIB);
  await ok(ROOT, ['s3', 'mb', 's3://big-bucket']);
  const before = peakRssMiB(server.child.pid!);
  await ok(ROOT, ['s3', 'cp', src, 's3://big-bucket/data/big.bin']);
  const back = join(dir, 'back.bin');
  await ok(ROOT, ['s3', 'cp', 's3://big-bucket/data/big.bin', back]);
  const peak = peakRssMiB(server.child.pid!);
  assert.equal(statSync(back).size, MIB * 1024 * 1024);
  assert.equal(await md5File(back), await md5File(src));
  // Streaming: the server's peak memory grows by far less than the object.
  assert.ok(peak - before < Math.min(200, MIB / 2), `server peak RSS grew ${Math.round(peak - before)} MiB for a ${MIB} MiB object`);
  const head = await ok(ROOT, ['s3api', 'head-object', '--bucket', 'big-bucket', '--key', 'data/big.bin']);
  assert.equal(head.ContentLength, MIB * 1024 * 1024);
  assert.match(head.ETag, /^"[0-9a-f]{32}-\d+"$/, 'a multipart upload has a multipart ETag');
  rmSync(src);
  rmSync(back);
});

test('the Personalize bucket policy is accepted; a reader allowed by nothing is denied', async () => {
  await ok(ROOT, ['s3', 'mb', 's3://training-data']);
  const csv = join(dir, 'interactions.csv');
  writeFileSync(csv, 'USER_ID,ITEM_ID,TIMESTAMP\n1,2,1700000000\n');
  await ok(ROOT, ['s3', 'cp', csv, 's3://training-data/interactions.csv']);
  const policy = {
    Version: '2012-10-17',
    Id: 'PersonalizeS3BucketAccessPolicy',
    Statement: [{
      Sid: 'PersonalizeS3BucketAccessPolicy',
      Effect: 'Allow',
      Principal: { Service: 'personalize.amazonaws.com' },
      Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
      Resource: ['arn:aws:s3:::training-data', 'arn:aws:s3:::training-data/*'],
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    }],
  };
  await ok(ROOT, ['s3api', 'put-bucket-policy', '--bucket', 'training-data', '--policy', JSON.stringify(policy)]);
  const got = await ok(ROOT, ['s3api', 'get-bucket-policy', '--bucket', 'training-data']);
  assert.deepEqual(JSON.parse(got.Policy), policy);

  await ok(ROOT, ['iam', 'create-user', '--user-name', 'reader']);
  const key = await ok(ROOT, ['iam', 'create-access-key', '--user-name', 'reader']);
  const reader = { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
  const denied = await aws(server.url, reader, ['s3api', 'get-object', '--bucket', 'training-data', '--key', 'interactions.csv', join(dir, 'x.csv')]);
  assert.notEqual(denied.status, 0);
  assert.match(denied.stderr, /\(AccessDenied\) when calling the GetObject operation: (User: arn:aws:iam::000000000000:user\/reader is not authorized|Access Denied)/);
  const malformed = await aws(server.url, ROOT, ['s3api', 'put-bucket-policy', '--bucket', 'training-data', '--policy', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::training-data/*"}]}']);
  assert.match(malformed.stderr, /\(MalformedPolicy\)/);
});

test('a presigned URL from aws s3 presign reads the object without credentials, until it expires', async () => {
  await ok(ROOT, ['s3', 'mb', 's3://shared-links']);
  const file = join(dir, 'note.txt');
  writeFileSync(file, 'presigned hello\n');
  await ok(ROOT, ['s3', 'cp', file, 's3://shared-links/note.txt']);
  const presign = await aws(server.url, ROOT, ['s3', 'presign', 's3://shared-links/note.txt', '--expires-in', '60']);
  assert.equal(presign.status, 0, presign.stderr);
  const url = presign.stdout.trim();
  assert.match(url, /X-Amz-Signature=/);
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'presigned hello\n');
  const tampered = await fetch(url.replace('note.txt', 'other.txt'));
  assert.equal(tampered.status, 403);
  assert.match(await tampered.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  const brief = await aws(server.url, ROOT, ['s3', 'presign', 's3://shared-links/note.txt', '--expires-in', '1']);
  await new Promise((r) => setTimeout(r, 2100));
  const expired = await fetch(brief.stdout.trim());
  assert.equal(expired.status, 403);
  assert.match(await expired.text(), /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
});

test('objects survive kill -9 and restart; an upload cut off by kill -9 leaves no object', async () => {
  await ok(ROOT, ['s3', 'mb', 's3://durable']);
  const small = join(dir, 'small.txt');
  writeFileSync(small, 'kept\n');
  await ok(ROOT, ['s3', 'cp', small, 's3://durable/kept.txt']);
  const src = join(dir, 'cut.bin');
  bigFile(src, 256);
  const upload = aws(server.url, ROOT, ['s3api', 'put-object', '--bucket', 'durable', '--key', 'cut.bin', '--body', src]);
  await new Promise((r) => setTimeout(r, 1500));
  server.child.kill('SIGKILL');
  await upload;
  server = await spawnTailor(dataDir);
  const listed = await ok(ROOT, ['s3api', 'list-objects-v2', '--bucket', 'durable']);
  assert.deepEqual(listed.Contents.map((o: any) => o.Key), ['kept.txt']);
  const out = join(dir, 'kept-back.txt');
  await ok(ROOT, ['s3', 'cp', 's3://durable/kept.txt', out]);
  assert.equal(readFileSync(out, 'utf8'), 'kept\n');
  rmSync(src);
});
