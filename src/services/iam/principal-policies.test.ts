import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv, rootPrincipal, userPrincipal, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import type { Principal } from '../../gateway/context.js';
import { iamProvider } from './index.js';
import { principalPolicies } from './principal-policies.js';

let env: TestEnv;
const run = (op: string, input: object = {}) => env.run(iamProvider.operations, op, input);
const doc = (...actions: string[]) => JSON.stringify({ Version: '2012-10-17', Statement: actions.map((a) => ({ Effect: 'Allow', Action: a, Resource: '*' })) });
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
const arnOf = (name: string) => `arn:aws:iam::${TEST_ACCOUNT}:policy/${name}`;
const CW = 'arn:aws:iam::aws:policy/CloudWatchFullAccess';
const RO = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const summary = (ps: { id: string; type: string }[] | undefined) => (ps ?? []).map((p) => `${p.type}:${p.id}`);

const session = (accessKeyId: string, extra: Partial<Principal> = {}): Principal => ({
  type: 'assumed-role', arn: `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/Svc/s1`, accountId: TEST_ACCOUNT, userId: 'AROAEXAMPLE:s1',
  roleName: 'Svc', roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/Svc`, sessionName: 's1', accessKeyId, ...extra,
});

beforeEach(async () => {
  env = testEnv();
  await run('CreateUser', { UserName: 'alice', Tags: [{ Key: 'team', Value: 'ml' }] });
  await run('CreateUser', { UserName: 'bob' });
  await run('CreateGroup', { GroupName: 'devs' });
  await run('AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
  await run('CreatePolicy', { PolicyName: 'P', PolicyDocument: doc('personalize:*') });
  await run('CreatePolicy', { PolicyName: 'Boundary', PolicyDocument: doc('personalize:*', 's3:*') });
  await run('PutUserPolicy', { UserName: 'alice', PolicyName: 'own', PolicyDocument: doc('s3:GetObject') });
  await run('AttachUserPolicy', { UserName: 'alice', PolicyArn: arnOf('P') });
  await run('AttachUserPolicy', { UserName: 'alice', PolicyArn: CW });
  await run('PutGroupPolicy', { GroupName: 'devs', PolicyName: 'grp', PolicyDocument: doc('kms:Decrypt') });
  await run('AttachGroupPolicy', { GroupName: 'devs', PolicyArn: RO });
  await run('PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: arnOf('Boundary') });
  await run('AttachUserPolicy', { UserName: 'bob', PolicyArn: arnOf('P') });
});
afterEach(() => env.close());

test('a user gets their own and their groups\' policies, boundary and tags', () => {
  const set = principalPolicies(env.store, userPrincipal('alice'));
  assert.deepEqual(summary(set.identity), [
    'identity:user/alice/own', `identity:${arnOf('P')}`, `identity:${CW}`, 'identity:group/devs/grp', `identity:${RO}`,
  ]);
  assert.deepEqual(summary(set.boundary && [set.boundary]), [`boundary:${arnOf('Boundary')}`]);
  assert.equal(set.session, undefined);
  assert.deepEqual(set.tags, { team: 'ml' });
  assert.equal(set.identity[2].statementCount, 3);
});

test('root, service principals and vanished users have no identity policies', async () => {
  assert.deepEqual(principalPolicies(env.store, rootPrincipal()).identity, []);
  assert.deepEqual(principalPolicies(env.store, { ...rootPrincipal(), type: 'service', service: 'personalize' }).identity, []);
  assert.deepEqual(principalPolicies(env.store, userPrincipal('nobody')).identity, []);
});

test('sets are cached until the store changes; compiled documents are shared', async () => {
  const alice = principalPolicies(env.store, userPrincipal('alice'));
  assert.equal(principalPolicies(env.store, userPrincipal('alice')), alice);
  const bob = principalPolicies(env.store, userPrincipal('bob', 'AIDABOB'));
  assert.equal(bob.identity[0], alice.identity[1], 'P compiled once for both users');

  await run('PutUserPolicy', { UserName: 'alice', PolicyName: 'more', PolicyDocument: doc('s3:PutObject') });
  const after = principalPolicies(env.store, userPrincipal('alice'));
  assert.notEqual(after, alice);
  assert.equal(after.identity.length, 6);
  assert.equal(after.identity.find((p) => p.id === arnOf('P')), alice.identity[1], 'unchanged documents are not recompiled');

  await run('CreatePolicyVersion', { PolicyArn: arnOf('P'), PolicyDocument: doc('personalize:Get*', 'personalize:List*'), SetAsDefault: true });
  const v2 = principalPolicies(env.store, userPrincipal('bob', 'AIDABOB')).identity[0];
  assert.notEqual(v2, alice.identity[1]);
  assert.equal(v2.statementCount, 2);
  await run('SetDefaultPolicyVersion', { PolicyArn: arnOf('P'), VersionId: 'v1' });
  assert.equal(principalPolicies(env.store, userPrincipal('bob', 'AIDABOB')).identity[0].statementCount, 1);

  await run('DetachUserPolicy', { UserName: 'bob', PolicyArn: arnOf('P') });
  assert.deepEqual(principalPolicies(env.store, userPrincipal('bob', 'AIDABOB')).identity, []);
});

test('a role session gets the role\'s policies, its session policies and merged tags', async () => {
  await run('CreateRole', { RoleName: 'Svc', AssumeRolePolicyDocument: trust, PermissionsBoundary: arnOf('Boundary'), Tags: [{ Key: 'Team', Value: 'role' }, { Key: 'env', Value: 'dev' }] });
  await run('PutRolePolicy', { RoleName: 'Svc', PolicyName: 'inline', PolicyDocument: doc('s3:*') });
  await run('AttachRolePolicy', { RoleName: 'Svc', PolicyArn: arnOf('P') });
  const p = session('ASIAONE', { sessionPolicies: [doc('s3:GetObject')], sessionTags: { team: 'session' } });
  const set = principalPolicies(env.store, p);
  assert.deepEqual(summary(set.identity), ['identity:role/Svc/inline', `identity:${arnOf('P')}`]);
  assert.deepEqual(summary(set.session), ['session:session-policy/1']);
  assert.deepEqual(summary(set.boundary && [set.boundary]), [`boundary:${arnOf('Boundary')}`]);
  assert.deepEqual(set.tags, { env: 'dev', team: 'session' });
  assert.equal(principalPolicies(env.store, p), set);
  const other = principalPolicies(env.store, session('ASIATWO'));
  assert.equal(other.session, undefined);
  assert.deepEqual(other.tags, { Team: 'role', env: 'dev' });
  assert.equal(other.identity[1], set.identity[1]);
  assert.deepEqual(principalPolicies(env.store, session('ASIATHREE', { roleName: 'Gone' })).identity, []);
});

test('after warm-up a lookup is a map hit', () => {
  const p = userPrincipal('alice');
  principalPolicies(env.store, p);
  const n = 200_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) principalPolicies(env.store, p);
  const nsPerLookup = Number(process.hrtime.bigint() - start) / n;
  assert.ok(nsPerLookup < 2_000, `lookup took ${nsPerLookup} ns`);
});
