import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkSetup, type SetupCheck, type SetupInput } from './check.js';
import { fixRequest } from './fix-request.js';
import { INTERACTIONS_SCHEMA, pzEnv, type PzEnv } from '../services/personalize/test-support.js';

const ACCOUNT = '000000000000';
const INPUT: SetupInput = { user: 'alice', role: 'PersonalizeRole', bucket: 'data', key: 'alias/personalize' };
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const NO_CONDITIONS_TRUST = doc({ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole' });

function withEnv(fn: (env: PzEnv) => Promise<void>) {
  return async () => {
    const env = pzEnv();
    try {
      await fn(env);
    } finally {
      env.close();
    }
  };
}

const step = (env: PzEnv, n: number, input: SetupInput = INPUT): SetupCheck => {
  const found = checkSetup(env.app, input).checks.find((c) => c.step === n);
  assert.ok(found, `no step ${n}`);
  return found;
};

/** Applies a fix through the real IAM, S3 or KMS operation its target names (as a person or the console would). */
async function apply(env: PzEnv, fix: SetupCheck['fix']): Promise<void> {
  assert.ok(fix, 'expected a fix');
  const request = fixRequest(fix);
  assert.ok(request, `no request for ${fix.target}`);
  await env.other(request.service, request.operation, request.input);
}

/** A user, a role trusted by Personalize without conditions, a bucket and a key with AWS's default key policy. */
async function bare(env: PzEnv): Promise<string> {
  await env.other('iam', 'CreateUser', { UserName: 'alice' });
  await env.other('iam', 'CreateRole', { RoleName: 'PersonalizeRole', AssumeRolePolicyDocument: NO_CONDITIONS_TRUST });
  await env.other('s3', 'CreateBucket', { Bucket: 'data' });
  const { KeyMetadata } = await env.other('kms', 'CreateKey', {});
  await env.other('kms', 'CreateAlias', { AliasName: 'alias/personalize', TargetKeyId: KeyMetadata.KeyId });
  return KeyMetadata.Arn;
}

test('from nothing every step fails, saying what is missing, with no fix and no exception', withEnv(async (env) => {
  const report = checkSetup(env.app, INPUT);
  assert.equal(report.passed, false);
  assert.deepEqual(report.checks.map((c) => [c.step, c.passed, c.fix]), [1, 2, 3, 4, 5].map((n) => [n, false, undefined]));
  assert.match(report.checks[0].detail, /no IAM user named alice/);
  assert.match(report.checks[2].detail, /no IAM role named PersonalizeRole/);
  assert.match(report.checks[3].detail, /no bucket named data/);
  assert.match(report.checks[4].detail, /no KMS key alias\/personalize/);
  // Without a key, step 5 is not asked.
  assert.deepEqual(checkSetup(env.app, { ...INPUT, key: undefined }).checks.map((c) => c.step), [1, 2, 3, 4]);
}));

test('each step fails, its proposed JSON applied through the real API makes it pass, and then all pass', withEnv(async (env) => {
  const keyArn = await bare(env);
  assert.deepEqual(checkSetup(env.app, INPUT).checks.map((c) => c.passed), [false, false, false, false, false]);

  const one = step(env, 1);
  assert.match(one.detail, new RegExp(`User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: personalize:CreateDatasetGroup .* because no identity-based policy allows`));
  assert.equal(one.fix!.target, 'inline policy PersonalizeAccess of user alice');
  await apply(env, one.fix);
  const onePassed = step(env, 1);
  assert.equal(onePassed.passed, true);
  assert.deepEqual([onePassed.deciding?.policy, onePassed.deciding?.statement], ['inline policy PersonalizeAccess of user alice', 'PersonalizeAccess']);
  assert.deepEqual(JSON.parse(onePassed.deciding!.json!).Action, ['personalize:*']);

  const two = step(env, 2);
  assert.match(two.detail, /iam:PassRole on resource: arn:aws:iam::000000000000:role\/PersonalizeRole/);
  assert.equal(two.fix!.target, 'inline policy PersonalizePassRole of user alice');
  await apply(env, two.fix);
  assert.equal(step(env, 2).passed, true);

  const three = step(env, 3);
  assert.match(three.detail, /on behalf of any account/);
  assert.equal(three.deciding?.policy, 'trust policy of role PersonalizeRole');
  assert.equal(three.fix!.target, 'trust policy of role PersonalizeRole');
  assert.deepEqual(JSON.parse(three.fix!.json).Statement[0].Condition,
    { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:personalize:*:${ACCOUNT}:*` } });
  await apply(env, three.fix);
  assert.equal(step(env, 3).passed, true);

  const four = step(env, 4);
  assert.match(four.detail, /as role PersonalizeRole: .*s3:GetObject/);
  assert.match(four.detail, /the bucket policy does not let personalize.amazonaws.com read it/);
  assert.equal(four.fix!.target, 'bucket policy of s3://data');
  assert.deepEqual(JSON.parse(four.fix!.json).Statement.map((s: any) => s.Principal), [
    { Service: 'personalize.amazonaws.com' }, { AWS: `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole` },
  ]);
  await apply(env, four.fix);
  assert.equal(step(env, 4).passed, true);

  const five = step(env, 5);
  assert.match(five.detail, /kms:GenerateDataKey/);
  assert.equal(five.fix!.target, `key policy of ${keyArn}`);
  await apply(env, five.fix);
  const fivePassed = step(env, 5);
  assert.equal(fivePassed.passed, true, fivePassed.detail);
  assert.equal(fivePassed.deciding?.statement, 'Allow Amazon Personalize to use the key');

  const report = checkSetup(env.app, INPUT);
  assert.equal(report.passed, true, JSON.stringify(report, null, 2));
  // Applying a fix again changes nothing: the statement is replaced by Sid, not added twice.
  await apply(env, one.fix);
  assert.equal(checkSetup(env.app, INPUT).passed, true);
}));

/** The guide's documents: the seed policy, a trust with aws:SourceAccount and aws:SourceArn, the role's read access, bucket and key policies. */
async function guideSetup(env: PzEnv): Promise<{ keyArn: string; policyArn: string }> {
  const keyArn = await bare(env);
  const role = `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`;
  const { Policy } = await env.other('iam', 'CreatePolicy', { PolicyName: 'PersonalizeSeed', PolicyDocument: doc(
    { Effect: 'Allow', Action: ['personalize:*'], Resource: '*' },
    { Effect: 'Allow', Action: ['iam:PassRole'], Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } } },
  ) });
  await env.other('iam', 'AttachUserPolicy', { UserName: 'alice', PolicyArn: Policy.Arn });
  await env.other('iam', 'UpdateAssumeRolePolicy', { RoleName: 'PersonalizeRole', PolicyDocument: doc({
    Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:personalize:us-east-1:${ACCOUNT}:*` } },
  }) });
  await env.other('iam', 'PutRolePolicy', { RoleName: 'PersonalizeRole', PolicyName: 'data', PolicyDocument: doc(
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'] },
  ) });
  await env.other('s3', 'PutBucketPolicy', { Bucket: 'data', Policy: doc({
    Sid: 'PersonalizeS3BucketAccessPolicy', Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' },
    Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'],
  }) });
  await env.other('kms', 'PutKeyPolicy', { KeyId: keyArn, PolicyName: 'default', Policy: doc(
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Allow use of the key', Effect: 'Allow', Principal: { AWS: role, Service: 'personalize.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ListGrants'], Resource: '*' },
  ) });
  return { keyArn, policyArn: Policy.Arn };
}

