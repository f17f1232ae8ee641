import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync, createReadStream, mkdirSync, openSync, readdirSync, readSync, renameSync, unlinkSync,
} from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { ChunkDecryptor, ChunkEncryptor, HEADER, readSalt, storedSpan } from './cipher.js';
import { newChecksum } from './checksums.js';
import type { ByteRange, WriteOptions, Written } from './types.js';

/** A fully written, fsynced file in the temp dir that nothing references yet. */
export interface TempBlob {
  id: string;
  written: Written;
}

const BATCH = 1 << 20;
const READ_CHUNK = 256 * 1024;
const EMPTY_MD5 = Buffer.alloc(0);

const ignoreMissing = (fn: () => void): void => {
  try {
    fn();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
};

/**
 * The files behind objects and parts: `objects/data/<xx>/<uuid>` (named by a random id, never by
 * the key, so no key can reach outside the data dir) and `objects/tmp/<uuid>` for files being
 * written or retired. A file moves between the two only by rename, synchronously around the
 * metadata commit, so after any crash the temp dir holds exactly the files whose fate the
 * metadata decides: `recover` keeps those a record names and deletes the rest.
 */
export class BlobFiles {
  private readonly tmpDir: string;
  private readonly dataDir: string;

  constructor(root: string) {
    this.tmpDir = join(root, 'tmp');
    this.dataDir = join(root, 'data');
    mkdirSync(this.tmpDir, { recursive: true, mode: 0o700 });
    for (let i = 0; i < 256; i++) mkdirSync(join(this.dataDir, i.toString(16).padStart(2, '0')), { recursive: true, mode: 0o700 });
  }

  private tmp(id: string): string {
    return join(this.tmpDir, id);
  }

  private data(id: string): string {
    return join(this.dataDir, id.slice(0, 2), id);
  }

  /**
   * Streams `body` into a new temp file (encrypting when a data key is given), hashing the plaintext,
   * then fsyncs it. On any failure (client gone, limit passed) the temp file is removed and `body` destroyed.
   */
  async write(body: Readable, opts: WriteOptions & { md5?: boolean }): Promise<TempBlob> {
    // An error the body meets before reading starts must not go unhandled; reading reports it.
    const pending = () => {};
    body.on('error', pending);
    const id = randomUUID();
    const path = this.tmp(id);
    let fh: FileHandle | undefined;
    try {
      fh = await open(path, 'wx', 0o600);
      const written = await fill(fh, body, opts);
      await fh.sync();
      await fh.close();
      await syncDir(this.tmpDir);
      return { id, written };
    } catch (e) {
      body.destroy();
      await fh?.close().catch(() => {});
      await rm(path, { force: true });
      throw e;
    } finally {
      body.off('error', pending);
    }
  }

  /** temp → data: the file becomes (or again is) the bytes of a committed record. */
  publish(id: string): void {
    ignoreMissing(() => renameSync(this.tmp(id), this.data(id)));
  }

  /** data → temp: done before the commit that drops the last reference, so a crash cannot strand it. */
  retire(id: string): void {
    ignoreMissing(() => renameSync(this.data(id), this.tmp(id)));
  }

  discard(id: string): void {
    ignoreMissing(() => unlinkSync(this.tmp(id)));
  }

  /** Opens a committed file now (so a later retire or delete does not cut the read short) and streams its plaintext. */
  read(id: string, encrypted: boolean, size: number, range: ByteRange | undefined, dataKey?: Buffer): Readable {
    const r = range ?? { start: 0, end: size - 1 };
    if (r.end < r.start) return Readable.from([]);
    const fd = openSync(this.data(id), 'r');
    if (!encrypted) return createReadStream('', { fd, start: r.start, end: r.end, highWaterMark: READ_CHUNK });
    if (!dataKey) {
      closeSync(fd);
      throw new Error('encrypted object read without its data key');
    }
    let salt: Buffer;
    try {
      const header = Buffer.alloc(HEADER);
      readSync(fd, header, 0, HEADER, 0);
      salt = readSalt(header);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    const span = storedSpan(r, size);
    const file = createReadStream('', { fd, start: span.start, end: span.end, highWaterMark: READ_CHUNK });
    const plain = new ChunkDecryptor(dataKey, salt, r, size);
    pipeline(file, plain, () => {});
    return plain;
  }

  /**
   * After a crash: files in the temp dir that a record names go back to data (their commit landed
   * before the rename); all others (unfinished writes, retired files) are deleted.
   */
  recover(referenced: () => Set<string>): void {
    const names = readdirSync(this.tmpDir);
    if (names.length === 0) return;
    const keep = referenced();
    for (const name of names) {
      if (keep.has(name)) this.publish(name);
      else ignoreMissing(() => unlinkSync(this.tmp(name)));
    }
  }
}

async function fill(fh: FileHandle, body: Readable, opts: WriteOptions & { md5?: boolean }): Promise<Written> {
  const md5 = opts.md5 === false ? undefined : createHash('md5');
  const sum = opts.checksum ? newChecksum(opts.checksum) : undefined;
  const enc = opts.dataKey ? new ChunkEncryptor(opts.dataKey) : undefined;
  let size = 0;
  let position = 0;
  let batch: Buffer[] = enc ? [enc.header] : [];
  let batchLen = 0;
  // One write in flight while the next batch is hashed and encrypted: disk and CPU work overlap.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const bufs = batch;
    const at = position;
    for (const b of bufs) position += b.length;
    batch = [];
    batchLen = 0;
    await writing;
    writing = writeAll(fh, bufs, at);
    // Awaited later; marked handled now so a failed write is not an unhandled rejection meanwhile.
    writing.catch(() => {});
  };
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (opts.limit && size > opts.limit.bytes) throw opts.limit.error();
      md5?.update(chunk);
      sum?.update(chunk);
      if (enc) enc.push(chunk, batch);
      else batch.push(chunk);
      batchLen += chunk.length;
      if (batchLen >= BATCH) await flush();
    }
    enc?.finish(batch);
    if (batch.length) await flush();
  } finally {
    // Never leave a write running on a handle the caller is about to close.
    await writing.catch(() => {});
  }
  await writing;
  return { size, md5: md5 ? md5.digest() : EMPTY_MD5, checksum: sum?.digest() };
}

/** writev until every byte is on disk (a regular file may still take a short write). */
async function writeAll(fh: FileHandle, bufs: Buffer[], position: number): Promise<void> {
  let rest = bufs.filter((b) => b.length > 0);
  while (rest.length) {
    const { bytesWritten } = await fh.writev(rest, position);
    position += bytesWritten;
    let skip = bytesWritten;
    while (rest.length && skip >= rest[0].length) skip -= rest.shift()!.length;
    if (skip > 0) rest[0] = rest[0].subarray(skip);
  }
}

/** fsync a directory so a new entry in it survives power loss. */
async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
