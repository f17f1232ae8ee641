import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSchema } from './avro.js';
import { CsvReader } from './csv.js';
import { TableBuilder, cellText, decodeTable, encodeTable, mergeTables } from './table.js';
import { INTERACTIONS_SCHEMA } from './test-support.js';

const ITEMS = parseSchema(JSON.stringify({
  type: 'record', name: 'Items', fields: [
    { name: 'ITEM_ID', type: 'string' }, { name: 'GENRES', type: ['null', 'string'], categorical: true },
    { name: 'PRICE', type: ['null', 'float'] }, { name: 'ADULT', type: ['null', 'boolean'] },
  ],
}));

function read(fields: ReturnType<typeof parseSchema>, text: string, chunk = 7) {
  const b = new TableBuilder(fields);
  const r = new CsvReader(b, 's3://b/k.csv');
  for (let i = 0; i < text.length; i += chunk) r.feed(text.slice(i, i + chunk));
  r.end();
  return b.table();
}

const rowsOf = (t: ReturnType<typeof read>) =>
  Array.from({ length: t.rows }, (_, r) => t.columns.map((c) => cellText(c, r)));

test('header mapping (any order, case-insensitive), quoting, CRLF, | values, nulls, types', () => {
  const t = read(ITEMS, 'price,item_id,GENRES,ADULT\r\n1.5,"a,1","Comedy|Drama",true\r\n,b,"say ""hi""",\n\n2,c,,false');
  assert.deepEqual(rowsOf(t), [['a,1', 'Comedy|Drama', '1.5', 'true'], ['b', 'say "hi"', '', ''], ['c', '', '2', 'false']]);
});

test('bad rows name the row and the column', () => {
  const ix = parseSchema(INTERACTIONS_SCHEMA);
  assert.throws(() => read(ix, 'USER_ID,ITEM_ID,TIMESTAMP\nu,i,1\nu,i,12.5\n'), { message: 'Row 3 of s3://b/k.csv, column TIMESTAMP: "12.5" is not a valid long.' });
  assert.throws(() => read(ix, 'USER_ID,ITEM_ID,TIMESTAMP\n,i,1\n'), /Row 2 .*column USER_ID: missing value/);
  assert.throws(() => read(ix, 'USER_ID,ITEM_ID,TIMESTAMP\nu,i\n'), /Row 2 .* 2 values, but the header has 3/);
  assert.throws(() => read(ix, 'USER_ID,ITEM_ID\nu,i\n'), /lacks the required field TIMESTAMP/);
  assert.throws(() => read(ix, 'USER_ID,ITEM_ID,TIMESTAMP,X\n'), /Column X/);
  assert.throws(() => read(ix, 'USER_ID,ITEM_ID,TIMESTAMP\n"u,i,1\n'), /unterminated/);
  assert.throws(() => read(ITEMS, 'ITEM_ID,ADULT\na,True\n'), /column ADULT: "True" is not a valid boolean/);
});

test('tables survive encoding; INCREMENTAL merges replace rows by id', () => {
  const old = read(ITEMS, 'ITEM_ID,PRICE\na,1\nb,2\n');
  const back = decodeTable(encodeTable(old));
  assert.deepEqual(rowsOf(back), rowsOf(old));
  const added = read(ITEMS, 'ITEM_ID,PRICE\nb,3\nc,4\n');
  assert.deepEqual(rowsOf(mergeTables(back, added, ITEMS, 'ITEM_ID')).map((r) => [r[0], r[2]]), [['a', '1'], ['b', '3'], ['c', '4']]);
});

test('any quoted text reads back as written, whatever the chunking', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.string({ minLength: 1 }), fc.string()), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 9 }), (rows, chunk) => {
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const text = 'ITEM_ID,GENRES\n' + rows.map(([a, b]) => `${q(a)},${q(b)}`).join('\r\n');
    const t = read(ITEMS, text, chunk);
    assert.deepEqual(rowsOf(t).map((r) => [r[0], r[1]]), rows);
  }));
});
