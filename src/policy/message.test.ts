import { test } from 'node:test';
import assert from 'node:assert/strict';
import { denialMessage, type Decision, type PolicyType } from './index.js';

const user = 'arn:aws:iam::000000000000:user/alice';
const deny = (decision: Decision['decision'], deniedBy: PolicyType): Decision => ({ decision, matched: [], deniedBy });

test('implicit denial per policy type', () => {
  const rows: [PolicyType, string][] = [
    ['identity', 'because no identity-based policy allows the iam:CreateUser action'],
    ['resource', 'because no resource-based policy allows the iam:CreateUser action'],
    ['key', 'because no resource-based policy allows the iam:CreateUser action'],
    ['boundary', 'because no permissions boundary allows the iam:CreateUser action'],
    ['session', 'because no session policy allows the iam:CreateUser action'],
  ];
  for (const [type, tail] of rows) {
    assert.equal(
      denialMessage(user, 'iam:CreateUser', 'arn:aws:iam::000000000000:user/bob', deny('implicitDeny', type)),
      `User: ${user} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::000000000000:user/bob ${tail}`,
    );
  }
});

test('explicit denial per policy type', () => {
  const rows: [PolicyType, string][] = [
    ['identity', 'with an explicit deny in an identity-based policy'],
    ['resource', 'with an explicit deny in a resource-based policy'],
    ['key', 'with an explicit deny in a resource-based policy'],
    ['boundary', 'with an explicit deny in a permissions boundary'],
    ['session', 'with an explicit deny in a sessions policy'],
    ['trust', 'with an explicit deny in the role trust policy'],
  ];
  for (const [type, tail] of rows) {
    assert.equal(denialMessage(user, 's3:GetObject', 'arn:aws:s3:::b/k', deny('explicitDeny', type)), `User: ${user} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k ${tail}`);
  }
});

test('no resource part when the action has no resource', () => {
  assert.equal(
    denialMessage(user, 'iam:ListUsers', undefined, deny('implicitDeny', 'identity')),
    `User: ${user} is not authorized to perform: iam:ListUsers because no identity-based policy allows the iam:ListUsers action`,
  );
});
