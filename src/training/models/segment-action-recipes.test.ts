import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromLists, type Sequences, type SideData } from '../data.js';
import { evaluate, leaveLastOut } from '../metrics.js';
import { plantedData } from '../testing.js';
import { loadModel, retrain, serializeModel, trainModel } from '../registry.js';
import type { Model } from './model.js';
import type { ActionSideData } from './next-best-action.js';

const NDCG10 = 'normalized_discounted_cumulative_gain_at_10';
const CLUSTERS = 8, SIZE = 12;
const clusterOf = (i: number) => (i < CLUSTERS * SIZE ? Math.floor(i / SIZE) : -1);
const genres: SideData = { itemTokens: Array.from({ length: CLUSTERS * SIZE + 6 }, (_, i) => (clusterOf(i) < 0 ? ['GENRE=hits'] : [`GENRE=g${clusterOf(i)}`])) };

test('item-attribute affinity: a genre\'s items, and its segment best first', () => {
  const model = trainModel('aws-item-attribute-affinity', plantedData(), {}, genres);
  const g3 = model.itemsWithAttribute!('GENRE=g3');
  assert.deepEqual([...g3], Array.from({ length: SIZE }, (_, x) => 3 * SIZE + x));
  assert.equal(model.itemsWithAttribute!('GENRE=none').length, 0);
  // Segment quality on held-out interactions is in segment-metrics.test.ts.
  const s = model.segment!(g3, 40);
  assert.equal(s.users.length, 40);
  for (let x = 1; x < 40; x++) assert.ok(s.scores[x] <= s.scores[x - 1]);
});

test('affinity: where users do not come back to items, those who already have the item come last', () => {
  // Users 0-9 had item 0 with item 1; users 10-19 had item 1 only. Nobody repeats an item.
  const lists = Array.from({ length: 20 }, (_, u) => (u < 10 ? [0, 1] : [1]));
  const model = trainModel('aws-item-affinity', fromLists(lists, 2));
  const s = model.segment!(Int32Array.of(0), 20);
  assert.deepEqual([...s.users.subarray(0, 10)].sort((a, b) => a - b), Array.from({ length: 10 }, (_, u) => 10 + u));
  // Where they do come back (every item twice: 30 of the 40 interactions after each user's first
  // are repeats), having the item weighs that much.
  const again = trainModel('aws-item-affinity', fromLists(lists.map((l) => [...l, ...l]), 2), { userNorm: 0 }).segment!(Int32Array.of(0), 20);
  const scoreOf = (u: number) => again.scores[again.users.indexOf(u)];
  assert.ok(Math.abs(scoreOf(0) / scoreOf(10) - 0.75) < 1e-6, `${scoreOf(0)} vs ${scoreOf(10)}`);
});

test('next-best-action: conditional take rates beat popularity on the next action', () => {
  const seq = plantedData({ clusters: 5, clusterSize: 16, popular: 4, users: 300 });
  const split = leaveLastOut(seq);
  const pop = evaluate(trainModel('aws-popularity-count', split.train), split)[NDCG10];
  const nba = evaluate(trainModel('aws-next-best-action', split.train), split)[NDCG10];
  assert.ok(nba > pop + 0.1, `${nba.toFixed(3)} vs ${pop.toFixed(3)}`);
});

