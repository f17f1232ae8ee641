import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAmzDate, isoSeconds, parseAmzDate, parseHttpDate } from './time.js';

test('X-Amz-Date is read strictly: basic format, UTC, a real instant', () => {
  assert.equal(parseAmzDate('20260101T000000Z'), Date.UTC(2026, 0, 1));
  assert.equal(parseAmzDate('20240229T235959Z'), Date.UTC(2024, 1, 29, 23, 59, 59));
  for (const bad of ['20260230T000000Z', '20250229T000000Z', '20260101T240000Z', '20260101T006000Z', '20261301T000000Z',
    '2026-01-01T00:00:00Z', '20260101T000000', '20260101T000000+0000', '', 'x']) {
    assert.equal(parseAmzDate(bad), undefined, bad);
  }
  assert.equal(formatAmzDate(Date.UTC(2026, 0, 1, 12, 34, 56, 789)), '20260101T123456Z');
});

test('the HTTP Date header and S3 timestamps', () => {
  assert.equal(parseHttpDate('Fri, 24 May 2013 00:00:00 GMT'), Date.UTC(2013, 4, 24));
  assert.equal(parseHttpDate('not a date'), undefined);
  assert.equal(isoSeconds(Date.UTC(2026, 0, 1, 0, 1, 0, 999)), '2026-01-01T00:01:00Z');
});
