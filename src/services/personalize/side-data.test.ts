import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSideData } from './side-data.js';
import { IdIndex } from './id-index.js';
import { TableBuilder, type Table } from './table.js';
import type { Field } from './avro.js';

const field = (name: string, type: Field['type'], extra: Partial<Field> = {}): Field => ({ name, type, nullable: true, categorical: false, textual: false, ...extra });

function table(fields: Field[], rows: string[][]): Table {
  const b = new TableBuilder(fields);
  for (const row of rows) {
    row.forEach((v, c) => b.value(c, v));
    b.endRow();
  }
  return b.table();
}

const ITEM_FIELDS = [
  field('ITEM_ID', 'string', { nullable: false }), field('GENRES', 'string', { categorical: true }), field('PRICE', 'float'),
  field('DESCRIPTION', 'string', { textual: true }), field('CREATION_TIMESTAMP', 'long'),
];

test('items: categorical values become FIELD=value tokens, text and creation time follow the interactions\' indexes', () => {
  const items = new IdIndex(['i0', 'i1']);
  const users = new IdIndex(['u0', 'u1']);
  const side = buildSideData({
    items: {
      idField: 'ITEM_ID', fields: ITEM_FIELDS,
      table: table(ITEM_FIELDS, [
        ['i1', 'Comedy|Drama', '3.5', 'A funny film', '1700000000'],
        ['cold', 'Horror', '', '', ''],
        ['i0', '', '1', 'Plain', '1600000000'],
      ]),
    },
    users: { fields: [field('USER_ID', 'string'), field('TIER', 'string', { categorical: true })], table: table([field('USER_ID', 'string'), field('TIER', 'string', { categorical: true })], [['u1', 'gold'], ['nobody', 'silver']]) },
  }, items, users);
  // An item only the Items data knows joins the catalogue after the interactions' items.
  assert.deepEqual(items.ids, ['i0', 'i1', 'cold']);
  assert.deepEqual(side.itemTokens, [[], ['GENRES=Comedy', 'GENRES=Drama'], ['GENRES=Horror']]);
  assert.deepEqual(side.itemText, ['Plain', 'A funny film', '']);
  assert.deepEqual(Array.from(side.itemCreated!), [1600000000, 1700000000, NaN]);
  // Users keep the interactions' indexes; a user without interactions is left out.
  assert.deepEqual(side.userTokens, [[], ['TIER=gold']]);
  assert.deepEqual(users.ids, ['u0', 'u1']);
});

test('no Items or Users data: no side data, and the catalogue is the interactions\' items', () => {
  const items = new IdIndex(['a', 'b']);
  assert.deepEqual(buildSideData({}, items, new IdIndex()), {});
  assert.deepEqual(items.ids, ['a', 'b']);
  // Items data without categorical, textual or time fields adds its items only.
  const plain = [field('ITEM_ID', 'string'), field('PRICE', 'float')];
  const side = buildSideData({ items: { idField: 'ITEM_ID', fields: plain, table: table(plain, [['c', '2']]) } }, items, new IdIndex());
  assert.deepEqual(side, {});
  assert.deepEqual(items.ids, ['a', 'b', 'c']);
});
