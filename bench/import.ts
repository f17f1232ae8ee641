// Import speed: interaction rows parsed, type-checked and stored (CsvReader → TableBuilder → encoded
// columnar file) on one core, against a plain read of the same file in the same run.
import { createReadStream, mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CsvReader } from '../src/services/personalize/csv.js';
import { TableBuilder, encodeTable } from '../src/services/personalize/table.js';
import { parseSchema } from '../src/services/personalize/avro.js';
import { round } from './stats.js';

const SCHEMA = JSON.stringify({
  type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [
    { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' },
  ],
});

/** A generated interactions file: `rows` rows over 100k users and 20k items. */
function generate(path: string, rows: number) {
  const fd = openSync(path, 'w');
  writeSync(fd, 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n');
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    batch.push(`user${Math.floor(rand() * 100_000)},item${Math.floor(rand() ** 2 * 20_000)},${1_600_000_000 + i},${rand() < 0.8 ? 'click' : 'purchase'}`);
    if (batch.length === 10_000) {
      writeSync(fd, batch.join('\n') + '\n');
      batch.length = 0;
    }
  }
  if (batch.length) writeSync(fd, batch.join('\n') + '\n');
  closeSync(fd);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, value };
}

async function plainRead(file: string): Promise<number> {
  let chars = 0;
  const s = createReadStream(file, { highWaterMark: 1 << 20 });
  s.setEncoding('utf8');
  for await (const chunk of s) chars += (chunk as string).length;
  return chars;
}

async function importFile(file: string, out: string): Promise<number> {
  const builder = new TableBuilder(parseSchema(SCHEMA));
  const csv = new CsvReader(builder, file);
  const s = createReadStream(file, { highWaterMark: 1 << 20 });
  s.setEncoding('utf8');
  for await (const chunk of s) csv.feed(chunk as string);
  csv.end();
  const table = builder.table();
  writeFileSync(out, encodeTable(table));
  return table.rows;
}

export async function run(opts: { rows?: number } = {}) {
  const rows = opts.rows ?? 2_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'tailor-import-bench-'));
  try {
    const file = join(dir, 'interactions.csv');
    generate(file, rows);
    await plainRead(file);
    const read = await timed(() => plainRead(file));
    const imported = await timed(() => importFile(file, join(dir, 'table.bin')));
    if (imported.value !== rows) throw new Error(`imported ${imported.value} of ${rows} rows`);
    return {
      benchmark: 'import: CSV interactions parsed, type-checked, encoded and written, one core',
      rows,
      fileMB: round(statSync(file).size / 1e6, 1),
      importRowsPerSecond: Math.round(rows / imported.seconds),
      importSeconds: round(imported.seconds, 3),
      plainReadSeconds: round(read.seconds, 3),
      plainReadRowsPerSecond: Math.round(rows / read.seconds),
      importVsPlainRead: round(read.seconds / imported.seconds, 3),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('bench/import.js')) {
  const { values } = parseArgs({ options: { rows: { type: 'string' } } });
  console.log(await run({ rows: values.rows ? Number(values.rows) : undefined }));
}
