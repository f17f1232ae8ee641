// Pathological input must not make validation or a decision slow: no backtracking, no deep recursion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedPolicyError, compilePolicy, evaluate, validatePolicy } from './index.js';
import type { Principal } from '../gateway/context.js';

const A = '111111111111';
const alice: Principal = { type: 'user', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, userId: 'AIDAX', userName: 'alice', accessKeyId: 'K' };

function timed(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const decide = (statement: object, action: string, resource: string, context = {}) =>
  evaluate({
    principal: alice,
    action,
    resource,
    context,
    identity: [compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statement }), 'p', 'identity')],
    resourceAccount: A,
  });

test('a Resource of thousands of *? against a long ARN decides quickly', () => {
  const pattern = `arn:aws:s3:::${'*?'.repeat(3000)}b`;
  const resource = `arn:aws:s3:::${'a'.repeat(5000)}`;
  const ms = timed(() => assert.equal(decide({ Effect: 'Allow', Action: 's3:GetObject', Resource: pattern }, 's3:GetObject', resource).decision, 'implicitDeny'));
  assert.ok(ms < 200, `${ms} ms`);
});

test('a long segment with ? inside stars decides quickly', () => {
  const pattern = `arn:aws:s3:::*${'a?'.repeat(2000)}b*`;
  const resource = `arn:aws:s3:::${'a'.repeat(6000)}`;
  const ms = timed(() => assert.equal(decide({ Effect: 'Allow', Action: 's3:GetObject', Resource: pattern }, 's3:GetObject', resource).decision, 'implicitDeny'));
  assert.ok(ms < 500, `${ms} ms`);
});

test('StringLike with thousands of stars decides quickly', () => {
  const stmt = { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringLike: { 's3:prefix': `${'*a'.repeat(3000)}b` } } };
  const ms = timed(() => assert.equal(decide(stmt, 's3:ListBucket', '*', { 's3:prefix': 'a'.repeat(10000) }).decision, 'implicitDeny'));
  assert.ok(ms < 200, `${ms} ms`);
});

test('an action pattern of thousands of wildcards decides quickly', () => {
  const ms = timed(() => assert.equal(decide({ Effect: 'Allow', Action: `s3:${'*?'.repeat(3000)}x`, Resource: '*' }, `s3:${'G'.repeat(5000)}`, '*').decision, 'implicitDeny'));
  assert.ok(ms < 200, `${ms} ms`);
});

test('deeply nested or huge documents are refused or read without blowing the stack', () => {
  const deep = `{"Version":"2012-10-17","Statement":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  assert.throws(() => validatePolicy(deep, 'identity'), MalformedPolicyError);
  const nestedCondition = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}}`;
  assert.throws(() => validatePolicy(nestedCondition, 'identity'), MalformedPolicyError);
  const many = JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 20_000 }, (_, i) => ({ Effect: 'Allow', Action: `s3:Get${i}`, Resource: '*' })) });
  const ms = timed(() => validatePolicy(many, 'identity'));
  assert.ok(ms < 2_000, `${ms} ms`);
});
