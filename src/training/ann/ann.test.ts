import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referenceKernels } from '../kernels/reference.js';
import { buildHnsw, ExactIndex, FactorIndex, HnswIndex } from './index.js';

/** n clustered rows of d floats with varied norms (as factor models produce), seeded. */
function clustered(n: number, d: number, clusters: number, seed: number): Float32Array {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const centres = Float32Array.from({ length: clusters * d }, rnd);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    const norm = 0.5 + Math.abs(rnd());
    for (let j = 0; j < d; j++) out[i * d + j] = (centres[c * d + j] + 0.4 * rnd()) * norm;
  }
  return out;
}

const recallAt = (got: Int32Array, want: Int32Array) => [...got].filter((i) => want.includes(i)).length / want.length;

test('exact resident search equals the reference kernel, with exclusions', () => {
  const n = 3000, d = 13;
  const data = clustered(n, d, 20, 7);
  const exact = new ExactIndex(data, n, d);
  const q = data.slice(5 * d, 6 * d);
  const exclude = new Uint32Array((n + 31) >>> 5);
  for (let i = 0; i < n; i += 3) exclude[i >>> 5] |= 1 << (i & 31);
  for (const x of [undefined, exclude]) {
    const got = exact.search(q, 10, x);
    const want = referenceKernels.gemmTopK(q, data, 1, n, d, 10, x);
    assert.deepEqual([...got.items], [...want.items]);
    for (let p = 0; p < 10; p++) assert.ok(Math.abs(got.scores[p] - want.scores[p]) < 1e-4);
  }
  // Searching twice reuses the resident buffers without leaking the earlier exclusion.
  assert.deepEqual([...exact.search(q, 10).items], [...referenceKernels.gemmTopK(q, data, 1, n, d, 10).items]);
});

test('HNSW: recall@10 of the inner-product search, exact scores, exclusions never returned', () => {
  const n = 8000, d = 16;
  const queries = 200;
  // Queries come from the same distribution as the items (as user and item factors do).
  const all = clustered(n + queries, d, 50, 3);
  const data = all.subarray(0, n * d);
  const ann = new HnswIndex(buildHnsw(data, n, d, { m: 12, efConstruction: 80 }));
  const exact = new ExactIndex(data, n, d);
  const exclude = new Uint32Array((n + 31) >>> 5);
  for (let i = 0; i < n; i += 4) exclude[i >>> 5] |= 1 << (i & 31);
  let recall = 0, recallX = 0;
  for (let t = 0; t < queries; t++) {
    const q = all.subarray((n + t) * d, (n + t + 1) * d);
    const got = ann.search(q, 10, 64);
    recall += recallAt(got.items, exact.search(q, 10).items);
    for (let p = 0; p < 10; p++) {
      const i = got.items[p];
      let s = 0;
      for (let c = 0; c < d; c++) s += q[c] * data[i * d + c];
      assert.ok(Math.abs(got.scores[p] - s) < 1e-3 * Math.max(1, Math.abs(s)));
    }
    const gotX = ann.search(q, 10, 64, exclude);
    assert.ok([...gotX.items].every((i) => i >= 0 && (exclude[i >>> 5] & (1 << (i & 31))) === 0));
    recallX += recallAt(gotX.items, exact.search(q, 10, exclude).items);
  }
  assert.ok(recall / queries >= 0.95, `recall@10 ${recall / queries}`);
  assert.ok(recallX / queries >= 0.95, `recall@10 with exclusions ${recallX / queries}`);
});

