import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import { operations as users } from './users.js';
import { operations as groups } from './groups.js';
import { KIND } from './schema.js';

const ops = { ...users, ...groups };
let env: TestEnv;
const run = (op: string, input: object = {}) => env.run(ops, op, input);
const code = (c: string, message?: string) => (e: any) => {
  assert.equal(e.code, c);
  if (message !== undefined) assert.equal(e.message, message);
  return true;
};
const arn = (name: string, path = '/') => `arn:aws:iam::${TEST_ACCOUNT}:group${path}${name}`;

beforeEach(() => { env = testEnv(); });
afterEach(() => env.close());

test('CreateGroup returns the group and asks on its ARN; duplicates are refused case-insensitively', async () => {
  const { out, ctx } = await run('CreateGroup', { GroupName: 'Devs', Path: '/eng/' });
  assert.equal(out.Group.Arn, arn('Devs', '/eng/'));
  assert.match(out.Group.GroupId, /^AGPA/);
  assert.ok(out.Group.CreateDate instanceof Date);
  assert.deepEqual(ctx.queries, [{ action: 'iam:CreateGroup', resource: arn('Devs', '/eng/') }]);
  await assert.rejects(run('CreateGroup', { GroupName: 'devs' }), code('EntityAlreadyExists', 'Group with name devs already exists.'));
});

test('GetGroup lists members with paging; missing group is NoSuchEntity', async () => {
  await run('CreateGroup', { GroupName: 'g' });
  for (const u of ['u1', 'u2', 'u3']) {
    await run('CreateUser', { UserName: u });
    await run('AddUserToGroup', { GroupName: 'g', UserName: u });
  }
  const p1 = await run('GetGroup', { GroupName: 'G', MaxItems: 2 });
  assert.equal(p1.out.Group.GroupName, 'g');
  assert.deepEqual(p1.out.Users.map((u: any) => u.UserName), ['u1', 'u2']);
  assert.equal(p1.out.IsTruncated, true);
  assert.deepEqual(p1.ctx.queries, [{ action: 'iam:GetGroup', resource: arn('g') }]);
  const p2 = await run('GetGroup', { GroupName: 'g', MaxItems: 2, Marker: p1.out.Marker });
  assert.deepEqual(p2.out.Users.map((u: any) => u.UserName), ['u3']);
  assert.equal(p2.out.IsTruncated, false);
  await assert.rejects(run('GetGroup', { GroupName: 'nope' }), code('NoSuchEntity', 'The group with name nope cannot be found.'));
});

test('ListGroups pages and filters by path; ListGroupsForUser pages', async () => {
  await run('CreateUser', { UserName: 'u' });
  for (const g of ['c', 'a', 'b']) {
    await run('CreateGroup', { GroupName: g, Path: g === 'b' ? '/x/' : '/' });
    await run('AddUserToGroup', { GroupName: g, UserName: 'u' });
  }
  const p1 = await run('ListGroups', { MaxItems: 2 });
  assert.deepEqual(p1.out.Groups.map((g: any) => g.GroupName), ['a', 'b']);
  assert.deepEqual(p1.ctx.queries, [{ action: 'iam:ListGroups', resource: '*' }]);
  const p2 = await run('ListGroups', { MaxItems: 2, Marker: p1.out.Marker });
  assert.deepEqual(p2.out.Groups.map((g: any) => g.GroupName), ['c']);
  assert.deepEqual((await run('ListGroups', { PathPrefix: '/x/' })).out.Groups.map((g: any) => g.GroupName), ['b']);
  const f1 = await run('ListGroupsForUser', { UserName: 'U', MaxItems: 1 });
  assert.deepEqual(f1.out.Groups.map((g: any) => g.GroupName), ['a']);
  assert.deepEqual(f1.ctx.queries[0].resource, `arn:aws:iam::${TEST_ACCOUNT}:user/u`);
  const f2 = await run('ListGroupsForUser', { UserName: 'u', Marker: f1.out.Marker });
  assert.deepEqual(f2.out.Groups.map((g: any) => g.GroupName), ['b', 'c']);
});

test('AddUserToGroup is idempotent, needs both entities, and caps groups per user at 10', async () => {
  await run('CreateUser', { UserName: 'u' });
  await run('CreateGroup', { GroupName: 'g0' });
  await assert.rejects(run('AddUserToGroup', { GroupName: 'nope', UserName: 'u' }), code('NoSuchEntity', 'The group with name nope cannot be found.'));
  await assert.rejects(run('AddUserToGroup', { GroupName: 'g0', UserName: 'x' }), code('NoSuchEntity', 'The user with name x cannot be found.'));
  const { ctx } = await run('AddUserToGroup', { GroupName: 'g0', UserName: 'u' });
  assert.deepEqual(ctx.queries, [{ action: 'iam:AddUserToGroup', resource: arn('g0') }]);
  await run('AddUserToGroup', { GroupName: 'G0', UserName: 'U' });
  assert.equal(env.store.count(KIND.groupMember), 1);
  for (let i = 1; i < 10; i++) {
    await run('CreateGroup', { GroupName: `g${i}` });
    await run('AddUserToGroup', { GroupName: `g${i}`, UserName: 'u' });
  }
  await run('CreateGroup', { GroupName: 'g10' });
  await assert.rejects(run('AddUserToGroup', { GroupName: 'g10', UserName: 'u' }), code('LimitExceeded', 'Cannot exceed quota for GroupsPerUser: 10'));
});

