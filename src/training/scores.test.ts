import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { catalogueScores, rankingScores } from './scores.js';

test('catalogue scores are a softmax over every item: all of them sum to 1, order kept', () => {
  fc.assert(fc.property(fc.array(fc.float({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 300 }), (raw) => {
    const all = Float32Array.from(raw);
    const s = catalogueScores(all, all.map((_, j) => j), 0.5);
    assert.ok(Math.abs(s.reduce((a, b) => a + b, 0) - 1) < 1e-7 * all.length + 1e-9);
    for (let j = 0; j < all.length; j++) {
      assert.ok(s[j] >= 0 && s[j] <= 1);
      for (const k of [0, all.length - 1]) if (all[j] > all[k]) assert.ok(s[j] >= s[k]);
    }
  }));
});

test('catalogue scores: a hand-computed case, rounded to 7 decimals', () => {
  const all = Float32Array.of(0, Math.log(2), Math.log(7));
  assert.deepEqual(catalogueScores(all, [2, 1], 1), [0.7, 0.2]);
  assert.deepEqual(catalogueScores(Float32Array.of(0, 0, 0), [0], 1), [0.3333333]);
});

test('ranking scores are normalised over the given list; unknown items score 0', () => {
  const all = Float32Array.of(5, Math.log(3), 0, 9);
  assert.deepEqual(rankingScores(all, [1, 2, -1], 1), [0.75, 0.25, 0]);
  assert.deepEqual(rankingScores(all, [-1], 1), [0]);
  // Extreme scores neither overflow nor underflow to NaN.
  assert.deepEqual(rankingScores(Float32Array.of(1000, -1000), [0, 1], 0.01), [1, 0]);
});
