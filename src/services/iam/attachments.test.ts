import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv, awsErrorIs, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import { iamProvider } from './index.js';
import { KIND, type AttachmentDoc } from './schema.js';

let env: TestEnv;
const run = (op: string, input: object = {}) => env.run(iamProvider.operations, op, input);
const code = awsErrorIs;
const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const arnOf = (name: string, path = '/') => `arn:aws:iam::${TEST_ACCOUNT}:policy${path}${name}`;
const CW = 'arn:aws:iam::aws:policy/CloudWatchFullAccess';

beforeEach(async () => {
  env = testEnv();
  await run('CreateUser', { UserName: 'alice' });
  await run('CreateGroup', { GroupName: 'devs' });
  await run('CreateRole', { RoleName: 'svc', AssumeRolePolicyDocument: trust });
  await run('CreatePolicy', { PolicyName: 'P', PolicyDocument: doc });
  await run('CreatePolicy', { PolicyName: 'Q', Path: '/team/', PolicyDocument: doc });
});
afterEach(() => env.close());

const kinds = [
  { type: 'user', key: 'UserName', name: 'alice', suffix: 'User', quota: 'PoliciesPerUser' },
  { type: 'group', key: 'GroupName', name: 'devs', suffix: 'Group', quota: 'PoliciesPerGroup' },
  { type: 'role', key: 'RoleName', name: 'svc', suffix: 'Role', quota: 'PoliciesPerRole' },
] as const;

for (const k of kinds) {
  test(`${k.suffix}: attach, list, detach keep both indexes in step`, async () => {
    const attach = await run(`Attach${k.suffix}Policy`, { [k.key]: k.name.toUpperCase(), PolicyArn: arnOf('P') });
    assert.equal(attach.out, undefined);
    assert.deepEqual(attach.ctx.queries[0].context, { 'iam:PolicyARN': arnOf('P') });
    assert.equal(attach.ctx.queries[0].action, `iam:Attach${k.suffix}Policy`);
    assert.equal(attach.ctx.queries[0].resource, `arn:aws:iam::${TEST_ACCOUNT}:${k.type}/${k.name}`);
    await run(`Attach${k.suffix}Policy`, { [k.key]: k.name, PolicyArn: arnOf('P') });
    await run(`Attach${k.suffix}Policy`, { [k.key]: k.name, PolicyArn: CW });
    await run(`Attach${k.suffix}Policy`, { [k.key]: k.name, PolicyArn: arnOf('Q', '/team/') });
    const stored = env.store.get<AttachmentDoc>(KIND.attachment, `${k.type}|${k.name}|${arnOf('P')}`);
    assert.deepEqual(stored, { EntityType: k.type, EntityName: k.name, PolicyArn: arnOf('P'), PolicyName: 'P' });
    assert.deepEqual(env.store.get(KIND.policyAttachment, `${arnOf('P')}|${k.type}|${k.name}`), stored);

    const listed = (await run(`ListAttached${k.suffix}Policies`, { [k.key]: k.name })).out;
    assert.deepEqual(listed, {
      AttachedPolicies: [
        { PolicyName: 'P', PolicyArn: arnOf('P') },
        { PolicyName: 'Q', PolicyArn: arnOf('Q', '/team/') },
        { PolicyName: 'CloudWatchFullAccess', PolicyArn: CW },
      ],
      IsTruncated: false,
    });
    const team = (await run(`ListAttached${k.suffix}Policies`, { [k.key]: k.name, PathPrefix: '/team/' })).out;
    assert.deepEqual(team.AttachedPolicies.map((p: any) => p.PolicyName), ['Q']);
    const page = (await run(`ListAttached${k.suffix}Policies`, { [k.key]: k.name, MaxItems: 2 })).out;
    assert.equal(page.IsTruncated, true);
    assert.deepEqual((await run(`ListAttached${k.suffix}Policies`, { [k.key]: k.name, Marker: page.Marker })).out.AttachedPolicies.length, 1);
    assert.equal((await run('GetPolicy', { PolicyArn: arnOf('P') })).out.Policy.AttachmentCount, 1);
    assert.equal((await run('GetPolicy', { PolicyArn: CW })).out.Policy.AttachmentCount, 1);

    await run(`Detach${k.suffix}Policy`, { [k.key]: k.name, PolicyArn: arnOf('P') });
    assert.equal(env.store.get(KIND.attachment, `${k.type}|${k.name}|${arnOf('P')}`), undefined);
    assert.equal(env.store.get(KIND.policyAttachment, `${arnOf('P')}|${k.type}|${k.name}`), undefined);
    await assert.rejects(
      run(`Detach${k.suffix}Policy`, { [k.key]: k.name, PolicyArn: arnOf('P') }),
      code('NoSuchEntity', `Policy ${arnOf('P')} was not found.`, 404),
    );
  });

  test(`${k.suffix}: missing entity, missing policy, bad ARN, quota`, async () => {
    await assert.rejects(
      run(`Attach${k.suffix}Policy`, { [k.key]: 'ghost', PolicyArn: arnOf('P') }),
      code('NoSuchEntity', `The ${k.type} with name ghost cannot be found.`, 404),
    );
    await assert.rejects(
      run(`Attach${k.suffix}Policy`, { [k.key]: k.name, PolicyArn: arnOf('Nope') }),
      code('NoSuchEntity', `Policy ${arnOf('Nope')} does not exist or is not attachable.`, 404),
    );
    await assert.rejects(
      run(`Attach${k.suffix}Policy`, { [k.key]: k.name, PolicyArn: 'arn:aws:iam::aws:policy/NoSuchAwsPolicy' }),
      code('NoSuchEntity', 'Policy arn:aws:iam::aws:policy/NoSuchAwsPolicy does not exist or is not attachable.'),
    );
    await assert.rejects(run(`Attach${k.suffix}Policy`, { [k.key]: k.name, PolicyArn: 'P' }), code('ValidationError', 'ARN P is not valid.', 400));
    await assert.rejects(run(`ListAttached${k.suffix}Policies`, { [k.key]: 'ghost' }), code('NoSuchEntity'));
    for (let i = 0; i < 10; i++) {
      await run('CreatePolicy', { PolicyName: `N${i}`, PolicyDocument: doc });
      await run(`Attach${k.suffix}Policy`, { [k.key]: k.name, PolicyArn: arnOf(`N${i}`) });
    }
    await assert.rejects(
      run(`Attach${k.suffix}Policy`, { [k.key]: k.name, PolicyArn: arnOf('P') }),
      code('LimitExceeded', `Cannot exceed quota for ${k.quota}: 10`, 409),
    );
    assert.equal(env.store.count(KIND.attachment), 10);
    assert.equal(env.store.count(KIND.policyAttachment), 10);
  });
}

test('the entity\'s boundary is in the context of user and role attachments', async () => {
  await run('PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: arnOf('Q', '/team/') });
  const { ctx } = await run('AttachUserPolicy', { UserName: 'alice', PolicyArn: arnOf('P') });
  assert.deepEqual(ctx.queries[0].context, { 'iam:PermissionsBoundary': arnOf('Q', '/team/'), 'iam:PolicyARN': arnOf('P') });
});

test('a denied attachment stores nothing', async () => {
  env.deny = (q) => q.action === 'iam:AttachUserPolicy';
  await assert.rejects(run('AttachUserPolicy', { UserName: 'alice', PolicyArn: arnOf('P') }), code('AccessDenied'));
  assert.equal(env.store.count(KIND.attachment), 0);
});
