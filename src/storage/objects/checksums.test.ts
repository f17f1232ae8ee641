import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { CHECKSUM_ALGORITHMS, newChecksum } from './checksums.js';

const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
const CHECK = Buffer.from('123456789');

test('CRC check values of "123456789" (the catalogue values of each CRC)', () => {
  const sum = (alg: Parameters<typeof newChecksum>[0]) => {
    const c = newChecksum(alg);
    c.update(CHECK);
    return hex(c.digest());
  };
  assert.equal(sum('CRC32'), 'cbf43926');
  assert.equal(sum('CRC32C'), 'e3069283');
  assert.equal(sum('CRC64NVME'), 'ae8b14860a799888');
  assert.equal(sum('SHA1'), createHash('sha1').update(CHECK).digest('hex'));
  assert.equal(sum('SHA256'), createHash('sha256').update(CHECK).digest('hex'));
});

test('empty input: CRCs are zero', () => {
  assert.equal(hex(newChecksum('CRC32').digest()), '00000000');
  assert.equal(hex(newChecksum('CRC32C').digest()), '00000000');
  assert.equal(hex(newChecksum('CRC64NVME').digest()), '0000000000000000');
});

test('feeding data in pieces gives the same checksum as at once', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300)), fc.constantFrom(...CHECKSUM_ALGORITHMS), (bytes, cuts, alg) => {
    const data = Buffer.from(bytes);
    const whole = newChecksum(alg);
    whole.update(data);
    const pieces = newChecksum(alg);
    let at = 0;
    for (const c of [...cuts].sort((a, b) => a - b)) {
      const to = Math.min(c, data.length);
      if (to > at) { pieces.update(data.subarray(at, to)); at = to; }
    }
    pieces.update(data.subarray(at));
    assert.equal(pieces.digest(), whole.digest());
  }));
});
