import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SqliteStore } from '../../storage/metadata/sqlite.js';
import { kmsEnv, TEST_ACCOUNT, userPrincipal } from './test-support.js';

const ARN = /^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/;

test('CreateKey makes an enabled symmetric key and asks kms:CreateKey on *', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', { Description: 'd' });
    assert.match(m.Arn, ARN);
    assert.equal(m.Arn, `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:key/${m.KeyId}`);
    assert.equal(m.AWSAccountId, TEST_ACCOUNT);
    assert.equal(m.KeyState, 'Enabled');
    assert.equal(m.Enabled, true);
    assert.equal(m.Description, 'd');
    assert.equal(m.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(m.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(m.KeyManager, 'CUSTOMER');
    assert.deepEqual(m.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    assert.deepEqual(m.CreationDate, env.clock);
    const [q] = env.last.queries;
    assert.equal(q.action, 'kms:CreateKey');
    assert.equal(q.resource, '*');
    assert.equal(q.context?.['kms:CallerAccount'], TEST_ACCOUNT);
    assert.equal(q.context?.['kms:KeySpec'], 'SYMMETRIC_DEFAULT');
    assert.equal(q.context?.['kms:BypassPolicyLockoutSafetyCheck'], false);
  } finally {
    env.close();
  }
});

test('CreateKey refuses key kinds Tailor does not make, storing nothing', () => {
  const env = kmsEnv();
  try {
    assert.throws(() => env.call('CreateKey', { KeySpec: 'RSA_2048' }), { code: 'UnsupportedOperationException', status: 400 });
    assert.throws(() => env.call('CreateKey', { KeyUsage: 'SIGN_VERIFY' }), { code: 'ValidationException' });
    assert.throws(() => env.call('CreateKey', { MultiRegion: true }), { code: 'UnsupportedOperationException' });
    assert.deepEqual(env.call('ListKeys', {}).Keys, []);
  } finally {
    env.close();
  }
});

test('DescribeKey finds a key by id, key ARN, alias and alias ARN; asks with the key policy', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    env.call('CreateAlias', { AliasName: 'alias/app', TargetKeyId: m.KeyId });
    for (const id of [m.KeyId, m.Arn, 'alias/app', `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:alias/app`]) {
      assert.equal(env.call('DescribeKey', { KeyId: id }).KeyMetadata.Arn, m.Arn);
      const [q] = env.last.queries;
      assert.equal(q.action, 'kms:DescribeKey');
      assert.equal(q.resource, m.Arn);
      assert.equal(q.resourcePolicy?.kind, 'key');
      assert.equal(q.resourcePolicy?.id, m.Arn);
      assert.equal(q.resourceAccount, TEST_ACCOUNT);
      assert.equal(q.context?.['kms:RequestAlias'], id.includes('alias') ? 'alias/app' : undefined);
    }
  } finally {
    env.close();
  }
});

test('unknown keys and aliases read as AWS words them', () => {
  const env = kmsEnv();
  try {
    const id = '1234abcd-12ab-34cd-56ef-1234567890ab';
    assert.throws(() => env.call('DescribeKey', { KeyId: id }), {
      code: 'NotFoundException', status: 404, message: `Key 'arn:aws:kms:us-east-1:${TEST_ACCOUNT}:key/${id}' does not exist`,
    });
    assert.throws(() => env.call('DescribeKey', { KeyId: 'alias/nope' }), {
      code: 'NotFoundException', message: `Alias arn:aws:kms:us-east-1:${TEST_ACCOUNT}:alias/nope is not found.`,
    });
    assert.throws(() => env.call('DescribeKey', { KeyId: 'nonsense' }), { code: 'NotFoundException', message: 'Invalid keyId nonsense' });
    // A key of another region is not found here.
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const other = m.Arn.replace('us-east-1', 'eu-west-1');
    assert.throws(() => env.call('DescribeKey', { KeyId: other }), { code: 'NotFoundException', message: `Key '${other}' does not exist` });
    assert.throws(() => env.call('EnableKey', { KeyId: 'alias/x' }), { code: 'InvalidArnException' });
  } finally {
    env.close();
  }
});

test('ListKeys pages with Limit/Marker and reports Truncated', () => {
  const env = kmsEnv();
  try {
    const arns = new Set<string>();
    for (let i = 0; i < 5; i++) arns.add(env.call('CreateKey', {}).KeyMetadata.Arn);
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = env.call('ListKeys', { Limit: 2, Marker: marker });
      assert.equal(env.last.queries[0].action, 'kms:ListKeys');
      assert.ok(page.Keys.length <= 2);
      seen.push(...page.Keys.map((k: { KeyArn: string }) => k.KeyArn));
      marker = page.Truncated ? page.NextMarker : undefined;
      assert.equal(page.Truncated, marker !== undefined);
    } while (marker);
    assert.deepEqual(new Set(seen), arns);
    assert.equal(seen.length, 5);
    assert.throws(() => env.call('ListKeys', { Marker: 'garbage!' }), { code: 'InvalidMarkerException' });
  } finally {
    env.close();
  }
});

