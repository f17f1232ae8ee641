import { test } from 'node:test';
import assert from 'node:assert/strict';
import { historyOf, type Sequences } from './data.js';
import { plantedData } from './testing.js';
import { loadModel, serializeModel, trainModel } from './registry.js';
import { recommend } from './models/model.js';
import { updateModel } from './update.js';

/**
 * The planted data (times 0..15 within each user), then later: a new item that the users of the
 * first cluster (items 0..11) take up next, and a new user who has only ever seen it and item 0.
 */
function withNewItem(): { before: Sequences; after: Sequences; newItem: number; cluster: number[] } {
  const before = plantedData({ users: 400 });
  const newItem = before.nItems;
  const lists: number[][] = [];
  const times: number[][] = [];
  const cluster: number[] = [];
  for (let u = 0; u < before.nUsers; u++) {
    const h = Array.from(historyOf(before, u));
    const t = h.map((_, p) => p);
    if (h.filter((i) => i < 12).length >= 3) { cluster.push(u); h.push(newItem); t.push(1000); }
    lists.push(h);
    times.push(t);
  }
  lists.push([0, newItem]);
  times.push([1001, 1002]);
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, u) => (offsets[u + 1] = offsets[u] + l.length));
  const after = { offsets, items: Int32Array.from(lists.flat()), times: Float64Array.from(times.flat()), nUsers: lists.length, nItems: newItem + 1 };
  return { before, after, newItem, cluster };
}

test('iALS update: a new item reaches its cluster, faster than training again', () => {
  const { before, after, newItem, cluster } = withNewItem();
  const params = { dim: 16, iterations: 15 };
  const model = trainModel('ials', before, params);
  let t = performance.now();
  const full = trainModel('ials', after, params);
  const fullMs = performance.now() - t;
  t = performance.now();
  const updated = loadModel(serializeModel(updateModel(model, after)));
  const updateMs = performance.now() - t;
  assert.equal(updated.nItems, newItem + 1);
  assert.ok(updateMs < fullMs, `update ${updateMs.toFixed(0)} ms vs full ${fullMs.toFixed(0)} ms`);
  // A cluster member's history before the new item: the updated model puts it in the top 5.
  const rank = (m: typeof updated, h: Int32Array) => Array.from(recommend(m, [h], 5).items).includes(newItem);
  const probes = cluster.slice(0, 20).map((u) => historyOf(before, u));
  const hits = probes.filter((h) => rank(updated, h)).length;
  assert.ok(hits >= 15, `new item in the top 5 for ${hits} of 20`);
  assert.ok(probes.filter((h) => rank(full, h)).length >= 15, 'as full training does');
});

test('popularity and transitions: adding the new counts equals training again', () => {
  const { before, after } = withNewItem();
  for (const recipe of ['aws-popularity-count', 'item-transition']) {
    const params: Record<string, number> = recipe === 'item-transition' ? { window: 3, rowNorm: 0.75, beta: 0.2, history: 5 } : {};
    const updated = updateModel(loadModel(serializeModel(trainModel(recipe, before, params))), after);
    const full = trainModel(recipe, after, params);
    const [x, y] = [new Float32Array(full.nItems), new Float32Array(full.nItems)];
    for (const h of [Int32Array.of(0, 1, 2), Int32Array.of(96, 3), Int32Array.of(5)]) {
      full.score(h, x);
      updated.score(h, y);
      for (let j = 0; j < x.length; j++) assert.ok(Math.abs(x[j] - y[j]) < 1e-5 * (1 + Math.abs(x[j])), `${recipe} item ${j}: ${y[j]} vs ${x[j]}`);
    }
  }
});

test('other models train again on the new data (the blend keeps its parameters)', () => {
  const { before, after, newItem } = withNewItem();
  const model = trainModel('aws-user-personalization', before, { alpha: 0.7 });
  const updated = updateModel(model, after);
  assert.equal(updated.nItems, newItem + 1);
  assert.equal(updated.toArtifact().params.alpha, 0.7);
  const eased = updateModel(trainModel('ease', before, { lambda: 10 }), after);
  assert.equal(eased.nItems, newItem + 1);
  assert.equal(eased.toArtifact().params.lambda, 10);
});
