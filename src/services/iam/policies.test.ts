import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv, awsErrorIs, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import { iamProvider } from './index.js';
import { KIND } from './schema.js';
import { encodeDocument } from './common.js';

let env: TestEnv;
const run = (op: string, input: object = {}) => env.run(iamProvider.operations, op, input);
const code = awsErrorIs;
const doc = (action = 's3:GetObject') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const arnOf = (name: string, path = '/') => `arn:aws:iam::${TEST_ACCOUNT}:policy${path}${name}`;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

beforeEach(() => {
  env = testEnv();
});
afterEach(() => env.close());

test('CreatePolicy answers as AWS: no Description, Tags only when given, v1 default', async () => {
  const { out, ctx } = await run('CreatePolicy', {
    PolicyName: 'P', Path: '/team/', PolicyDocument: doc(), Description: 'd', Tags: [{ Key: 'env', Value: 'dev' }],
  });
  const p = out.Policy;
  assert.equal(p.Arn, arnOf('P', '/team/'));
  assert.match(p.PolicyId, /^ANPA[A-Z2-7]{17}$/);
  assert.deepEqual(
    { ...p, PolicyId: undefined },
    {
      PolicyName: 'P', PolicyId: undefined, Arn: arnOf('P', '/team/'), Path: '/team/', DefaultVersionId: 'v1', AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0, IsAttachable: true, CreateDate: env.clock, UpdateDate: env.clock, Tags: [{ Key: 'env', Value: 'dev' }],
    },
  );
  assert.deepEqual(ctx.queries, [{
    action: 'iam:CreatePolicy', resource: arnOf('P', '/team/'), context: { 'aws:TagKeys': ['env'], 'aws:RequestTag/env': 'dev' },
  }]);
  const bare = (await run('CreatePolicy', { PolicyName: 'Q', PolicyDocument: doc() })).out.Policy;
  assert.equal('Tags' in bare, false);
  assert.equal('Description' in bare, false);
});

test('GetPolicy adds Description and Tags; unknown and malformed ARNs', async () => {
  await run('CreatePolicy', { PolicyName: 'P', PolicyDocument: doc(), Description: 'd' });
  const { out, ctx } = await run('GetPolicy', { PolicyArn: arnOf('P') });
  assert.equal(out.Policy.Description, 'd');
  assert.deepEqual(out.Policy.Tags, []);
  assert.equal(ctx.queries[0].action, 'iam:GetPolicy');
  assert.equal(ctx.queries[0].resource, arnOf('P'));
  await assert.rejects(run('GetPolicy', { PolicyArn: arnOf('Nope') }), code('NoSuchEntity', `Policy ${arnOf('Nope')} was not found.`, 404));
  await assert.rejects(run('GetPolicy', { PolicyArn: 'longpolicynamebutnoarn' }), code('InvalidInput', 'ARN longpolicynamebutnoarn is not valid.'));
});

test('policy names are unique in the account', async () => {
  await run('CreatePolicy', { PolicyName: 'P', PolicyDocument: doc() });
  await assert.rejects(
    run('CreatePolicy', { PolicyName: 'p', Path: '/other/', PolicyDocument: doc() }),
    code('EntityAlreadyExists', 'A policy called p already exists. Duplicate names are not allowed.', 409),
  );
});

test('documents are validated and size-limited; URL-encoded ones are accepted and returned encoded', async () => {
  await assert.rejects(run('CreatePolicy', { PolicyName: 'P', PolicyDocument: '{not json' }), code('MalformedPolicyDocument', undefined, 400));
  const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: 300 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) }] });
  await assert.rejects(run('CreatePolicy', { PolicyName: 'P', PolicyDocument: big }), code('LimitExceeded', 'Cannot exceed quota for PolicySize: 6144', 409));
  assert.equal(env.store.count(KIND.policy), 0);
  const text = doc();
  await run('CreatePolicy', { PolicyName: 'P', PolicyDocument: encodeURIComponent(text) });
  const { out } = await run('GetPolicyVersion', { PolicyArn: arnOf('P'), VersionId: 'v1' });
  assert.equal(out.PolicyVersion.Document, encodeDocument(text));
  assert.equal(out.PolicyVersion.IsDefaultVersion, true);
});