test('Enable/Disable/ScheduleKeyDeletion/CancelKeyDeletion move the key state as AWS does', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const state = () => env.call('DescribeKey', { KeyId: m.KeyId }).KeyMetadata;
    env.call('DisableKey', { KeyId: m.KeyId });
    assert.equal(env.last.queries[0].action, 'kms:DisableKey');
    assert.equal(state().KeyState, 'Disabled');
    assert.equal(state().Enabled, false);
    env.call('EnableKey', { KeyId: m.Arn });
    assert.equal(state().KeyState, 'Enabled');

    assert.throws(() => env.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 6 }), {
      code: 'ValidationException',
      message: "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
    });
    assert.throws(() => env.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 31 }), { code: 'ValidationException' });
    assert.throws(() => env.call('CancelKeyDeletion', { KeyId: m.KeyId }), { code: 'KMSInvalidStateException', status: 409, message: `${m.Arn} is not pending deletion.` });

    const out = env.call('ScheduleKeyDeletion', { KeyId: m.KeyId });
    assert.equal(out.KeyId, m.Arn);
    assert.equal(out.KeyState, 'PendingDeletion');
    assert.equal(out.PendingWindowInDays, 30);
    assert.deepEqual(out.DeletionDate, new Date(env.clock.getTime() + 30 * 86_400_000));
    assert.equal(env.last.queries[0].context?.['kms:ScheduleKeyDeletionPendingWindowInDays'], 30);
    const pending = state();
    assert.equal(pending.KeyState, 'PendingDeletion');
    assert.equal(pending.PendingDeletionWindowInDays, 30);
    assert.deepEqual(pending.DeletionDate, out.DeletionDate);

    const msg = { code: 'KMSInvalidStateException', message: `${m.Arn} is pending deletion.` };
    assert.throws(() => env.call('EnableKey', { KeyId: m.KeyId }), msg);
    assert.throws(() => env.call('DisableKey', { KeyId: m.KeyId }), msg);
    assert.throws(() => env.call('ScheduleKeyDeletion', { KeyId: m.KeyId }), msg);
    assert.throws(() => env.call('UpdateKeyDescription', { KeyId: m.KeyId, Description: 'x' }), msg);

    assert.deepEqual(env.call('CancelKeyDeletion', { KeyId: m.KeyId }), { KeyId: m.Arn });
    const back = state();
    assert.equal(back.KeyState, 'Disabled');
    assert.equal(back.DeletionDate, undefined);
    assert.equal(back.PendingDeletionWindowInDays, undefined);
  } finally {
    env.close();
  }
});

test('a key is deleted with its aliases and grants once its deletion window has passed', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const { KeyMetadata: keep } = env.call('CreateKey', {});
    env.call('CreateAlias', { AliasName: 'alias/doomed', TargetKeyId: m.KeyId });
    env.call('CreateGrant', { KeyId: m.KeyId, GranteePrincipal: 'arn:aws:iam::000000000000:user/u', Operations: ['Decrypt'] });
    env.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 7 });
    env.clock = new Date(env.clock.getTime() + 7 * 86_400_000 - 1000);
    assert.equal(env.call('DescribeKey', { KeyId: m.KeyId }).KeyMetadata.KeyState, 'PendingDeletion');
    env.clock = new Date(env.clock.getTime() + 1000);
    assert.throws(() => env.call('DescribeKey', { KeyId: m.KeyId }), { code: 'NotFoundException' });
    assert.deepEqual(env.call('ListKeys', {}).Keys.map((k: { KeyId: string }) => k.KeyId), [keep.KeyId]);
    assert.deepEqual(env.call('ListAliases', {}).Aliases, []);
    assert.equal(env.store.count('kms.grant'), 0);
    assert.equal(env.store.count('kms.deletion'), 0);
  } finally {
    env.close();
  }
});

test('UpdateKeyDescription changes the description', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    assert.equal(m.Description, '');
    env.call('UpdateKeyDescription', { KeyId: m.KeyId, Description: 'new' });
    assert.equal(env.call('DescribeKey', { KeyId: m.KeyId }).KeyMetadata.Description, 'new');
  } finally {
    env.close();
  }
});

test('a denied caller changes nothing', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    env.deny = () => true;
    const bob = userPrincipal('bob');
    assert.throws(() => env.call('DisableKey', { KeyId: m.KeyId }, bob), { code: 'AccessDenied' });
    assert.throws(() => env.call('CreateKey', {}, bob), { code: 'AccessDenied' });
    env.deny = undefined;
    assert.equal(env.call('DescribeKey', { KeyId: m.KeyId }).KeyMetadata.KeyState, 'Enabled');
    assert.equal(env.call('ListKeys', {}).Keys.length, 1);
  } finally {
    env.close();
  }
});

test('keys survive a restart of the store', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const { CiphertextBlob } = env.call('Encrypt', { KeyId: m.KeyId, Plaintext: Buffer.from('hello') });
    env.store.close();
    const reopened = new SqliteStore(join(env.app.config.dataDir, 'meta.db'));
    (env as { app: unknown }).app = { ...env.app, store: reopened };
    try {
      assert.equal(env.call('DescribeKey', { KeyId: m.KeyId }).KeyMetadata.Arn, m.Arn);
      assert.equal(env.call('Decrypt', { CiphertextBlob }).Plaintext.toString(), 'hello');
    } finally {
      reopened.close();
    }
  } finally {
    env.close();
  }
});
