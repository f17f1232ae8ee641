// Worker-thread side of a CSV import: parses and type-checks chunks into a TableBuilder off the main
// thread, and hands back the encoded table. Messages come from CsvImport (csv-import.ts).
import { parentPort } from 'node:worker_threads';
import { CsvError, CsvReader } from './csv.js';
import { TableBuilder, encodeTable } from './table.js';
import type { Field } from './avro.js';
import type { ToWorker, FromWorker } from './csv-import.js';

let builder: TableBuilder | undefined;
let reader: CsvReader | undefined;

const reply = (m: FromWorker, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);

parentPort!.on('message', (m: ToWorker) => {
  try {
    switch (m.type) {
      case 'start':
        builder = new TableBuilder(m.fields as Field[]);
        return;
      case 'file':
        reader = new CsvReader(builder!, m.source);
        return;
      case 'chunk':
        reader!.feed(m.text);
        return reply({ type: 'ack' });
      case 'fileEnd':
        reader!.end();
        return;
      case 'finish': {
        const bytes = encodeTable(builder!.table());
        builder = reader = undefined;
        // A fresh ArrayBuffer of exactly the table, so it can be transferred, not copied.
        const out = new Uint8Array(bytes.length);
        out.set(bytes);
        return reply({ type: 'done', table: out.buffer }, [out.buffer]);
      }
    }
  } catch (e) {
    builder = reader = undefined;
    reply({ type: 'error', message: (e as Error).message, csv: e instanceof CsvError });
  }
});
