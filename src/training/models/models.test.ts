import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromLists } from '../data.js';
import { evaluate, leaveLastOut, personalizeSplit } from '../metrics.js';
import { plantedData } from '../testing.js';
import { loadModel, RECIPES, serializeModel, trainModel } from '../registry.js';
import { rankItems, recommend } from './model.js';
import { gram } from './ease.js';

const NDCG10 = 'normalized_discounted_cumulative_gain_at_10';

test('on planted clusters and chains, EASE, transitions and the blend beat popularity', () => {
  const seq = plantedData();
  for (const [name, split] of [['leave-last-out', leaveLastOut(seq)], ['personalize', personalizeSplit(seq, 3)]] as const) {
    const score = (recipe: string) => evaluate(trainModel(recipe, split.train, { lambda: 10 }), split)[NDCG10];
    const pop = score('aws-popularity-count');
    for (const recipe of ['ease', 'item-transition', 'aws-user-personalization-v2']) {
      const s = score(recipe);
      assert.ok(s > pop + 0.1, `${name}: ${recipe} ${s.toFixed(3)} vs popularity ${pop.toFixed(3)}`);
    }
    if (name === 'leave-last-out') {
      // The next step of a chain is exactly what transitions and the blend should find.
      assert.ok(score('item-transition') > 0.6);
      assert.ok(score('aws-user-personalization-v2') > 0.6);
    }
  }
});

test('every recipe serialises and loads back to the same scores', () => {
  const seq = plantedData({ users: 60 });
  const history = Int32Array.of(3, 4, 5);
  for (const recipe of RECIPES.keys()) {
    const model = trainModel(recipe, seq);
    const buf = serializeModel(model);
    // An unaligned copy must load too (arrays are copied then).
    const shifted = Buffer.alloc(buf.length + 1).subarray(1);
    buf.copy(shifted);
    for (const b of [buf, shifted]) {
      const loaded = loadModel(b);
      const [x, y] = [new Float32Array(model.nItems), new Float32Array(model.nItems)];
      model.score(history, x);
      loaded.score(history, y);
      assert.deepEqual(y, x, recipe);
    }
  }
});

test('item transitions on a hand-computed case', () => {
  const model = trainModel('item-transition', fromLists([[0, 1, 2], [1, 2]], 4), { window: 2, history: 2, decay: 0.5 });
  const out = new Float32Array(4);
  model.score(Int32Array.of(0), out);
  assert.deepEqual([...out], [0, 1, 0.5, 0]);
  model.score(Int32Array.of(0, 1), out); // last item 1 (weight 1), then 0 (weight 0.5)
  assert.deepEqual([...out], [0, 0.5, 2 + 0.25, 0]);
});

test('EASE: Gram matrix counts co-occurring users; B has a zero diagonal', () => {
  const seq = fromLists([[0, 1], [1, 2, 1], [0, 1, 2]], 3);
  assert.deepEqual([...gram(seq)], [2, 2, 1, 2, 3, 2, 1, 2, 2]);
  const model = trainModel('ease', seq, { lambda: 1 });
  const out = new Float32Array(3);
  model.score(Int32Array.of(0), out);
  assert.equal(out[0], 0);
  assert.ok(out[1] > 0);
});

test('recommend removes seen and excluded items, best first', () => {
  const model = trainModel('aws-popularity-count', fromLists([[0, 1, 2], [1, 2], [2]], 4));
  const exclude = new Uint32Array([0b0010, 0]);
  const top = recommend(model, [Int32Array.of(2), Int32Array.of()], 3, { exclude });
  assert.deepEqual([...top.items], [0, 3, -1, 2, 1, 0]);
});

test('an unknown recipe is an error', () => {
  assert.throws(() => trainModel('aws-nothing', fromLists([], 0)), /no trainer/);
});

test('model files are checked: magic, format and model version', async () => {
  const { encodeArtifact } = await import('../artifact.js');
  assert.throws(() => loadModel(Buffer.from('nope, not a model')), /not a model artifact/);
  const buf = serializeModel(trainModel('aws-popularity-count', plantedData({ users: 30 })));
  const badFormat = Buffer.from(buf);
  badFormat.writeUInt32LE(99, 4);
  assert.throws(() => loadModel(badFormat), /unsupported artifact format/);
  const future = encodeArtifact({ recipe: 'aws-popularity-count', version: 99, params: {}, arrays: { counts: new Float32Array(3) } });
  assert.throws(() => loadModel(future), /version 99/);
});

test('rankItems orders a given list by score, ties in list order', () => {
  const model = trainModel('aws-popularity-count', fromLists([[0, 1, 2], [1, 2], [2]], 4));
  const r = rankItems(model, Int32Array.of(), Int32Array.of(3, 0, 2, 1));
  assert.deepEqual([...r.items], [2, 1, 0, 3]);
  assert.deepEqual([...r.scores], [3, 2, 1, 0]);
});
