import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { AwsChunkedDecoder, decodeAwsChunked, type AwsChunkedOptions, type ChunkSigning } from './aws-chunked.js';
import type { AwsError } from '../shared/aws-error.js';

// A chunk signer written from the S3 documentation's formulas (checked against its published example
// in sigv4/vectors.test.ts), to make bodies of any shape.
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const KEY = hmac(hmac(hmac(hmac('AWS4secret', '20260101'), 'us-east-1'), 's3'), 'aws4_request');
const SIGNING: ChunkSigning = { key: KEY, amzDate: '20260101T000000Z', scope: '20260101/us-east-1/s3/aws4_request', seed: 'ab'.repeat(32), accessKeyId: 'AKIA' };
const EMPTY = hex('');

function signedBody(data: Buffer, chunkSize: number, trailers?: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  let previous = SIGNING.seed;
  const sign = (text: string) => (previous = hmac(KEY, text).toString('hex'));
  for (let at = 0; ; at += chunkSize) {
    const chunk = data.subarray(at, at + chunkSize);
    const signature = sign(`AWS4-HMAC-SHA256-PAYLOAD\n${SIGNING.amzDate}\n${SIGNING.scope}\n${previous}\n${EMPTY}\n${hex(chunk)}`);
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${signature}\r\n`), chunk, Buffer.from(chunk.length ? '\r\n' : ''));
    if (chunk.length === 0) break;
  }
  if (trailers) {
    const text = Object.entries(trailers).map(([k, v]) => `${k}:${v}\n`).join('');
    const signature = sign(`AWS4-HMAC-SHA256-TRAILER\n${SIGNING.amzDate}\n${SIGNING.scope}\n${previous}\n${hex(text)}`);
    parts.push(Buffer.from(text.replace(/\n/g, '\r\n') + `x-amz-trailer-signature:${signature}\r\n`));
  }
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

function unsignedBody(data: Buffer, chunkSize: number, trailers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += chunkSize) {
    const chunk = data.subarray(at, at + chunkSize);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n' + Object.entries(trailers).map(([k, v]) => `${k}:${v}\r\n`).join('') + '\r\n'));
  return Buffer.concat(parts);
}

const DATA = Buffer.from(Array.from({ length: 3 * 8192 + 100 }, (_, i) => (i * 7) & 255));
const SIGNED: AwsChunkedOptions = { mode: 'signed', signing: SIGNING, decodedLength: DATA.length };

function decodeError(body: Buffer, options: AwsChunkedOptions): AwsError {
  try {
    decodeAwsChunked(body, options);
  } catch (e) {
    return e as AwsError;
  }
  assert.fail('decoded');
}

async function stream(pieces: Buffer[], options: AwsChunkedOptions) {
  const decoder = new AwsChunkedDecoder(options);
  const out: Buffer[] = [];
  decoder.on('data', (b: Buffer) => out.push(b));
  await pipeline(Readable.from(pieces), decoder);
  return { body: Buffer.concat(out), trailers: decoder.trailers };
}

test('signed chunks decode, whole or as a stream cut anywhere', async () => {
  const body = signedBody(DATA, 8192);
  assert.deepEqual(decodeAwsChunked(body, SIGNED).body, DATA);
  await fc.assert(fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: body.length - 1 }), { maxLength: 12 }), async (cuts) => {
    const at = [0, ...cuts.sort((a, b) => a - b), body.length];
    const pieces = at.slice(1).map((end, i) => body.subarray(at[i], end));
    assert.deepEqual((await stream(pieces, SIGNED)).body, DATA);
  }), { numRuns: 60 });
});

test('an empty object is one final chunk', () => {
  assert.equal(decodeAwsChunked(signedBody(Buffer.alloc(0), 8192), { ...SIGNED, decodedLength: 0 }).body.length, 0);
});

test('any changed byte of a signed body is refused', () => {
  const body = signedBody(DATA, 8192);
  fc.assert(fc.property(fc.integer({ min: 0, max: body.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
    const changed = Buffer.from(body);
    changed[at] ^= xor;
    assert.throws(() => decodeAwsChunked(changed, SIGNED));
  }), { numRuns: 300 });
  const err = decodeError(Buffer.from(body.toString('latin1').replace(/chunk-signature=./, 'chunk-signature=0'), 'latin1'), SIGNED);
  assert.equal(err.code, 'SignatureDoesNotMatch');
  assert.equal(err.status, 403);
  assert.match(String(err.fields.StringToSign), /^AWS4-HMAC-SHA256-PAYLOAD\n20260101T000000Z\n20260101\/us-east-1\/s3\/aws4_request\n(ab){32}\n/);
});

test('a body cut short, or longer than declared, is IncompleteBody', () => {
  const body = signedBody(DATA, 8192);
  fc.assert(fc.property(fc.integer({ min: 0, max: body.length - 1 }), (end) => {
    const err = decodeError(body.subarray(0, end), SIGNED);
    assert.ok(err.code === 'IncompleteBody' || err.code === 'SignatureDoesNotMatch', err.code);
  }), { numRuns: 200 });
  const incomplete = { code: 'IncompleteBody', status: 400, message: 'The request body terminated unexpectedly' };
  assert.deepEqual(pick(decodeError(body.subarray(0, body.length - 2), SIGNED)), incomplete);
  assert.deepEqual(pick(decodeError(body, { ...SIGNED, decodedLength: DATA.length - 1 })), incomplete);
  assert.deepEqual(pick(decodeError(body, { ...SIGNED, decodedLength: DATA.length + 1 })), incomplete);
  assert.deepEqual(pick(decodeError(Buffer.concat([body, Buffer.from('0\r\n')]), SIGNED)), incomplete);
  assert.deepEqual(pick(decodeError(Buffer.from('zz;chunk-signature=00\r\n'), SIGNED)), incomplete);
  assert.deepEqual(pick(decodeError(Buffer.from('1'.repeat(5000)), SIGNED)), incomplete);
});

const pick = (e: AwsError) => ({ code: e.code, status: e.status, message: e.message });

test('signed chunks but the last are at least 8 KiB', () => {
  const err = decodeError(signedBody(DATA, 8191), SIGNED);
  assert.deepEqual({ ...pick(err), fields: err.fields }, {
    code: 'InvalidChunkSizeError', status: 403, message: 'Only the last chunk is allowed to have a size less than 8192 bytes',
    fields: { Chunk: '1', BadChunkSize: '8191' },
  });
});

test('unsigned chunks with a checksum trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER)', async () => {
  const options: AwsChunkedOptions = { mode: 'unsigned-trailer', decodedLength: DATA.length };
  const body = unsignedBody(DATA, 1000, { 'x-amz-checksum-crc32': 'AAAAAA==' });
  assert.deepEqual(decodeAwsChunked(body, options), { body: DATA, trailers: { 'x-amz-checksum-crc32': 'AAAAAA==' } });
  const streamed = await stream([body.subarray(0, 7), body.subarray(7, 2000), body.subarray(2000)], options);
  assert.deepEqual(streamed.body, DATA);
  assert.deepEqual(streamed.trailers, { 'x-amz-checksum-crc32': 'AAAAAA==' });
  const garbage = Buffer.concat([unsignedBody(DATA, 1000, {}).subarray(0, -2), Buffer.from('garbage\r\n\r\n')]);
  assert.equal(decodeError(garbage, options).code, 'MalformedTrailerError');
});

test('signed trailers: the trailer signature chains from the last chunk', () => {
  const options: AwsChunkedOptions = { mode: 'signed-trailer', signing: SIGNING, decodedLength: DATA.length };
  const trailers = { 'x-amz-checksum-crc32c': 'sOO8/Q==' };
  assert.deepEqual(decodeAwsChunked(signedBody(DATA, 8192, trailers), options), { body: DATA, trailers });
  const changed = signedBody(DATA, 8192, { 'x-amz-checksum-crc32c': 'sOO8/Q==' }).toString('latin1').replace('sOO8', 'sOO9');
  const err = decodeError(Buffer.from(changed, 'latin1'), options);
  assert.equal(err.code, 'SignatureDoesNotMatch');
  assert.match(String(err.fields.StringToSign), /^AWS4-HMAC-SHA256-TRAILER\n/);
  const unsignedTrailer = signedBody(DATA, 8192).toString('latin1').replace(/\r\n\r\n$/, '\r\nx-amz-checksum-crc32c:sOO8/Q==\r\n\r\n');
  const malformed = { code: 'MalformedTrailerError', status: 400, message: 'The request contained trailing data that was not well-formed or did not conform to our published schema.' };
  assert.deepEqual(pick(decodeError(Buffer.from(unsignedTrailer, 'latin1'), options)), malformed);
  // Trailers are no part of STREAMING-AWS4-HMAC-SHA256-PAYLOAD.
  assert.deepEqual(pick(decodeError(Buffer.from(unsignedTrailer, 'latin1'), SIGNED)), malformed);
});

test('a stream error stops the pipeline', async () => {
  const body = signedBody(DATA, 8192);
  body[100] ^= 1;
  await assert.rejects(stream([body], SIGNED), { name: 'SignatureDoesNotMatch' });
});
