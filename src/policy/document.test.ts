// Write-time validation: what AWS rejects, with the MalformedPolicyDocument text of the service storing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedPolicyError, compilePolicy, policySize, validatePolicy, type PolicyType } from './index.js';

const doc = (statement: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Version: '2012-10-17', ...extra, Statement: statement });
const allow = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
const trustStmt = { Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole' };
const bucketStmt = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };

const rejects: [string, string, PolicyType, string][] = [
  ['invalid JSON', '{"Version": "2012-10-17", Statement: []}', 'identity', 'This policy contains invalid Json'],
  ['leading white space', ` ${doc(allow)}`, 'identity', 'The policy failed legacy parsing'],
  ['not an object', '[1]', 'identity', 'Syntax errors in policy.'],
  ['unknown top-level field', doc(allow, { Statements: [] }), 'identity', 'Syntax errors in policy.'],
  ['element names are case-sensitive', JSON.stringify({ Version: '2012-10-17', Statement: [{ effect: 'Allow', Action: '*', Resource: '*' }] }), 'identity', 'Syntax errors in policy.'],
  ['bad Version', doc(allow, { Version: '2012-10-18' }), 'identity', 'The policy must contain a valid version string'],
  ['missing Statement', JSON.stringify({ Version: '2012-10-17' }), 'identity', 'Missing required field Statement'],
  ['empty Statement', doc([]), 'identity', 'Syntax errors in policy.'],
  ['Statement holds a string', doc(['x']), 'identity', 'Syntax errors in policy.'],
  ['missing Effect', doc({ Action: '*', Resource: '*' }), 'identity', 'Missing required field Effect'],
  ['Effect in lower case', doc({ ...allow, Effect: 'allow' }), 'identity', 'Syntax errors in policy.'],
  ['Principal in an identity policy', doc({ ...allow, Principal: '*' }), 'identity', 'Policy document should not specify a principal.'],
  ['NotPrincipal in a boundary', doc({ ...allow, NotPrincipal: { AWS: '123456789012' } }), 'boundary', 'Policy document should not specify a principal.'],
  ['no Resource', doc({ Effect: 'Allow', Action: 's3:*' }), 'identity', 'Policy statement must contain resources.'],
  ['empty Resource list', doc({ ...allow, Resource: [] }), 'identity', 'Policy statement must contain resources.'],
  ['no Action', doc({ Effect: 'Allow', Resource: '*' }), 'identity', 'Policy statement must contain actions.'],
  ['Action and NotAction', doc({ ...allow, NotAction: 's3:PutObject' }), 'identity', 'Syntax errors in policy.'],
  ['action without vendor', doc({ ...allow, Action: 'GetObject' }), 'identity', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
  ['action with two colons', doc({ ...allow, Action: 's3:Get:Object' }), 'identity', 'Actions/Condition can contain only one colon.'],
  ['wildcard vendor', doc({ ...allow, Action: '*:Get*' }), 'identity', 'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards.'],
  ['empty action name', doc({ ...allow, Action: 's3:' }), 'identity', 'Policy has invalid action'],
  ['Action holds a number', doc({ ...allow, Action: 5 }), 'identity', 'Syntax errors in policy.'],
  ['resource not an ARN', doc({ ...allow, Resource: 'my-bucket' }), 'identity', 'Resource my-bucket must be in ARN format or "*".'],
  ['IAM resource with a region', doc({ ...allow, Resource: 'arn:aws:iam:us-east-1:123456789012:user/x' }), 'identity', 'IAM resource arn:aws:iam:us-east-1:123456789012:user/x cannot contain region information.'],
  ['unknown condition operator', doc({ ...allow, Condition: { StringEqualz: { 'aws:username': 'x' } } }), 'identity', 'Invalid Condition type : StringEqualz'],
  ['condition key without vendor', doc({ ...allow, Condition: { StringEquals: { username: 'x' } } }), 'identity', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
  ['Sid with a space', doc({ ...allow, Sid: 'my sid' }), 'identity', 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*'],
  ['duplicate Sid', doc([{ ...allow, Sid: 'A' }, { ...allow, Sid: 'A' }]), 'identity', 'Statement IDs (SID) in a single policy must be unique.'],
  ['trust policy with Resource', doc({ ...trustStmt, Resource: '*' }), 'trust', 'Has prohibited field Resource'],
  ['trust policy without Principal', doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'trust', 'Missing required field Principal'],
  ['trust policy with a non-STS action', doc({ ...trustStmt, Action: 's3:GetObject' }), 'trust', 'AssumeRole policy may only specify STS AssumeRole actions.'],
  ['trust policy naming a wildcard role', doc({ ...trustStmt, Principal: { AWS: 'arn:aws:iam::123456789012:role/*' } }), 'trust', 'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/*"'],
  ['trust policy naming a bad service', doc({ ...trustStmt, Principal: { Service: 'lambda' } }), 'trust', 'Invalid principal in policy: "SERVICE":"lambda"'],
  ['bucket policy without Principal', doc({ ...allow, Resource: 'arn:aws:s3:::b/*' }), 'resource', 'Missing required field Principal'],
  ['bucket policy with a bad principal', doc({ ...bucketStmt, Principal: { AWS: 'user' } }), 'resource', 'Invalid principal in policy'],
  ['bucket policy with a bad action', doc({ ...bucketStmt, Action: 'invalid_action' }), 'resource', 'Policy has invalid action'],
  ['bucket policy with a bad condition key', doc({ ...bucketStmt, Condition: { StringEquals: { prefix: 'x' } } }), 'resource', 'Policy has an invalid condition key'],
  ['bucket policy with a bad resource', doc({ ...bucketStmt, Resource: 'b' }), 'resource', 'Policy has invalid resource'],
  ['bucket policy with a bad effect', doc({ ...bucketStmt, Effect: 'hello' }), 'resource', 'Invalid effect: hello'],
  ['bucket policy with an empty Statement', doc([]), 'resource', 'Could not parse the policy: Statement is empty!'],
  ['bucket policy that is not JSON', 'nope', 'resource', "Policies must be valid JSON and the first byte must be '{'"],
  ['bucket policy with an unknown field', doc({ ...bucketStmt, Resources: '*' }), 'resource', 'Unknown field Resources'],
  ['key policy with a bad principal', doc({ Effect: 'Allow', Principal: { AWS: 'nobody' }, Action: 'kms:*', Resource: '*' }), 'key', 'Policy contains a statement with one or more invalid principals.'],
  ['deeply nested JSON', `{"Version":"2012-10-17","Statement":${'['.repeat(5000)}${']'.repeat(5000)}}`, 'identity', 'This policy contains invalid Json'],
];

for (const [name, text, type, message] of rejects) {
  test(`rejects: ${name}`, () => {
    assert.throws(() => validatePolicy(text, type), (e: unknown) => e instanceof MalformedPolicyError && e.message === message);
  });
}

const accepts: [string, string, PolicyType][] = [
  ['Statement as a single object', doc(allow), 'identity'],
  ['no Version (2008 semantics)', JSON.stringify({ Statement: [allow] }), 'identity'],
  ['Version 2008-10-17', doc(allow, { Version: '2008-10-17' }), 'identity'],
  ['an Id', doc(allow, { Id: 'x' }), 'identity'],
  ['unknown actions of a known service', doc({ ...allow, Action: 's3:ListBuckets' }), 'identity'],
  ['unknown service prefixes', doc({ ...allow, Action: 'nosuchservice:Do' }), 'identity'],
  ['action name wildcards', doc({ ...allow, Action: ['s3:Get*', 's3:?etObject', '*'] }), 'identity'],
  ['NotAction/NotResource', doc({ Effect: 'Deny', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::b/*' }), 'identity'],
  ['policy variables in Resource', doc({ ...allow, Resource: 'arn:aws:s3:::b/${aws:username}/*' }), 'identity'],
  ['every condition family', doc({ ...allow, Condition: {
    StringLike: { 's3:prefix': 'a*' }, NumericLessThan: { 's3:max-keys': 10 }, DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' },
    Bool: { 'aws:SecureTransport': true }, BinaryEquals: { 'test:b': 'QQ==' }, IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] },
    ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' }, Null: { 'aws:TokenIssueTime': 'true' }, 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] },
  } }), 'identity'],
  ['empty Sid twice', doc([{ ...allow, Sid: '' }, { ...allow, Sid: '' }]), 'identity'],
  ['trust policy for a service', doc(trustStmt), 'trust'],
  ['trust policy for an account, a user, a role, a session', doc({ ...trustStmt, Principal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:user/a', 'arn:aws:iam::123456789012:role/path/r', 'arn:aws:sts::123456789012:assumed-role/r/s'] } }), 'trust'],
  ['trust policy for a federated provider', doc({ ...trustStmt, Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: 'cognito-identity.amazonaws.com' } }), 'trust'],
  ['bucket policy for everyone', doc(bucketStmt), 'resource'],
  ['bucket policy for a canonical user', doc({ ...bucketStmt, Principal: { CanonicalUser: 'a'.repeat(64) } }), 'resource'],
  ['bucket policy Sid with spaces, repeated', doc([{ ...bucketStmt, Sid: 'Add perm' }, { ...bucketStmt, Sid: 'Add perm' }]), 'resource'],
  ['key policy delegating to the account', doc({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }), 'key'],
  ['duplicate keys (the last wins)', '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"}}', 'identity'],
];

for (const [name, text, type] of accepts) {
  test(`accepts: ${name}`, () => {
    assert.doesNotThrow(() => validatePolicy(text, type));
  });
}

test('statement positions are 1-based line/column spans', () => {
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "*", "Resource": "*"}\n  ]\n}';
  const p = compilePolicy(text, 'p', 'identity') as unknown as { explanations: { start: object; end: object }[] };
  assert.deepEqual(p.explanations[0].start, { line: 4, column: 5 });
  assert.deepEqual(p.explanations[0].end, { line: 4, column: 56 });
});

test('policySize leaves out white space', () => {
  assert.equal(policySize('{ "a" :\n\t"b c" }'), 10);
});

test('contextKeys lists condition keys and policy variables once, as first written', () => {
  const p = compilePolicy(
    doc([
      { ...allow, Resource: 'arn:aws:s3:::b/${aws:username}/*', Condition: { StringEquals: { 'aws:PrincipalTag/team': '${aws:PrincipalTag/lead}' }, Bool: { 'aws:SecureTransport': true } } },
      { ...allow, Condition: { StringLike: { 'AWS:USERNAME': 'a*' } } },
    ]),
    'p',
    'identity',
  );
  assert.deepEqual(p.contextKeys, ['aws:username', 'aws:PrincipalTag/team', 'aws:PrincipalTag/lead', 'aws:SecureTransport']);
  assert.deepEqual(compilePolicy(doc({ ...allow, Resource: 'arn:aws:s3:::b/${aws:username}' }, { Version: '2008-10-17' }), 'q', 'identity').contextKeys, []);
});

test('${…} bodies that name Object members are ordinary variables', () => {
  assert.doesNotThrow(() => validatePolicy(doc({ ...allow, Resource: 'arn:aws:s3:::b/${constructor}/${__proto__}' }), 'identity'));
});