test('the seed\'s documents pass: SEED policy, trust with aws:SourceAccount and aws:SourceArn, role policy, bucket and key policies', withEnv(async (env) => {
  const { keyArn, policyArn } = await guideSetup(env);
  const report = checkSetup(env.app, { ...INPUT, key: keyArn });
  assert.equal(report.passed, true, JSON.stringify(report, null, 2));
  assert.equal(report.checks[0].deciding?.policy, `managed policy ${policyArn}`);
  assert.equal(report.checks[3].deciding?.policy, 'inline policy data of role PersonalizeRole');
  // The key may be named by id, alias or ARN; user and role by ARN too.
  assert.equal(checkSetup(env.app, { ...INPUT, user: `arn:aws:iam::${ACCOUNT}:user/alice`, key: keyArn.split('/')[1] }).passed, true);
}));

test('iam:PassRole allowed for any service: the allowing statement gets the condition, or a Deny is added where it cannot be edited', withEnv(async (env) => {
  await bare(env);
  const anyService = doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' });
  // An inline policy of the user: its statement gains iam:PassedToService.
  await env.other('iam', 'PutUserPolicy', { UserName: 'alice', PolicyName: 'pass', PolicyDocument: anyService });
  let two = step(env, 2);
  assert.match(two.detail, /to any service/);
  assert.equal(two.deciding?.policy, 'inline policy pass of user alice');
  assert.equal(two.fix!.target, 'inline policy pass of user alice');
  assert.deepEqual(JSON.parse(two.fix!.json).Statement[0].Condition, { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } });
  await apply(env, two.fix);
  assert.equal(step(env, 2).passed, true);
  await env.other('iam', 'DeleteUserPolicy', { UserName: 'alice', PolicyName: 'pass' });

  // A customer managed policy through a group: a new default version.
  const { Policy } = await env.other('iam', 'CreatePolicy', { PolicyName: 'PassAnything', PolicyDocument: anyService });
  await env.other('iam', 'CreateGroup', { GroupName: 'ops' });
  await env.other('iam', 'AttachGroupPolicy', { GroupName: 'ops', PolicyArn: Policy.Arn });
  await env.other('iam', 'AddUserToGroup', { GroupName: 'ops', UserName: 'alice' });
  two = step(env, 2);
  assert.equal(two.fix!.target, `managed policy ${Policy.Arn} (as its new default version)`);
  await apply(env, two.fix);
  assert.equal(step(env, 2).passed, true);
  await env.other('iam', 'RemoveUserFromGroup', { GroupName: 'ops', UserName: 'alice' });

  // An AWS managed policy allowing iam:* cannot be edited: a Deny for other services goes into the user's inline policy.
  await env.other('iam', 'AttachUserPolicy', { UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' });
  two = step(env, 2);
  assert.equal(two.deciding?.policy, 'managed policy arn:aws:iam::aws:policy/IAMFullAccess');
  assert.equal(two.fix!.target, 'inline policy PersonalizePassRoleOnly of user alice');
  await apply(env, two.fix);
  assert.equal(step(env, 2).passed, true);
}));

test('a role trusting another service only: the guide\'s trust statement is added, with the confused-deputy conditions', withEnv(async (env) => {
  await bare(env);
  await env.other('iam', 'UpdateAssumeRolePolicy', { RoleName: 'PersonalizeRole', PolicyDocument:
    doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) });
  const three = step(env, 3);
  assert.match(three.detail, /does not let personalize.amazonaws.com assume it for account 000000000000/);
  const added = JSON.parse(three.fix!.json).Statement;
  assert.equal(added.length, 2);
  assert.deepEqual(added[1].Condition, { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:personalize:*:${ACCOUNT}:*` } });
  await apply(env, three.fix);
  assert.equal(step(env, 3).passed, true);
}));

test('a trust shared with another service gets aws:SourceAccount only (the other service sends other source ARNs)', withEnv(async (env) => {
  await bare(env);
  await env.other('iam', 'UpdateAssumeRolePolicy', { RoleName: 'PersonalizeRole', PolicyDocument:
    doc({ Effect: 'Allow', Principal: { Service: ['personalize.amazonaws.com', 'ec2.amazonaws.com'] }, Action: 'sts:AssumeRole' }) });
  const three = step(env, 3);
  assert.deepEqual(JSON.parse(three.fix!.json).Statement[0].Condition, { StringEquals: { 'aws:SourceAccount': ACCOUNT } });
  await apply(env, three.fix);
  assert.equal(step(env, 3).passed, true);
}));

test('an explicit deny decides: it is shown with its Sid, and no allow is proposed', withEnv(async (env) => {
  await bare(env);
  await env.other('iam', 'PutUserPolicy', { UserName: 'alice', PolicyName: 'mixed', PolicyDocument: doc(
    { Effect: 'Allow', Action: 'personalize:*', Resource: '*' },
    { Sid: 'NoSolutions', Effect: 'Deny', Action: 'personalize:CreateSolution', Resource: '*' },
  ) });
  const one = step(env, 1);
  assert.equal(one.passed, false);
  assert.match(one.detail, /personalize:CreateSolution .* with an explicit deny in an identity-based policy/);
  assert.deepEqual([one.deciding?.policy, one.deciding?.statement], ['inline policy mixed of user alice', 'NoSolutions']);
  assert.equal(JSON.parse(one.deciding!.json!).Effect, 'Deny');
  assert.equal(one.fix, undefined);
}));

test('step 4: only the role lacks access → the role\'s inline policy; a bucket policy Deny → no fix', withEnv(async (env) => {
  await bare(env);
  await env.other('s3', 'PutBucketPolicy', { Bucket: 'data', Policy: doc({
    Sid: 'Svc', Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: ['s3:GetObject', 's3:ListBucket'],
    Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'],
  }) });
  const four = step(env, 4);
  assert.doesNotMatch(four.detail, /bucket policy does not let/);
  assert.equal(four.fix!.target, 'inline policy PersonalizeS3Access of role PersonalizeRole');
  await apply(env, four.fix);
  assert.equal(step(env, 4).passed, true);

  await env.other('s3', 'PutBucketPolicy', { Bucket: 'data', Policy: doc({
    Sid: 'NoReads', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*',
  }) });
  const denied = step(env, 4);
  assert.equal(denied.passed, false);
  assert.deepEqual([denied.deciding?.policy, denied.deciding?.statement, denied.fix], ['bucket policy of s3://data', 'NoReads', undefined]);
}));

test('step 5: a disabled key fails with EnableKey as the fix; a grant to the role counts as the key policy would', withEnv(async (env) => {
  const keyArn = await bare(env);
  const role = `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`;
  // The key policy lets the service in, the role only through a grant.
  await env.other('kms', 'PutKeyPolicy', { KeyId: keyArn, PolicyName: 'default', Policy: doc(
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Service', Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: '*' },
  ) });
  assert.match(step(env, 5).detail, /as role PersonalizeRole/);
  const { GrantId } = await env.other('kms', 'CreateGrant', { KeyId: keyArn, GranteePrincipal: role, Operations: ['Decrypt', 'GenerateDataKey'] });
  const granted = step(env, 5);
  assert.equal(granted.passed, true, granted.detail);
  assert.equal(granted.deciding?.policy, `KMS grant ${GrantId}`);

  await env.other('kms', 'DisableKey', { KeyId: keyArn });
  const disabled = step(env, 5);
  assert.match(disabled.detail, /is Disabled/);
  await apply(env, disabled.fix);
  assert.equal(step(env, 5).passed, true);
}));

test('doctor and the job path agree: a KMS-keyed import by the role runs when all steps pass, and fails when step 4 does', withEnv(async (env) => {
  const { keyArn } = await guideSetup(env);
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP'];
  for (let i = 0; i < 1000; i++) rows.push(`u${i % 50},i${i % 7},${1000 + i}`);
  await env.putObject('data', 'ix/part1.csv', rows.join('\n'));
  assert.equal(checkSetup(env.app, { ...INPUT, key: keyArn }).passed, true);

  const roleArn = `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`;
  const { datasetGroupArn } = await env.call('CreateDatasetGroup', { name: 'g', roleArn, kmsKeyArn: keyArn });
  const { schemaArn } = await env.call('CreateSchema', { name: 's', schema: INTERACTIONS_SCHEMA });
  await env.settle();
  const { datasetArn } = await env.call('CreateDataset', { name: 'd', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  await env.settle();
  const importJob = async (jobName: string) => {
    const { datasetImportJobArn } = await env.call('CreateDatasetImportJob', { jobName, datasetArn, dataSource: { dataLocation: 's3://data/ix/' }, roleArn });
    await env.settle();
    return (await env.call('DescribeDatasetImportJob', { datasetImportJobArn })).datasetImportJob;
  };
  const ok = await importJob('j1');
  assert.equal(ok.status, 'ACTIVE', ok.failureReason);

  await env.other('iam', 'DeleteRolePolicy', { RoleName: 'PersonalizeRole', PolicyName: 'data' });
  const four = step(env, 4);
  assert.equal(four.passed, false);
  assert.match(four.detail, /as role PersonalizeRole/);
  const failed = await importJob('j2');
  assert.equal(failed.status, 'CREATE FAILED');
  assert.match(failed.failureReason, /Insufficient privileges/);
}));

test('any names and key ids: every step answers (failed, with a detail), nothing throws', withEnv(async (env) => {
  await bare(env);
  const keysBefore = (await env.other('kms', 'ListKeys', {})).Keys.length;
  const name = fc.oneof(fc.string(), fc.constantFrom('alice', 'PersonalizeRole', 'data', 'arn:aws:iam::000000000000:user/alice', 's3://data/x'));
  const key = fc.oneof(fc.string(), fc.constantFrom('alias/personalize', 'alias/aws/s3', 'arn:aws:kms:eu-west-1:000000000000:key/x',
    'arn:aws:kms:us-east-1:000000000000:alias/none', '1234abcd-12ab-34cd-56ef-1234567890ab'));
  fc.assert(fc.property(name, name, name, fc.option(key, { nil: undefined }), (user, role, bucket, k) => {
    const report = checkSetup(env.app, { user, role, bucket, key: k });
    assert.equal(report.checks.length, k === undefined ? 4 : 5);
    for (const c of report.checks) assert.ok(c.detail.length > 0);
    assert.equal(report.passed, report.checks.every((c) => c.passed));
  }), { numRuns: 200 });
  // Looking changes nothing: e.g. alias/aws/s3 does not create the account's AWS managed key.
  assert.equal((await env.other('kms', 'ListKeys', {})).Keys.length, keysBefore);
}));