test('FactorIndex: exact below the threshold, ANN once built above it, exact again for very selective exclusions', async () => {
  const n = 4000, d = 8;
  const data = clustered(n, d, 30, 11);
  const small = new FactorIndex(data, n, d, { annMinItems: n + 1 });
  await small.ready;
  assert.equal(small.approximate, false);
  const big = new FactorIndex(data, n, d, { annMinItems: 1000, hnsw: { m: 8, efConstruction: 40 } });
  await big.ready;
  assert.equal(big.approximate, true);
  assert.ok(big.calibration!.recall >= 0.9);
  // An index that cannot reach the wanted recall is not served from.
  const strict = new FactorIndex(data, n, d, { annMinItems: 1000, minRecall: 1.01, hnsw: { m: 8, efConstruction: 40 } });
  await strict.ready;
  assert.equal(strict.approximate, false);
  assert.equal(strict.calibration!.good, false);
  const q = data.slice(0, d);
  assert.ok(recallAt(big.search(q, 10).items, small.search(q, 10).items) >= 0.8);
  // Only items 0..9 allowed: the exact scan answers, all ten of them.
  const exclude = new Uint32Array((n + 31) >>> 5).fill(0xffffffff);
  exclude[0] = ~0x3ff;
  assert.deepEqual([...big.search(q, 10, exclude).items].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('HNSW: items with tiny factors (few interactions) do not trap the search', () => {
  // 70% of the items have factors 100 times smaller: on the unit sphere they bunch up at one point.
  const n = 6000, d = 16;
  const base = clustered(n, d, 40, 5);
  for (let i = 0; i < n; i++) if (i % 10 < 7) for (let c = 0; c < d; c++) base[i * d + c] *= 0.01;
  const ann = new HnswIndex(buildHnsw(base, n, d, { m: 12, efConstruction: 80 }));
  const exact = new ExactIndex(base, n, d);
  let recall = 0;
  for (let t = 0; t < 100; t++) {
    const q = base.slice((t * 61 % n) * d, (t * 61 % n) * d + d).map((x, c) => x + base[((t * 7 + 3) % n) * d + c]);
    recall += recallAt(ann.search(q, 10, 64).items, exact.search(q, 10).items);
  }
  assert.ok(recall / 100 >= 0.9, `recall@10 ${recall / 100}`);
});

test('HNSW: the WebAssembly search (int8 walk, exact re-rank) finds what the TS search finds, with exact scores, exclusions included', () => {
  const n = 5000, d = 21; // 22 with the norm coordinate: rows are padded in wasm
  const data = clustered(n, d, 40, 9);
  const graph = buildHnsw(data, n, d, { m: 10, efConstruction: 60 });
  const wasm = new HnswIndex(graph);
  const ts = new HnswIndex(graph, { wasm: false });
  const exact = new ExactIndex(data, n, d);
  const exclude = new Uint32Array((n + 31) >>> 5);
  for (let i = 1; i < n; i += 3) exclude[i >>> 5] |= 1 << (i & 31);
  let same = 0, total = 0, hitWasm = 0, hitTs = 0;
  for (let t = 0; t < 100; t++) {
    const q = data.slice((t * 37 % n) * d, (t * 37 % n) * d + d);
    for (const [k, ef, x] of [[10, 32, undefined], [25, 64, exclude], [1, 8, undefined]] as const) {
      const a = wasm.search(q, k, ef, x);
      const b = ts.search(q, k, ef, x);
      const truth = exact.search(q, k, x).items;
      total += k;
      same += [...a.items].filter((i) => b.items.includes(i)).length;
      hitWasm += [...a.items].filter((i) => truth.includes(i)).length;
      hitTs += [...b.items].filter((i) => truth.includes(i)).length;
      // The re-rank leaves exact scores, best first.
      for (let p = 0; p < k; p++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += q[c] * data[a.items[p] * d + c];
        assert.ok(Math.abs(a.scores[p] - dot) < 1e-4 * Math.max(1, Math.abs(dot)), `score ${a.scores[p]} vs ${dot}`);
        if (p > 0) assert.ok(a.scores[p] <= a.scores[p - 1]);
      }
      if (x) assert.ok([...a.items].every((i) => (x[i >>> 5] & (1 << (i & 31))) === 0));
    }
  }
  // The int8 walk may end on a slightly different set, so a few results differ; it must find the true neighbours as well.
  assert.ok(same / total >= 0.99, `agreement ${same / total}`);
  assert.ok(hitWasm >= hitTs - 0.01 * total, `recall wasm ${hitWasm / total} vs TS ${hitTs / total}`);
});
