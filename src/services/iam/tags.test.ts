import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import { operations as users } from './users.js';
import { operations as tags } from './tags.js';
import { KIND, type PolicyDoc, type RoleDoc, type Tag } from './schema.js';

const ops = { ...users, ...tags };
let env: TestEnv;
const run = (op: string, input: object = {}) => env.run(ops, op, input);
const code = (c: string, message?: string) => (e: any) => {
  assert.equal(e.code, c);
  if (message !== undefined) assert.equal(e.message, message);
  return true;
};
const many = (n: number, prefix = 'k'): Tag[] => Array.from({ length: n }, (_, i) => ({ Key: `${prefix}${i}`, Value: `${i}` }));
const userArn = `arn:aws:iam::${TEST_ACCOUNT}:user/alice`;
const roleArn = `arn:aws:iam::${TEST_ACCOUNT}:role/svc/r`;
const policyArn = `arn:aws:iam::${TEST_ACCOUNT}:policy/P`;

beforeEach(async () => {
  env = testEnv();
  await run('CreateUser', { UserName: 'alice', Tags: [{ Key: 'Team', Value: 'a' }] });
  const role = { RoleName: 'r', RoleId: 'AROAXXXXXXXXXXXXXXXX', Arn: roleArn, Path: '/svc/', CreateDate: '2024-01-01T00:00:00Z', AssumeRolePolicyDocument: '{}', MaxSessionDuration: 3600, Tags: [] };
  env.store.put(KIND.role, 'r', role satisfies RoleDoc);
  const policy = { PolicyName: 'P', PolicyId: 'ANPAXXXXXXXXXXXXXXXX', Arn: policyArn, Path: '/', DefaultVersionId: 'v1', IsAttachable: true, CreateDate: '2024-01-01T00:00:00Z', UpdateDate: '2024-01-01T00:00:00Z', Tags: [] };
  env.store.put(KIND.policy, policyArn.toLowerCase(), policy satisfies PolicyDoc);
});
afterEach(() => env.close());

test('TagUser merges case-insensitively and passes request tags; UntagUser removes case-insensitively', async () => {
  const { ctx } = await run('TagUser', { UserName: 'alice', Tags: [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: 'dev' }] });
  assert.deepEqual(ctx.queries, [{
    action: 'iam:TagUser', resource: userArn, resourceTags: { Team: 'a' },
    context: { 'aws:TagKeys': ['team', 'env'], 'aws:RequestTag/team': 'b', 'aws:RequestTag/env': 'dev' },
  }]);
  assert.deepEqual((await run('ListUserTags', { UserName: 'alice' })).out.Tags, [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: 'dev' }]);
  const un = await run('UntagUser', { UserName: 'alice', TagKeys: ['TEAM', 'absent'] });
  assert.deepEqual(un.ctx.queries[0].context, { 'aws:TagKeys': ['TEAM', 'absent'] });
  assert.deepEqual((await run('ListUserTags', { UserName: 'alice' })).out.Tags, [{ Key: 'env', Value: 'dev' }]);
});

test('tag rules: duplicates, aws: prefix, 50 per entity, missing entities', async () => {
  await assert.rejects(run('TagUser', { UserName: 'alice', Tags: [{ Key: 'x', Value: '1' }, { Key: 'X', Value: '2' }] }),
    code('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'));
  await assert.rejects(run('TagUser', { UserName: 'alice', Tags: [{ Key: 'AWS:x', Value: '1' }] }), code('InvalidInput'));
  await run('TagUser', { UserName: 'alice', Tags: many(49) });
  await assert.rejects(run('TagUser', { UserName: 'alice', Tags: many(2, 'z') }), code('LimitExceeded', 'Cannot exceed quota for TagsPerUser: 50'));
  assert.equal((await run('ListUserTags', { UserName: 'alice' })).out.Tags.length, 50);
  await assert.rejects(run('TagUser', { UserName: 'bob', Tags: many(1) }), code('NoSuchEntity', 'The user with name bob cannot be found.'));
  await assert.rejects(run('TagRole', { RoleName: 'nope', Tags: many(1) }), code('NoSuchEntity', 'The role with name nope cannot be found.'));
  const missing = `arn:aws:iam::${TEST_ACCOUNT}:policy/none`;
  await assert.rejects(run('ListPolicyTags', { PolicyArn: missing }), code('NoSuchEntity', `Policy ${missing} was not found.`));
  await assert.rejects(run('ListPolicyTags', { PolicyArn: 'arn:aws:s3:::not-a-policy' }), code('InvalidInput'));
});

