import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, type CipherGCM } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { ByteRange } from './types.js';

/**
 * Encryption at rest, chosen so ranged reads decrypt only the chunks they touch: the plaintext is
 * cut into 64 KiB chunks, each sealed with AES-256-GCM (authenticated, hardware-accelerated in
 * OpenSSL) under a per-file subkey HKDF(dataKey, salt) and a nonce that is the chunk's index.
 * The random salt in the file header makes every file's subkey distinct even when files share a
 * data key (multipart parts and the object assembled from them), so nonces never repeat under a
 * key; the index nonce stops chunks being reordered; the size kept in metadata catches truncation.
 * CTR+HMAC would need the same per-chunk MACs for ranged verification, with more code.
 *
 * Layout: `TOE1` | salt (32) | chunk 0 ciphertext | tag (16) | chunk 1 … ; the last chunk may be short.
 */
export const CHUNK = 64 * 1024;
const TAG = 16;
const MAGIC = Buffer.from('TOE1');
const SALT = 32;
export const HEADER = MAGIC.length + SALT;
const INFO = 'tailor object chunks v1';

const subkey = (dataKey: Buffer, salt: Buffer): Buffer => Buffer.from(hkdfSync('sha256', dataKey, salt, INFO, 32));

function nonce(index: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(Math.floor(index / 2 ** 32), 4);
  iv.writeUInt32BE(index >>> 0, 8);
  return iv;
}

/** Bytes on disk for `size` bytes of plaintext. */
export const storedSize = (size: number): number => HEADER + size + Math.ceil(size / CHUNK) * TAG;

/** Seals plaintext as it arrives; output buffers are written in order after `header`. */
export class ChunkEncryptor {
  readonly header: Buffer;
  private readonly key: Buffer;
  private cipher: CipherGCM | undefined;
  private filled = 0;
  private index = 0;

  constructor(dataKey: Buffer) {
    const salt = randomBytes(SALT);
    this.key = subkey(dataKey, salt);
    this.header = Buffer.concat([MAGIC, salt]);
  }

  push(data: Buffer, out: Buffer[]): void {
    let at = 0;
    while (at < data.length) {
      this.cipher ??= createCipheriv('aes-256-gcm', this.key, nonce(this.index));
      const n = Math.min(CHUNK - this.filled, data.length - at);
      out.push(this.cipher.update(data.subarray(at, at + n)));
      at += n;
      this.filled += n;
      if (this.filled === CHUNK) this.seal(out);
    }
  }

  finish(out: Buffer[]): void {
    if (this.filled > 0) this.seal(out);
  }

  private seal(out: Buffer[]): void {
    out.push(this.cipher!.final(), this.cipher!.getAuthTag());
    this.cipher = undefined;
    this.filled = 0;
    this.index++;
  }
}

/** Where in the file a plaintext range's chunks lie (inclusive offsets). */
export function storedSpan(range: ByteRange, size: number): { start: number; end: number; firstChunk: number } {
  const firstChunk = Math.floor(range.start / CHUNK);
  const lastChunk = Math.floor(range.end / CHUNK);
  const lastLen = Math.min(CHUNK, size - lastChunk * CHUNK);
  return {
    start: HEADER + firstChunk * (CHUNK + TAG),
    end: HEADER + lastChunk * (CHUNK + TAG) + lastLen + TAG - 1,
    firstChunk,
  };
}

/** Reads the salt from a file's header bytes. */
export function readSalt(header: Buffer): Buffer {
  if (header.length < HEADER || !header.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not an encrypted object file');
  return header.subarray(MAGIC.length, HEADER);
}

/**
 * Turns the stored chunks of `storedSpan(range)` back into exactly the plaintext of `range`.
 * Each chunk is authenticated before any of its bytes are passed on.
 */
export class ChunkDecryptor extends Transform {
  private readonly key: Buffer;
  private index: number;
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** Plaintext offset of the current chunk's first byte. */
  private offset: number;

  constructor(dataKey: Buffer, salt: Buffer, private readonly range: ByteRange, private readonly size: number) {
    super();
    this.key = subkey(dataKey, salt);
    this.index = Math.floor(range.start / CHUNK);
    this.offset = this.index * CHUNK;
  }

  private chunkStored(): number {
    return Math.min(CHUNK, this.size - this.offset) + TAG;
  }

  override _transform(data: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      let at = 0;
      while (at < data.length) {
        const want = this.chunkStored() - this.pendingLen;
        const piece = data.subarray(at, at + want);
        at += piece.length;
        this.pending.push(piece);
        this.pendingLen += piece.length;
        if (this.pendingLen === this.chunkStored()) this.open();
      }
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.offset <= this.range.end ? new Error('encrypted object file is truncated') : undefined);
  }

  private open(): void {
    const sealed = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingLen);
    this.pending = [];
    this.pendingLen = 0;
    const d = createDecipheriv('aes-256-gcm', this.key, nonce(this.index));
    d.setAuthTag(sealed.subarray(sealed.length - TAG));
    const plain = Buffer.concat([d.update(sealed.subarray(0, sealed.length - TAG)), d.final()]);
    const from = Math.max(0, this.range.start - this.offset);
    const to = Math.min(plain.length, this.range.end - this.offset + 1);
    this.push(plain.subarray(from, to));
    this.offset += plain.length;
    this.index++;
  }
}
