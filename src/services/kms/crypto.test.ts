import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kmsEnv, TEST_ACCOUNT } from './test-support.js';
import { keyMaterial } from './cipher.js';
import type { KeyDoc } from './schema.js';

const text = (b: Uint8Array) => Buffer.from(b).toString();

test('Encrypt/Decrypt round-trip; Decrypt finds the key from the blob', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const enc = env.call('Encrypt', { KeyId: m.KeyId, Plaintext: Buffer.from('secret') });
    assert.equal(enc.KeyId, m.Arn);
    assert.equal(enc.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.ok(!enc.CiphertextBlob.includes(Buffer.from('secret')));
    const [q] = env.last.queries;
    assert.equal(q.action, 'kms:Encrypt');
    assert.equal(q.context?.['kms:EncryptionAlgorithm'], 'SYMMETRIC_DEFAULT');
    assert.equal(q.context?.['kms:EncryptionContextKeys'], undefined);
    const dec = env.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob });
    assert.equal(text(dec.Plaintext), 'secret');
    assert.equal(dec.KeyId, m.Arn);
    assert.equal(env.last.queries[0].action, 'kms:Decrypt');
    assert.equal(env.last.queries[0].resource, m.Arn);
    // The same plaintext encrypts differently each time.
    assert.notDeepEqual(env.call('Encrypt', { KeyId: m.KeyId, Plaintext: Buffer.from('secret') }).CiphertextBlob, enc.CiphertextBlob);
  } finally {
    env.close();
  }
});

test('the encryption context must match on decrypt, in any member order', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const ec = { bucket: 'b', object: 'o' };
    const { CiphertextBlob } = env.call('Encrypt', { KeyId: m.KeyId, Plaintext: Buffer.from('x'), EncryptionContext: ec });
    const q = env.last.queries[0];
    assert.deepEqual(q.context?.['kms:EncryptionContextKeys'], ['bucket', 'object']);
    assert.equal(q.context?.['kms:EncryptionContext:bucket'], 'b');
    assert.equal(text(env.call('Decrypt', { CiphertextBlob, EncryptionContext: { object: 'o', bucket: 'b' } }).Plaintext), 'x');
    const invalid = { code: 'InvalidCiphertextException', status: 400, message: '' };
    assert.throws(() => env.call('Decrypt', { CiphertextBlob }), invalid);
    assert.throws(() => env.call('Decrypt', { CiphertextBlob, EncryptionContext: { bucket: 'b' } }), invalid);
    assert.throws(() => env.call('Decrypt', { CiphertextBlob, EncryptionContext: { ...ec, extra: '1' } }), invalid);
    assert.throws(() => env.call('Decrypt', { CiphertextBlob, EncryptionContext: { bucket: 'b', object: 'O' } }), invalid);
  } finally {
    env.close();
  }
});

test('a tampered or truncated ciphertext is InvalidCiphertextException (or names no key)', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const { CiphertextBlob } = env.call('Encrypt', { KeyId: m.KeyId, Plaintext: Buffer.from('payload') });
    const header = 2 + m.Arn.length;
    for (const at of [header, header + 12, header + 28, CiphertextBlob.length - 1]) {
      const bad = Buffer.from(CiphertextBlob);
      bad[at] ^= 1;
      assert.throws(() => env.call('Decrypt', { CiphertextBlob: bad }), { code: 'InvalidCiphertextException' }, `byte ${at}`);
    }
    for (const bad of [Buffer.from([9, 1, 2]), Buffer.alloc(1), CiphertextBlob.subarray(0, header + 20)]) {
      assert.throws(() => env.call('Decrypt', { CiphertextBlob: bad }), { code: 'InvalidCiphertextException' });
    }
    // An altered key name leads to a key that is not there.
    const renamed = Buffer.from(CiphertextBlob);
    renamed[header - 1] = renamed[header - 1] === 0x61 ? 0x62 : 0x61;
    assert.throws(() => env.call('Decrypt', { CiphertextBlob: renamed }), { code: 'NotFoundException' });
  } finally {
    env.close();
  }
});