test('ListUserTags pages', async () => {
  await run('TagUser', { UserName: 'alice', Tags: many(3) });
  const p1 = await run('ListUserTags', { UserName: 'alice', MaxItems: 3 });
  assert.deepEqual(p1.out.Tags.map((t: Tag) => t.Key), ['Team', 'k0', 'k1']);
  assert.equal(p1.out.IsTruncated, true);
  assert.deepEqual(p1.ctx.queries, [{ action: 'iam:ListUserTags', resource: userArn, resourceTags: { Team: 'a', k0: '0', k1: '1', k2: '2' } }]);
  const p2 = await run('ListUserTags', { UserName: 'alice', MaxItems: 3, Marker: p1.out.Marker });
  assert.deepEqual(p2.out.Tags.map((t: Tag) => t.Key), ['k2']);
  assert.equal(p2.out.IsTruncated, false);
  await assert.rejects(run('ListUserTags', { UserName: 'alice', Marker: Buffer.from('zzz').toString('base64url') }), code('InvalidInput'));
});

test('role tags: TagRole/UntagRole/ListRoleTags on the role ARN, listed shortest key first', async () => {
  const { ctx } = await run('TagRole', { RoleName: 'R', Tags: [{ Key: 'long-key', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'a', Value: '3' }] });
  assert.equal(ctx.queries[0].action, 'iam:TagRole');
  assert.equal(ctx.queries[0].resource, roleArn);
  assert.deepEqual((await run('ListRoleTags', { RoleName: 'r' })).out.Tags.map((t: Tag) => t.Key), ['a', 'b', 'long-key']);
  await run('UntagRole', { RoleName: 'r', TagKeys: ['B'] });
  const listed = await run('ListRoleTags', { RoleName: 'r' });
  assert.deepEqual(listed.out.Tags.map((t: Tag) => t.Key), ['a', 'long-key']);
  assert.deepEqual(listed.ctx.queries, [{ action: 'iam:ListRoleTags', resource: roleArn, resourceTags: { a: '3', 'long-key': '1' } }]);
  assert.equal(env.store.get<RoleDoc>(KIND.role, 'r')!.AssumeRolePolicyDocument, '{}', 'other role fields are kept');
});

test('policy tags compare keys exactly', async () => {
  const { ctx } = await run('TagPolicy', { PolicyArn: policyArn, Tags: [{ Key: 'k', Value: '1' }, { Key: 'K', Value: '2' }] });
  assert.deepEqual(ctx.queries[0].resource, policyArn);
  await assert.rejects(run('TagPolicy', { PolicyArn: policyArn, Tags: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] }),
    code('InvalidInput', 'Duplicate tag keys found.'));
  await run('UntagPolicy', { PolicyArn: policyArn, TagKeys: ['K'] });
  const listed = await run('ListPolicyTags', { PolicyArn: policyArn });
  assert.deepEqual(listed.out.Tags, [{ Key: 'k', Value: '1' }]);
  assert.equal(listed.ctx.queries[0].action, 'iam:ListPolicyTags');
});

test('AWS managed policies: tags listed (none), changes refused', async () => {
  const readOnly = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
  assert.deepEqual((await run('ListPolicyTags', { PolicyArn: readOnly })).out, { Tags: [], IsTruncated: false });
  await assert.rejects(run('TagPolicy', { PolicyArn: readOnly, Tags: [{ Key: 'k', Value: 'v' }] }), code('AccessDenied'));
  await assert.rejects(run('UntagPolicy', { PolicyArn: readOnly, TagKeys: ['k'] }), code('AccessDenied'));
  assert.equal(env.store.get(KIND.policy, readOnly.toLowerCase()), undefined);
});
