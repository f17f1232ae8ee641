import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyInfluence, influenceOf } from './ranking-influence.js';

test('rankingInfluence: popularity and freshness weights lift popular and new items over equally similar ones', () => {
  const counts = [0, 100, 3, 3];
  const created = Float64Array.from([1000, 1000, 5000, NaN]);
  assert.equal(influenceOf(4, {}, (i) => counts[i], created), undefined);
  assert.equal(influenceOf(4, { POPULARITY: 0, FRESHNESS: 0 }, (i) => counts[i], created), undefined);
  const similarity = () => Float32Array.from([0.5, 0.5, 0.5, 0.5]);
  const order = (s: Float32Array) => Array.from(s.keys()).sort((a, b) => s[b] - s[a] || a - b);

  const pop = similarity();
  applyInfluence(pop, influenceOf(4, { POPULARITY: 1 }, (i) => counts[i], created)!);
  assert.deepEqual(order(pop), [1, 2, 3, 0]);
  assert.ok(Math.abs(pop[1] - 2) < 1e-6, 'scaled similarity 1 plus the full popularity weight');

  const fresh = similarity();
  applyInfluence(fresh, influenceOf(4, { FRESHNESS: 0.5 }, (i) => counts[i], created)!);
  assert.equal(order(fresh)[0], 2);
  // Similarity still counts: a much more similar item stays ahead of a slightly fresher one.
  const mixed = Float32Array.from([1, 0.1, 0.2, 0]);
  applyInfluence(mixed, influenceOf(4, { FRESHNESS: 0.2 }, (i) => counts[i], created)!);
  assert.equal(order(mixed)[0], 0);
});
