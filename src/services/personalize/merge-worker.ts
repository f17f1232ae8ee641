// Worker-thread side of an INCREMENTAL import: merges the dataset's current table with the one
// imported (a row-by-row rebuild, slow for large data, so never on the request loop) and posts
// back the merged table, encoded. Started by runImport (import-jobs.ts).
import { workerData } from 'node:worker_threads';
import type { Field } from './avro.js';
import { decodeTable, encodeTable, mergeTables } from './table.js';
import { asBuffer, workerMain } from './workers.js';

export interface MergeJob {
  /** The current and the imported tables, encoded. */
  old: Uint8Array;
  added: Uint8Array;
  fields: Field[];
  /** The id field whose rows a new record replaces (none for interactions, which are appended). */
  idField?: string;
}

void workerMain(() => {
  const { old, added, fields, idField } = workerData as MergeJob;
  const merged = mergeTables(decodeTable(asBuffer(old)), decodeTable(asBuffer(added)), fields, idField);
  return { rows: merged.rows, bytes: new Uint8Array(encodeTable(merged)) };
});
