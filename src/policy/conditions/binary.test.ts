import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holds, rowName, type Row } from './testing.js';

const rows: Row[] = [
  ['BinaryEquals', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', true],
  ['BinaryEquals', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'QmluYXJ5VmFsdWVJbkJhc2U2NA', true],
  ['BinaryEquals', 'QmluYXJ5', 'QmluYXJ6', false],
  ['BinaryEquals', 'QmluYXJ5', undefined, false],
  ['BinaryEqualsIfExists', 'QmluYXJ5', undefined, true],
];

for (const row of rows) {
  test(rowName(row), () => {
    const [op, pv, rv, want] = row;
    assert.equal(holds({ [op]: { 'test:Blob': pv } }, rv === undefined ? {} : { 'test:Blob': rv }), want);
  });
}