test('versions: up to 5, newest first, default handling and its DeleteConflicts', async () => {
  await run('CreatePolicy', { PolicyName: 'P', PolicyDocument: doc() });
  const arn = arnOf('P');
  env.clock = new Date('2024-02-01T00:00:00Z');
  const v2 = (await run('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: doc('s3:PutObject'), SetAsDefault: true })).out;
  assert.deepEqual(v2, { PolicyVersion: { VersionId: 'v2', IsDefaultVersion: true, CreateDate: env.clock } });
  const policy = (await run('GetPolicy', { PolicyArn: arn })).out.Policy;
  assert.equal(policy.DefaultVersionId, 'v2');
  assert.deepEqual(policy.UpdateDate, env.clock);
  for (const _ of [3, 4, 5]) await run('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: doc() });
  await assert.rejects(
    run('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: doc() }),
    code('LimitExceeded', 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.', 409),
  );
  const listed = (await run('ListPolicyVersions', { PolicyArn: arn })).out;
  assert.deepEqual(listed.Versions.map((v: any) => [v.VersionId, v.IsDefaultVersion]), [['v5', false], ['v4', false], ['v3', false], ['v2', true], ['v1', false]]);
  assert.equal('Document' in listed.Versions[0], false);
  const page = (await run('ListPolicyVersions', { PolicyArn: arn, MaxItems: 2 })).out;
  assert.equal(page.IsTruncated, true);
  assert.deepEqual((await run('ListPolicyVersions', { PolicyArn: arn, Marker: page.Marker })).out.Versions.map((v: any) => v.VersionId), ['v3', 'v2', 'v1']);

  await assert.rejects(run('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v2' }), code('DeleteConflict', 'Cannot delete the default version of a policy.', 409));
  await assert.rejects(
    run('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v9' }),
    code('NoSuchEntity', `Policy ${arn} version v9 does not exist or is not attachable.`),
  );
  await run('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v5' });
  assert.equal((await run('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: doc() })).out.PolicyVersion.VersionId, 'v5');
  await run('SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: 'v1' });
  const after = (await run('ListPolicyVersions', { PolicyArn: arn })).out.Versions;
  assert.deepEqual(after.filter((v: any) => v.IsDefaultVersion).map((v: any) => v.VersionId), ['v1']);
  await assert.rejects(run('SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: 'v7' }), code('NoSuchEntity', `Policy ${arn} version v7 does not exist or is not attachable.`));
  await assert.rejects(
    run('DeletePolicy', { PolicyArn: arn }),
    code('DeleteConflict', "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.", 409),
  );
  for (const v of ['v2', 'v3', 'v4', 'v5']) await run('DeletePolicyVersion', { PolicyArn: arn, VersionId: v });
  await run('DeletePolicy', { PolicyArn: arn });
  assert.equal(env.store.count(KIND.policy), 0);
  assert.equal(env.store.count(KIND.policyVersion), 0);
  await assert.rejects(run('GetPolicyVersion', { PolicyArn: arn, VersionId: 'v1' }), code('NoSuchEntity', `Policy ${arn} version v1 does not exist or is not attachable.`));
});

test('DeletePolicy refuses a policy attached to entities or used as a boundary', async () => {
  await run('CreateUser', { UserName: 'alice' });
  await run('CreatePolicy', { PolicyName: 'P', PolicyDocument: doc() });
  const arn = arnOf('P');
  await run('AttachUserPolicy', { UserName: 'alice', PolicyArn: arn });
  await assert.rejects(run('DeletePolicy', { PolicyArn: arn }), code('DeleteConflict', 'Cannot delete a policy attached to entities.', 409));
  await run('DetachUserPolicy', { UserName: 'alice', PolicyArn: arn });
  await run('PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: arn });
  await assert.rejects(run('DeletePolicy', { PolicyArn: arn }), code('DeleteConflict', 'Cannot delete a policy attached to entities.'));
  await run('DeleteUserPermissionsBoundary', { UserName: 'alice' });
  await run('DeletePolicy', { PolicyArn: arn });
  await assert.rejects(run('DeletePolicy', { PolicyArn: arn }), code('NoSuchEntity', `Policy ${arn} was not found.`));
});

test('AWS managed policies can be read but not changed', async () => {
  const { out } = await run('GetPolicy', { PolicyArn: ADMIN });
  assert.deepEqual(out.Policy, {
    PolicyName: 'AdministratorAccess', PolicyId: 'ANPAIWMBCKSKIEE64ZLYK', Arn: ADMIN, Path: '/', DefaultVersionId: 'v1', AttachmentCount: 0,
    PermissionsBoundaryUsageCount: 0, IsAttachable: true, CreateDate: new Date('2015-02-06T18:39:46Z'), UpdateDate: new Date('2015-02-06T18:39:46Z'),
    Description: 'Provides full access to AWS services and resources.', Tags: [],
  });
  const personalize = (await run('GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonPersonalizeFullAccess' })).out.Policy;
  assert.equal(personalize.Path, '/service-role/');
  const v = (await run('GetPolicyVersion', { PolicyArn: ADMIN, VersionId: 'v1' })).out.PolicyVersion;
  assert.deepEqual(JSON.parse(decodeURIComponent(v.Document)), { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  await assert.rejects(run('GetPolicyVersion', { PolicyArn: ADMIN, VersionId: 'v2' }), code('NoSuchEntity'));
  assert.equal((await run('ListPolicyVersions', { PolicyArn: ADMIN })).out.Versions.length, 1);
  await assert.rejects(run('GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/AmazonPersonalizeFullAccess' }), code('NoSuchEntity'));
  const denied = (action: string) => code('AccessDenied', `User: arn:aws:iam::${TEST_ACCOUNT}:root is not authorized to perform: ${action} on resource: policy ${ADMIN} because no resource-based policy allows the ${action} action`, 403);
  await assert.rejects(run('DeletePolicy', { PolicyArn: ADMIN }), denied('iam:DeletePolicy'));
  await assert.rejects(run('CreatePolicyVersion', { PolicyArn: ADMIN, PolicyDocument: doc() }), denied('iam:CreatePolicyVersion'));
  await assert.rejects(run('DeletePolicyVersion', { PolicyArn: ADMIN, VersionId: 'v1' }), denied('iam:DeletePolicyVersion'));
  await assert.rejects(run('SetDefaultPolicyVersion', { PolicyArn: ADMIN, VersionId: 'v1' }), denied('iam:SetDefaultPolicyVersion'));
});

test('ListPolicies: scopes, filters, counts and paging', async () => {
  await run('CreateUser', { UserName: 'alice' });
  await run('CreatePolicy', { PolicyName: 'A', PolicyDocument: doc() });
  await run('CreatePolicy', { PolicyName: 'B', Path: '/x/', PolicyDocument: doc() });
  await run('CreatePolicy', { PolicyName: 'C', PolicyDocument: doc() });
  await run('AttachUserPolicy', { UserName: 'alice', PolicyArn: arnOf('A') });
  await run('AttachUserPolicy', { UserName: 'alice', PolicyArn: ADMIN });
  await run('PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: arnOf('C') });
  const names = async (input: object) => (await run('ListPolicies', input)).out.Policies.map((p: any) => p.PolicyName);
  assert.deepEqual(await names({ Scope: 'Local' }), ['A', 'C', 'B']);
  assert.equal((await names({ Scope: 'AWS' })).length, 8);
  assert.equal((await names({})).length, 11);
  assert.deepEqual(await names({ OnlyAttached: true }), ['AdministratorAccess', 'A']);
  assert.deepEqual(await names({ Scope: 'Local', PathPrefix: '/x/' }), ['B']);
  assert.deepEqual(await names({ PolicyUsageFilter: 'PermissionsBoundary' }), ['C']);
  const { out, ctx } = await run('ListPolicies', { Scope: 'Local' });
  assert.deepEqual(ctx.queries, [{ action: 'iam:ListPolicies', resource: '*' }]);
  const a = out.Policies[0];
  assert.equal(a.AttachmentCount, 1);
  assert.equal('Tags' in a || 'Description' in a, false);
  assert.equal(out.Policies[1].PermissionsBoundaryUsageCount, 1);
  const first = (await run('ListPolicies', { Scope: 'Local', MaxItems: 2 })).out;
  assert.equal(first.IsTruncated, true);
  assert.deepEqual((await run('ListPolicies', { Scope: 'Local', Marker: first.Marker })).out.Policies.map((p: any) => p.PolicyName), ['B']);
});

test('ListEntitiesForPolicy lists attachments and boundary holders, with filters', async () => {
  await run('CreateUser', { UserName: 'alice' });
  await run('CreateUser', { UserName: 'bob', Path: '/ops/' });
  await run('CreateGroup', { GroupName: 'devs' });
  await run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) });
  await run('CreatePolicy', { PolicyName: 'P', PolicyDocument: doc() });
  const arn = arnOf('P');
  await run('AttachUserPolicy', { UserName: 'alice', PolicyArn: arn });
  await run('AttachGroupPolicy', { GroupName: 'devs', PolicyArn: arn });
  await run('AttachRolePolicy', { RoleName: 'r', PolicyArn: arn });
  await run('PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: arn });
  const all = (await run('ListEntitiesForPolicy', { PolicyArn: arn })).out;
  assert.deepEqual(all.PolicyUsers.map((u: any) => u.UserName), ['alice', 'bob']);
  assert.match(all.PolicyUsers[0].UserId, /^AIDA/);
  assert.deepEqual(all.PolicyGroups.map((g: any) => g.GroupName), ['devs']);
  assert.deepEqual(all.PolicyRoles.map((r: any) => r.RoleName), ['r']);
  const users = async (input: object) => (await run('ListEntitiesForPolicy', { PolicyArn: arn, ...input })).out.PolicyUsers.map((u: any) => u.UserName);
  assert.deepEqual(await users({ PolicyUsageFilter: 'PermissionsPolicy' }), ['alice']);
  assert.deepEqual(await users({ PolicyUsageFilter: 'PermissionsBoundary' }), ['bob']);
  assert.deepEqual(await users({ PathPrefix: '/ops/' }), ['bob']);
  const roles = (await run('ListEntitiesForPolicy', { PolicyArn: arn, EntityFilter: 'Role' })).out;
  assert.deepEqual([roles.PolicyUsers.length, roles.PolicyGroups.length, roles.PolicyRoles.length], [0, 0, 1]);
  const local = (await run('ListEntitiesForPolicy', { PolicyArn: arn, EntityFilter: 'LocalManagedPolicy' })).out;
  assert.deepEqual([local.PolicyUsers, local.PolicyGroups, local.PolicyRoles], [[], [], []]);
  const page = (await run('ListEntitiesForPolicy', { PolicyArn: arn, MaxItems: 2 })).out;
  assert.equal(page.IsTruncated, true);
  assert.equal((await run('ListEntitiesForPolicy', { PolicyArn: arn, Marker: page.Marker })).out.PolicyUsers.length, 2);
  await assert.rejects(
    run('ListEntitiesForPolicy', { PolicyArn: arnOf('Nope') }),
    code('NoSuchEntity', `Policy ${arnOf('Nope')} does not exist or is not attachable.`),
  );
});

test('a denied caller changes nothing', async () => {
  env.deny = (q) => q.action === 'iam:CreatePolicy';
  await assert.rejects(run('CreatePolicy', { PolicyName: 'P', PolicyDocument: doc() }), code('AccessDenied'));
  assert.equal(env.store.count(KIND.policy), 0);
});
