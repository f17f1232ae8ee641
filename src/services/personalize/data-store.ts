// Each dataset's bulk data (and each trained model): one file under the data dir, named by a random
// id (never by anything a user chose), referenced by a store document. A new import writes a new
// file and swaps the reference in one put, so readers see the old data or the new, never a mix.
// A dataset group with a KMS key keeps its files encrypted (AES-256-GCM) under a data key that
// key protects; the sealed data key sits in the document and is opened through KMS for each read.
import { randomBytes } from 'node:crypto';
import { gcmOpen, gcmSeal } from '../../shared/gcm.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../../app.js';
import { decodeTable, encodeTable, type Table } from './table.js';
import { KIND } from './schema.js';

export interface DataDoc extends FileRef {
  datasetArn: string;
  rows: number;
  /** The import job that produced this version (a re-run of that job after a restart is a no-op). */
  jobArn: string;
}

/** Opens and seals data keys (through KMS, as the dataset group's role). */
export interface KeyKeeper {
  newKey(): { plaintext: Buffer; sealed: Buffer };
  open(sealed: Buffer): Buffer;
}

const dir = (app: App) => join(app.config.dataDir, 'personalize');

export const dataOf = (app: App, datasetArn: string): DataDoc | undefined => app.store.get<DataDoc>(KIND.data, datasetArn);

const MAGIC = Buffer.from('PZE1');
const seal = (plain: Buffer, key: Buffer): Buffer => gcmSeal(plain, key, MAGIC);
const unseal = (buf: Buffer, key: Buffer): Buffer => gcmOpen(buf, key, MAGIC.length);

/** A file the store keeps (a dataset's table, a trained model): its name and, when encrypted, its sealed data key. */
export interface FileRef {
  file: string;
  sealedKey?: string;
}

/** Writes bytes to a new file (sealed under a new data key when `keys` is given). */
export function writeFile(app: App, bytes: Buffer, keys?: KeyKeeper): FileRef {
  mkdirSync(dir(app), { recursive: true, mode: 0o700 });
  let buf = bytes;
  let sealedKey: string | undefined;
  if (keys) {
    const k = keys.newKey();
    buf = seal(buf, k.plaintext);
    sealedKey = k.sealed.toString('base64');
  }
  const file = `${randomBytes(16).toString('hex')}.pz`;
  const tmp = join(dir(app), `${file}.tmp`);
  writeFileSync(tmp, buf, { mode: 0o600, flush: true });
  renameSync(tmp, join(dir(app), file));
  return { file, sealedKey };
}

export function readFile(app: App, ref: FileRef, keys?: KeyKeeper): Buffer {
  const buf: Buffer = readFileSync(join(dir(app), ref.file));
  if (!ref.sealedKey) return buf;
  if (!keys) throw new Error(`${ref.file} is encrypted`);
  return unseal(buf, keys.open(Buffer.from(ref.sealedKey, 'base64')));
}

export const removeFile = (app: App, ref: FileRef | undefined): void => {
  if (ref) rmSync(join(dir(app), ref.file), { force: true });
};

/** The dataset's current table, or undefined before its first import. */
export function readData(app: App, datasetArn: string, keys?: KeyKeeper): Table | undefined {
  const doc = dataOf(app, datasetArn);
  return doc && decodeTable(readFile(app, doc, keys));
}

/** Replaces the dataset's data with `table`, atomically. */
export function writeData(app: App, datasetArn: string, jobArn: string, table: Table, keys?: KeyKeeper): void {
  writeEncoded(app, datasetArn, jobArn, { bytes: encodeTable(table), rows: table.rows }, keys);
}

/** As writeData, for a table already encoded (table.ts) elsewhere. */
export function writeEncoded(app: App, datasetArn: string, jobArn: string, t: { bytes: Buffer; rows: number }, keys?: KeyKeeper): void {
  const ref = writeFile(app, t.bytes, keys);
  const old = dataOf(app, datasetArn);
  app.store.put(KIND.data, datasetArn, { datasetArn, ...ref, rows: t.rows, jobArn } satisfies DataDoc);
  removeFile(app, old);
}

/** Drops a dataset's data (the dataset is deleted). */
export function removeData(app: App, datasetArn: string): void {
  const old = dataOf(app, datasetArn);
  app.store.delete(KIND.data, datasetArn);
  removeFile(app, old);
}

/**
 * Removes files no document references: what a crash left between writing a file and recording it
 * (or between replacing a reference and removing the old file). `referenced` lists every live file.
 */
export function sweepFiles(app: App, referenced: Set<string>): void {
  if (!existsSync(dir(app))) return;
  for (const f of readdirSync(dir(app))) if (!referenced.has(f)) rmSync(join(dir(app), f), { force: true });
}
