import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { CHUNK, ChunkDecryptor, ChunkEncryptor, HEADER, readSalt, storedSize, storedSpan } from './cipher.js';

function seal(key: Buffer, plain: Buffer, piece = 7000): Buffer {
  const enc = new ChunkEncryptor(key);
  const out: Buffer[] = [enc.header];
  for (let i = 0; i < plain.length; i += piece) enc.push(plain.subarray(i, i + piece), out);
  enc.finish(out);
  return Buffer.concat(out);
}

async function open(key: Buffer, file: Buffer, size: number, range = { start: 0, end: size - 1 }): Promise<Buffer> {
  const span = storedSpan(range, size);
  const dec = new ChunkDecryptor(key, readSalt(file.subarray(0, HEADER)), range, size);
  const chunks: Buffer[] = [];
  // Feed in odd-sized reads, as a file stream might.
  const src = file.subarray(span.start, span.end + 1);
  const pieces: Buffer[] = [];
  for (let i = 0; i < src.length; i += 10007) pieces.push(src.subarray(i, i + 10007));
  for await (const c of Readable.from(pieces).pipe(dec)) chunks.push(c);
  return Buffer.concat(chunks);
}

const SIZES = [1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5];

test('round trip at chunk boundaries; stored size as computed; ciphertext differs from plaintext', async () => {
  const key = randomBytes(32);
  for (const size of SIZES) {
    const plain = randomBytes(size);
    const file = seal(key, plain);
    assert.equal(file.length, storedSize(size));
    if (size >= 16) assert.equal(file.indexOf(plain.subarray(0, 16)), -1);
    assert.deepEqual(await open(key, file, size), plain);
  }
  assert.equal(seal(key, Buffer.alloc(0)).length, HEADER);
});

test('any range decrypts to exactly that slice of the plaintext', async () => {
  const key = randomBytes(32);
  const size = 3 * CHUNK + 123;
  const plain = randomBytes(size);
  const file = seal(key, plain);
  await fc.assert(fc.asyncProperty(fc.nat(size - 1), fc.nat(size - 1), async (a, b) => {
    const range = { start: Math.min(a, b), end: Math.max(a, b) };
    assert.deepEqual(await open(key, file, size, range), plain.subarray(range.start, range.end + 1));
  }), { numRuns: 60 });
});

test('same data key, two files: different salts, different ciphertext', () => {
  const key = randomBytes(32);
  const plain = randomBytes(1000);
  assert.notDeepEqual(seal(key, plain).subarray(HEADER), seal(key, plain).subarray(HEADER));
});

test('a flipped bit, a wrong key or a truncated file fails instead of yielding plaintext', async () => {
  const key = randomBytes(32);
  const plain = randomBytes(CHUNK + 10);
  const file = seal(key, plain);
  const flipped = Buffer.from(file);
  flipped[HEADER + 5] ^= 1;
  await assert.rejects(open(key, flipped, plain.length));
  await assert.rejects(open(randomBytes(32), file, plain.length));
  const span = storedSpan({ start: 0, end: plain.length - 1 }, plain.length);
  const dec = new ChunkDecryptor(key, readSalt(file), { start: 0, end: plain.length - 1 }, plain.length);
  await assert.rejects(async () => {
    for await (const _ of Readable.from([file.subarray(span.start, span.end - 20)]).pipe(dec));
  });
});
