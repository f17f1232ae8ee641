import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequestContext, normalizeKey } from './index.js';
import type { Principal } from '../gateway/context.js';

const A = '111111111111';
const now = new Date('2024-06-15T12:00:00.123Z');
const user: Principal = { type: 'user', arn: `arn:aws:iam::${A}:user/ml/alice`, accountId: A, userId: 'AIDAX', userName: 'alice', accessKeyId: 'AKIA1' };
const session: Principal = {
  type: 'assumed-role',
  arn: `arn:aws:sts::${A}:assumed-role/app/s1`,
  accountId: A,
  userId: 'AROAX:s1',
  roleName: 'app',
  roleArn: `arn:aws:iam::${A}:role/app`,
  sessionName: 's1',
  accessKeyId: 'ASIA1',
  sessionTags: { team: 'blue' },
};
const get = (ctx: Record<string, unknown>, key: string) => ctx[normalizeKey(key)];

test('keys of an IAM user', () => {
  const ctx = buildRequestContext({ principal: user, now, sourceIp: '10.0.0.1', secureTransport: true, region: 'us-east-1', principalTags: { dept: 'ml' } });
  assert.equal(get(ctx, 'aws:username'), 'alice');
  assert.equal(get(ctx, 'aws:userid'), 'AIDAX');
  assert.equal(get(ctx, 'aws:PrincipalArn'), user.arn);
  assert.equal(get(ctx, 'aws:PrincipalAccount'), A);
  assert.equal(get(ctx, 'aws:PrincipalType'), 'User');
  assert.equal(get(ctx, 'aws:PrincipalTag/dept'), 'ml');
  assert.equal(get(ctx, 'aws:SourceIp'), '10.0.0.1');
  assert.equal(get(ctx, 'aws:SecureTransport'), true);
  assert.equal(get(ctx, 'aws:RequestedRegion'), 'us-east-1');
  assert.equal(get(ctx, 'aws:CurrentTime'), '2024-06-15T12:00:00Z');
  assert.equal(get(ctx, 'aws:EpochTime'), 1718452800);
  assert.equal(get(ctx, 'aws:PrincipalIsAWSService'), false);
  assert.equal(get(ctx, 'aws:MultiFactorAuthPresent'), undefined, 'absent for long-term keys');
  assert.equal(get(ctx, 'aws:TokenIssueTime'), undefined);
});

test('keys of a role session', () => {
  const ctx = buildRequestContext({ principal: session, now, mfa: true, tokenIssueTime: new Date('2024-06-15T11:00:00Z'), principalTags: { team: 'red', env: 'dev' } });
  assert.equal(get(ctx, 'aws:username'), undefined);
  assert.equal(get(ctx, 'aws:userid'), 'AROAX:s1');
  assert.equal(get(ctx, 'aws:PrincipalArn'), `arn:aws:iam::${A}:role/app`, 'the role ARN, not the session ARN');
  assert.equal(get(ctx, 'aws:PrincipalType'), 'AssumedRole');
  assert.equal(get(ctx, 'aws:PrincipalTag/team'), 'blue', 'session tags override role tags');
  assert.equal(get(ctx, 'aws:PrincipalTag/env'), 'dev');
  assert.equal(get(ctx, 'aws:MultiFactorAuthPresent'), true);
  assert.equal(get(ctx, 'aws:TokenIssueTime'), '2024-06-15T11:00:00Z');
});

test('the root user and service principals', () => {
  const root = buildRequestContext({ principal: { type: 'root', arn: `arn:aws:iam::${A}:root`, accountId: A, userId: A, accessKeyId: 'AKIA' }, now });
  assert.equal(get(root, 'aws:PrincipalType'), 'Account');
  assert.equal(get(root, 'aws:PrincipalArn'), `arn:aws:iam::${A}:root`);
  const svc = buildRequestContext({ principal: { type: 'service', arn: 'personalize.amazonaws.com', accountId: A, userId: '', service: 'personalize.amazonaws.com', accessKeyId: '' }, now });
  assert.equal(get(svc, 'aws:PrincipalIsAWSService'), true);
  assert.equal(get(svc, 'aws:PrincipalServiceName'), 'personalize.amazonaws.com');
  assert.equal(get(svc, 'aws:PrincipalArn'), undefined);
});

test('request and resource tags, and service keys', () => {
  const ctx = buildRequestContext({
    principal: user,
    now,
    requestTags: { Env: 'prod', Team: 'ml' },
    resourceTags: { Owner: 'alice' },
    extra: { 'iam:PassedToService': 'personalize.amazonaws.com', 's3:prefix': 'home/', 'kms:EncryptionContext:Project': 'x', 'aws:SourceArn': 'arn:aws:s3:::b' },
  });
  assert.equal(get(ctx, 'aws:RequestTag/Env'), 'prod');
  assert.deepEqual(get(ctx, 'aws:TagKeys'), ['Env', 'Team']);
  assert.equal(get(ctx, 'aws:ResourceTag/owner'), 'alice');
  assert.equal(get(ctx, 'IAM:PassedToService'), 'personalize.amazonaws.com');
  assert.equal(get(ctx, 'kms:encryptioncontext:project'), 'x');
  assert.equal(get(ctx, 'aws:SourceArn'), 'arn:aws:s3:::b');
});
