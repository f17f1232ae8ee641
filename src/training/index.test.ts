import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromColumns, loadModel, recommend, trainSolution } from './index.js';
import { historyOf } from './data.js';
import { plantedData } from './testing.js';

/** The planted sequences as imported columns (codes, timestamps), with a null row and a filtered-out row. */
function columns() {
  const seq = plantedData();
  const users: number[] = [], items: number[] = [], times: number[] = [];
  for (let u = 0; u < seq.nUsers; u++) {
    historyOf(seq, u).forEach((i, p) => { users.push(u); items.push(i); times.push(1_700_000_000 + p * 60); });
  }
  // Rows arrive shuffled: order must come from the timestamps.
  const order = users.map((_, r) => r).sort((a, b) => ((a * 7919) % 1009) - ((b * 7919) % 1009));
  const NULL = 0xffffffff;
  const u = Uint32Array.from([...order.map((r) => users[r]), NULL]);
  const it = Uint32Array.from([...order.map((r) => items[r]), 0]);
  const t = Float64Array.from([...order.map((r) => times[r]), 0]);
  return { seq, cols: { users: u, items: it, times: t, nUsers: seq.nUsers, nItems: seq.nItems, nullCode: NULL } };
}

test('trainSolution: Personalize metrics by name, and a model file that serves', () => {
  const { seq, cols } = columns();
  const data = fromColumns(cols);
  assert.equal(data.users.length, seq.items.length, 'the null row is dropped');
  const pop = trainSolution('aws-popularity-count', data);
  const up = trainSolution('aws-user-personalization-v2', data);
  assert.deepEqual(Object.keys(up.metrics).sort(), [
    'coverage', 'mean_reciprocal_rank_at_25',
    'normalized_discounted_cumulative_gain_at_10', 'normalized_discounted_cumulative_gain_at_25', 'normalized_discounted_cumulative_gain_at_5',
    'precision_at_10', 'precision_at_25', 'precision_at_5',
  ]);
  assert.ok(up.metrics.normalized_discounted_cumulative_gain_at_10 > pop.metrics.normalized_discounted_cumulative_gain_at_10 + 0.1);
  const model = loadModel(up.model);
  const history = historyOf(seq, 0);
  const top = recommend(model, [history], 5);
  assert.ok(top.items.every((i) => i >= 0 && !history.includes(i)));
});

test('fromColumns keeps only the selected rows', () => {
  const { cols } = columns();
  const data = fromColumns({ ...cols, rows: Int32Array.of(0, 2, 4) });
  assert.deepEqual([...data.users], [cols.users[0], cols.users[2], cols.users[4]]);
});

test('trainSolution reports its progress: metrics, then training, rising to 1', () => {
  const { cols } = columns();
  const seen: [string, number][] = [];
  trainSolution('aws-user-personalization', fromColumns(cols), {}, 42, { onProgress: (phase, f) => seen.push([phase, f]) });
  assert.ok(seen.length >= 4);
  assert.deepEqual([...new Set(seen.map(([p]) => p))], ['metrics', 'training']);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i][1] >= seen[i - 1][1], 'never goes back');
  assert.equal(seen.at(-1)![1], 1);
});
