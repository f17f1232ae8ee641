import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy } from '../../policy/index.js';
import { awsManagedPolicies, defaultDocument, findManagedPolicy, findPolicyVersion, isAwsManagedArn, parsePolicyArn } from './aws-managed.js';
import { testEnv } from './test-support.js';

test('the AWS managed policies the seed and the docs name are there, at AWS\'s paths', () => {
  const arns = awsManagedPolicies().map((p) => p.Arn);
  for (const name of ['AdministratorAccess', 'IAMFullAccess', 'ReadOnlyAccess', 'CloudWatchFullAccess', 'CloudWatchReadOnlyAccess', 'AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess']) {
    assert.ok(arns.includes(`arn:aws:iam::aws:policy/${name}`), name);
  }
  assert.ok(arns.includes('arn:aws:iam::aws:policy/service-role/AmazonPersonalizeFullAccess'));
  for (const p of awsManagedPolicies()) {
    assert.match(p.PolicyId, /^ANPA[A-Z2-7]{17}$/);
    assert.equal(isAwsManagedArn(p.Arn), true);
    assert.ok(!Number.isNaN(Date.parse(p.CreateDate)) && p.UpdateDate >= p.CreateDate);
  }
});

test('every AWS managed document is one the engine accepts and compiles', () => {
  const env = testEnv();
  try {
    for (const p of awsManagedPolicies()) {
      const text = defaultDocument(env.store, p)!;
      assert.equal(compilePolicy(text, p.Arn, 'identity').id, p.Arn);
      assert.equal(findPolicyVersion(env.store, p, p.DefaultVersionId)?.IsDefaultVersion, true);
    }
    assert.equal(findManagedPolicy(env.store, 'ARN:AWS:IAM::AWS:POLICY/ADMINISTRATORACCESS')?.PolicyName, 'AdministratorAccess');
    assert.equal(findManagedPolicy(env.store, 'arn:aws:iam::aws:policy/Nope'), undefined);
  } finally {
    env.close();
  }
});

test('policy ARNs are parsed into account, path and name', () => {
  assert.deepEqual(parsePolicyArn('arn:aws:iam::123456789012:policy/a/b/P'), { account: '123456789012', path: '/a/b/', name: 'P' });
  assert.deepEqual(parsePolicyArn('arn:aws:iam::aws:policy/ReadOnlyAccess'), { account: 'aws', path: '/', name: 'ReadOnlyAccess' });
  for (const bad of ['P', 'arn:aws:iam::123456789012:user/P', 'arn:aws:iam::12345:policy/P', 'arn:aws:iam::123456789012:policy/']) {
    assert.equal(parsePolicyArn(bad), undefined, bad);
  }
});