test('a ciphertext opens only under its own key: Decrypt with another KeyId is IncorrectKeyException', () => {
  const env = kmsEnv();
  try {
    const a = env.call('CreateKey', {}).KeyMetadata;
    const b = env.call('CreateKey', {}).KeyMetadata;
    env.call('CreateAlias', { AliasName: 'alias/a', TargetKeyId: a.KeyId });
    const { CiphertextBlob } = env.call('Encrypt', { KeyId: 'alias/a', Plaintext: Buffer.from('x') });
    assert.equal(env.last.queries[0].context?.['kms:RequestAlias'], 'alias/a');
    assert.equal(text(env.call('Decrypt', { CiphertextBlob, KeyId: 'alias/a' }).Plaintext), 'x');
    assert.equal(text(env.call('Decrypt', { CiphertextBlob, KeyId: a.Arn }).Plaintext), 'x');
    assert.throws(() => env.call('Decrypt', { CiphertextBlob, KeyId: b.KeyId }), { code: 'IncorrectKeyException' });
  } finally {
    env.close();
  }
});

test('disabled and pending-deletion keys refuse cryptographic operations with AWS messages', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const { CiphertextBlob } = env.call('Encrypt', { KeyId: m.KeyId, Plaintext: Buffer.from('x') });
    env.call('DisableKey', { KeyId: m.KeyId });
    const disabled = { code: 'DisabledException', status: 409, message: `${m.Arn} is disabled.` };
    assert.throws(() => env.call('Encrypt', { KeyId: m.KeyId, Plaintext: Buffer.from('x') }), disabled);
    assert.throws(() => env.call('Decrypt', { CiphertextBlob }), disabled);
    assert.throws(() => env.call('GenerateDataKey', { KeyId: m.KeyId, KeySpec: 'AES_256' }), disabled);
    env.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 7 });
    const pending = { code: 'KMSInvalidStateException', status: 409, message: `${m.Arn} is pending deletion.` };
    assert.throws(() => env.call('Encrypt', { KeyId: m.KeyId, Plaintext: Buffer.from('x') }), pending);
    assert.throws(() => env.call('Decrypt', { CiphertextBlob }), pending);
    env.call('CancelKeyDeletion', { KeyId: m.KeyId });
    env.call('EnableKey', { KeyId: m.KeyId });
    assert.equal(text(env.call('Decrypt', { CiphertextBlob }).Plaintext), 'x');
  } finally {
    env.close();
  }
});

test('GenerateDataKey returns a data key and its ciphertext; WithoutPlaintext only the ciphertext', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const ec = { purpose: 'test' };
    const dk = env.call('GenerateDataKey', { KeyId: m.KeyId, KeySpec: 'AES_256', EncryptionContext: ec });
    assert.equal(dk.Plaintext.length, 32);
    assert.equal(dk.KeyId, m.Arn);
    assert.equal(env.last.queries[0].action, 'kms:GenerateDataKey');
    assert.deepEqual(env.call('Decrypt', { CiphertextBlob: dk.CiphertextBlob, EncryptionContext: ec }).Plaintext, dk.Plaintext);
    assert.equal(env.call('GenerateDataKey', { KeyId: m.KeyId, KeySpec: 'AES_128' }).Plaintext.length, 16);
    assert.equal(env.call('GenerateDataKey', { KeyId: m.KeyId, NumberOfBytes: 64 }).Plaintext.length, 64);
    const neither = { code: 'ValidationException', message: 'Please specify either number of bytes or key spec.' };
    assert.throws(() => env.call('GenerateDataKey', { KeyId: m.KeyId }), neither);
    assert.throws(() => env.call('GenerateDataKey', { KeyId: m.KeyId, KeySpec: 'AES_256', NumberOfBytes: 32 }), neither);

    const wp = env.call('GenerateDataKeyWithoutPlaintext', { KeyId: m.KeyId, KeySpec: 'AES_256' });
    assert.equal(wp.Plaintext, undefined);
    assert.equal(env.last.queries[0].action, 'kms:GenerateDataKeyWithoutPlaintext');
    assert.equal(env.call('Decrypt', { CiphertextBlob: wp.CiphertextBlob }).Plaintext.length, 32);
  } finally {
    env.close();
  }
});

