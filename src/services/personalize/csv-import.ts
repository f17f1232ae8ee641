import { Worker } from 'node:worker_threads';
import { CsvError } from './csv.js';
import { decodeTable, type Table } from './table.js';
import type { Field } from './avro.js';

export type ToWorker =
  | { type: 'start'; fields: Field[] }
  | { type: 'file'; source: string }
  | { type: 'chunk'; text: string }
  | { type: 'fileEnd' }
  | { type: 'finish' };
export type FromWorker = { type: 'ack' } | { type: 'done'; table: ArrayBuffer } | { type: 'error'; message: string; csv: boolean };

/** Chunks sent but not yet parsed before the reader waits: bounds memory when S3 reads outrun parsing. */
const MAX_IN_FLIGHT = 8;

/**
 * A CSV import parsed on a worker thread, so a large import never holds the event loop that serves
 * the API. Files are fed one after another into one table; a bad row rejects with a CsvError naming
 * the file, row and column, exactly as parsing in process would.
 */
export class CsvImport {
  private readonly worker = new Worker(new URL('./csv-worker.js', import.meta.url));
  private inFlight = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private result: ((t: ArrayBuffer) => void) | undefined;

  constructor(fields: Field[]) {
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'ack') this.inFlight--;
      else if (m.type === 'error') this.failure = m.csv ? new CsvError(m.message) : new Error(m.message);
      else this.result?.(m.table);
      this.wake?.();
    });
    this.worker.on('error', (e) => {
      this.failure = e;
      this.wake?.();
    });
    this.post({ type: 'start', fields });
  }

  /** Parses one file's text chunks (its first record is its header). */
  async file(source: string, chunks: AsyncIterable<string>): Promise<void> {
    this.post({ type: 'file', source });
    for await (const text of chunks) {
      this.check();
      this.inFlight++;
      this.post({ type: 'chunk', text });
      while (this.inFlight > MAX_IN_FLIGHT && !this.failure) await new Promise<void>((r) => (this.wake = r));
    }
    this.post({ type: 'fileEnd' });
  }

  /** The table of every row fed, once the worker has checked them all. */
  async finish(): Promise<Table> {
    try {
      const table = await new Promise<ArrayBuffer>((resolve, reject) => {
        this.result = resolve;
        this.wake = () => this.failure && reject(this.failure);
        this.check();
        this.post({ type: 'finish' });
      });
      return decodeTable(Buffer.from(table));
    } finally {
      await this.close();
    }
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }

  private check() {
    if (this.failure) throw this.failure;
  }

  private post(m: ToWorker) {
    this.worker.postMessage(m);
  }
}
