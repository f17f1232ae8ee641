import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromLists, type Sequences } from '../data.js';
import { evaluate, leaveLastOut, rng } from '../metrics.js';
import { plantedData } from '../testing.js';
import { loadModel, serializeModel, trainModel } from '../registry.js';
import { sequenceGrams, slit } from './slit.js';
import { blend, Blend } from './blend.js';
import { encodeArtifact } from '../artifact.js';

const NDCG10 = 'normalized_discounted_cumulative_gain_at_10';

/**
 * Users walk triples (cue k, hub, answer k) with one of two hub items in the middle: the item just
 * before the answer (a hub) follows every cue, so it alone points at the commonest answers (low k
 * are far commoner); only the cue two steps back says which answer comes.
 */
function cueData(users = 600, cues = 30, seed = 5): Sequences {
  const next = rng(seed);
  const hub = 2 * cues;
  const lists: number[][] = [];
  for (let u = 0; u < users; u++) {
    const list: number[] = [];
    const triples = 1 + Math.floor(next() * 4);
    const used = new Set<number>();
    while (used.size < triples) {
      const k = Math.floor(cues * next() ** 2);
      if (used.has(k)) continue;
      used.add(k);
      list.push(k, hub + (used.size % 2), cues + k);
    }
    lists.push(list);
  }
  return fromLists(lists, hub + 2);
}

test('the sequential linear model reads a cue two steps back that counted transitions miss', () => {
  const split = leaveLastOut(cueData());
  const ndcg = (m: Parameters<typeof evaluate>[0]) => evaluate(m, split, 10)[NDCG10];
  const lin = ndcg(slit.train(split.train, { ...slit.defaults, seqLambda: 1 }));
  const pop = ndcg(trainModel('aws-popularity-count', split.train));
  const counted = ndcg(trainModel('item-transition', split.train));
  const tuned = ndcg(trainModel('item-transition', split.train, { window: 10, history: 20, decay: 0.6, beta: 0.2, rowNorm: 0.75 }));
  assert.ok(lin > 0.95, `sequential linear ${lin.toFixed(3)}`);
  for (const [name, s] of [['popularity', pop], ['transitions', counted], ['tuned transitions', tuned]] as const) {
    assert.ok(lin > s + 0.15, `sequential linear ${lin.toFixed(3)} vs ${name} ${s.toFixed(3)}`);
  }
});

test('B solves the ridge regression: (XᵀX + λI)·B = XᵀY', () => {
  const data = plantedData({ users: 80, clusters: 3, clusterSize: 6, popular: 2 });
  const params = { ...slit.defaults, seqWindow: 4, seqTargets: 2, seqLambda: 3 };
  const n = data.nItems;
  const g = new Float32Array(n * n);
  const m = new Float32Array(n * n);
  sequenceGrams(data, params, g, m);
  const b = (slit.train(data, params) as unknown as { b: Float32Array }).b;
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = params.seqLambda * b[i * n + j];
      for (let k = 0; k < n; k++) s += g[i * n + k] * b[k * n + j];
      worst = Math.max(worst, Math.abs(s - m[i * n + j]));
      scale = Math.max(scale, Math.abs(m[i * n + j]));
    }
  }
  assert.ok(worst < 1e-3 * scale, `residual ${worst} of ${scale}`);
});

test('sources and targets on a hand-computed case', () => {
  const params = { seqWindow: 2, seqDecay: 0.5, seqLambda: 1, seqTargets: 2, seqTargetDecay: 0.25 };
  const g = new Float32Array(9);
  const m = new Float32Array(9);
  sequenceGrams(fromLists([[0, 1, 2]], 3), params, g, m);
  // t=1: x = e0, y = e1 + 0.25·e2; t=2: x = e1 + 0.5·e0, y = e2.
  assert.deepEqual([...g], [1 + 0.25, 0.5, 0, 0.5, 1, 0, 0, 0, 0]);
  assert.deepEqual([...m], [0, 1, 0.25 + 0.5, 0, 0, 1, 0, 0, 0]);
});

test('the blend with its sequential linear part beats popularity on planted chains and round-trips', () => {
  const split = leaveLastOut(plantedData());
  const model = trainModel('aws-user-personalization-v2', split.train, { lambda: 10 });
  assert.ok(model instanceof Blend && model.lin, 'the blend has the sequential linear part');
  const pop = evaluate(trainModel('aws-popularity-count', split.train), split)[NDCG10];
  assert.ok(evaluate(model, split)[NDCG10] > Math.max(0.6, pop + 0.1));
  const loaded = loadModel(serializeModel(model));
  const [x, y] = [new Float32Array(model.nItems), new Float32Array(model.nItems)];
  model.score(Int32Array.of(3, 4, 5), x);
  loaded.score(Int32Array.of(3, 4, 5), y);
  assert.deepEqual(y, x);
});

test('a blend from before the sequential linear part (no gamma, no power) loads and scores as it did', () => {
  const data = plantedData({ users: 60 });
  const model = blend.train(data, { ...blend.defaults, lambda: 10, gamma: 0, power: 1, alpha: 0.4 }) as Blend;
  assert.equal(model.lin, undefined);
  const a = model.toArtifact();
  const { gamma: _g, power: _p, ...old } = a.params;
  const loaded = loadModel(encodeArtifact({ ...a, params: old })) as Blend;
  const h = Int32Array.of(3, 4, 5);
  const [cf, seq, out] = [new Float32Array(model.nItems), new Float32Array(model.nItems), new Float32Array(model.nItems)];
  model.cf.score(h, cf);
  model.seq.score(h, seq);
  loaded.score(h, out);
  const [mc, ms] = [Math.max(...cf), Math.max(...seq)];
  for (let j = 0; j < out.length; j++) assert.ok(Math.abs(out[j] - (0.4 * cf[j] / mc + 0.6 * seq[j] / ms)) < 1e-6, `item ${j}`);
});
