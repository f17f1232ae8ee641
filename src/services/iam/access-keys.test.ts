import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { testEnv, userPrincipal, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import { operations as users } from './users.js';
import { operations as keys, recordAccessKeyUse } from './access-keys.js';
import { KIND, type AccessKeyDoc } from './schema.js';
import type { Principal } from '../../gateway/context.js';

const ops = { ...users, ...keys };
let env: TestEnv;
const run = (op: string, input: object = {}, principal?: Principal) => env.run(ops, op, input, principal);
const code = (c: string, message?: string) => (e: any) => {
  assert.equal(e.code, c);
  if (message !== undefined) assert.equal(e.message, message);
  return true;
};
const userArn = (n: string) => `arn:aws:iam::${TEST_ACCOUNT}:user/${n}`;

beforeEach(async () => {
  env = testEnv();
  await run('CreateUser', { UserName: 'alice', Tags: [{ Key: 'team', Value: 'ml' }] });
});
afterEach(() => env.close());

test('CreateAccessKey returns the secret once, stores it sealed only, and caps keys at two', async () => {
  const { out, ctx } = await run('CreateAccessKey', { UserName: 'alice' });
  const k = out.AccessKey;
  assert.match(k.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(k.SecretAccessKey.length, 40);
  assert.equal(k.Status, 'Active');
  assert.equal(k.UserName, 'alice');
  assert.ok(k.CreateDate instanceof Date);
  assert.deepEqual(ctx.queries, [{ action: 'iam:CreateAccessKey', resource: userArn('alice'), resourceTags: { team: 'ml' } }]);
  const doc = env.store.get<AccessKeyDoc>(KIND.accessKey, k.AccessKeyId)!;
  assert.ok(!JSON.stringify(doc).includes(k.SecretAccessKey));
  // Nothing on disk holds the secret in the clear (SQLite file, WAL, key file).
  const dir = env.app.config.dataDir;
  for (const f of readdirSync(dir)) assert.ok(!readFileSync(join(dir, f)).includes(k.SecretAccessKey), f);
  await run('CreateAccessKey', { UserName: 'alice' });
  await assert.rejects(run('CreateAccessKey', { UserName: 'alice' }), code('LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2'));
  assert.equal(env.store.count(KIND.accessKey), 2);
});

test('without UserName the calling user is the target; other callers must name one', async () => {
  const { out, ctx } = await run('CreateAccessKey', {}, userPrincipal('alice'));
  assert.equal(out.AccessKey.UserName, 'alice');
  assert.equal(ctx.queries[0].resource, userArn('alice'));
  const listed = await run('ListAccessKeys', {}, userPrincipal('alice'));
  assert.equal(listed.out.AccessKeyMetadata.length, 1);
  await assert.rejects(run('ListAccessKeys', {}), code('ValidationError', 'Must specify userName when calling with non-User credentials'));
  await assert.rejects(run('CreateAccessKey', { UserName: 'bob' }), code('NoSuchEntity', 'The user with name bob cannot be found.'));
});

test('ListAccessKeys pages without secrets', async () => {
  const a = (await run('CreateAccessKey', { UserName: 'alice' })).out.AccessKey.AccessKeyId;
  const b = (await run('CreateAccessKey', { UserName: 'alice' })).out.AccessKey.AccessKeyId;
  const p1 = await run('ListAccessKeys', { UserName: 'alice', MaxItems: 1 });
  assert.equal(p1.out.IsTruncated, true);
  assert.deepEqual(Object.keys(p1.out.AccessKeyMetadata[0]).sort(), ['AccessKeyId', 'CreateDate', 'Status', 'UserName']);
  assert.deepEqual(p1.ctx.queries, [{ action: 'iam:ListAccessKeys', resource: userArn('alice'), resourceTags: { team: 'ml' } }]);
  const p2 = await run('ListAccessKeys', { UserName: 'alice', MaxItems: 1, Marker: p1.out.Marker });
  assert.equal(p2.out.IsTruncated, false);
  assert.deepEqual([p1.out.AccessKeyMetadata[0].AccessKeyId, p2.out.AccessKeyMetadata[0].AccessKeyId].sort(), [a, b].sort());
});

test('UpdateAccessKey and DeleteAccessKey act only on the user\'s own keys', async () => {
  await run('CreateUser', { UserName: 'bob' });
  const id = (await run('CreateAccessKey', { UserName: 'alice' })).out.AccessKey.AccessKeyId;
  const { ctx } = await run('UpdateAccessKey', { UserName: 'alice', AccessKeyId: id, Status: 'Inactive' });
  assert.equal(ctx.queries[0].action, 'iam:UpdateAccessKey');
  assert.equal(env.store.get<AccessKeyDoc>(KIND.accessKey, id)!.Status, 'Inactive');
  await assert.rejects(run('UpdateAccessKey', { UserName: 'alice', AccessKeyId: id, Status: 'Expired' }), code('InvalidInput'));
  await assert.rejects(run('UpdateAccessKey', { UserName: 'bob', AccessKeyId: id, Status: 'Active' }),
    code('NoSuchEntity', `The Access Key with id ${id} cannot be found.`));
  await assert.rejects(run('DeleteAccessKey', { UserName: 'bob', AccessKeyId: id }), code('NoSuchEntity'));
  const del = await run('DeleteAccessKey', { UserName: 'alice', AccessKeyId: id });
  assert.deepEqual(del.ctx.queries, [{ action: 'iam:DeleteAccessKey', resource: userArn('alice'), resourceTags: { team: 'ml' } }]);
  assert.equal(env.store.count(KIND.accessKey), 0);
  assert.equal(env.store.count(KIND.userAccessKey), 0);
  await assert.rejects(run('DeleteAccessKey', { UserName: 'alice', AccessKeyId: id }), code('NoSuchEntity'));
});

test('GetAccessKeyLastUsed reports N/A until recordAccessKeyUse, which writes at most once a minute', async () => {
  const id = (await run('CreateAccessKey', { UserName: 'alice' })).out.AccessKey.AccessKeyId;
  const before = await run('GetAccessKeyLastUsed', { AccessKeyId: id });
  assert.deepEqual(before.out, { UserName: 'alice', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
  assert.deepEqual(before.ctx.queries, [{ action: 'iam:GetAccessKeyLastUsed', resource: userArn('alice'), resourceTags: { team: 'ml' } }]);
  const t0 = new Date('2024-05-01T10:00:00.250Z');
  recordAccessKeyUse(env.store, id, 'iam', 'us-east-1', t0);
  const gen = env.store.generation;
  recordAccessKeyUse(env.store, id, 's3', 'eu-west-1', new Date(t0.getTime() + 30_000));
  assert.equal(env.store.generation, gen, 'a second use within a minute writes nothing');
  const after = await run('GetAccessKeyLastUsed', { AccessKeyId: id });
  assert.deepEqual(after.out.AccessKeyLastUsed, { LastUsedDate: new Date('2024-05-01T10:00:00Z'), ServiceName: 'iam', Region: 'us-east-1' });
  recordAccessKeyUse(env.store, id, 's3', 'eu-west-1', new Date(t0.getTime() + 61_000));
  assert.equal((await run('GetAccessKeyLastUsed', { AccessKeyId: id })).out.AccessKeyLastUsed.ServiceName, 's3');
  recordAccessKeyUse(env.store, 'AKIAUNKNOWNUNKNOWN00', 'iam', 'us-east-1', t0);
  await assert.rejects(run('GetAccessKeyLastUsed', { AccessKeyId: 'AKIAUNKNOWNUNKNOWN00' }), code('NoSuchEntity'));
});
