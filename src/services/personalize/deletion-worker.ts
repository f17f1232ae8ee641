// Worker-thread side of a data deletion job: drops the named users' rows from one dataset's table
// (a pass over every row, slow for large data, so never on the request loop) and posts back the
// table that remains, encoded. Started by runDeletion (data-deletion-jobs.ts).
import { workerData } from 'node:worker_threads';
import { cellText, decodeTable, encodeTable, filterRows } from './table.js';
import { asBuffer, workerMain } from './workers.js';

export interface DeletionJob {
  /** The dataset's table, encoded (datasets without a USER_ID column lose nothing). */
  table: Uint8Array;
  users: string[];
}

export interface DeletionResult {
  deleted: number;
  /** The remaining table, encoded (absent when nothing was deleted). */
  kept?: { rows: number; bytes: Uint8Array };
}

void workerMain((): DeletionResult => {
  const { table: bytes, users } = workerData as DeletionJob;
  const table = decodeTable(asBuffer(bytes));
  const col = table.columns.find((c) => c.name === 'USER_ID');
  if (!col) return { deleted: 0 };
  const named = new Set(users);
  const kept = filterRows(table, (r) => !named.has(cellText(col, r)));
  if (kept.rows === table.rows) return { deleted: 0 };
  return { deleted: table.rows - kept.rows, kept: { rows: kept.rows, bytes: new Uint8Array(encodeTable(kept)) } };
});
