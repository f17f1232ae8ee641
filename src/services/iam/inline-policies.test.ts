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
/** A valid document of exactly `size` non-white-space characters (padded in the Sid). */
const sized = (size: number) => {
  const base = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  return base.replace('"Sid":""', `"Sid":"${'a'.repeat(size - base.length)}"`);
};
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

beforeEach(async () => {
  env = testEnv();
  await run('CreateUser', { UserName: 'Alice' });
  await run('CreateGroup', { GroupName: 'Devs' });
  await run('CreateRole', { RoleName: 'Svc', AssumeRolePolicyDocument: trust });
});
afterEach(() => env.close());

const kinds = [
  { type: 'user', key: 'UserName', name: 'Alice', suffix: 'User', limit: 2048 },
  { type: 'group', key: 'GroupName', name: 'Devs', suffix: 'Group', limit: 5120 },
  { type: 'role', key: 'RoleName', name: 'Svc', suffix: 'Role', limit: 10240 },
] as const;

for (const k of kinds) {
  test(`${k.suffix}: put, get, list, delete`, async () => {
    const put = await run(`Put${k.suffix}Policy`, { [k.key]: k.name.toLowerCase(), PolicyName: 'read', PolicyDocument: doc() });
    assert.equal(put.out, undefined);
    assert.equal(put.ctx.queries[0].action, `iam:Put${k.suffix}Policy`);
    assert.equal(put.ctx.queries[0].resource, `arn:aws:iam::${TEST_ACCOUNT}:${k.type}/${k.name}`);
    await run(`Put${k.suffix}Policy`, { [k.key]: k.name, PolicyName: 'write', PolicyDocument: encodeURIComponent(doc('s3:PutObject')) });
    const got = (await run(`Get${k.suffix}Policy`, { [k.key]: k.name.toLowerCase(), PolicyName: 'write' })).out;
    assert.deepEqual(got, { [k.key]: k.name, PolicyName: 'write', PolicyDocument: encodeDocument(doc('s3:PutObject')) });
    assert.deepEqual((await run(`List${k.suffix}Policies`, { [k.key]: k.name })).out, { PolicyNames: ['read', 'write'], IsTruncated: false });
    const page = (await run(`List${k.suffix}Policies`, { [k.key]: k.name, MaxItems: 1 })).out;
    assert.deepEqual([page.PolicyNames, page.IsTruncated], [['read'], true]);
    assert.deepEqual((await run(`List${k.suffix}Policies`, { [k.key]: k.name, Marker: page.Marker })).out.PolicyNames, ['write']);

    await run(`Put${k.suffix}Policy`, { [k.key]: k.name, PolicyName: 'read', PolicyDocument: doc('s3:ListBucket') });
    assert.equal(env.store.count(KIND.inlinePolicy), 2);
    await run(`Delete${k.suffix}Policy`, { [k.key]: k.name, PolicyName: 'read' });
    const missing = code('NoSuchEntity', `The ${k.type} policy with name read cannot be found.`, 404);
    await assert.rejects(run(`Get${k.suffix}Policy`, { [k.key]: k.name, PolicyName: 'read' }), missing);
    await assert.rejects(run(`Delete${k.suffix}Policy`, { [k.key]: k.name, PolicyName: 'read' }), missing);
    await assert.rejects(
      run(`Put${k.suffix}Policy`, { [k.key]: 'ghost', PolicyName: 'p', PolicyDocument: doc() }),
      code('NoSuchEntity', `The ${k.type} with name ghost cannot be found.`),
    );
    await assert.rejects(run(`Put${k.suffix}Policy`, { [k.key]: k.name, PolicyName: 'bad', PolicyDocument: '{"Version":' }), code('MalformedPolicyDocument', undefined, 400));
  });

  test(`${k.suffix}: inline documents share a ${k.limit}-character quota, white space not counted`, async () => {
    const half = Math.floor(k.limit / 2);
    await run(`Put${k.suffix}Policy`, { [k.key]: k.name, PolicyName: 'a', PolicyDocument: sized(half) });
    const spaced = sized(k.limit - half).replace(/,/g, ' ,\n ');
    await run(`Put${k.suffix}Policy`, { [k.key]: k.name, PolicyName: 'b', PolicyDocument: spaced });
    // Replacing a policy counts its new text, not both.
    await run(`Put${k.suffix}Policy`, { [k.key]: k.name, PolicyName: 'b', PolicyDocument: sized(k.limit - half) });
    await assert.rejects(
      run(`Put${k.suffix}Policy`, { [k.key]: k.name, PolicyName: 'b', PolicyDocument: sized(k.limit - half + 1) }),
      code('LimitExceeded', `Maximum policy size of ${k.limit} bytes exceeded for ${k.type} ${k.name}`, 409),
    );
    assert.equal(env.store.get<any>(KIND.inlinePolicy, `${k.type}|${k.name.toLowerCase()}|b`).PolicyDocument, sized(k.limit - half));
  });
}
