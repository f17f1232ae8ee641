import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromLists } from './data.js';
import { candidateMetrics, leaveLastOut, personalizeSplit, rankingMetrics } from './metrics.js';
import type { Model } from './models/model.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);
const lists = (items: number[][], k: number) => ({ items: Int32Array.from(items.flatMap((l) => [...l, ...Array(k - l.length).fill(-1)])), scores: new Float32Array(items.length * k) });

test('ranking metrics on a hand-computed case', () => {
  // User 0: target 1 at rank 2. User 1: targets 9 and 4; 4 at rank 1, 9 at rank 7.
  const top = lists([[3, 1, 2, 5, 6, 7, 8, 0, 10, 11], [4, 0, 1, 2, 3, 5, 9, 6, 7, 8]], 10);
  const m = rankingMetrics(top, 10, [Int32Array.of(1), Int32Array.of(9, 4)], 20);
  const g = (p: number) => 1 / Math.log2(p + 2);
  close(m.normalized_discounted_cumulative_gain_at_5, (g(1) + 1 / (1 + g(1))) / 2);
  close(m.normalized_discounted_cumulative_gain_at_10, (g(1) + (1 + g(6)) / (1 + g(1))) / 2);
  close(m.precision_at_5, (1 / 5 + 1 / 5) / 2);
  close(m.precision_at_10, (1 / 10 + 2 / 10) / 2);
  close(m.precision_at_25, (1 / 25 + 2 / 25) / 2);
  close(m.mean_reciprocal_rank_at_25, (1 / 2 + 1) / 2);
  close(m.hit_rate_at_10, 1);
  close(m.coverage, 12 / 20);
});

test("Personalize's split holds out 10% of users and their newest 10%", () => {
  const seq = fromLists(Array.from({ length: 100 }, (_, u) => Array.from({ length: 20 + (u % 3) }, (_, p) => (u + p) % 50)), 50);
  const s = personalizeSplit(seq, 1);
  assert.equal(s.train.nUsers, 90);
  assert.equal(s.inputs.length, 10);
  for (let u = 0; u < 10; u++) {
    assert.equal(s.targets[u].length, 2);
    assert.ok([18, 19, 20].includes(s.inputs[u].length));
    // Targets are the newest: they continue the input where it stops.
    assert.equal(s.targets[u][0], (s.inputs[u].at(-1)! + 1) % 50);
  }
  assert.deepEqual(personalizeSplit(seq, 1).targets, s.targets, 'same seed, same split');
});

test('leave-last-out keeps all but the last item and skips one-item users', () => {
  const s = leaveLastOut(fromLists([[1, 2, 3], [4], [5, 6]], 7));
  assert.deepEqual(s.inputs.map((x) => [...x]), [[1, 2], [5]]);
  assert.deepEqual(s.targets.map((x) => [...x]), [[3], [6]]);
});

test('candidate ranking counts candidates scoring strictly above the target', () => {
  const model: Model = { recipe: 'fixed', nItems: 5, score: (_h, out) => out.set([5, 4, 3, 2, 1]), toArtifact: () => { throw new Error('unused'); } };
  const m = candidateMetrics(model, [Int32Array.of(), Int32Array.of()], [Int32Array.of(0, 1, 2), Int32Array.of(0, 4)], [2, 0]);
  close(m.hit_rate_at_5, 1);
  close(m.normalized_discounted_cumulative_gain_at_10, (1 / Math.log2(4) + 1) / 2);
});
