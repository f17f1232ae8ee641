import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holds, rowName, type Row } from './testing.js';

const rows: Row[] = [
  ['NumericEquals', '10', '10', true],
  ['NumericEquals', '10', '10.0', true],
  ['NumericEquals', '10', 10, true],
  ['NumericEquals', '10', '11', false],
  ['NumericEquals', '10', 'ten', false],
  ['NumericNotEquals', '10', '11', true],
  ['NumericNotEquals', '10', '10', false],
  ['NumericNotEquals', '10', undefined, true],
  ['NumericLessThan', '10', '9', true],
  ['NumericLessThan', '10', '10', false],
  ['NumericLessThanEquals', '10', '10', true],
  ['NumericGreaterThan', '10', '11', true],
  ['NumericGreaterThan', '10', '10', false],
  ['NumericGreaterThanEquals', '10', '10', true],
  ['NumericGreaterThanEquals', ['100', '5'], '7', true],
  ['NumericLessThan', '10', undefined, false],
  ['NumericLessThanIfExists', '10', undefined, true],
  ['NumericLessThanIfExists', '10', '20', false],
  ['NumericEquals', '-1.5e1', '-15', true],
];

for (const row of rows) {
  test(rowName(row), () => {
    const [op, pv, rv, want] = row;
    assert.equal(holds({ [op]: { 's3:max-keys': pv } }, rv === undefined ? {} : { 's3:max-keys': rv }), want);
  });
}
