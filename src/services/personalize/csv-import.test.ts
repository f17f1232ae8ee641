import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvImport } from './csv-import.js';
import { CsvError } from './csv.js';
import { cellText } from './table.js';
import type { Field } from './avro.js';

const FIELDS = [
  { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' },
] as Field[];

async function* chunks(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

test('files parsed on the worker come back as one table, whatever the chunking', async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => `u${i % 37},"i,${i % 11}",${1_700_000_000 + i}`);
  const imp = new CsvImport(FIELDS);
  await imp.file('s3://b/one.csv', chunks(`USER_ID,ITEM_ID,TIMESTAMP\n${rows.slice(0, 2500).join('\n')}\n`, 7));
  await imp.file('s3://b/two.csv', chunks(`ITEM_ID,USER_ID,TIMESTAMP\r\n${rows.slice(2500).map((r) => {
    const [u, i1, i2, t] = r.split(',');
    return `${i1},${i2},${u},${t}`;
  }).join('\r\n')}`, 4096));
  const table = await imp.finish();
  assert.equal(table.rows, 5000);
  const [user, item, ts] = table.columns;
  assert.equal(cellText(user, 4999), `u${4999 % 37}`);
  assert.equal(cellText(item, 3), 'i,3');
  assert.equal(cellText(ts, 2500), String(1_700_002_500));
});

test('a bad row rejects with the CsvError naming file, row and column', async () => {
  const imp = new CsvImport(FIELDS);
  const body = `USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1\nu2,i2,not-a-number\n`;
  await assert.rejects(async () => {
    await imp.file('s3://b/bad.csv', chunks(body, 5));
    await imp.finish();
  }, (e: unknown) => e instanceof CsvError && /Row 3 of s3:\/\/b\/bad\.csv/.test((e as Error).message) && /TIMESTAMP/.test((e as Error).message));
  await imp.close();
});
