import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTailor, aws, AWS_CLI, ROOT, ACCOUNT, SEED_POLICY } from '../../../test/integration/support.js';
import { testEnv, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import { operations as simulate } from './simulate.js';
import { operations as users } from './users.js';
import { operations as groups } from './groups.js';
import { operations as roles } from './roles.js';
import { operations as policies } from './policies.js';
import { operations as attachments } from './attachments.js';
import { operations as inline } from './inline-policies.js';
import { operations as boundaries } from './boundaries.js';

const hasAwsCli = spawnSync(AWS_CLI, ['--version'], { stdio: 'ignore' }).status === 0;
const ops = { ...simulate, ...users, ...groups, ...roles, ...policies, ...attachments, ...inline, ...boundaries };
let env: TestEnv;
const run = (op: string, input: object = {}) => env.run(ops, op, input);
const call = async (op: string, input: object) => (await run(op, input)).out;
const code = (c: string, message?: string) => (e: any) => {
  assert.equal(e.code, c);
  if (message !== undefined) assert.equal(e.message, message);
  return true;
};

const ALICE = `arn:aws:iam::${TEST_ACCOUNT}:user/alice`;
const ROLE = `arn:aws:iam::${TEST_ACCOUNT}:role/PersonalizeRole`;
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
/** The seed policy: all of Personalize, and iam:PassRole only to personalize.amazonaws.com. */
const SEED = doc(
  { Effect: 'Allow', Action: ['personalize:*'], Resource: '*' },
  { Effect: 'Allow', Action: ['iam:PassRole'], Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } } },
);
const TRUST = doc({ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole' });
const passedTo = (service: string) => [{ ContextKeyName: 'iam:PassedToService', ContextKeyValues: [service], ContextKeyType: 'string' }];

beforeEach(async () => {
  env = testEnv();
  const { Policy } = await call('CreatePolicy', { PolicyName: 'PersonalizeSeed', PolicyDocument: SEED });
  await run('CreateUser', { UserName: 'alice' });
  await run('AttachUserPolicy', { UserName: 'alice', PolicyArn: Policy.Arn });
  await run('CreateRole', { RoleName: 'PersonalizeRole', AssumeRolePolicyDocument: TRUST });
});
afterEach(() => env.close());

test('the seed policy passes a role only with iam:PassedToService = personalize.amazonaws.com', async () => {
  const without = await run('SimulatePrincipalPolicy', { PolicySourceArn: ALICE, ActionNames: ['iam:PassRole'], ResourceArns: [ROLE] });
  assert.deepEqual(without.ctx.queries, [{ action: 'iam:SimulatePrincipalPolicy', resource: ALICE, resourceTags: {} }]);
  const [r] = without.out.EvaluationResults;
  assert.equal(r.EvalDecision, 'implicitDeny');
  assert.deepEqual(r.MatchedStatements, []);
  assert.deepEqual(r.MissingContextValues, ['iam:PassedToService']);
  assert.deepEqual(r.EvalDecisionDetails, {});
  assert.deepEqual(r.ResourceSpecificResults, [{
    EvalResourceName: ROLE, EvalResourceDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: ['iam:PassedToService'],
  }]);
  assert.equal(without.out.IsTruncated, false);

  const withKey = await call('SimulatePrincipalPolicy', {
    PolicySourceArn: ALICE, ActionNames: ['iam:PassRole'], ResourceArns: [ROLE], ContextEntries: passedTo('personalize.amazonaws.com'),
  });
  const [a] = withKey.EvaluationResults;
  assert.equal(a.EvalDecision, 'allowed');
  assert.deepEqual(a.MissingContextValues, []);
  // The second statement of the compact document: from just after the first statement's `}` to after its own.
  const second = SEED.indexOf('{"Effect":"Allow","Action":["iam:PassRole"]');
  assert.deepEqual(a.MatchedStatements, [{
    SourcePolicyId: 'PersonalizeSeed', SourcePolicyType: 'IAM Policy',
    StartPosition: { Line: 1, Column: second }, EndPosition: { Line: 1, Column: SEED.length - 1 },
  }]);

  const other = await call('SimulatePrincipalPolicy', { PolicySourceArn: ALICE, ActionNames: ['iam:PassRole'], ContextEntries: passedTo('sagemaker.amazonaws.com') });
  assert.equal(other.EvaluationResults[0].EvalDecision, 'implicitDeny');
  assert.equal(other.EvaluationResults[0].EvalResourceName, '*');
  assert.equal(other.EvaluationResults[0].ResourceSpecificResults, undefined);
  assert.equal(other.EvaluationResults[0].EvalDecisionDetails, undefined);
});

test('MissingContextValues lists every key the policies use, as AWS does, also for actions other statements cover', async () => {
  const out = await call('SimulatePrincipalPolicy', { PolicySourceArn: ALICE, ActionNames: ['personalize:GetRecommendations'] });
  assert.equal(out.EvaluationResults[0].EvalDecision, 'allowed');
  assert.deepEqual(out.EvaluationResults[0].MissingContextValues, ['iam:PassedToService']);
  // Keys compare case-insensitively against the supplied entries.
  const supplied = await call('SimulatePrincipalPolicy', {
    PolicySourceArn: ALICE, ActionNames: ['personalize:GetRecommendations'], ContextEntries: [{ ContextKeyName: 'IAM:passedtoservice', ContextKeyValues: ['x'], ContextKeyType: 'string' }],
  });
  assert.deepEqual(supplied.EvaluationResults[0].MissingContextValues, []);
});

test('positions match what AWS reported for the same documents', async () => {
  // AWS CLI documentation example: a lone Statement object starts just after its `{`.
  const lone = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
  const allowed = await call('SimulateCustomPolicy', {
    PolicyInputList: [lone], ActionNames: ['dynamodb:CreateBackup'],
    ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2019-04-25T11:00:00Z'], ContextKeyType: 'date' }],
  });
  assert.deepEqual(allowed.EvaluationResults, [{
    EvalActionName: 'dynamodb:CreateBackup', EvalResourceName: '*', EvalDecision: 'allowed', MissingContextValues: [],
    MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } }],
  }]);
  const early = await call('SimulateCustomPolicy', {
    PolicyInputList: [lone], ActionNames: ['dynamodb:CreateBackup'],
    ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2014-04-25T11:00:00Z'], ContextKeyType: 'date' }],
  });
  assert.equal(early.EvaluationResults[0].EvalDecision, 'implicitDeny');
  assert.deepEqual(early.EvaluationResults[0].MatchedStatements, []);
});

