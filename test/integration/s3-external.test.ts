// Import data in an external S3-compatible service (`--s3-endpoint`): a second S3 implementation
// (s3rver) on a loopback port holds the objects; Personalize's role session reads them through
// Tailor's service API, authorised by the role's identity policies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { ExternalObjectStore } from '../../src/storage/objects/external.js';
import { listObjectsForService, openObjectForService } from '../../src/services/s3/index.js';
import { readServiceDataFrom } from '../../src/services/s3/service-api.js';
import { assumeRole, serviceSession } from '../../src/services/personalize/service-role.js';
import { startTailor, ROOT, ACCOUNT, PERSONALIZE_TRUST } from './support.js';

interface S3rver {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (o: object) => S3rver;

const SOURCE_ARN = `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-import-job/external`;
const INTERACTIONS = 'USER_ID,ITEM_ID,TIMESTAMP\n1,10,1700000000\n';

let dir: string;
let s3rver: S3rver;
let external: ExternalObjectStore;
let tailor: Awaited<ReturnType<typeof startTailor>>;

const readAll = async (s: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
};

/** A role Personalize may assume, allowed `statements` by its inline policy. */
async function role(name: string, statements: object[]) {
  const iam = new IAMClient({ endpoint: tailor.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
  const created = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 's3', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
  iam.destroy();
  const session = assumeRole(tailor.app, created.Role!.Arn!, SOURCE_ARN, 'us-east-1', ACCOUNT);
  assert.ok(session, `Personalize assumes ${name}`);
  return session;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tailor-external-'));
  s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  const { port } = await s3rver.run();
  const config = { endpoint: `http://127.0.0.1:${port}`, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' };
  const client = new S3Client({ ...config, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: 'import-data' }));
  for (const [Key, Body] of [['interactions/part-1.csv', INTERACTIONS], ['interactions/part-2.csv', '2,20,1700000001\n'], ['users.csv', 'USER_ID\n1\n']]) {
    await client.send(new PutObjectCommand({ Bucket: 'import-data', Key, Body, ContentType: 'text/csv' }));
  }
  client.destroy();
  tailor = await startTailor();
  external = await ExternalObjectStore.connect(config);
  readServiceDataFrom(tailor.app, external);
});
after(async () => {
  external?.close();
  await tailor?.stop();
  await s3rver?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a role session lists and reads objects of the external service as its identity policies allow', async () => {
  const session = await role('ExternalReader', [
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::import-data', Condition: { StringLike: { 's3:prefix': 'interactions/*' } } },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::import-data/interactions/*' },
  ]);
  const listed = await listObjectsForService(tailor.app, 'import-data', 'interactions/', session);
  assert.deepEqual(listed.map((o) => [o.key, o.size]), [['interactions/part-1.csv', INTERACTIONS.length], ['interactions/part-2.csv', 16]]);
  assert.match(listed[0].etag, /^[0-9a-f]{32}$/);

  const opened = await openObjectForService(tailor.app, 'import-data', 'interactions/part-1.csv', session);
  assert.deepEqual([opened.size, opened.contentType, opened.etag], [INTERACTIONS.length, 'text/csv', listed[0].etag]);
  assert.equal(await readAll(opened.body), INTERACTIONS);
  const ranged = await openObjectForService(tailor.app, 'import-data', 'interactions/part-1.csv', { ...session, range: { start: 0, end: 6 } });
  assert.equal(await readAll(ranged.body), 'USER_ID');

  // Outside the role's policies: AccessDenied, before the external service is asked anything.
  await assert.rejects(openObjectForService(tailor.app, 'import-data', 'users.csv', session),
    { code: /^AccessDenied/, message: /assumed-role\/ExternalReader\/personalize is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::import-data\/users.csv/ });
  await assert.rejects(listObjectsForService(tailor.app, 'import-data', '', session), { code: /^AccessDenied/ });
  // A missing key reads as NoSuchKey only to who may list the bucket (this role may not, without a prefix).
  await assert.rejects(openObjectForService(tailor.app, 'import-data', 'interactions/missing.csv', session), { code: /^AccessDenied/ });
});

test('missing keys and buckets of the external service read as S3 answers them', async () => {
  const session = await role('ExternalAll', [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }]);
  await assert.rejects(openObjectForService(tailor.app, 'import-data', 'missing.csv', session), { code: 'NoSuchKey', status: 404 });
  await assert.rejects(openObjectForService(tailor.app, 'no-such-bucket', 'x.csv', session), { code: 'NoSuchBucket', status: 404 });
  await assert.rejects(listObjectsForService(tailor.app, 'no-such-bucket', '', session), { code: 'NoSuchBucket' });
  assert.equal((await listObjectsForService(tailor.app, 'import-data', '', session)).length, 3);
});

test('the service itself, with no role, is denied: Tailor knows no bucket policy of an external bucket', async () => {
  const service = serviceSession(tailor.app, SOURCE_ARN, 'us-east-1', ACCOUNT);
  await assert.rejects(openObjectForService(tailor.app, 'import-data', 'users.csv', service), { code: /^AccessDenied/ });
});
