import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv, userPrincipal, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import { operations as users } from './users.js';
import { operations as groups } from './groups.js';
import { operations as keys } from './access-keys.js';
import { operations as profiles } from './login-profiles.js';
import { KIND } from './schema.js';
import type { Principal } from '../../gateway/context.js';

const ops = { ...users, ...groups, ...keys, ...profiles };
let env: TestEnv;
const run = (op: string, input: object = {}, principal?: Principal) => env.run(ops, op, input, principal);
const code = (c: string, message?: string) => (e: any) => {
  assert.equal(e.code, c);
  if (message !== undefined) assert.equal(e.message, message);
  return true;
};

beforeEach(() => { env = testEnv(); });
afterEach(() => env.close());

test('CreateUser returns the user with path, id, ARN and date, and asks for iam:CreateUser on the new ARN', async () => {
  const { out, ctx } = await run('CreateUser', { UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'ml' }] });
  assert.equal(out.User.UserName, 'alice');
  assert.equal(out.User.Path, '/eng/');
  assert.equal(out.User.Arn, `arn:aws:iam::${TEST_ACCOUNT}:user/eng/alice`);
  assert.match(out.User.UserId, /^AIDA[A-Z2-7]{16}$/);
  assert.ok(out.User.CreateDate instanceof Date);
  assert.deepEqual(out.User.Tags, [{ Key: 'team', Value: 'ml' }]);
  assert.deepEqual(ctx.queries, [{
    action: 'iam:CreateUser', resource: `arn:aws:iam::${TEST_ACCOUNT}:user/eng/alice`,
    context: { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'ml' },
  }]);
});

test('CreateUser rejects a duplicate name case-insensitively, bad paths and duplicate tag keys', async () => {
  await run('CreateUser', { UserName: 'alice' });
  await assert.rejects(run('CreateUser', { UserName: 'ALICE' }), code('EntityAlreadyExists', 'User with name ALICE already exists.'));
  await assert.rejects(run('CreateUser', { UserName: 'bob', Path: '/a//b/' }), code('ValidationError'));
  await assert.rejects(run('CreateUser', { UserName: 'bob', Path: '/a' }), code('ValidationError'));
  await assert.rejects(run('CreateUser', { UserName: 'bob', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }),
    code('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'));
  assert.equal(env.store.count(KIND.user), 1);
});

