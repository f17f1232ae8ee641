import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { blobKeyArn, canonicalContext, openBlob, sealBlob } from './cipher.js';

const ARN = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const context = fc.dictionary(fc.string(), fc.string(), { maxKeys: 5 });

test('canonicalContext ignores member order and tells different contexts apart', () => {
  assert.deepEqual(canonicalContext({ a: '1', b: '2' }), canonicalContext({ b: '2', a: '1' }));
  assert.deepEqual(canonicalContext(undefined), canonicalContext({}));
  assert.notDeepEqual(canonicalContext({ a: '1,b' }), canonicalContext({ a: '1', b: '' }));
});

test('sealed blobs name their key and open with the same key and context only', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 512 }), context, (plain, ec) => {
    const key = randomBytes(32);
    const blob = sealBlob(key, ARN, plain, ec);
    assert.equal(blobKeyArn(blob), ARN);
    assert.deepEqual(new Uint8Array(openBlob(key, blob, { ...ec })), plain);
    assert.throws(() => openBlob(randomBytes(32), blob, ec), { code: 'InvalidCiphertextException' });
    assert.throws(() => openBlob(key, blob, { ...ec, '\u0000extra': 'x' }), { code: 'InvalidCiphertextException' });
  }), { numRuns: 100 });
});

test('changing any byte of a blob makes it fail', () => {
  const key = randomBytes(32);
  const blob = sealBlob(key, ARN, Buffer.from('attack at dawn'), { k: 'v' });
  fc.assert(fc.property(fc.nat(blob.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
    const bad = Buffer.from(blob);
    bad[at] ^= flip;
    assert.throws(() => openBlob(key, bad, { k: 'v' }), { code: 'InvalidCiphertextException' });
  }), { numRuns: 200 });
});
