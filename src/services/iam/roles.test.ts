import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv, awsErrorIs, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import { iamProvider } from './index.js';
import { KIND, type RoleDoc } from './schema.js';
import { encodeDocument } from './common.js';

let env: TestEnv;
const run = (op: string, input: object = {}) => env.run(iamProvider.operations, op, input);
const code = awsErrorIs;
const trust = (service = 'personalize.amazonaws.com') => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:personalize:us-east-1:${TEST_ACCOUNT}:*` } },
  }],
});
const policyDoc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const roleArn = (name: string, path = '/') => `arn:aws:iam::${TEST_ACCOUNT}:role${path}${name}`;
const policyArn = `arn:aws:iam::${TEST_ACCOUNT}:policy/B`;

beforeEach(() => {
  env = testEnv();
});
afterEach(() => env.close());

test('CreateRole and GetRole answer with the members AWS gives each', async () => {
  await run('CreatePolicy', { PolicyName: 'B', PolicyDocument: policyDoc });
  const { out, ctx } = await run('CreateRole', {
    RoleName: 'PersonalizeRole', Path: '/service/', AssumeRolePolicyDocument: trust(), Description: 'for personalize',
    PermissionsBoundary: policyArn, Tags: [{ Key: 'team', Value: 'ml' }],
  });
  assert.deepEqual(ctx.queries, [{
    action: 'iam:CreateRole', resource: roleArn('PersonalizeRole', '/service/'),
    context: { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'ml', 'iam:PermissionsBoundary': policyArn },
  }]);
  const base = {
    Path: '/service/', RoleName: 'PersonalizeRole', RoleId: out.Role.RoleId, Arn: roleArn('PersonalizeRole', '/service/'), CreateDate: env.clock,
    AssumeRolePolicyDocument: encodeDocument(trust()),
  };
  assert.match(out.Role.RoleId, /^AROA[A-Z2-7]{17}$/);
  const boundary = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: policyArn };
  assert.deepEqual(out.Role, { ...base, PermissionsBoundary: boundary, Tags: [{ Key: 'team', Value: 'ml' }] });
  const got = (await run('GetRole', { RoleName: 'personalizerole' })).out.Role;
  assert.deepEqual(got, {
    ...base, Description: 'for personalize', MaxSessionDuration: 3600, PermissionsBoundary: boundary, Tags: [{ Key: 'team', Value: 'ml' }], RoleLastUsed: {},
  });
  await assert.rejects(
    run('CreateRole', { RoleName: 'personalizerole', AssumeRolePolicyDocument: trust() }),
    code('EntityAlreadyExists', 'Role with name personalizerole already exists.', 409),
  );
  await assert.rejects(run('GetRole', { RoleName: 'ghost' }), code('NoSuchEntity', 'The role with name ghost cannot be found.', 404));
});

test('RoleLastUsed shows what STS recorded', async () => {
  await run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
  const doc = env.store.get<RoleDoc>(KIND.role, 'r')!;
  env.store.put(KIND.role, 'r', { ...doc, RoleLastUsed: { LastUsedDate: '2024-01-01T00:00:00Z', Region: 'us-east-1' } });
  assert.deepEqual((await run('GetRole', { RoleName: 'r' })).out.Role.RoleLastUsed, { LastUsedDate: new Date('2024-01-01T00:00:00Z'), Region: 'us-east-1' });
});

test('trust policies are validated as trust policies and size-limited', async () => {
  const withResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }] });
  await assert.rejects(run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: withResource }), code('MalformedPolicyDocument', 'Has prohibited field Resource', 400));
  const badAction = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 's3:GetObject' }] });
  await assert.rejects(run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: badAction }), code('MalformedPolicyDocument', 'AssumeRole policy may only specify STS AssumeRole actions.'));
  await assert.rejects(run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: '{' }), code('MalformedPolicyDocument', 'This policy contains invalid Json'));
  const many = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: Array.from({ length: 60 }, (_, i) => `arn:aws:iam::${String(i).padStart(12, '1')}:root`) }, Action: 'sts:AssumeRole' }],
  });
  await assert.rejects(run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: many }), code('LimitExceeded', 'Cannot exceed quota for ACLSizePerRole: 2048', 409));
  assert.equal(env.store.count(KIND.role), 0);
  await run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: encodeURIComponent(trust()) });
  assert.equal(env.store.get<RoleDoc>(KIND.role, 'r')!.AssumeRolePolicyDocument, trust());
});

test('CreateRole checks the boundary and tags', async () => {
  await assert.rejects(
    run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), PermissionsBoundary: `arn:aws:iam::${TEST_ACCOUNT}:not_a_policy/invalid` }),
    code('InvalidInput', `ARN arn:aws:iam::${TEST_ACCOUNT}:not_a_policy/invalid is not valid.`, 400),
  );
  await assert.rejects(
    run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), PermissionsBoundary: policyArn }),
    code('NoSuchEntity', `Scope ARN: ${policyArn} does not exist or is not attachable.`, 404),
  );
  await assert.rejects(
    run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }),
    code('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'),
  );
  const aws = await run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  assert.equal(aws.out.Role.PermissionsBoundary.PermissionsBoundaryArn, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
});

test('ListRoles: path prefix, members and paging', async () => {
  await run('CreateRole', { RoleName: 'a', AssumeRolePolicyDocument: trust(), Description: 'A', Tags: [{ Key: 'k', Value: 'v' }] });
  await run('CreateRole', { RoleName: 'b', Path: '/svc/', AssumeRolePolicyDocument: trust() });
  await run('CreateRole', { RoleName: 'c', Path: '/svc/', AssumeRolePolicyDocument: trust() });
  const { out, ctx } = await run('ListRoles');
  assert.deepEqual(ctx.queries, [{ action: 'iam:ListRoles', resource: '*' }]);
  assert.deepEqual(Object.keys(out.Roles[0]).sort(), ['Arn', 'AssumeRolePolicyDocument', 'CreateDate', 'Description', 'MaxSessionDuration', 'Path', 'RoleId', 'RoleName']);
  assert.deepEqual((await run('ListRoles', { PathPrefix: '/svc/' })).out.Roles.map((r: any) => r.RoleName), ['b', 'c']);
  const page = (await run('ListRoles', { MaxItems: 2 })).out;
  assert.equal(page.IsTruncated, true);
  assert.deepEqual((await run('ListRoles', { Marker: page.Marker })).out.Roles.map((r: any) => r.RoleName), ['c']);
});

test('UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy', async () => {
  await run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust(), Description: 'old' });
  assert.deepEqual((await run('UpdateRole', { RoleName: 'r', Description: 'new', MaxSessionDuration: 7200 })).out, {});
  await run('UpdateRole', { RoleName: 'r' });
  let role = (await run('GetRole', { RoleName: 'r' })).out.Role;
  assert.deepEqual([role.Description, role.MaxSessionDuration], ['new', 7200]);
  const described = (await run('UpdateRoleDescription', { RoleName: 'r', Description: 'via description' })).out.Role;
  assert.equal(described.Description, 'via description');
  assert.equal('MaxSessionDuration' in described || 'RoleLastUsed' in described, false);
  const { ctx } = await run('UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: trust('ec2.amazonaws.com') });
  assert.deepEqual(ctx.queries[0], { action: 'iam:UpdateAssumeRolePolicy', resource: roleArn('r'), resourceTags: {}, context: {} });
  role = (await run('GetRole', { RoleName: 'r' })).out.Role;
  assert.equal(role.AssumeRolePolicyDocument, encodeDocument(trust('ec2.amazonaws.com')));
  await assert.rejects(run('UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: 'nope' }), code('MalformedPolicyDocument'));
  await assert.rejects(run('UpdateRole', { RoleName: 'ghost' }), code('NoSuchEntity', 'The role with name ghost cannot be found.'));
});

test('DeleteRole refuses while managed or inline policies remain', async () => {
  await run('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
  await run('AttachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
  await assert.rejects(run('DeleteRole', { RoleName: 'r' }), code('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409));
  await run('DetachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
  await run('PutRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: policyDoc });
  await assert.rejects(run('DeleteRole', { RoleName: 'r' }), code('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409));
  await run('DeleteRolePolicy', { RoleName: 'r', PolicyName: 'p' });
  await run('DeleteRole', { RoleName: 'R' });
  assert.equal(env.store.count(KIND.role), 0);
  await assert.rejects(run('DeleteRole', { RoleName: 'r' }), code('NoSuchEntity', 'The role with name r cannot be found.'));
});
