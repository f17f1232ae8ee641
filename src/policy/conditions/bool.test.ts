import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holds, rowName, type Row } from './testing.js';

const rows: Row[] = [
  ['Bool', 'true', true, true],
  ['Bool', 'true', 'true', true],
  ['Bool', 'TRUE', 'true', true],
  ['Bool', 'false', true, false],
  ['Bool', 'false', false, true],
  ['Bool', 'false', undefined, false],
  ['BoolIfExists', 'false', undefined, true],
  ['BoolIfExists', 'false', true, false],
];

for (const row of rows) {
  test(rowName(row), () => {
    const [op, pv, rv, want] = row;
    assert.equal(holds({ [op]: { 'aws:SecureTransport': pv } }, rv === undefined ? {} : { 'aws:SecureTransport': rv }), want);
  });
}

test('a JSON boolean policy value reads as its text', () => {
  assert.equal(holds({ Bool: { 'aws:SecureTransport': false } }, { 'aws:SecureTransport': false }), true);
});
