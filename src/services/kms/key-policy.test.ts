import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmsEnv, TEST_ACCOUNT } from './test-support.js';
import { defaultKeyPolicy } from './key-policy.js';

const policy = (principal: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'All', Effect: 'Allow', Principal: { AWS: principal }, Action: 'kms:*', Resource: '*' }],
});

test('a key made without a policy gets AWS default key policy, as AWS lays it out', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const out = env.call('GetKeyPolicy', { KeyId: m.KeyId, PolicyName: 'default' });
    assert.equal(out.PolicyName, 'default');
    assert.equal(out.Policy, `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${TEST_ACCOUNT}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`);
    assert.deepEqual(JSON.parse(out.Policy).Statement[0].Principal, { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` });
    assert.equal(env.last.queries[0].action, 'kms:GetKeyPolicy');
    // The policy the engine sees for this key is the same text.
    assert.equal(env.last.queries[0].resourcePolicy?.text, defaultKeyPolicy(TEST_ACCOUNT));
  } finally {
    env.close();
  }
});

test('CreateKey and PutKeyPolicy store a given policy; the key is then judged by it', () => {
  const env = kmsEnv();
  try {
    const first = policy(`arn:aws:iam::${TEST_ACCOUNT}:root`);
    const { KeyMetadata: m } = env.call('CreateKey', { Policy: first });
    assert.equal(env.call('GetKeyPolicy', { KeyId: m.KeyId }).Policy, first);
    const second = policy(`arn:aws:iam::${TEST_ACCOUNT}:user/admin`);
    env.call('PutKeyPolicy', { KeyId: m.Arn, PolicyName: 'default', Policy: second });
    const [put] = env.last.queries;
    assert.equal(put.action, 'kms:PutKeyPolicy');
    assert.equal(put.resourcePolicy?.text, first, 'PutKeyPolicy is judged by the policy in force');
    assert.equal(put.context?.['kms:BypassPolicyLockoutSafetyCheck'], false);
    env.call('DescribeKey', { KeyId: m.KeyId });
    assert.equal(env.last.queries[0].resourcePolicy?.text, second);
    assert.deepEqual(env.call('ListKeyPolicies', { KeyId: m.KeyId }), { PolicyNames: ['default'], Truncated: false, NextMarker: undefined });
    assert.throws(() => env.call('GetKeyPolicy', { KeyId: m.KeyId, PolicyName: 'other' }), { code: 'NotFoundException' });
  } finally {
    env.close();
  }
});

test('malformed key policies are MalformedPolicyDocumentException and change nothing', () => {
  const env = kmsEnv();
  try {
    for (const bad of ['not json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] })]) {
      assert.throws(() => env.call('CreateKey', { Policy: bad }), { code: 'MalformedPolicyDocumentException', status: 400 });
    }
    assert.equal(env.call('ListKeys', {}).Keys.length, 0);
    const { KeyMetadata: m } = env.call('CreateKey', {});
    assert.throws(() => env.call('PutKeyPolicy', { KeyId: m.KeyId, Policy: 'not json' }), { code: 'MalformedPolicyDocumentException' });
    assert.equal(env.call('GetKeyPolicy', { KeyId: m.KeyId }).Policy, defaultKeyPolicy(TEST_ACCOUNT));
  } finally {
    env.close();
  }
});

test('the lockout safety check refuses a policy that would stop the caller from changing it, unless bypassed', () => {
  const env = kmsEnv();
  try {
    const locking = policy('arn:aws:iam::111122223333:root');
    // The probe asks kms:PutKeyPolicy under the new policy: deny exactly that question.
    env.deny = (q) => q.action === 'kms:PutKeyPolicy' && q.resourcePolicy?.text === locking;
    const lockout = { code: 'MalformedPolicyDocumentException', message: 'The new key policy will not allow you to update the key policy in the future.' };
    assert.throws(() => env.call('CreateKey', { Policy: locking }), lockout);
    assert.equal(env.store.count('kms.key'), 0);
    const { KeyMetadata: m } = env.call('CreateKey', {});
    assert.throws(() => env.call('PutKeyPolicy', { KeyId: m.KeyId, Policy: locking }), lockout);
    env.call('PutKeyPolicy', { KeyId: m.KeyId, Policy: locking, BypassPolicyLockoutSafetyCheck: true });
    assert.equal(env.last.queries.length, 1);
    assert.equal(env.call('GetKeyPolicy', { KeyId: m.KeyId }).Policy, locking);
    const bypassed = env.call('CreateKey', { Policy: locking, BypassPolicyLockoutSafetyCheck: true }).KeyMetadata;
    assert.equal(env.last.queries[0].context?.['kms:BypassPolicyLockoutSafetyCheck'], true);
    assert.equal(env.call('GetKeyPolicy', { KeyId: bypassed.KeyId }).Policy, locking);
  } finally {
    env.close();
  }
});
