import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmsEnv, TEST_ACCOUNT } from './test-support.js';

const aliasArn = (name: string) => `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:${name}`;

test('CreateAlias asks on the alias ARN (IAM only) and the key (key policy)', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    env.call('CreateAlias', { AliasName: 'alias/app', TargetKeyId: m.Arn });
    const [onAlias, onKey] = env.last.queries;
    assert.deepEqual([onAlias.action, onAlias.resource, onAlias.resourcePolicy], ['kms:CreateAlias', aliasArn('alias/app'), undefined]);
    assert.deepEqual([onKey.action, onKey.resource, onKey.resourcePolicy?.kind], ['kms:CreateAlias', m.Arn, 'key']);
    const { Aliases } = env.call('ListAliases', {});
    assert.deepEqual(Aliases, [{
      AliasName: 'alias/app', AliasArn: aliasArn('alias/app'), TargetKeyId: m.KeyId, CreationDate: env.clock, LastUpdatedDate: env.clock,
    }]);
    assert.throws(() => env.call('CreateAlias', { AliasName: 'alias/app', TargetKeyId: m.KeyId }), {
      code: 'AlreadyExistsException', status: 409, message: `An alias with the name ${aliasArn('alias/app')} already exists`,
    });
  } finally {
    env.close();
  }
});

test('alias names: alias/ prefix required, no colon, alias/aws/ reserved, target must be a key', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    assert.throws(() => env.call('CreateAlias', { AliasName: 'app', TargetKeyId: m.KeyId }), {
      code: 'ValidationException',
      message: 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    });
    assert.throws(() => env.call('CreateAlias', { AliasName: 'alias/a:b', TargetKeyId: m.KeyId }), { code: 'ValidationException', message: 'alias/a:b contains invalid characters for an alias' });
    assert.throws(() => env.call('CreateAlias', { AliasName: 'alias/aws/s3', TargetKeyId: m.KeyId }), { code: 'NotAuthorizedException' });
    env.call('CreateAlias', { AliasName: 'alias/one', TargetKeyId: m.KeyId });
    assert.throws(() => env.call('CreateAlias', { AliasName: 'alias/two', TargetKeyId: 'alias/one' }), { code: 'InvalidArnException' });
    env.call('ScheduleKeyDeletion', { KeyId: m.KeyId });
    assert.throws(() => env.call('CreateAlias', { AliasName: 'alias/three', TargetKeyId: m.KeyId }), { code: 'KMSInvalidStateException', message: `${m.Arn} is pending deletion.` });
    assert.equal(env.call('ListAliases', {}).Aliases.length, 1);
  } finally {
    env.close();
  }
});

test('UpdateAlias repoints an alias, asking on the alias, the old key and the new key', () => {
  const env = kmsEnv();
  try {
    const a = env.call('CreateKey', {}).KeyMetadata;
    const b = env.call('CreateKey', {}).KeyMetadata;
    env.call('CreateAlias', { AliasName: 'alias/app', TargetKeyId: a.KeyId });
    env.clock = new Date(env.clock.getTime() + 1000);
    env.call('UpdateAlias', { AliasName: 'alias/app', TargetKeyId: b.KeyId });
    assert.deepEqual(env.last.queries.map((q) => q.resource), [aliasArn('alias/app'), a.Arn, b.Arn]);
    assert.equal(env.call('DescribeKey', { KeyId: 'alias/app' }).KeyMetadata.Arn, b.Arn);
    const [entry] = env.call('ListAliases', {}).Aliases;
    assert.deepEqual(entry.LastUpdatedDate, env.clock);
    assert.notDeepEqual(entry.CreationDate, env.clock);
    assert.throws(() => env.call('UpdateAlias', { AliasName: 'alias/none', TargetKeyId: b.KeyId }), { code: 'NotFoundException', message: `Alias ${aliasArn('alias/none')} is not found.` });
  } finally {
    env.close();
  }
});

test('DeleteAlias removes it; ListAliases filters by KeyId and pages', () => {
  const env = kmsEnv();
  try {
    const a = env.call('CreateKey', {}).KeyMetadata;
    const b = env.call('CreateKey', {}).KeyMetadata;
    for (const n of ['x1', 'x2', 'x3']) env.call('CreateAlias', { AliasName: `alias/${n}`, TargetKeyId: a.KeyId });
    env.call('CreateAlias', { AliasName: 'alias/y', TargetKeyId: b.KeyId });
    assert.deepEqual(env.call('ListAliases', { KeyId: b.Arn }).Aliases.map((x: { AliasName: string }) => x.AliasName), ['alias/y']);
    assert.equal(env.last.queries[0].action, 'kms:ListAliases');
    const p1 = env.call('ListAliases', { KeyId: a.KeyId, Limit: 2 });
    assert.equal(p1.Truncated, true);
    const p2 = env.call('ListAliases', { KeyId: a.KeyId, Limit: 2, Marker: p1.NextMarker });
    assert.deepEqual([...p1.Aliases, ...p2.Aliases].map((x: { AliasName: string }) => x.AliasName), ['alias/x1', 'alias/x2', 'alias/x3']);
    env.call('DeleteAlias', { AliasName: 'alias/x2' });
    assert.deepEqual(env.last.queries.map((q) => q.resource), [aliasArn('alias/x2'), a.Arn]);
    assert.throws(() => env.call('DeleteAlias', { AliasName: 'alias/x2' }), { code: 'NotFoundException' });
    assert.throws(() => env.call('ListAliases', { KeyId: '00000000-0000-0000-0000-000000000000' }), { code: 'NotFoundException' });
    assert.equal(env.call('ListAliases', {}).Aliases.length, 3);
  } finally {
    env.close();
  }
});