test('ReEncrypt moves a ciphertext to another key and context, asking ReEncryptFrom and ReEncryptTo', () => {
  const env = kmsEnv();
  try {
    const a = env.call('CreateKey', {}).KeyMetadata;
    const b = env.call('CreateKey', {}).KeyMetadata;
    const { CiphertextBlob } = env.call('Encrypt', { KeyId: a.KeyId, Plaintext: Buffer.from('move me'), EncryptionContext: { v: '1' } });
    assert.throws(() => env.call('ReEncrypt', { CiphertextBlob, DestinationKeyId: b.KeyId }), { code: 'InvalidCiphertextException' });
    const out = env.call('ReEncrypt', {
      CiphertextBlob, SourceEncryptionContext: { v: '1' }, DestinationKeyId: b.Arn, DestinationEncryptionContext: { v: '2' },
    });
    assert.equal(out.SourceKeyId, a.Arn);
    assert.equal(out.KeyId, b.Arn);
    const [from, to] = env.last.queries;
    assert.equal(from.action, 'kms:ReEncryptFrom');
    assert.equal(from.resource, a.Arn);
    assert.equal(from.context?.['kms:EncryptionContext:v'], '1');
    assert.equal(from.context?.['kms:ReEncryptOnSameKey'], false);
    assert.equal(to.action, 'kms:ReEncryptTo');
    assert.equal(to.resource, b.Arn);
    assert.equal(to.context?.['kms:EncryptionContext:v'], '2');
    const dec = env.call('Decrypt', { CiphertextBlob: out.CiphertextBlob, EncryptionContext: { v: '2' } });
    assert.equal(dec.KeyId, b.Arn);
    assert.equal(text(dec.Plaintext), 'move me');
  } finally {
    env.close();
  }
});

test('DryRun authorises and checks, then answers DryRunOperationException without doing anything', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    assert.throws(() => env.call('Encrypt', { KeyId: m.KeyId, Plaintext: Buffer.from('x'), DryRun: true }), { code: 'DryRunOperationException', status: 412 });
    assert.equal(env.last.queries[0].action, 'kms:Encrypt');
  } finally {
    env.close();
  }
});

test('GenerateRandom returns the bytes asked for, on resource *', () => {
  const env = kmsEnv();
  try {
    const out = env.call('GenerateRandom', { NumberOfBytes: 48 });
    assert.equal(out.Plaintext.length, 48);
    assert.deepEqual(env.last.queries.map((q) => [q.action, q.resource]), [['kms:GenerateRandom', '*']]);
  } finally {
    env.close();
  }
});

test('key material never appears in the store in the clear', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const doc = env.store.get<KeyDoc>('kms.key', `${TEST_ACCOUNT}:us-east-1:${m.KeyId}`)!;
    const material = keyMaterial(env.secrets, doc);
    assert.equal(material.length, 32);
    const db = readFileSync(join(env.app.config.dataDir, 'meta.db'));
    const json = JSON.stringify(doc);
    for (const form of [material.toString('base64'), material.toString('hex'), material.toString('base64url')]) {
      assert.ok(!json.includes(form));
      assert.ok(!db.includes(Buffer.from(form)));
    }
    assert.ok(!db.includes(material));
    // The sealed material is bound to its key: it does not open as another key's.
    assert.throws(() => env.secrets.unseal(doc.SealedMaterial, m.Arn.replace(m.KeyId, '00000000-0000-0000-0000-000000000000')));
  } finally {
    env.close();
  }
});
