// Evaluation behaviours the corpus does not reach by data alone: explanations, federated and unique-id
// principals, context normalisation, and the seed policy end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequestContext, compilePolicy, evaluate, type EvaluationInput } from './index.js';
import type { Principal } from '../gateway/context.js';

const A = '111111111111';
const alice: Principal = { type: 'user', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, userId: 'AIDAALICEXXXXXXXXXXX', userName: 'alice', accessKeyId: 'AKIA1' };
const session: Principal = {
  type: 'assumed-role',
  arn: `arn:aws:sts::${A}:assumed-role/web/s1`,
  accountId: A,
  userId: 'AROAWEBXXXXXXXXXXXXX:s1',
  roleName: 'web',
  roleArn: `arn:aws:iam::${A}:role/web`,
  sessionName: 's1',
  accessKeyId: 'ASIA1',
};
const SEED = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["personalize:*"],"Resource":"*"},{"Effect":"Allow","Action":["iam:PassRole"],"Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"personalize.amazonaws.com"}}}]}';

const input = (over: Partial<EvaluationInput>): EvaluationInput => ({
  principal: alice,
  action: 's3:GetObject',
  resource: '*',
  context: {},
  identity: [],
  resourceAccount: A,
  ...over,
});

test('the seed policy lets the user pass a role only to personalize.amazonaws.com', () => {
  const seed = compilePolicy(SEED, 'seed', 'identity');
  const ask = (service?: string) =>
    evaluate(input({ action: 'iam:PassRole', resource: `arn:aws:iam::${A}:role/PersonalizeRole`, identity: [seed], context: service ? { 'iam:PassedToService': service } : {} })).decision;
  assert.equal(ask('personalize.amazonaws.com'), 'allowed');
  assert.equal(ask('ec2.amazonaws.com'), 'implicitDeny');
  assert.equal(ask('lambda.amazonaws.com'), 'implicitDeny');
  assert.equal(ask(), 'implicitDeny');
  assert.equal(evaluate(input({ action: 'personalize:GetRecommendations', identity: [seed] })).decision, 'allowed');
});

test('matched statements carry policy, index, Sid and source positions', () => {
  const text = '{"Version":"2012-10-17",\n"Statement":[\n {"Sid":"Read","Effect":"Allow","Action":"s3:Get*","Resource":"*"},\n {"Effect":"Allow","Action":"s3:*","Resource":"*"}\n]}';
  const d = evaluate(input({ identity: [compilePolicy(text, 'p1', 'identity')] }));
  assert.equal(d.decision, 'allowed');
  const byIndex = [...d.matched].sort((a, b) => a.statementIndex - b.statementIndex);
  assert.deepEqual(byIndex[0], { policyId: 'p1', policyType: 'identity', statementIndex: 0, sid: 'Read', start: { line: 3, column: 2 }, end: { line: 3, column: 67 } });
  assert.deepEqual(byIndex[1].start, { line: 4, column: 2 });
  assert.equal(byIndex[1].sid, undefined);
});

test('an implicit deny matches no statement', () => {
  const d = evaluate(input({ identity: [compilePolicy('{"Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}', 'p', 'identity')] }));
  assert.deepEqual(d, { decision: 'implicitDeny', matched: [], deniedBy: 'identity' });
});

test('a Federated principal matches the identity provider of the request', () => {
  const trust = compilePolicy(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'pool-1' } } },
    }),
    't',
    'trust',
  );
  const ask = (provider: string, aud: string) =>
    evaluate(input({ principal: session, action: 'sts:AssumeRoleWithWebIdentity', resource: `arn:aws:iam::${A}:role/web`, resourcePolicy: trust, federatedProvider: provider, context: { 'cognito-identity.amazonaws.com:aud': aud } })).decision;
  assert.equal(ask('cognito-identity.amazonaws.com', 'pool-1'), 'allowed');
  assert.equal(ask('cognito-identity.amazonaws.com', 'pool-2'), 'implicitDeny');
  assert.equal(ask('accounts.google.com', 'pool-1'), 'implicitDeny');
});

test('a principal named by unique id (as AWS shows a deleted-then-recreated principal) matches that id only', () => {
  const bucket = (id: string) =>
    compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { AWS: id }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' } }), 'b', 'resource');
  assert.equal(evaluate(input({ resource: 'arn:aws:s3:::b/x', resourcePolicy: bucket('AIDAALICEXXXXXXXXXXX') })).decision, 'allowed');
  assert.equal(evaluate(input({ resource: 'arn:aws:s3:::b/x', resourcePolicy: bucket('AIDAOTHERXXXXXXXXXXX') })).decision, 'implicitDeny');
  assert.equal(evaluate(input({ principal: session, resource: 'arn:aws:s3:::b/x', resourcePolicy: bucket('AROAWEBXXXXXXXXXXXXX') })).decision, 'allowed');
});

test('a caller-built context is normalised (keys in any case)', () => {
  const p = compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } } }), 'p', 'identity');
  assert.equal(evaluate(input({ identity: [p], context: { 'AWS:SOURCEVPC': 'vpc-1' } })).decision, 'allowed');
  const built = buildRequestContext({ principal: alice, now: new Date(), extra: { 'aws:SourceVpc': 'vpc-1' } });
  assert.equal(evaluate(input({ identity: [p], context: built })).decision, 'allowed');
});

test('a compiled policy is reusable across principals and requests', () => {
  const p = compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' } }), 'p', 'identity');
  const carol: Principal = { ...alice, arn: `arn:aws:iam::${A}:user/carol`, userName: 'carol' };
  const ask = (who: Principal, key: string) =>
    evaluate(input({ principal: who, resource: `arn:aws:s3:::home/${key}`, identity: [p], context: buildRequestContext({ principal: who, now: new Date() }) })).decision;
  assert.equal(ask(alice, 'alice/x'), 'allowed');
  assert.equal(ask(carol, 'carol/x'), 'allowed');
  assert.equal(ask(carol, 'alice/x'), 'implicitDeny');
  assert.equal(ask(alice, 'alice/y'), 'allowed');
});
