import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holds, rowName, type Row } from './testing.js';
import { parseDate } from './date.js';

const rows: Row[] = [
  ['DateEquals', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', true],
  ['DateEquals', '2024-01-01', '2024-01-01T00:00:00Z', true],
  ['DateEquals', '2024-01-01T00:00:00Z', '1704067200', true],
  ['DateNotEquals', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', true],
  ['DateLessThan', '2024-01-01T00:00:00Z', '2023-12-31T23:59:59Z', true],
  ['DateLessThan', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', false],
  ['DateLessThanEquals', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', true],
  ['DateGreaterThan', '2024-01-01T00:00:00Z', '2024-01-01T00:00:01Z', true],
  ['DateGreaterThanEquals', '1704067200', '2024-01-01T00:00:00Z', true],
  ['DateGreaterThan', '2024-01-01T00:00:00+01:00', '2023-12-31T23:30:00Z', true],
  ['DateLessThan', '2024-01-01T00:00:00Z', 'not a date', false],
  ['DateLessThan', '2024-01-01T00:00:00Z', undefined, false],
  ['DateLessThanIfExists', '2024-01-01T00:00:00Z', undefined, true],
  ['DateNotEquals', '2024-01-01T00:00:00Z', undefined, true],
];

for (const row of rows) {
  test(rowName(row), () => {
    const [op, pv, rv, want] = row;
    assert.equal(holds({ [op]: { 'aws:CurrentTime': pv } }, rv === undefined ? {} : { 'aws:CurrentTime': rv }), want);
  });
}

test('parseDate reads ISO 8601 and epoch seconds, and nothing else', () => {
  assert.equal(parseDate('1970-01-01T00:00:10Z'), 10_000);
  assert.equal(parseDate('10'), 10_000);
  assert.equal(parseDate('2024-01-01T00:00:00.500Z'), Date.UTC(2024, 0, 1, 0, 0, 0, 500));
  assert.ok(Number.isNaN(parseDate('Jan 1 2024')));
});
