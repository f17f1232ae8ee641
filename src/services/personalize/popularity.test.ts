import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchema } from './avro.js';
import { CsvReader } from './csv.js';
import { TableBuilder } from './table.js';
import { trainPopularity } from './popularity.js';

const FIELDS = parseSchema(JSON.stringify({
  type: 'record', name: 'Interactions', fields: [
    { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
  ],
}));

function table(rows: [string, string, number, string][]) {
  const b = new TableBuilder(FIELDS);
  const r = new CsvReader(b, 'x');
  r.feed('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n' + rows.map((x) => x.join(',')).join('\n'));
  r.end();
  return b.table();
}

test('counts interactions per item, honours the event type, and scores the held-out users', () => {
  const rows: [string, string, number, string][] = [];
  // 100 users × 12 events: item i0 is viewed by everyone, i1 by most, the rest rarely; purchases only of i9.
  for (let u = 0; u < 100; u++) {
    for (let e = 0; e < 10; e++) rows.push([`u${u}`, e < 6 ? 'i0' : e < 9 ? 'i1' : `i${2 + (u % 5)}`, 1000 + u * 100 + e, 'View']);
    rows.push([`u${u}`, 'i9', 1000 + u * 100 + 50, 'Purchase'], [`u${u}`, 'i9', 1000 + u * 100 + 51, 'purchase']);
  }
  const { model, metrics } = trainPopularity(table(rows));
  assert.deepEqual(model.items.slice(0, 3), ['i0', 'i1', 'i9']);
  assert.deepEqual(model.counts.slice(0, 3), [600, 300, 200]);
  // Every held-out user's newest 10% (2 of 12 events) is i9 twice: rank 3 of the popular list.
  assert.equal(metrics.mean_reciprocal_rank_at_25, 0.3333);
  assert.equal(metrics.precision_at_5, 0.2);
  assert.equal(metrics.normalized_discounted_cumulative_gain_at_5, Math.round((1 / Math.log(4)) / (1 / Math.log(2)) * 10000) / 10000);
  assert.equal(metrics.coverage, 1);
  const purchases = trainPopularity(table(rows.concat(rows, rows, rows, rows)), { eventType: 'PURCHASE' });
  assert.deepEqual(purchases.model.items, ['i9']);
});

test('refuses to train below the minimums', () => {
  assert.throws(() => trainPopularity(table([['u', 'i', 1, 'View']])), /at least 1000 interactions/);
  const few: [string, string, number, string][] = Array.from({ length: 1000 }, (_, i) => [`u${i % 10}`, `i${i}`, i, 'View']);
  assert.throws(() => trainPopularity(table(few)), /at least 25 users/);
});
