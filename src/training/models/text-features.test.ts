import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cosineRows, hashedTfIdf, textFeatures, textTerms, tokenize, type SparseVectors } from './text-features.js';

/** Cosine of two documents, straight from their vectors. */
function dot(v: SparseVectors, a: number, b: number): number {
  let s = 0;
  for (let p = v.offsets[a]; p < v.offsets[a + 1]; p++) {
    for (let q = v.offsets[b]; q < v.offsets[b + 1]; q++) if (v.ids[p] === v.ids[q]) s += v.weights[p] * v.weights[q];
  }
  return s;
}

test('tokenize: lower-cased letter and digit runs, any script; terms add word pairs', () => {
  assert.deepEqual(tokenize('Crème brûlée, 2 SPOONS—Ünïcode! 東京'), ['crème', 'brûlée', '2', 'spoons', 'ünïcode', '東京']);
  assert.deepEqual(tokenize('  ...  '), []);
  assert.deepEqual(textTerms('Red wine glass'), ['red', 'wine', 'glass', 'red wine', 'wine glass']);
});

test('TF-IDF vectors have unit length; rare shared terms weigh more than common ones', () => {
  const v = textFeatures(['red wine glass', 'red wine bottle', 'the red car', 'the blue car', ''], 1 << 16);
  for (let d = 0; d < 4; d++) assert.ok(Math.abs(dot(v, d, d) - 1) < 1e-5);
  assert.equal(v.offsets[5] - v.offsets[4], 0, 'an empty text has no features');
  assert.ok(dot(v, 0, 1) > dot(v, 2, 3), '"red wine" shares more than "the … car"');
  // Counts: a repeated term weighs 1 + ln(count) before normalising.
  const r = hashedTfIdf([['a', 'a', 'a', 'b']], 64);
  const [x, y] = r.weights;
  assert.ok(Math.abs(Math.max(x, y) / Math.min(x, y) - (1 + Math.log(3))) < 1e-5);
});

test('cosineRows: exact cosine within the budget; a tight budget keeps only the rarest features', () => {
  const texts = ['apple pie recipe', 'apple pie crust', 'cherry pie', 'apple juice', 'orange juice', 'pie'];
  const v = textFeatures(texts, 1 << 16);
  const acc = new Float32Array(texts.length);
  const touched = new Int32Array(texts.length);
  const t = cosineRows(v, 1000)(0, acc, touched);
  const found = new Set(touched.subarray(0, t));
  assert.deepEqual([...found].sort(), [1, 2, 3, 5]);
  for (const j of found) assert.ok(Math.abs(acc[j] - dot(v, 0, j)) < 1e-5);
  acc.fill(0);
  // Budget 1: only document 0's rarest feature ("recipe", its own) is read: no neighbours.
  assert.equal(cosineRows(v, 1)(0, acc, touched), 0);
});