test('CreateUser checks the permissions boundary exists and passes it as iam:PermissionsBoundary', async () => {
  const missing = `arn:aws:iam::${TEST_ACCOUNT}:policy/nope`;
  await assert.rejects(run('CreateUser', { UserName: 'a', PermissionsBoundary: missing }),
    code('NoSuchEntity', `Scope ARN: ${missing} does not exist or is not attachable.`));
  await assert.rejects(run('CreateUser', { UserName: 'a', PermissionsBoundary: 'arn:aws:s3:::bucket/x/y/z' }), code('InvalidInput'));
  env.store.put(KIND.policy, missing.toLowerCase(), { Arn: missing, PolicyName: 'nope', Tags: [] });
  const { out, ctx } = await run('CreateUser', { UserName: 'a', PermissionsBoundary: missing });
  assert.deepEqual(out.User.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: missing });
  assert.equal(ctx.queries[0].context?.['iam:PermissionsBoundary'], missing);
  const aws = await run('CreateUser', { UserName: 'b', PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  assert.equal(aws.out.User.PermissionsBoundary.PermissionsBoundaryArn, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
});

test('a denied CreateUser changes nothing', async () => {
  env.deny = (q) => q.action === 'iam:CreateUser';
  await assert.rejects(run('CreateUser', { UserName: 'alice' }), code('AccessDenied'));
  assert.equal(env.store.count(KIND.user), 0);
});

test('GetUser: named, own (no UserName), root, and non-user callers', async () => {
  await run('CreateUser', { UserName: 'alice', Tags: [{ Key: 'k', Value: 'v' }] });
  const named = await run('GetUser', { UserName: 'Alice' });
  assert.equal(named.out.User.UserName, 'alice');
  assert.deepEqual(named.ctx.queries, [{ action: 'iam:GetUser', resource: `arn:aws:iam::${TEST_ACCOUNT}:user/alice`, resourceTags: { k: 'v' } }]);
  const own = await run('GetUser', {}, userPrincipal('alice'));
  assert.equal(own.out.User.UserName, 'alice');
  const root = await run('GetUser', {});
  assert.equal(root.out.User.UserId, TEST_ACCOUNT);
  assert.equal(root.out.User.Arn, `arn:aws:iam::${TEST_ACCOUNT}:root`);
  assert.equal(root.out.User.UserName, undefined);
  assert.ok(root.out.User.CreateDate instanceof Date);
  const role: Principal = { type: 'assumed-role', arn: `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/r/s`, accountId: TEST_ACCOUNT, userId: 'AROAX:s', accessKeyId: 'ASIAX' };
  await assert.rejects(run('GetUser', {}, role), code('ValidationError', 'Must specify userName when calling with non-User credentials'));
  await assert.rejects(run('GetUser', { UserName: 'bob' }), code('NoSuchEntity', 'The user with name bob cannot be found.'));
});

test('ListUsers pages with Marker/MaxItems, filters by PathPrefix, asks on *, omits tags', async () => {
  for (const n of ['carol', 'Alice', 'bob', 'dave']) await run('CreateUser', { UserName: n, Path: n === 'bob' ? '/x/' : '/', Tags: [{ Key: 't', Value: 'v' }] });
  const p1 = await run('ListUsers', { MaxItems: 2 });
  assert.deepEqual(p1.out.Users.map((u: any) => u.UserName), ['Alice', 'bob']);
  assert.equal(p1.out.IsTruncated, true);
  assert.equal(p1.out.Users[0].Tags, undefined);
  assert.deepEqual(p1.ctx.queries, [{ action: 'iam:ListUsers', resource: '*' }]);
  const p2 = await run('ListUsers', { MaxItems: 2, Marker: p1.out.Marker });
  assert.deepEqual(p2.out.Users.map((u: any) => u.UserName), ['carol', 'dave']);
  assert.equal(p2.out.IsTruncated, false);
  assert.equal(p2.out.Marker, undefined);
  const x = await run('ListUsers', { PathPrefix: '/x' });
  assert.deepEqual(x.out.Users.map((u: any) => u.UserName), ['bob']);
});

test('UpdateUser renames and moves memberships, keys, login profile, attachments and inline policies in one go', async () => {
  await run('CreateUser', { UserName: 'alice' });
  await run('CreateGroup', { GroupName: 'devs' });
  await run('AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
  const key = (await run('CreateAccessKey', { UserName: 'alice' })).out.AccessKey.AccessKeyId;
  await run('CreateLoginProfile', { UserName: 'alice', Password: 'Passw0rd!x' });
  const arn = `arn:aws:iam::${TEST_ACCOUNT}:policy/p`;
  env.store.put(KIND.attachment, `user|alice|${arn}`, { EntityType: 'user', EntityName: 'alice', PolicyArn: arn, PolicyName: 'p' });
  env.store.put(KIND.policyAttachment, `${arn}|user|alice`, { EntityType: 'user', EntityName: 'alice', PolicyArn: arn, PolicyName: 'p' });
  env.store.put(KIND.inlinePolicy, 'user|alice|inl', { EntityType: 'user', EntityName: 'alice', PolicyName: 'inl', PolicyDocument: '{}' });

  const { ctx } = await run('UpdateUser', { UserName: 'alice', NewUserName: 'Alicia', NewPath: '/new/' });
  assert.deepEqual(ctx.queries.map((q) => q.resource), [`arn:aws:iam::${TEST_ACCOUNT}:user/alice`, `arn:aws:iam::${TEST_ACCOUNT}:user/new/Alicia`]);
  await assert.rejects(run('GetUser', { UserName: 'alice' }), code('NoSuchEntity'));
  const user = (await run('GetUser', { UserName: 'alicia' })).out.User;
  assert.equal(user.Arn, `arn:aws:iam::${TEST_ACCOUNT}:user/new/Alicia`);
  const group = (await run('GetGroup', { GroupName: 'devs' })).out;
  assert.deepEqual(group.Users.map((u: any) => u.UserName), ['Alicia']);
  assert.deepEqual((await run('ListGroupsForUser', { UserName: 'Alicia' })).out.Groups.map((g: any) => g.GroupName), ['devs']);
  const listed = (await run('ListAccessKeys', { UserName: 'Alicia' })).out.AccessKeyMetadata;
  assert.deepEqual(listed.map((k: any) => [k.AccessKeyId, k.UserName]), [[key, 'Alicia']]);
  assert.equal((await run('GetLoginProfile', { UserName: 'Alicia' })).out.LoginProfile.UserName, 'Alicia');
  assert.equal(env.store.get<any>(KIND.attachment, `user|alicia|${arn}`)?.EntityName, 'Alicia');
  assert.equal(env.store.get<any>(KIND.policyAttachment, `${arn}|user|alicia`)?.EntityName, 'Alicia');
  assert.equal(env.store.get<any>(KIND.inlinePolicy, 'user|alicia|inl')?.EntityName, 'Alicia');
  for (const kind of [KIND.attachment, KIND.inlinePolicy]) assert.equal(env.store.count(kind, 'user|alice|'), 0);
});

test('a rename that fails part-way changes nothing', async () => {
  await run('CreateUser', { UserName: 'alice' });
  await run('CreateGroup', { GroupName: 'devs' });
  await run('AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
  await run('CreateLoginProfile', { UserName: 'alice', Password: 'Passw0rd!x' });
  const put = env.store.put.bind(env.store);
  env.store.put = (kind, id, value) => {
    if (kind === KIND.loginProfile) throw new Error('disk full');
    put(kind, id, value);
  };
  await assert.rejects(run('UpdateUser', { UserName: 'alice', NewUserName: 'bob' }), /disk full/);
  env.store.put = put;
  assert.ok(env.store.get(KIND.user, 'alice'));
  assert.equal(env.store.get(KIND.user, 'bob'), undefined);
  assert.ok(env.store.get(KIND.groupMember, 'devs|alice'));
  assert.ok(env.store.get(KIND.userGroup, 'alice|devs'));
  assert.ok(env.store.get(KIND.loginProfile, 'alice'));
});

test('UpdateUser refuses a taken name and a missing user', async () => {
  await run('CreateUser', { UserName: 'a' });
  await run('CreateUser', { UserName: 'b' });
  await assert.rejects(run('UpdateUser', { UserName: 'a', NewUserName: 'B' }), code('EntityAlreadyExists', 'User with name B already exists.'));
  await assert.rejects(run('UpdateUser', { UserName: 'zz', NewUserName: 'y' }), code('NoSuchEntity'));
  await run('UpdateUser', { UserName: 'a', NewUserName: 'A' });
  assert.equal((await run('GetUser', { UserName: 'a' })).out.User.UserName, 'A');
});

test('DeleteUser: each DeleteConflict, with AWS messages, then success', async () => {
  await run('CreateUser', { UserName: 'u' });
  await run('CreateGroup', { GroupName: 'g' });
  await run('AddUserToGroup', { GroupName: 'g', UserName: 'u' });
  const arn = `arn:aws:iam::${TEST_ACCOUNT}:policy/p`;
  env.store.put(KIND.attachment, `user|u|${arn}`, { EntityType: 'user', EntityName: 'u', PolicyArn: arn, PolicyName: 'p' });
  env.store.put(KIND.inlinePolicy, 'user|u|inl', { EntityType: 'user', EntityName: 'u', PolicyName: 'inl', PolicyDocument: '{}' });
  const key = (await run('CreateAccessKey', { UserName: 'u' })).out.AccessKey.AccessKeyId;
  await run('CreateLoginProfile', { UserName: 'u', Password: 'Passw0rd!x' });

  const conflict = (m: string) => assert.rejects(run('DeleteUser', { UserName: 'u' }), code('DeleteConflict', `Cannot delete entity, must ${m} first.`));
  await conflict('delete login profile');
  await run('DeleteLoginProfile', { UserName: 'u' });
  await conflict('delete access keys');
  await run('DeleteAccessKey', { UserName: 'u', AccessKeyId: key });
  await conflict('delete policies');
  env.store.delete(KIND.inlinePolicy, 'user|u|inl');
  await conflict('detach all policies');
  env.store.delete(KIND.attachment, `user|u|${arn}`);
  await conflict('remove users from group');
  await run('RemoveUserFromGroup', { GroupName: 'g', UserName: 'u' });
  const { ctx } = await run('DeleteUser', { UserName: 'u' });
  assert.deepEqual(ctx.queries, [{ action: 'iam:DeleteUser', resource: `arn:aws:iam::${TEST_ACCOUNT}:user/u`, resourceTags: {} }]);
  assert.equal(env.store.count(KIND.user), 0);
  await assert.rejects(run('DeleteUser', { UserName: 'u' }), code('NoSuchEntity', 'The user with name u cannot be found.'));
});