test('RemoveUserFromGroup removes both index entries; a non-member is NoSuchEntity', async () => {
  await run('CreateUser', { UserName: 'u' });
  await run('CreateGroup', { GroupName: 'g' });
  await run('AddUserToGroup', { GroupName: 'g', UserName: 'u' });
  const { ctx } = await run('RemoveUserFromGroup', { GroupName: 'g', UserName: 'u' });
  assert.deepEqual(ctx.queries, [{ action: 'iam:RemoveUserFromGroup', resource: arn('g') }]);
  assert.equal(env.store.count(KIND.groupMember), 0);
  assert.equal(env.store.count(KIND.userGroup), 0);
  await assert.rejects(run('RemoveUserFromGroup', { GroupName: 'g', UserName: 'u' }), code('NoSuchEntity'));
});

test('UpdateGroup renames, moves memberships and policies, and asks on old and new ARNs', async () => {
  await run('CreateUser', { UserName: 'u' });
  await run('CreateGroup', { GroupName: 'g' });
  await run('CreateGroup', { GroupName: 'taken' });
  await run('AddUserToGroup', { GroupName: 'g', UserName: 'u' });
  const parn = `arn:aws:iam::${TEST_ACCOUNT}:policy/p`;
  env.store.put(KIND.attachment, `group|g|${parn}`, { EntityType: 'group', EntityName: 'g', PolicyArn: parn, PolicyName: 'p' });
  env.store.put(KIND.policyAttachment, `${parn}|group|g`, { EntityType: 'group', EntityName: 'g', PolicyArn: parn, PolicyName: 'p' });
  env.store.put(KIND.inlinePolicy, 'group|g|inl', { EntityType: 'group', EntityName: 'g', PolicyName: 'inl', PolicyDocument: '{}' });
  await assert.rejects(run('UpdateGroup', { GroupName: 'g', NewGroupName: 'TAKEN' }), code('EntityAlreadyExists', 'Group with name TAKEN already exists.'));
  const { ctx } = await run('UpdateGroup', { GroupName: 'g', NewGroupName: 'G2', NewPath: '/p/' });
  assert.deepEqual(ctx.queries.map((q) => q.resource), [arn('g'), arn('G2', '/p/')]);
  const got = (await run('GetGroup', { GroupName: 'g2' })).out;
  assert.equal(got.Group.Arn, arn('G2', '/p/'));
  assert.deepEqual(got.Users.map((u: any) => u.UserName), ['u']);
  assert.deepEqual((await run('ListGroupsForUser', { UserName: 'u' })).out.Groups.map((g: any) => g.GroupName), ['G2']);
  assert.equal(env.store.get<any>(KIND.attachment, `group|g2|${parn}`)?.EntityName, 'G2');
  assert.ok(env.store.get(KIND.policyAttachment, `${parn}|group|g2`));
  assert.equal(env.store.get<any>(KIND.inlinePolicy, 'group|g2|inl')?.EntityName, 'G2');
  await assert.rejects(run('GetGroup', { GroupName: 'g' }), code('NoSuchEntity'));
});

test('DeleteGroup: each DeleteConflict, then success', async () => {
  await run('CreateUser', { UserName: 'u' });
  await run('CreateGroup', { GroupName: 'g' });
  await run('AddUserToGroup', { GroupName: 'g', UserName: 'u' });
  const parn = `arn:aws:iam::${TEST_ACCOUNT}:policy/p`;
  env.store.put(KIND.attachment, `group|g|${parn}`, { EntityType: 'group', EntityName: 'g', PolicyArn: parn, PolicyName: 'p' });
  env.store.put(KIND.inlinePolicy, 'group|g|inl', { EntityType: 'group', EntityName: 'g', PolicyName: 'inl', PolicyDocument: '{}' });
  const conflict = (m: string) => assert.rejects(run('DeleteGroup', { GroupName: 'g' }), code('DeleteConflict', `Cannot delete entity, must ${m} first.`));
  await conflict('detach all policies');
  env.store.delete(KIND.attachment, `group|g|${parn}`);
  await conflict('delete policies');
  env.store.delete(KIND.inlinePolicy, 'group|g|inl');
  await conflict('remove users from group');
  await run('RemoveUserFromGroup', { GroupName: 'g', UserName: 'u' });
  const { ctx } = await run('DeleteGroup', { GroupName: 'G' });
  assert.deepEqual(ctx.queries, [{ action: 'iam:DeleteGroup', resource: arn('g') }]);
  assert.equal(env.store.count(KIND.group), 0);
});
