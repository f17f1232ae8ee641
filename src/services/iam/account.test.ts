import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import { operations as users } from './users.js';
import { operations as groups } from './groups.js';
import { operations as account } from './account.js';
import { KIND } from './schema.js';

const ops = { ...users, ...groups, ...account };
let env: TestEnv;
const run = (op: string, input: object = {}) => env.run(ops, op, input);
const code = (c: string) => (e: any) => e.code === c;
const policyArn = `arn:aws:iam::${TEST_ACCOUNT}:policy/P`;

beforeEach(() => { env = testEnv(); });
afterEach(() => env.close());

test('GetAccountSummary counts entities from the store and reports quotas', async () => {
  await run('CreateUser', { UserName: 'a' });
  await run('CreateUser', { UserName: 'b' });
  await run('CreateGroup', { GroupName: 'g' });
  env.store.put(KIND.policy, policyArn.toLowerCase(), { Arn: policyArn });
  const { out, ctx } = await run('GetAccountSummary');
  assert.deepEqual(ctx.queries, [{ action: 'iam:GetAccountSummary', resource: '*' }]);
  const m = out.SummaryMap;
  assert.equal(m.Users, 2);
  assert.equal(m.Groups, 1);
  assert.equal(m.Roles, 0);
  assert.equal(m.Policies, 1);
  assert.equal(m.AccessKeysPerUserQuota, 2);
  assert.equal(m.UsersQuota, 5000);
  for (const v of Object.values(m)) assert.equal(typeof v, 'number');
});

test('account alias: create replaces, list pages, delete', async () => {
  assert.deepEqual((await run('ListAccountAliases')).out, { AccountAliases: [], IsTruncated: false });
  const { ctx } = await run('CreateAccountAlias', { AccountAlias: 'first' });
  assert.deepEqual(ctx.queries, [{ action: 'iam:CreateAccountAlias', resource: '*' }]);
  await assert.rejects(run('CreateAccountAlias', { AccountAlias: 'first' }), code('EntityAlreadyExists'));
  await run('CreateAccountAlias', { AccountAlias: 'second' });
  assert.deepEqual((await run('ListAccountAliases')).out.AccountAliases, ['second']);
  await assert.rejects(run('DeleteAccountAlias', { AccountAlias: 'first' }), code('NoSuchEntity'));
  await run('DeleteAccountAlias', { AccountAlias: 'second' });
  assert.deepEqual((await run('ListAccountAliases')).out.AccountAliases, []);
});

test('GetAccountAuthorizationDetails lists users, groups, roles and customer policies, filtered and paged', async () => {
  await run('CreateUser', { UserName: 'u', Tags: [{ Key: 'k', Value: 'v' }] });
  await run('CreateGroup', { GroupName: 'g' });
  await run('AddUserToGroup', { GroupName: 'g', UserName: 'u' });
  env.store.put(KIND.attachment, `user|u|${policyArn}`, { EntityType: 'user', EntityName: 'u', PolicyArn: policyArn, PolicyName: 'P' });
  env.store.put(KIND.policyAttachment, `${policyArn}|user|u`, { EntityType: 'user', EntityName: 'u', PolicyArn: policyArn, PolicyName: 'P' });
  env.store.put(KIND.inlinePolicy, 'group|g|inl', { EntityType: 'group', EntityName: 'g', PolicyName: 'inl', PolicyDocument: '{"a": 1}' });
  env.store.put(KIND.role, 'r', {
    RoleName: 'r', RoleId: 'AROAXXXXXXXXXXXXXXXX', Arn: `arn:aws:iam::${TEST_ACCOUNT}:role/r`, Path: '/', CreateDate: '2024-01-01T00:00:00Z',
    AssumeRolePolicyDocument: '{}', MaxSessionDuration: 3600, Tags: [],
  });
  env.store.put(KIND.policy, policyArn.toLowerCase(), {
    PolicyName: 'P', PolicyId: 'ANPAXXXXXXXXXXXXXXXX', Arn: policyArn, Path: '/', DefaultVersionId: 'v1', IsAttachable: true,
    CreateDate: '2024-01-01T00:00:00Z', UpdateDate: '2024-01-01T00:00:00Z', Tags: [],
  });
  env.store.put(KIND.policyVersion, `${policyArn.toLowerCase()}|v1`, { PolicyArn: policyArn, VersionId: 'v1', Document: '{}', IsDefaultVersion: true, CreateDate: '2024-01-01T00:00:00Z' });

  const { out, ctx } = await run('GetAccountAuthorizationDetails');
  assert.deepEqual(ctx.queries, [{ action: 'iam:GetAccountAuthorizationDetails', resource: '*' }]);
  assert.equal(out.UserDetailList[0].UserName, 'u');
  assert.deepEqual(out.UserDetailList[0].GroupList, ['g']);
  assert.deepEqual(out.UserDetailList[0].AttachedManagedPolicies, [{ PolicyName: 'P', PolicyArn: policyArn }]);
  assert.deepEqual(out.GroupDetailList[0].GroupPolicyList, [{ PolicyName: 'inl', PolicyDocument: '%7B%22a%22%3A%201%7D' }]);
  assert.equal(out.RoleDetailList[0].RoleName, 'r');
  assert.equal(out.Policies[0].AttachmentCount, 1);
  assert.equal(out.Policies[0].PolicyVersionList[0].VersionId, 'v1');
  assert.equal(out.IsTruncated, false);

  const readOnly = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
  env.store.put(KIND.attachment, `group|g|${readOnly}`, { EntityType: 'group', EntityName: 'g', PolicyArn: readOnly, PolicyName: 'ReadOnlyAccess' });
  env.store.put(KIND.policyAttachment, `${readOnly}|group|g`, { EntityType: 'group', EntityName: 'g', PolicyArn: readOnly, PolicyName: 'ReadOnlyAccess' });
  const aws = (await run('GetAccountAuthorizationDetails', { Filter: ['AWSManagedPolicy'] })).out.Policies;
  assert.deepEqual(aws.map((p: any) => [p.Arn, p.AttachmentCount, p.PolicyVersionList.length]), [[readOnly, 1, 1]]);
  env.store.delete(KIND.attachment, `group|g|${readOnly}`);
  env.store.delete(KIND.policyAttachment, `${readOnly}|group|g`);

  const onlyGroups = (await run('GetAccountAuthorizationDetails', { Filter: ['Group'] })).out;
  assert.deepEqual([onlyGroups.UserDetailList.length, onlyGroups.GroupDetailList.length, onlyGroups.RoleDetailList.length, onlyGroups.Policies.length], [0, 1, 0, 0]);
  const p1 = (await run('GetAccountAuthorizationDetails', { MaxItems: 2 })).out;
  assert.equal(p1.IsTruncated, true);
  const p2 = (await run('GetAccountAuthorizationDetails', { MaxItems: 2, Marker: p1.Marker })).out;
  assert.equal(p2.IsTruncated, false);
  const count = (o: any) => o.UserDetailList.length + o.GroupDetailList.length + o.RoleDetailList.length + o.Policies.length;
  assert.equal(count(p1) + count(p2), 4);
});
