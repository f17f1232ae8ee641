import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, leaveLastOut, personalizeSplit } from '../metrics.js';
import { plantedData } from '../testing.js';
import { loadModel, serializeModel, trainModel } from '../registry.js';
import { EASE_MAX_ITEMS } from './ease.js';
import type { Ials } from './ials.js';

const NDCG10 = 'normalized_discounted_cumulative_gain_at_10';

test('iALS beats popularity on planted clusters', () => {
  const seq = plantedData();
  for (const split of [leaveLastOut(seq), personalizeSplit(seq, 3)]) {
    const pop = evaluate(trainModel('aws-popularity-count', split.train), split)[NDCG10];
    const ials = evaluate(trainModel('ials', split.train, { dim: 16 }), split)[NDCG10];
    assert.ok(ials > pop + 0.1, `iALS ${ials.toFixed(3)} vs popularity ${pop.toFixed(3)}`);
  }
});

test('iALS: scores are the folded-in user vector against the item factors, and survive a round trip', () => {
  const seq = plantedData({ users: 120 });
  const model = trainModel('ials', seq, { dim: 12 }) as Ials;
  const { data, dim } = model.itemFactors!;
  assert.equal(dim, 12);
  assert.equal(data.length, model.nItems * dim);
  const loaded = loadModel(serializeModel(model));
  for (const history of [Int32Array.of(3, 4, 5, 4), Int32Array.of(), Int32Array.of(90)]) {
    const v = model.userVector(history);
    const scores = new Float32Array(model.nItems);
    model.score(history, scores);
    for (let j = 0; j < model.nItems; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += v[c] * data[j * dim + c];
      assert.ok(Math.abs(s - scores[j]) < 1e-5);
    }
    const again = new Float32Array(model.nItems);
    loaded.score(history, again);
    assert.deepEqual(again, scores);
    assert.deepEqual(loaded.userVector!(history), v);
  }
});

test('iALS: the fold-in is the exact solve (a training user folded in lands near their trained row)', () => {
  const seq = plantedData({ users: 150 });
  const model = trainModel('ials', seq, { dim: 8, iterations: 30, cgSteps: 8 }) as Ials;
  const d = model.dim;
  for (const u of [0, 7, 42]) {
    const v = model.userVector(seq.items.subarray(seq.offsets[u], seq.offsets[u + 1]));
    const row = model.users.subarray(u * d, u * d + d);
    // After the last item step the user rows are one half-step stale, so only roughly equal.
    let diff = 0, norm = 0;
    for (let c = 0; c < d; c++) { diff += (v[c] - row[c]) ** 2; norm += row[c] ** 2; }
    assert.ok(Math.sqrt(diff) < 0.2 * Math.sqrt(norm), `user ${u}: ${Math.sqrt(diff)} vs ${Math.sqrt(norm)}`);
  }
});

test('aws-user-personalization above the EASE cap is a pure factor model with userVector and itemFactors', () => {
  const nItems = EASE_MAX_ITEMS + 50;
  const seq = plantedData({ users: 300, clusters: 5, clusterSize: nItems / 5 - 2, popular: 10 });
  assert.ok(seq.nItems > EASE_MAX_ITEMS);
  const model = trainModel('aws-user-personalization', seq, { dim: 8, iterations: 3 });
  assert.ok(model.userVector && model.itemFactors, 'factor model');
  const loaded = loadModel(serializeModel(model));
  assert.ok(loaded.userVector && loaded.itemFactors);
  const small = trainModel('aws-user-personalization', plantedData({ users: 50 }));
  assert.equal(small.userVector, undefined, 'the EASE + transitions blend scores by history only');
});

test('training reports progress, ending at 1', () => {
  const seen: number[] = [];
  trainModel('ials', plantedData({ users: 50 }), { dim: 4, iterations: 4 }, { onProgress: (_phase, f) => seen.push(f) });
  assert.deepEqual(seen, [0.25, 0.5, 0.75, 1]);
});
