import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatTimestamp, parseTimestamp, toDate } from './timestamps.js';

test('date-time: zero milliseconds are dropped unless asked for', () => {
  const d = new Date('2024-01-01T00:00:00Z');
  assert.equal(formatTimestamp(d, 'date-time'), '2024-01-01T00:00:00Z');
  assert.equal(formatTimestamp(d, 'date-time', true), '2024-01-01T00:00:00.000Z');
  assert.equal(formatTimestamp(new Date('2024-01-01T00:00:00.120Z'), 'date-time'), '2024-01-01T00:00:00.120Z');
  assert.equal(formatTimestamp(d, 'http-date'), 'Mon, 01 Jan 2024 00:00:00 GMT');
  assert.equal(formatTimestamp(new Date(1700000000500), 'epoch-seconds'), 1700000000.5);
});

test('parsing accepts the forms clients send and refuses the rest', () => {
  const at = (s: string | number, f: 'date-time' | 'http-date' | 'epoch-seconds') => parseTimestamp(s, f)?.toISOString();
  assert.equal(at('2024-01-02T03:04:05Z', 'date-time'), '2024-01-02T03:04:05.000Z');
  assert.equal(at('2024-01-02T03:04:05.123456789Z', 'date-time'), '2024-01-02T03:04:05.123Z');
  assert.equal(at('2024-01-02T03:04:05+02:00', 'date-time'), '2024-01-02T01:04:05.000Z');
  assert.equal(at('2024-01-02T03:04:05', 'date-time'), '2024-01-02T03:04:05.000Z');
  assert.equal(at('Tue, 02 Jan 2024 03:04:05 GMT', 'http-date'), '2024-01-02T03:04:05.000Z');
  assert.equal(at(1704164645.25, 'epoch-seconds'), '2024-01-02T03:04:05.250Z');
  assert.equal(at('1704164645', 'epoch-seconds'), '2024-01-02T03:04:05.000Z');
  for (const [s, f] of [['2024-13-01T00:00:00Z', 'date-time'], ['yesterday', 'date-time'], ['2024-01-02', 'date-time'], ['1e999', 'epoch-seconds'],
    ['Tue, 02 Jan 2024 03:04:05', 'http-date'], ['', 'epoch-seconds']] as const) {
    assert.equal(parseTimestamp(s, f), undefined, s);
  }
  assert.equal(parseTimestamp(1e20, 'epoch-seconds'), undefined);
});

test('every format round-trips at its precision', () => {
  fc.assert(fc.property(fc.integer({ min: -1e13, max: 1e13 }), (ms) => {
    const d = new Date(ms);
    assert.equal(parseTimestamp(formatTimestamp(d, 'date-time') as string, 'date-time')!.getTime(), ms);
    assert.equal(parseTimestamp(formatTimestamp(d, 'epoch-seconds'), 'epoch-seconds')!.getTime(), ms);
    assert.equal(parseTimestamp(formatTimestamp(d, 'http-date') as string, 'http-date')!.getTime(), Math.floor(ms / 1000) * 1000);
  }));
});

test('handler values: Date, ISO text or epoch seconds', () => {
  assert.equal(toDate('2024-01-01T00:00:00Z').getTime(), Date.UTC(2024, 0, 1));
  assert.equal(toDate(1).getTime(), 1000);
  assert.throws(() => toDate('nope'));
  assert.throws(() => toDate({}));
});
