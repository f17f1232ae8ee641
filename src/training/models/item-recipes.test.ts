import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromLists, type Sequences, type SideData } from '../data.js';
import { evaluate, leaveLastOut, personalizeSplit, rankingMetrics } from '../metrics.js';
import { plantedData } from '../testing.js';
import { trainModel } from '../registry.js';
import type { Model } from './model.js';

const NDCG10 = 'normalized_discounted_cumulative_gain_at_10';
const CLUSTERS = 8, SIZE = 12;

/** Cluster of an item of plantedData's defaults (-1: a popular noise item or a cold one). */
const clusterOf = (i: number) => (i < CLUSTERS * SIZE ? Math.floor(i / SIZE) : -1);

/**
 * Metadata of the planted items plus `cold` items per cluster that no one interacted with
 * (indexes after the planted ones): a genre token and a text drawing on the cluster's words.
 */
function plantedSide(seq: Sequences, cold = 0): { seq: Sequences; side: SideData; coldCluster: (i: number) => number } {
  const base = seq.nItems;
  const n = base + cold * CLUSTERS;
  const coldCluster = (i: number) => (i >= base ? Math.floor((i - base) / cold) : clusterOf(i));
  const itemTokens: string[][] = [];
  const itemText: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = coldCluster(i);
    itemTokens.push(c < 0 ? ['GENRE=hits'] : [`GENRE=g${c}`, `SHELF=s${c % 3}`]);
    const words = c < 0 ? ['chart', 'hit', 'single'] : [`river${c}`, `stone${c}`, `lantern${c}`, `meadow${c}`];
    // Each item: three of its cluster's words (rotating) and shared filler.
    itemText.push(`The ${words[i % words.length]} and ${words[(i + 1) % words.length]}, a ${words[(i + 2) % words.length]} story of the day.`);
  }
  const lists = Array.from({ length: seq.nUsers }, (_, u) => seq.items.subarray(seq.offsets[u], seq.offsets[u + 1]));
  return { seq: fromLists(lists, n), side: { itemTokens, itemText }, coldCluster };
}

/** Share of `item`'s 10 best related items in its own cluster. */
function clusterPrecision(model: Model, item: number, cluster: (i: number) => number): number {
  const out = new Float32Array(model.nItems);
  model.similar!(item, out);
  const order = Array.from(out.keys()).filter((j) => j !== item).sort((a, b) => out[b] - out[a] || a - b).slice(0, 10);
  return order.filter((j) => cluster(j) === cluster(item)).length / 10;
}

test('sims, similar-items and semantic-similarity beat popularity on held-out planted data', () => {
  const { seq, side } = plantedSide(plantedData());
  for (const [name, split] of [['leave-last-out', leaveLastOut(seq)], ['personalize', personalizeSplit(seq, 3)]] as const) {
    const score = (recipe: string) => evaluate(trainModel(recipe, split.train, {}, side), split)[NDCG10];
    const pop = score('aws-popularity-count');
    for (const recipe of ['aws-sims', 'aws-similar-items', 'aws-semantic-similarity']) {
      const s = score(recipe);
      assert.ok(s > pop + 0.1, `${name}: ${recipe} ${s.toFixed(3)} vs popularity ${pop.toFixed(3)}`);
    }
  }
});

test('related items stay within the planted cluster', () => {
  const { seq, side } = plantedSide(plantedData());
  for (const recipe of ['aws-sims', 'aws-similar-items', 'aws-semantic-similarity']) {
    const model = trainModel(recipe, seq, {}, side);
    let sum = 0;
    for (let i = 0; i < CLUSTERS * SIZE; i++) sum += clusterPrecision(model, i, clusterOf);
    assert.ok(sum / (CLUSTERS * SIZE) > 0.85, `${recipe}: ${sum / (CLUSTERS * SIZE)}`);
  }
});

test('similar-items finds neighbours for cold items from metadata; sims can only fall back to popularity', () => {
  const { seq, side, coldCluster } = plantedSide(plantedData(), 2);
  const similar = trainModel('aws-similar-items', seq, {}, side);
  const simsModel = trainModel('aws-sims', seq, {}, side);
  const cold = Array.from({ length: 2 * CLUSTERS }, (_, x) => seq.nItems - 2 * CLUSTERS + x);
  const mean = (m: Model) => cold.reduce((s, i) => s + clusterPrecision(m, i, coldCluster), 0) / cold.length;
  assert.ok(mean(similar) > 0.9, `similar-items ${mean(similar)}`);
  assert.ok(mean(simsModel) < 0.2, `sims ${mean(simsModel)}`);
  // A warm item's neighbours include its cluster's cold items, ahead of every other cluster's items.
  const out = new Float32Array(similar.nItems);
  similar.similar!(0, out);
  const bestOther = Math.max(...Array.from(out.keys()).filter((j) => coldCluster(j) > 0).map((j) => out[j]));
  for (const i of cold.filter((j) => coldCluster(j) === 0)) assert.ok(out[i] > bestOther);
});

