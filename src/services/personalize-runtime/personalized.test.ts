import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { App } from '../../app.js';
import type { Model } from '../../training/index.js';
import { Catalogue } from './catalogue.js';
import { engineOf, excludeInto, personalCandidates, rankKnown, similarCandidates } from './personalized.js';
import { pickFromStream, pickFromTop, union } from './select.js';
import type { Ranked } from './ranking.js';

/** A factor model (user vector = mean of the history's item vectors), optionally without its factor members. */
function factorModel(n: number, d: number, seed: number, factors = true): Model {
  let s = seed;
  const data = Float32Array.from({ length: n * d }, () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.3);
  const userVector = (h: Int32Array) => {
    const u = new Float32Array(d);
    for (const i of h) for (let c = 0; c < d; c++) u[c] += data[i * d + c] / h.length;
    return u;
  };
  const dotAll = (u: Float32Array, out: Float32Array) => {
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let c = 0; c < d; c++) v += u[c] * data[i * d + c];
      out[i] = v;
    }
  };
  return {
    recipe: 'test', nItems: n,
    score: (h, out) => dotAll(userVector(h), out),
    similar: (item, out) => dotAll(data.subarray(item * d, item * d + d), out),
    toArtifact: () => { throw new Error('not stored'); },
    ...(factors ? { userVector, itemFactors: { data, dim: d } } : {}),
  };
}

const bits = (n: number, on: (i: number) => boolean) => {
  const b = new Uint32Array((n + 31) >>> 5);
  for (let i = 0; i < n; i++) if (on(i)) b[i >>> 5] |= 1 << (i & 31);
  return b;
};

/** The oracle: every item scored and sorted (what serving must never do per request). */
function sorted(model: Model, score: (out: Float32Array) => void): Ranked[] {
  const s = new Float32Array(model.nItems);
  score(s);
  return Array.from(s.keys()).sort((a, b) => s[b] - s[a] || a - b).map((index) => ({ index, count: Math.max(0, s[index]) }));
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `i${i}`);

for (const factors of [true, false]) {
  test(`top-k serving equals scoring and sorting every item, with filters, promotions and seen items (${factors ? 'factor index' : 'score + topK'})`, () => {
    const n = 2000;
    const model = factorModel(n, 8, 5, factors);
    const g = engineOf(model, ids(n), new Catalogue({} as App, 'g', []));
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 20 }),
      fc.integer({ min: 1, max: 97 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 2, max: 13 }),
      (hist, mod, regularCount, promotedCount, promoMod) => {
        const history = Int32Array.from(hist);
        const seen = new Set(hist);
        // Selective filters (1 in `mod` items) make the top-k run short and double.
        const allowed = bits(n, (i) => i % mod === 0);
        const promoAllowed = bits(n, (i) => i % promoMod === 1);
        const w = { regular: regularCount, promoted: promotedCount, allowed, promoAllowed, skip: 7 };
        const c = personalCandidates(g, 'u', history, excludeInto(g, union(allowed, promoAllowed), history, 7));
        const got = pickFromTop(c, w);
        const oracle = sorted(model, (s) => model.score(history, s)).filter((r) => !seen.has(r.index));
        const want = pickFromStream(oracle, w);
        assert.deepEqual(got.regular.map((r) => r.index), want.regular.map((r) => r.index));
        assert.deepEqual(got.promoted.map((r) => r.index), want.promoted.map((r) => r.index));
        for (const [a, b] of got.regular.map((r, p) => [r.count, want.regular[p].count])) assert.ok(Math.abs(a - b) < 1e-4);
        // Scores are shares of every unseen item's positive score... or of the whole score sum for factor models.
        assert.ok(c.total >= got.regular.reduce((s, r) => s + r.count, 0) - 1e-4);
      }), { numRuns: 60 });
  });
}

test('item-to-item: similar() ranks, the item itself and filtered items left out', () => {
  const n = 500;
  const model = factorModel(n, 6, 9);
  const g = engineOf(model, ids(n), new Catalogue({} as App, 'g', []));
  const allowed = bits(n, (i) => i % 3 !== 0);
  const c = similarCandidates(g, 10, excludeInto(g, allowed, undefined, 10));
  const got = pickFromTop(c, { regular: 25, promoted: 0, allowed, promoAllowed: undefined, skip: 10 });
  const want = sorted(model, (s) => model.similar!(10, s)).filter((r) => r.index !== 10 && r.index % 3 !== 0).slice(0, 25);
  assert.deepEqual(got.regular.map((r) => r.index), want.map((r) => r.index));
});

test('rankKnown scores only the candidates, best first, shares summing to one', () => {
  for (const factors of [true, false]) {
    const model = factorModel(300, 5, 2, factors);
    const g = engineOf(model, ids(300), new Catalogue({} as App, 'g', []));
    const h = Int32Array.of(1, 2, 3);
    const list = ['i9', 'i40', 'i41', 'i200', 'i7'];
    const idx = Int32Array.from(list, (id) => g.indexOf(id)!);
    const s = new Float32Array(300);
    model.score(h, s);
    const ranked = rankKnown(g, 'u', h, idx, list);
    // Again from the remembered vector, and for a changed history from a new one.
    assert.deepEqual(rankKnown(g, 'u', h, idx, list), ranked);
    assert.notDeepEqual(rankKnown(g, 'u', Int32Array.of(200, 201), idx, list), ranked);
    assert.deepEqual(ranked.map((x) => x.itemId), [...list].sort((a, b) => s[+b.slice(1)] - s[+a.slice(1)]));
    const positive = ranked.filter((x) => x.score > 0);
    if (positive.length) assert.ok(Math.abs(positive.reduce((t, x) => t + x.score, 0) - 1) < 1e-5);
  }
});

test('the engine refuses a catalogue that does not list its items first', () => {
  const c = new Catalogue({} as App, 'g', ['other']);
  assert.throws(() => engineOf(factorModel(3, 2, 1), ids(3), c));
});

test('a context lift re-orders exactly as lifting every score and sorting would, also through a factor index', () => {
  const n = 1500;
  for (const factors of [false, true]) {
    const model = factorModel(n, 8, 9, factors);
    const g = engineOf(model, ids(n), new Catalogue({} as App, 'g', []));
    // Items 0 mod 5 are favoured by the context, a little.
    const values = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1.3 : 0.9));
    const lift = { values, max: 1.3 };
    const history = Int32Array.from([3, 14, 15, 92]);
    const c = personalCandidates(g, factors ? 'ctx-user' : undefined, history, excludeInto(g, undefined, history, undefined), lift);
    const got = c.top(20).map((r) => r.index);
    const oracle = sorted(model, (s) => {
      model.score(history, s);
      for (let i = 0; i < n; i++) s[i] = s[i] >= 0 ? s[i] * values[i] : s[i] / values[i];
    }).filter((r) => !history.includes(r.index)).slice(0, 20).map((r) => r.index);
    assert.deepEqual(got, oracle);
    assert.ok(got.filter((i) => i % 5 === 0).length > 20 / 5, 'favoured items gain places');
  }
});
