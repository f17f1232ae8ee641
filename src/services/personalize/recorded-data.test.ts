import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../personalize-events/journal.js';
import { groupKeyLines } from '../personalize-events/journal-read.js';
import { journalPath } from '../personalize-events/journal.js';
import { appendRows, overlayRecords, readRecorded, type RecordedWant } from './recorded-data.js';
import { cellText, TableBuilder, type Table } from './table.js';
import type { Field } from './avro.js';

const f = (name: string, type: Field['type'] = 'string', categorical = false): Field => ({ name, type, nullable: name !== 'USER_ID', categorical, textual: false });
const IX = [f('USER_ID'), f('ITEM_ID'), f('TIMESTAMP', 'long'), f('EVENT_TYPE'), f('EVENT_VALUE', 'float'), f('DEVICE')];
const ITEMS = [f('ITEM_ID'), f('GENRE', 'string', true), f('PRICE', 'float')];
const WANT: RecordedWant = { events: { kind: 'event', itemField: 'ITEM_ID', fields: IX }, records: [{ kind: 'item', idField: 'ITEM_ID', fields: ITEMS }] };

const rowsOf = (t: Table | undefined) => {
  if (!t) return [];
  return Array.from({ length: t.rows }, (_, r) => Object.fromEntries(t.columns.map((c) => [c.name, cellText(c, r)])));
};

function tableOf(fields: Field[], rows: string[][]): Table {
  const b = new TableBuilder(fields);
  for (const row of rows) {
    row.forEach((v, c) => b.value(c, v));
    b.endRow();
  }
  return b.table();
}

async function withJournal(body: (path: string, journal: Journal) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'recorded-'));
  const path = journalPath(dir);
  const journal = new Journal(path);
  try {
    await body(path, journal);
  } finally {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const event = (g: string, more: object) => ({ k: 'event', g, sessionId: 's', type: 'Click', t: 100.7, ...more });

test('events become rows in the schema\'s columns; a prefix of the journal is all a reader sees', async () => {
  await withJournal(async (path, journal) => {
    await journal.append([
      event('G', { userId: 'u1', itemId: 'i1', value: 2.5, props: { DEVICE: 'phone' }, eventId: 'e1' }),
      event('G', { userId: 'u1', itemId: 'i1', eventId: 'e1' }),
      event('OTHER', { userId: 'x', itemId: 'ix' }),
      { k: 'item', g: 'G', id: 'i1', props: { GENRE: 'rock' } },
    ]);
    const length = statSync(path).size;
    await journal.append([event('G', { userId: 'late', itemId: 'i9' })]);
    const got = readRecorded({ path, length, g: 'G', keys: [] }, WANT);
    assert.deepEqual(rowsOf(got.interactions), [{ USER_ID: 'u1', ITEM_ID: 'i1', TIMESTAMP: '100', EVENT_TYPE: 'Click', EVENT_VALUE: '2.5', DEVICE: 'phone' }]);
    assert.deepEqual(rowsOf(got.records.get('item')), [{ ITEM_ID: 'i1', GENRE: 'rock', PRICE: '' }]);
    assert.equal(readRecorded({ path, length: statSync(path).size, g: 'G', keys: [] }, WANT).interactions!.rows, 2);
  });
});

test('session-only events belong to the user their session is linked to; sessions never linked are left out', async () => {
  await withJournal(async (path, journal) => {
    await journal.append([
      event('G', { sessionId: 'a', itemId: 'i1' }),
      event('G', { sessionId: 'anon', itemId: 'i2' }),
      event('G', { sessionId: 'a', userId: 'u7', itemId: 'i3' }),
      event('G', { sessionId: 'a', itemId: 'i4' }),
    ]);
    const got = readRecorded({ path, length: statSync(path).size, g: 'G', keys: [] }, WANT);
    assert.deepEqual(rowsOf(got.interactions).map((r) => `${r.USER_ID}:${r.ITEM_ID}`), ['u7:i1', 'u7:i3', 'u7:i4']);
  });
});

test('a KMS-keyed group\'s sealed records are read with its opened data keys, and only with them', async () => {
  await withJournal(async (path, journal) => {
    const plaintext = randomBytes(32);
    await journal.append([event('K', { userId: 'u', itemId: 'secret' })], { id: 'k1', g: 'K', plaintext, sealed: 'c2VhbGVk' });
    await journal.append([event('P', { userId: 'u', itemId: 'plain' })]);
    const length = statSync(path).size;
    assert.deepEqual([...await groupKeyLines(path, length, 'K')], [['k1', 'c2VhbGVk']]);
    assert.deepEqual([...await groupKeyLines(path, length, 'P')], []);
    const read = (keys: [string, Uint8Array][]) => rowsOf(readRecorded({ path, length, g: 'K', keys }, WANT).interactions).map((r) => r.ITEM_ID);
    assert.deepEqual(read([['k1', plaintext]]), ['secret']);
    assert.deepEqual(read([]), []);
    assert.deepEqual(read([['k1', randomBytes(32)]]), [], 'a wrong key fails authentication');
  });
});

test('recorded items overlay imported rows field by field; appended interactions merge dictionaries', () => {
  const imported = tableOf(ITEMS, [['i1', 'jazz', '9'], ['i2', 'pop', '3']]);
  const recorded = tableOf(ITEMS.map((x) => ({ ...x, nullable: true })), [['i1', 'rock', ''], ['i3', '', '4']]);
  assert.deepEqual(rowsOf(overlayRecords(imported, recorded, ITEMS, 'ITEM_ID')), [
    { ITEM_ID: 'i2', GENRE: 'pop', PRICE: '3' },
    { ITEM_ID: 'i1', GENRE: 'rock', PRICE: '9' },
    { ITEM_ID: 'i3', GENRE: '', PRICE: '4' },
  ]);
  const a = tableOf([f('USER_ID'), f('ITEM_ID'), f('TIMESTAMP', 'long')], [['u1', 'i1', '5'], ['u2', 'i2', '6']]);
  const b = tableOf(IX.slice(0, 5), [['u2', 'i9', '7', 'buy', '1']]);
  assert.deepEqual(rowsOf(appendRows(a, b)), [
    { USER_ID: 'u1', ITEM_ID: 'i1', TIMESTAMP: '5', EVENT_TYPE: '', EVENT_VALUE: '' },
    { USER_ID: 'u2', ITEM_ID: 'i2', TIMESTAMP: '6', EVENT_TYPE: '', EVENT_VALUE: '' },
    { USER_ID: 'u2', ITEM_ID: 'i9', TIMESTAMP: '7', EVENT_TYPE: 'buy', EVENT_VALUE: '1' },
  ]);
  assert.equal(appendRows(a, b)!.columns[0].dict!.length, 2);
});