test('sims: popularity_discount_factor moves popular items down, min_cointeraction_count drops rare pairs', () => {
  // Item 0 shares 5 users with popular item 1 (in 40 histories) and 4 with item 2 (in those 4 only).
  const lists: number[][] = [];
  for (let u = 0; u < 5; u++) lists.push([0, 1]);
  for (let u = 0; u < 4; u++) lists.push([0, 2]);
  for (let u = 0; u < 35; u++) lists.push([1, 3 + (u % 5)]);
  lists.push([0, 8]);
  const seq = fromLists(lists, 9);
  const rank = (params: Record<string, number>) => {
    const out = new Float32Array(9);
    trainModel('aws-sims', seq, { min_cointeraction_count: 1, ...params }).similar!(0, out);
    return [1, 2, 8].sort((a, b) => out[b] - out[a]);
  };
  assert.deepEqual(rank({ popularity_discount_factor: 0 }), [1, 2, 8]);
  assert.deepEqual(rank({ popularity_discount_factor: 1 }), [2, 8, 1]);
  // With at least 2 shared users, item 8 (1 shared user) is no longer a neighbour: it falls to
  // the popularity fallback, under every neighbour.
  const out = new Float32Array(9);
  trainModel('aws-sims', seq, { min_cointeraction_count: 2, popularity_discount_factor: 1 }).similar!(0, out);
  assert.ok(out[8] < out[1] && out[1] < out[2]);
  assert.ok(out[8] < 0.01);
});

test('an unknown item, or an item without neighbours, gets the popular items', () => {
  const seq = fromLists([[0, 1], [1, 2], [1], [2], [3]], 5);
  const model = trainModel('aws-sims', seq, { min_cointeraction_count: 1 });
  const out = new Float32Array(5);
  for (const item of [-1, 5, 4]) {
    model.similar!(item, out);
    assert.deepEqual([1, 2, 0, 3, 4].map((j) => out[j] > 0), [true, true, true, true, false]);
    assert.ok(out[1] > out[2] && out[2] > out[0] && out[0] === out[3]);
  }
});

test('trending-now: items rising in the latest window beat all-time popularity on the next window', () => {
  // 60 items over 10 windows of an hour. Items 0-9 are steadily popular; items 50-54 rise in the
  // last two windows and keep rising into the held-out next one.
  const HOUR = 3600;
  const users: number[] = [], items: number[] = [], times: number[] = [];
  let u = 0;
  const future: number[][] = [];
  for (let w = 0; w <= 10; w++) {
    for (let e = 0; e < 200; e++, u++) {
      const rising = w >= 8 && e % 10 < (w - 7) * 3;
      const item = rising ? 50 + (e % 5) : e % 3 === 0 ? 10 + (e * 7) % 40 : e % 10;
      if (w === 10) { future.push([item]); continue; }
      users.push(u); items.push(item); times.push(w * HOUR + e);
    }
  }
  const data = { users: Int32Array.from(users), items: Int32Array.from(items), times: Float64Array.from(times), nUsers: u, nItems: 60 };
  const top = (recipe: string) => {
    const m = trainModel(recipe, data, { trend_discovery_frequency: HOUR });
    const out = new Float32Array(60);
    m.score(new Int32Array(0), out);
    const order = Array.from(out.keys()).sort((a, b) => out[b] - out[a] || a - b).slice(0, 25);
    const rows = future.length;
    return rankingMetrics({ items: Int32Array.from({ length: rows * 25 }, (_, x) => order[x % 25]), scores: new Float32Array(rows * 25) },
      25, future.map((f) => Int32Array.from(f)), 60);
  };
  const trend = top('aws-trending-now');
  const pop = top('aws-popularity-count');
  assert.ok(trend[NDCG10] > pop[NDCG10] + 0.1, `trending ${trend[NDCG10].toFixed(3)} vs popularity ${pop[NDCG10].toFixed(3)}`);
});

test('trending-now falls back to popularity when nothing rises', () => {
  // Item 0 declines (3 interactions in the window before the latest, 1 in the latest); items 1
  // and 2 are old. All-time counts: item 1 5, item 0 4, item 2 2, item 3 none.
  const rows: [number, number][] = [[0, 100], [0, 85], [0, 86], [0, 87], [1, 0], [1, 0], [1, 0], [1, 0], [1, 0], [2, 0], [2, 0]];
  const data = {
    users: Int32Array.from(rows, (_, r) => r), items: Int32Array.from(rows, (r) => r[0]), times: Float64Array.from(rows, (r) => r[1]),
    nUsers: rows.length, nItems: 4,
  };
  const out = new Float32Array(4);
  trainModel('aws-trending-now', data, { trend_discovery_frequency: 10 }).score(Int32Array.of(1), out);
  assert.deepEqual([0, 1, 2, 3].sort((a, b) => out[b] - out[a]), [1, 0, 2, 3]);
  assert.ok(out.every((x) => x < 1), 'no item is trending');
  // The same data with item 3 appearing twice in the latest window: it trends, first.
  const rising = { ...data, users: Int32Array.of(...data.users, 20, 21), items: Int32Array.of(...data.items, 3, 3),
    times: Float64Array.of(...data.times, 95, 99), nUsers: 22 };
  trainModel('aws-trending-now', rising, { trend_discovery_frequency: 10 }).score(Int32Array.of(), out);
  assert.deepEqual([0, 1, 2, 3].sort((a, b) => out[b] - out[a]), [3, 1, 0, 2]);
});

test('neighbours are capped per item (fractional and zero caps too); progress reaches 1', () => {
  const seq = plantedData({ users: 100 });
  const phases: [string, number][] = [];
  for (const [cap, most] of [[5, 5], [2.7, 2], [0, 0]]) {
    const model = trainModel('aws-sims', seq, { neighbours: cap }, { onProgress: (p, f) => phases.push([p, f]) });
    const { rowStart } = model.toArtifact().arrays as { rowStart: Int32Array };
    for (let i = 0; i < seq.nItems; i++) assert.ok(rowStart[i + 1] - rowStart[i] <= most);
    assert.ok(rowStart[seq.nItems] > 0 || cap === 0);
  }
  assert.ok(phases.every(([p, f]) => p === 'training' && f >= 0 && f <= 1));
  assert.deepEqual(phases.at(-1), ['training', 1]);
});
