import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromLists, historyOf, type SideData } from './data.js';
import { segmentationSplit, segmentMetrics } from './metrics.js';
import { plantedData } from './testing.js';
import { trainModel } from './registry.js';
import { itemsPerToken } from './models/affinity.js';
import type { Model } from './models/model.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

/** A model whose segment for any query is `order`'s first k users. */
const fixed = (order: number[], nItems: number): Model => ({
  recipe: 'fixed', nItems, score: () => {}, toArtifact: () => { throw new Error('not stored'); },
  segment: (_q, k) => ({ users: Int32Array.from(order.slice(0, k)), scores: new Float32Array(Math.min(k, order.length)) }),
});

test('segmentation split: each user keeps their index and oldest 80%; the newest 20% (at least one) is held out', () => {
  const seq = fromLists([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [3], [4, 5], [1, 2, 3, 4, 5, 6, 7]], 10);
  const s = segmentationSplit(seq);
  assert.equal(s.train.nUsers, 4);
  assert.deepEqual([0, 1, 2, 3].map((u) => [...historyOf(s.train, u)]), [[0, 1, 2, 3, 4, 5, 6, 7], [3], [4], [1, 2, 3, 4, 5, 6]]);
  assert.deepEqual(s.held.map((h) => [...h]), [[8, 9], [], [5], [7]]);
  // Times come along with the items.
  assert.deepEqual([...s.train.times.subarray(0, 3)], [0, 1, 2]);
});

test('hit, recall and coverage on a hand-computed case (K = 1% of users, at least 1)', () => {
  // 150 users: K = 2. Item 0 is held out by users 0, 1 and 5; item 1 by user 7; item 2 by nobody.
  const lists: number[][] = Array.from({ length: 150 }, () => [3, 3]);
  for (const u of [0, 1, 5]) lists[u].push(0);
  lists[7].push(1);
  const split = { train: fromLists(lists.map((l) => l.slice(0, 2)), 4), held: lists.map((l) => Int32Array.from(l.slice(2))) };
  // The segment is users 1 and 7 for every query: item 0 finds 1 of 3 actual users (recall 1/2,
  // the most K = 2 can find), item 1 finds its 1 (recall 1/1); item 2 and 3 have no actual users.
  const m = segmentMetrics(fixed([1, 7, 5], 4), split);
  close(m.hit, (1 + 1) / 2);
  close(m.recall, (1 / 2 + 1) / 2);
  close(m.coverage, 2 / 150);
  // A query of several items: its actual users are those of any of them.
  const both = segmentMetrics(fixed([5, 7], 4), split, [Int32Array.of(0, 1)]);
  close(both.hit, 2);
  close(both.recall, 1);
  // No queries with actual users: zeros, not NaN.
  assert.deepEqual(segmentMetrics(fixed([0], 4), split, [Int32Array.of(2), Int32Array.of(-1, 9)]), { coverage: 0, hit: 0, recall: 0 });
});

const CLUSTERS = 8, SIZE = 12;
const genres: SideData = { itemTokens: Array.from({ length: CLUSTERS * SIZE + 6 }, (_, i) => (i < CLUSTERS * SIZE ? [`GENRE=g${Math.floor(i / SIZE)}`] : ['GENRE=hits'])) };

test('item affinity and item-attribute affinity beat a segment of the most active users on planted data', () => {
  const seq = plantedData({ users: 1200 });
  const split = segmentationSplit(seq);
  const byActivity = Array.from({ length: seq.nUsers }, (_, u) => u).sort((a, b) => historyOf(split.train, b).length - historyOf(split.train, a).length || a - b);
  const popular = fixed(byActivity, seq.nItems);
  const cases: [string, Int32Array[] | undefined][] = [['aws-item-affinity', undefined], ['aws-item-attribute-affinity', itemsPerToken(genres.itemTokens, seq.nItems)]];
  for (const [recipe, queries] of cases) {
    const model = trainModel(recipe, split.train, {}, genres);
    const learned = segmentMetrics(model, split, queries);
    const base = segmentMetrics(popular, split, queries);
    const say = `${recipe}: ${JSON.stringify(learned)} vs ${JSON.stringify(base)}`;
    // The most active users are barely better than chance; the model finds most actual users.
    assert.ok(learned.recall > 0.5 && learned.recall > 3 * base.recall && learned.hit > 3 * base.hit, say);
    assert.ok(learned.coverage > base.coverage, say);
    for (const v of Object.values(learned)) assert.ok(v >= 0 && Number.isFinite(v), say);
    assert.ok(learned.recall <= 1 && learned.coverage <= 1, say);
  }
});

test('at most 500 queries are scored, the same ones run to run', () => {
  const seq = fromLists(Array.from({ length: 700 }, (_, u) => [u, (u + 1) % 700]), 700);
  const split = segmentationSplit(seq);
  let asked = 0;
  const counting: Model = { ...fixed([0], 700), segment: (q, k) => { asked++; return fixed([q[0]], 700).segment!(q, k); } };
  const m = segmentMetrics(counting, split);
  assert.equal(asked, 500);
  assert.deepEqual(segmentMetrics(fixed([0], 700), split, undefined, 42), segmentMetrics(fixed([0], 700), split, undefined, 42));
  assert.ok(m.coverage > 0);
});

test('item attribute queries: one per value, its items', () => {
  assert.deepEqual(itemsPerToken([['A=1', 'B=x'], [], ['A=1', 'A=1']], 4).map((q) => [...q]), [[0, 2], [0]]);
  assert.deepEqual(itemsPerToken(undefined, 3), []);
});
