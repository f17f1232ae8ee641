// Worker-thread side of dataset export jobs: turns an encoded table into CSV, so a large export
// never holds the event loop. Started by runExport (export-jobs.ts).
import { workerData } from 'node:worker_threads';
import type { Field } from './avro.js';
import { decodeTable, TableBuilder, toCsv } from './table.js';
import { asBuffer, workerMain } from './workers.js';

export interface ExportJob {
  /** The dataset's encoded table; absent, only the header (the schema's fields) is written. */
  table?: Uint8Array;
  fields: Field[];
}

void workerMain(() => {
  const { table, fields } = workerData as ExportJob;
  return new Uint8Array(toCsv(table ? decodeTable(asBuffer(table)) : new TableBuilder(fields).table()));
});