test('explicit deny reports the denying statements of the identity and the resource policy, with positions', async () => {
  // A role policy as boto3 prints it, and a bucket policy as S3 stores it, from a published AWS run.
  const role = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 's3', Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteObject'], Resource: ['arn:aws:s3:::tims-fancy-bucket/only-here/*'] }] })
    .replace(/([,:])(?=["[{])/g, '$1 ');
  const bucket = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: '*', Resource: ['arn:aws:s3:::tims-fancy-bucket/*', 'arn:aws:s3:::tims-fancy-bucket'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      { Sid: 'DenyTimDelete', Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::tims-fancy-bucket/*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::112233445566:role/tims-test-role' } } },
    ],
  });
  const input = (secure: string) => ({
    PolicyInputList: [role], CallerArn: 'arn:aws:iam::112233445566:user/dummy', ResourcePolicy: bucket,
    ActionNames: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], ResourceArns: ['arn:aws:s3:::tims-fancy-bucket/only-here/some-obj'],
    ContextEntries: [
      { ContextKeyName: 'aws:principalarn', ContextKeyValues: ['arn:aws:iam::112233445566:role/tims-test-role'], ContextKeyType: 'string' },
      { ContextKeyName: 'aws:SecureTransport', ContextKeyValues: [secure], ContextKeyType: 'boolean' },
    ],
  });
  const ref = (id: string, type: string, from: number, to: number) => ({ SourcePolicyId: id, SourcePolicyType: type, StartPosition: { Line: 1, Column: from }, EndPosition: { Line: 1, Column: to } });
  const out = await call('SimulateCustomPolicy', input('true'));
  const [get, put, del] = out.EvaluationResults;
  assert.equal(get.EvalDecision, 'allowed');
  assert.deepEqual(get.MatchedStatements, [ref('PolicyInputList.1', 'IAM Policy', 41, 180)]);
  assert.equal(put.EvalDecision, 'implicitDeny');
  assert.equal(del.EvalDecision, 'explicitDeny');
  assert.deepEqual(del.MatchedStatements, [ref('ResourcePolicy', 'Resource Policy', 248, 470)]);
  assert.equal(del.ResourceSpecificResults[0].EvalResourceDecision, 'explicitDeny');

  const insecure = await call('SimulateCustomPolicy', input('false'));
  assert.equal(insecure.EvaluationResults[0].EvalDecision, 'explicitDeny');
  assert.deepEqual(insecure.EvaluationResults[0].MatchedStatements, [ref('ResourcePolicy', 'Resource Policy', 38, 248)]);
});

test('an identity deny wins over the allow and is the statement reported, across multi-line documents', async () => {
  const text = `{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "personalize:*", "Resource": "*"},\n    {"Sid": "NoDelete", "Effect": "Deny", "Action": "personalize:Delete*", "Resource": "*"}\n  ]\n}`;
  await run('PutUserPolicy', { UserName: 'alice', PolicyName: 'Guard', PolicyDocument: text });
  const out = await call('SimulatePrincipalPolicy', { PolicySourceArn: ALICE, ActionNames: ['personalize:DeleteCampaign', 'personalize:CreateCampaign'] });
  const [del, create] = out.EvaluationResults;
  assert.equal(del.EvalDecision, 'explicitDeny');
  assert.deepEqual(del.MatchedStatements, [{
    SourcePolicyId: 'user_alice_Guard', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 4, Column: 68 }, EndPosition: { Line: 5, Column: 92 },
  }]);
  assert.equal(create.EvalDecision, 'allowed');
  assert.deepEqual(create.MatchedStatements.map((s: any) => s.SourcePolicyId).sort(), ['PersonalizeSeed', 'user_alice_Guard']);
});

test('a permissions boundary limits the simulation and is reported in PermissionsBoundaryDecisionDetail', async () => {
  const { Policy } = await call('CreatePolicy', { PolicyName: 'OnlyRecommendations', PolicyDocument: doc({ Effect: 'Allow', Action: 'personalize:GetRecommendations', Resource: '*' }) });
  await run('PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: Policy.Arn });
  const out = await call('SimulatePrincipalPolicy', { PolicySourceArn: ALICE, ActionNames: ['personalize:GetRecommendations', 'personalize:CreateCampaign'] });
  const [get, create] = out.EvaluationResults;
  assert.equal(get.EvalDecision, 'allowed');
  assert.deepEqual(get.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
  assert.equal(create.EvalDecision, 'implicitDeny');
  assert.deepEqual(create.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });

  // PermissionsBoundaryPolicyInputList stands in for the user's own boundary.
  const wide = await call('SimulatePrincipalPolicy', {
    PolicySourceArn: ALICE, ActionNames: ['personalize:CreateCampaign'], PermissionsBoundaryPolicyInputList: [doc({ Effect: 'Allow', Action: '*', Resource: '*' })],
  });
  assert.equal(wide.EvaluationResults[0].EvalDecision, 'allowed');
  assert.deepEqual(wide.EvaluationResults[0].PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
  await assert.rejects(
    run('SimulatePrincipalPolicy', { PolicySourceArn: ALICE, ActionNames: ['s3:GetObject'], PermissionsBoundaryPolicyInputList: [SEED, SEED] }),
    code('InvalidInput', 'The list of Permissions Boundary policies cannot exceed 1 items.'),
  );
});

test('a resource policy decides across accounts, with EvalDecisionDetails per policy type', async () => {
  const bucketPolicy = doc({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' });
  const s3 = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
  const base = { PolicySourceArn: ALICE, PolicyInputList: [s3], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::shared/a', 'arn:aws:s3:::shared/b'] };
  const cross = await call('SimulatePrincipalPolicy', { ...base, ResourceOwner: '111122223333' });
  const [r] = cross.EvaluationResults;
  assert.equal(r.EvalDecision, 'implicitDeny');
  assert.deepEqual(r.EvalDecisionDetails, { 'IAM Policy': 'allowed', 'Resource Policy': 'implicitDeny' });
  assert.equal(r.ResourceSpecificResults.length, 2);

  const granted = await call('SimulatePrincipalPolicy', { ...base, ResourceOwner: 'arn:aws:iam::111122223333:root', ResourcePolicy: bucketPolicy });
  assert.equal(granted.EvaluationResults[0].EvalDecision, 'allowed');
  assert.deepEqual(granted.EvaluationResults[0].EvalDecisionDetails, { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' });
  assert.deepEqual(granted.EvaluationResults[0].MatchedStatements.map((s: any) => s.SourcePolicyId).sort(), ['PolicyInputList.1', 'ResourcePolicy']);

  // Within the account a resource policy naming the user allows on its own.
  const same = await call('SimulateCustomPolicy', { PolicyInputList: [doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' })], CallerArn: ALICE, ResourcePolicy: bucketPolicy, ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::shared/a'] });
  assert.equal(same.EvaluationResults[0].EvalDecision, 'allowed');
  assert.deepEqual(same.EvaluationResults[0].EvalDecisionDetails, {});

  const role = `arn:aws:iam::${TEST_ACCOUNT}:role/PersonalizeRole`;
  await assert.rejects(
    run('SimulatePrincipalPolicy', { PolicySourceArn: role, ActionNames: ['s3:GetObject'], ResourcePolicy: bucketPolicy }),
    code('InvalidInput', 'Invalid caller - Caller must be an IAM user in this context.'),
  );
});

test('MaxItems and Marker page over the actions', async () => {
  const input = { PolicySourceArn: ALICE, ActionNames: ['personalize:A', 'personalize:B', 'personalize:C'], MaxItems: 2 };
  const first = await call('SimulatePrincipalPolicy', input);
  assert.deepEqual(first.EvaluationResults.map((r: any) => r.EvalActionName), ['personalize:A', 'personalize:B']);
  assert.equal(first.IsTruncated, true);
  const rest = await call('SimulatePrincipalPolicy', { ...input, Marker: first.Marker });
  assert.deepEqual(rest.EvaluationResults.map((r: any) => r.EvalActionName), ['personalize:C']);
  assert.equal(rest.IsTruncated, false);
  assert.equal(rest.Marker, undefined);
});

test('groups and roles are policy sources; inline policies are named <type>_<entity>_<policy>', async () => {
  await run('CreateGroup', { GroupName: 'devs' });
  await run('PutGroupPolicy', { GroupName: 'devs', PolicyName: 'Logs', PolicyDocument: doc({ Effect: 'Allow', Action: 'logs:*', Resource: '*' }) });
  await run('AttachRolePolicy', { RoleName: 'PersonalizeRole', PolicyArn: 'arn:aws:iam::aws:policy/CloudWatchFullAccess' });
  const group = await call('SimulatePrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${TEST_ACCOUNT}:group/devs`, ActionNames: ['logs:PutLogEvents'] });
  assert.equal(group.EvaluationResults[0].MatchedStatements[0].SourcePolicyId, 'group_devs_Logs');
  const role = await call('SimulatePrincipalPolicy', { PolicySourceArn: ROLE, ActionNames: ['cloudwatch:PutMetricData', 'personalize:ListCampaigns'] });
  assert.equal(role.EvaluationResults[0].EvalDecision, 'allowed');
  assert.equal(role.EvaluationResults[0].MatchedStatements[0].SourcePolicyId, 'CloudWatchFullAccess');
  assert.equal(role.EvaluationResults[1].EvalDecision, 'implicitDeny');
  // A user's simulation includes the policies of the groups it belongs to.
  await run('AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
  const user = await call('SimulatePrincipalPolicy', { PolicySourceArn: ALICE, ActionNames: ['logs:PutLogEvents'] });
  assert.equal(user.EvaluationResults[0].EvalDecision, 'allowed');
});

test('bad sources and documents answer AWS-shaped errors', async () => {
  const session = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/PersonalizeRole/s1`;
  await assert.rejects(run('SimulatePrincipalPolicy', { PolicySourceArn: session, ActionNames: ['s3:GetObject'] }),
    code('InvalidInput', `Invalid Entity Arn: ${session} does not clearly define entity type and name.`));
  await assert.rejects(run('SimulatePrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${TEST_ACCOUNT}:user/nobody`, ActionNames: ['s3:GetObject'] }),
    code('NoSuchEntity', 'The user with name nobody cannot be found.'));
  await assert.rejects(run('SimulatePrincipalPolicy', { PolicySourceArn: 'arn:aws:iam::111122223333:user/alice', ActionNames: ['s3:GetObject'] }),
    code('InvalidInput', `Invalid Policy Source Arn: caller's account ${TEST_ACCOUNT} does not have access to policies in account 111122223333`));
  await assert.rejects(run('SimulateCustomPolicy', { PolicyInputList: ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}'], ActionNames: ['s3:GetObject'] }),
    code('InvalidInput', 'Policy statement must contain resources.'));
  await assert.rejects(run('SimulateCustomPolicy', { PolicyInputList: ['not json'], ActionNames: ['s3:GetObject'] }), code('InvalidInput'));
  await assert.rejects(run('SimulateCustomPolicy', { PolicyInputList: [SEED], ActionNames: ['s3:GetObject'], CallerArn: ROLE }),
    code('InvalidInput', 'Invalid caller - Caller must be an IAM user in this context.'));
  await assert.rejects(run('GetContextKeysForCustomPolicy', { PolicyInputList: ['{}'] }), code('InvalidInput'));
});

test('GetContextKeysFor…Policy lists condition keys and policy-variable keys, as AWS does', async () => {
  const example = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}';
  const { out, ctx } = await run('GetContextKeysForCustomPolicy', { PolicyInputList: [example] });
  assert.deepEqual(out, { ContextKeyNames: ['aws:username', 'aws:CurrentTime'] });
  assert.deepEqual(ctx.queries, [{ action: 'iam:GetContextKeysForCustomPolicy', resource: '*' }]);
  // Without Version 2012-10-17 `${…}` is literal text.
  const old = await call('GetContextKeysForCustomPolicy', { PolicyInputList: [example.replace('2012-10-17', '2008-10-17')] });
  assert.deepEqual(old.ContextKeyNames, ['aws:CurrentTime']);

  const principal = await run('GetContextKeysForPrincipalPolicy', { PolicySourceArn: ALICE, PolicyInputList: [example] });
  assert.deepEqual(principal.out.ContextKeyNames, ['iam:PassedToService', 'aws:username', 'aws:CurrentTime']);
  assert.equal(principal.ctx.queries[0].action, 'iam:GetContextKeysForPrincipalPolicy');
  assert.equal(principal.ctx.queries[0].resource, ALICE);
});

test('aws iam simulate-principal-policy, simulate-custom-policy and get-context-keys-* answer through the AWS CLI', { skip: !hasAwsCli && 'no AWS CLI' }, async () => {
  const tailor = await startTailor();
  try {
    const ok = async (args: string[]) => {
      const r = await aws(tailor.url, ROOT, args);
      assert.equal(r.status, 0, `aws ${args.join(' ')}: ${r.stderr}`);
      return r.json;
    };
    const policyFile = join(tailor.dataDir, 'seed.json');
    writeFileSync(policyFile, SEED_POLICY);
    const { Policy } = await ok(['iam', 'create-policy', '--policy-name', 'PersonalizeSeed', '--policy-document', `file://${policyFile}`]);
    await ok(['iam', 'create-user', '--user-name', 'alice']);
    await ok(['iam', 'attach-user-policy', '--user-name', 'alice', '--policy-arn', Policy.Arn]);
    const alice = `arn:aws:iam::${ACCOUNT}:user/alice`;
    const role = `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`;
    const simulate = ['iam', 'simulate-principal-policy', '--policy-source-arn', alice, '--action-names', 'iam:PassRole', 'personalize:CreateSolution', '--resource-arns', role];

    const denied = await ok(simulate);
    assert.deepEqual(denied.EvaluationResults.map((r: any) => [r.EvalActionName, r.EvalDecision]), [['iam:PassRole', 'implicitDeny'], ['personalize:CreateSolution', 'allowed']]);
    assert.deepEqual(denied.EvaluationResults[0].MissingContextValues, ['iam:PassedToService']);
    assert.deepEqual(denied.EvaluationResults[0].MatchedStatements, []);

    const allowed = await ok([...simulate, '--context-entries', 'ContextKeyName=iam:PassedToService,ContextKeyValues=personalize.amazonaws.com,ContextKeyType=string']);
    const [pass] = allowed.EvaluationResults;
    assert.equal(pass.EvalDecision, 'allowed');
    assert.deepEqual(pass.MissingContextValues, []);
    assert.deepEqual(pass.EvalDecisionDetails, {});
    assert.equal(pass.MatchedStatements[0].SourcePolicyId, 'PersonalizeSeed');
    assert.equal(pass.MatchedStatements[0].SourcePolicyType, 'IAM Policy');
    assert.equal(pass.MatchedStatements[0].StartPosition.Line, 1);
    assert.deepEqual(pass.ResourceSpecificResults.map((r: any) => [r.EvalResourceName, r.EvalResourceDecision]), [[role, 'allowed']]);

    // The CLI follows Marker on its own; --max-items shows the paging.
    const paged = await ok([...simulate, '--max-items', '1']);
    assert.equal(paged.EvaluationResults.length, 1);
    assert.ok(paged.NextToken);

    const custom = await ok(['iam', 'simulate-custom-policy', '--policy-input-list', SEED_POLICY, '--action-names', 'personalize:GetRecommendations']);
    assert.equal(custom.EvaluationResults[0].EvalDecision, 'allowed');
    assert.equal(custom.EvaluationResults[0].MatchedStatements[0].SourcePolicyId, 'PolicyInputList.1');

    const keys = await ok(['iam', 'get-context-keys-for-principal-policy', '--policy-source-arn', alice]);
    assert.deepEqual(keys.ContextKeyNames, ['iam:PassedToService']);
    const customKeys = await ok(['iam', 'get-context-keys-for-custom-policy', '--policy-input-list', SEED_POLICY]);
    assert.deepEqual(customKeys.ContextKeyNames, ['iam:PassedToService']);

    const missing = await aws(tailor.url, ROOT, ['iam', 'simulate-principal-policy', '--policy-source-arn', `arn:aws:iam::${ACCOUNT}:user/nobody`, '--action-names', 's3:GetObject']);
    assert.match(missing.stderr, /\(NoSuchEntity\) when calling the SimulatePrincipalPolicy operation: The user with name nobody cannot be found\./);
  } finally {
    await tailor.stop();
  }
});
