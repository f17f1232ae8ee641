import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../shared/aws-error.js';
import { loadModel } from './model.js';
import { assertValidInput, validateInput, validationError, validationMessage } from './validate.js';

const iam = loadModel('iam');
const sts = loadModel('sts');
const kms = loadModel('kms');
const personalize = loadModel('personalize');
const op = (model: typeof iam, name: string) => model.operations.get(name)!;
const messageOf = (model: typeof iam, name: string, input: Record<string, unknown>) =>
  validationMessage(validateInput(model, op(model, name), input));

test('valid input passes', () => {
  assert.deepEqual(validateInput(iam, op(iam, 'CreateUser'), { UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: '' }] }), []);
  assert.deepEqual(validateInput(iam, op(iam, 'ListUsers'), {}), []);
  assertValidInput(kms, op(kms, 'Encrypt'), { KeyId: 'alias/k', Plaintext: Buffer.from('x') });
});

test('required, length, pattern and range read as AWS words them', () => {
  assert.equal(messageOf(iam, 'CreateUser', {}),
    "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
  assert.equal(messageOf(iam, 'CreateUser', { UserName: 'x'.repeat(65) }),
    `1 validation error detected: Value '${'x'.repeat(65)}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`);
  assert.equal(messageOf(iam, 'CreateUser', { UserName: 'foo$bar' }),
    "1 validation error detected: Value 'foo$bar' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  assert.equal(messageOf(iam, 'CreateUser', { UserName: '' }),
    "2 validation errors detected: Value '' at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1; "
    + "Value '' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  assert.equal(messageOf(iam, 'ListUsers', { MaxItems: 0 }),
    "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
  assert.equal(messageOf(iam, 'CreateUser', { UserName: 'a', Path: 'no-slash' }),
    "1 validation error detected: Value 'no-slash' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
});

test('nested paths use lowerCamelCase members and 1-based list positions', () => {
  assert.equal(messageOf(iam, 'CreateUser', { UserName: 'a', Tags: [{ Key: 'ok', Value: 'v' }, { Key: 'k'.repeat(129) }] }),
    `2 validation errors detected: Value '${'k'.repeat(129)}' at 'tags.2.member.key' failed to satisfy constraint: Member must have length less than or equal to 128; `
    + "Value null at 'tags.2.member.value' failed to satisfy constraint: Member must not be null");
  const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  assert.match(messageOf(iam, 'CreateUser', { UserName: 'a', Tags: tags }), /^1 validation error detected: Value '\[\{Key=k0, Value=v\}, .*\]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/);
});

test('enums list their allowed values; sensitive values stay out of the message', () => {
  assert.equal(messageOf(iam, 'SimulatePrincipalPolicy', {
    PolicySourceArn: 'arn:aws:iam::123456789012:user/a', ActionNames: ['s3:GetObject'], ContextEntries: [{ ContextKeyType: 'text' }],
  }), "1 validation error detected: Value 'text' at 'contextEntries.1.member.contextKeyType' failed to satisfy constraint: "
    + 'Member must satisfy enum value set: [string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList]');
  assert.equal(messageOf(sts, 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'session', Policy: '{"a":"\u0100"}' }),
    `1 validation error detected: Value '{"a":"\u0100"}' at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+`);
  const secret = messageOf(kms, 'Encrypt', { KeyId: 'k', Plaintext: Buffer.alloc(0) });
  assert.equal(secret, "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1");
});

test('map entries are reported once per map with the entry constraints', () => {
  const m = messageOf(personalize, 'CreateSolution', {
    name: 'n', datasetGroupArn: 'arn:aws:personalize:us-east-1:1:dataset-group/g',
    solutionConfig: { algorithmHyperParameters: { k: 'v'.repeat(1001) } },
  });
  assert.equal(m, "1 validation error detected: Value at 'solutionConfig.algorithmHyperParameters' failed to satisfy constraint: "
    + 'Map value must satisfy constraint: [Member must have length less than or equal to 1000, Member must have length greater than or equal to 0]');
});

test('wrong JS types are failures, never exceptions', () => {
  const failures = validateInput(iam, op(iam, 'CreateUser'), { UserName: 42, Tags: 'nope', Path: { a: 1 } } as any);
  assert.deepEqual(failures.map((f) => [f.path, f.constraint]), [
    ['path', 'Member must be of type string'], ['userName', 'Member must be of type string'], ['tags', 'Member must be of type list'],
  ]);
});

test('each service gets its own error code', () => {
  const failures = validateInput(iam, op(iam, 'CreateUser'), {});
  const cases: [typeof iam, string][] = [[iam, 'ValidationError'], [sts, 'ValidationError'], [kms, 'ValidationException'], [personalize, 'ValidationException']];
  for (const [model, code] of cases) {
    const e = validationError(model, failures);
    assert.ok(e instanceof AwsError);
    assert.deepEqual([e.code, e.status, e.fault], [code, 400, 'client']);
  }
  assert.throws(() => assertValidInput(iam, op(iam, 'CreateUser'), {}), (e: unknown) => e instanceof AwsError && e.code === 'ValidationError');
});