test('next-best-action: NOT_TAKEN events turn counts into take rates', () => {
  // Action 0: 50 takers among 1000 shown; action 1: 30 takers among 40 shown; action 2: taken by
  // 20 users, after which 18 of 20 shown action 3 took it.
  const taken: number[][] = [], notTaken: number[][] = [];
  for (let u = 0; u < 1000; u++) { taken.push(u < 50 ? [0] : []); notTaken.push(u < 50 ? [] : [0]); }
  for (let u = 0; u < 40; u++) (u < 30 ? taken : notTaken)[u].push(1);
  for (let u = 100; u < 120; u++) { taken[u].push(2); (u < 118 ? taken : notTaken)[u].push(3); }
  const side: ActionSideData = { notTaken: fromLists(notTaken, 4) };
  const model = trainModel('aws-next-best-action', fromLists(taken, 4), {}, side);
  const out = new Float32Array(4);
  model.score(Int32Array.of(), out);
  assert.ok(out[1] > 0.6 && out[0] < 0.1, `rates ${[...out]}`);
  assert.ok(out.every((p) => p >= 0 && p <= 1));
  model.score(Int32Array.of(2), out);
  assert.ok(out[3] > 0.8, `after action 2: ${[...out]}`);
  // Without the NOT_TAKEN events, counts decide: action 0 is the most taken.
  trainModel('aws-next-best-action', fromLists(taken, 4)).score(Int32Array.of(), out);
  assert.deepEqual([0, 1, 2, 3].sort((a, b) => out[b] - out[a]).slice(0, 2), [0, 1]);
});

const RECIPES = ['aws-trending-now', 'aws-sims', 'aws-similar-items', 'aws-semantic-similarity', 'aws-item-affinity', 'aws-item-attribute-affinity', 'aws-next-best-action'];

/** Every way a model answers, for comparing a model with its loaded copy. */
function answers(m: Model): unknown[] {
  const out = new Float32Array(m.nItems);
  const all: unknown[] = [];
  for (const h of [Int32Array.of(), Int32Array.of(0), Int32Array.of(3, 4, 5, 4), Int32Array.of(-1, m.nItems + 3)]) {
    m.score(h, out);
    all.push([...out]);
    if (m.similar) { m.similar(h[0] ?? 0, out); all.push([...out]); }
    if (m.segment) { const s = m.segment(h, 7); all.push([...s.users], [...s.scores]); }
  }
  if (m.itemsWithAttribute) all.push([...m.itemsWithAttribute('GENRE=g0')]);
  return all;
}

test('each item recipe serialises, loads back and retrains to the same answers', () => {
  const seq = plantedData({ users: 80 });
  const side: SideData = { ...genres, itemText: genres.itemTokens!.map((t) => t.join(' ')) };
  for (const recipe of RECIPES) {
    const model = trainModel(recipe, seq, {}, side);
    const buf = serializeModel(model);
    const shifted = Buffer.alloc(buf.length + 1).subarray(1);
    buf.copy(shifted);
    for (const b of [buf, shifted]) assert.deepEqual(answers(loadModel(b)), answers(model), recipe);
    // Retraining a loaded model (an UPDATE) on the same data gives the same model.
    assert.deepEqual(answers(retrain(loadModel(buf), seq, side)), answers(model), recipe);
  }
});

test('hostile inputs: no data, one item, missing or short metadata, out-of-range items', () => {
  const cases: [Sequences, SideData | undefined][] = [
    [fromLists([], 0), undefined],
    [fromLists([[]], 0), { itemTokens: [], itemText: [] }],
    [fromLists([[0]], 1), undefined],
    [fromLists([[0], [0, 0, 0]], 1), { itemTokens: [[]], itemText: [''] }],
    [fromLists([[0, 1], [2]], 5), { itemTokens: [['A=1']], itemText: ['only the first item has text'] }],
  ];
  for (const recipe of RECIPES) {
    for (const [seq, side] of cases) {
      const model = loadModel(serializeModel(trainModel(recipe, seq, {}, side)));
      assert.equal(model.nItems, seq.nItems, recipe);
      const out = new Float32Array(seq.nItems);
      model.score(Int32Array.of(-1, seq.nItems, 0), out);
      assert.ok(out.every(Number.isFinite), recipe);
      for (const item of [-1, 0, seq.nItems]) model.similar?.(item, out);
      assert.ok(out.every(Number.isFinite), recipe);
      if (model.segment) {
        assert.equal(model.segment(Int32Array.of(-5, 0, 99), 0).users.length, 0);
        const s = model.segment(Int32Array.of(0), 100);
        assert.equal(s.users.length, seq.nUsers, recipe);
        assert.ok(s.scores.every(Number.isFinite));
      }
    }
  }
});
