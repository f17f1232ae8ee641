import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv, awsErrorIs, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import { iamProvider } from './index.js';

let env: TestEnv;
const run = (op: string, input: object = {}) => env.run(iamProvider.operations, op, input);
const code = awsErrorIs;
const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const arnOf = (name: string) => `arn:aws:iam::${TEST_ACCOUNT}:policy/${name}`;

beforeEach(async () => {
  env = testEnv();
  await run('CreateUser', { UserName: 'alice' });
  await run('CreateRole', { RoleName: 'svc', AssumeRolePolicyDocument: trust });
  await run('CreatePolicy', { PolicyName: 'B1', PolicyDocument: doc });
  await run('CreatePolicy', { PolicyName: 'B2', PolicyDocument: doc });
});
afterEach(() => env.close());

const kinds = [
  { type: 'user', key: 'UserName', name: 'alice', suffix: 'User', get: 'GetUser', out: 'User' },
  { type: 'role', key: 'RoleName', name: 'svc', suffix: 'Role', get: 'GetRole', out: 'Role' },
] as const;

for (const k of kinds) {
  test(`${k.suffix}: put, replace and delete a boundary`, async () => {
    const put = await run(`Put${k.suffix}PermissionsBoundary`, { [k.key]: k.name, PermissionsBoundary: arnOf('B1') });
    assert.deepEqual(put.ctx.queries[0], {
      action: `iam:Put${k.suffix}PermissionsBoundary`, resource: `arn:aws:iam::${TEST_ACCOUNT}:${k.type}/${k.name}`,
      resourceTags: {}, context: { 'iam:PermissionsBoundary': arnOf('B1') },
    });
    const entity = async () => (await run(k.get, { [k.key]: k.name })).out[k.out];
    assert.deepEqual((await entity()).PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arnOf('B1') });
    assert.equal((await run('GetPolicy', { PolicyArn: arnOf('B1') })).out.Policy.PermissionsBoundaryUsageCount, 1);

    // Replacing names the new boundary in the request context.
    const replace = await run(`Put${k.suffix}PermissionsBoundary`, { [k.key]: k.name, PermissionsBoundary: arnOf('B2') });
    assert.deepEqual(replace.ctx.queries[0].context, { 'iam:PermissionsBoundary': arnOf('B2') });
    assert.equal((await run('GetPolicy', { PolicyArn: arnOf('B1') })).out.Policy.PermissionsBoundaryUsageCount, 0);

    // Deleting names the current one.
    const del = await run(`Delete${k.suffix}PermissionsBoundary`, { [k.key]: k.name });
    assert.deepEqual(del.ctx.queries[0].context, { 'iam:PermissionsBoundary': arnOf('B2') });
    assert.equal('PermissionsBoundary' in (await entity()), false);
    await run(`Delete${k.suffix}PermissionsBoundary`, { [k.key]: k.name });

    await run(`Put${k.suffix}PermissionsBoundary`, { [k.key]: k.name, PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
    assert.equal((await run('GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' })).out.Policy.PermissionsBoundaryUsageCount, 1);
  });

  test(`${k.suffix}: boundary errors`, async () => {
    await assert.rejects(
      run(`Put${k.suffix}PermissionsBoundary`, { [k.key]: k.name, PermissionsBoundary: `arn:aws:iam::${TEST_ACCOUNT}:not_a_policy/invalid` }),
      code('InvalidInput', `ARN arn:aws:iam::${TEST_ACCOUNT}:not_a_policy/invalid is not valid.`, 400),
    );
    await assert.rejects(
      run(`Put${k.suffix}PermissionsBoundary`, { [k.key]: k.name, PermissionsBoundary: arnOf('Nope') }),
      code('NoSuchEntity', `Scope ARN: ${arnOf('Nope')} does not exist or is not attachable.`, 404),
    );
    await assert.rejects(
      run(`Put${k.suffix}PermissionsBoundary`, { [k.key]: 'ghost', PermissionsBoundary: arnOf('B1') }),
      code('NoSuchEntity', `The ${k.type} with name ghost cannot be found.`, 404),
    );
    await assert.rejects(run(`Delete${k.suffix}PermissionsBoundary`, { [k.key]: 'ghost' }), code('NoSuchEntity'));
    env.deny = (q) => q.action === `iam:Put${k.suffix}PermissionsBoundary`;
    await assert.rejects(run(`Put${k.suffix}PermissionsBoundary`, { [k.key]: k.name, PermissionsBoundary: arnOf('B1') }), code('AccessDenied'));
    env.deny = undefined;
    assert.equal('PermissionsBoundary' in (await run(k.get, { [k.key]: k.name })).out[k.out], false);
  });
}
