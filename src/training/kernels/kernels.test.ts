import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { referenceKernels as ts, spdInverse } from './reference.js';
import { wasmKernels as wasm } from './wasm.js';
import { bitsetWords, NotPositiveDefinite } from './types.js';

/** Deterministic pseudo-random floats in [-1, 1). */
function fill<T extends Float32Array | Float64Array>(seed: number, a: T): T {
  const len = a.length;
  let s = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    a[i] = s / 2 ** 31 - 1;
  }
  return a;
}
const rand = (seed: number, len: number) => fill(seed, new Float32Array(len));
const rand64 = (seed: number, len: number) => fill(seed, new Float64Array(len));

/** A random SPD matrix: XᵀX + n·I. */
function spd(seed: number, n: number): Float64Array {
  const x = rand64(seed, n * n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? n : 0;
    for (let k = 0; k < n; k++) s += x[k * n + i] * x[k * n + j];
    a[i * n + j] = s;
  }
  return a;
}

test('gemmTopK: wasm matches the TS reference (scores within f32 error, same items unless tied)', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 19 }),
    fc.integer({ min: 1, max: 12 }), fc.integer(), fc.boolean(),
    (b, n, d, k, seed, withExclusion) => {
      const users = rand(seed, b * d);
      const items = rand(seed + 1, n * d);
      const words = bitsetWords(n);
      const exclude = withExclusion ? new Uint32Array(rand(seed + 2, b * words).map((v) => Math.floor((v + 1) * 2 ** 31))) : undefined;
      const r = ts.gemmTopK(users, items, b, n, d, k, exclude);
      const w = wasm.gemmTopK(users, items, b, n, d, k, exclude);
      for (let p = 0; p < b * k; p++) {
        if (r.items[p] === -1) { assert.equal(w.items[p], -1); continue; }
        assert.ok(Math.abs(r.scores[p] - w.scores[p]) < 1e-4, `score ${p}: ${r.scores[p]} vs ${w.scores[p]}`);
        if (r.items[p] !== w.items[p]) {
          // Only a near-tie may reorder: the wasm item's exact score must equal the reference's.
          const u = Math.floor(p / k);
          let s = 0;
          for (let c = 0; c < d; c++) s += users[u * d + c] * items[w.items[p] * d + c];
          assert.ok(Math.abs(s - r.scores[p]) < 1e-4);
        }
        if (exclude) {
          const u = Math.floor(p / k);
          assert.equal((exclude[u * words + (w.items[p] >>> 5)] >>> (w.items[p] & 31)) & 1, 0, 'excluded item returned');
        }
      }
    }), { numRuns: 200 });
});

test('gemmTopK: several item chunks, several row groups and rows too long to pack give the reference results', () => {
  for (const [b, n, d, k] of [[6, 300, 2048, 7], [1030, 40, 4, 3], [4, 10, 8200, 3]]) {
    const users = rand(b, b * d);
    const items = rand(n, n * d);
    const r = ts.gemmTopK(users, items, b, n, d, k);
    const w = wasm.gemmTopK(users, items, b, n, d, k);
    assert.deepEqual(w.items, r.items);
    for (let p = 0; p < b * k; p++) assert.ok(Math.abs(r.scores[p] - w.scores[p]) < 1e-5 * d);
  }
});

test('topK: wasm matches the TS reference exactly', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 30 }), fc.integer(), (b, n, k, seed) => {
    // Rounded scores force ties, which both must break toward the lower item.
    const scores = rand(seed, b * n).map((v) => Math.round(v * 8));
    const exclude = new Uint32Array(rand(seed + 3, b * bitsetWords(n)).map((v) => Math.floor((v + 1) * 2 ** 30)));
    assert.deepEqual(wasm.topK(scores, b, n, k, exclude), ts.topK(scores, b, n, k, exclude));
    assert.deepEqual(wasm.topK(scores, b, n, k), ts.topK(scores, b, n, k));
  }), { numRuns: 200 });
});

test('topK orders best first, ties to the lower item, and pads with -1', () => {
  const r = ts.topK(new Float32Array([1, 3, 3, 2]), 1, 4, 6);
  assert.deepEqual([...r.items], [1, 2, 3, 0, -1, -1]);
  assert.deepEqual([...r.scores], [3, 3, 2, 1, -Infinity, -Infinity]);
});

test('cholesky and choleskySolve: wasm matches TS and solves', () => {
  for (const n of [1, 2, 3, 7, 16, 33]) {
    const a = spd(n * 7 + 1, n);
    const lw = a.slice(); const lr = a.slice();
    assert.equal(wasm.cholesky(lw, n), 0);
    assert.equal(ts.cholesky(lr, n), 0);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) assert.ok(Math.abs(lw[i * n + j] - lr[i * n + j]) < 1e-9 * n);
    const b = rand64(n, n);
    const xw = Float64Array.from(b); const xr = Float64Array.from(b);
    wasm.choleskySolve(lw, n, xw); ts.choleskySolve(lr, n, xr);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * xw[j];
      assert.ok(Math.abs(s - b[i]) < 1e-9, 'A·x = b');
      assert.ok(Math.abs(xw[i] - xr[i]) < 1e-12);
    }
  }
});

test('foldIn: wasm matches TS and solves the normal equations, odd and even d', () => {
  for (const [d, h] of [[1, 1], [3, 2], [8, 5], [17, 9], [64, 12]]) {
    const gram = spd(d * 3 + 2, d);
    const rows = Float32Array.from(rand64(d + h, h * d), (v) => v - 0.5);
    const c = Float64Array.from({ length: h }, (_, k) => 1 + 2 * k);
    const xw = new Float64Array(d); const xr = new Float64Array(d);
    const before = gram.slice();
    assert.ok(wasm.foldIn(gram, d, rows, c, h, 0.5, xw));
    assert.ok(ts.foldIn(gram, d, rows, c, h, 0.5, xr));
    assert.deepEqual(gram, before, 'the Gram matrix is left as it was');
    // A·x = b with A and b built directly.
    for (let i = 0; i < d; i++) {
      let s = 0, b = 0;
      for (let j = 0; j < d; j++) {
        let a = gram[Math.max(i, j) * d + Math.min(i, j)] + (i === j ? 0.5 : 0);
        for (let k = 0; k < h; k++) a += (c[k] - 1) * rows[k * d + i] * rows[k * d + j];
        s += a * xw[j];
      }
      for (let k = 0; k < h; k++) b += c[k] * rows[k * d + i];
      assert.ok(Math.abs(s - b) < 1e-8 * (1 + Math.abs(b)), `row ${i} of A·x = b (d ${d})`);
      assert.ok(Math.abs(xw[i] - xr[i]) < 1e-9 * (1 + Math.abs(xr[i])));
    }
  }
  // Not positive definite: both say so.
  const neg = Float64Array.from([-1, 0, 0, -1]);
  assert.equal(wasm.foldIn(neg, 2, new Float32Array(2), new Float64Array([1]), 1, 0, new Float64Array(2)), false);
  assert.equal(ts.foldIn(neg, 2, new Float32Array(2), new Float64Array([1]), 1, 0, new Float64Array(2)), false);
});

test('spdInverse (the f64 reference) inverts', () => {
  for (const n of [1, 5, 33]) {
    const a = spd(n, n);
    const p = spdInverse(a.slice(), n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * p[k * n + j];
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-9, 'A·A⁻¹ = I');
    }
  }
});

/** Checks the wasm gemm against the TS one on random operands of the given shape and layout. */
function checkGemm(m: number, n: number, k: number, alpha: number, transA: boolean, transB: boolean, seed: number, pad: number): void {
  const [lda, ldb, ldc] = [(transA ? m : k) + pad, (transB ? k : n) + pad, n + pad];
  const a = rand(seed, (transA ? k : m) * lda);
  const b = rand(seed + 1, (transB ? n : k) * ldb);
  const cw = rand(seed + 2, m * ldc);
  const cr = cw.slice();
  wasm.gemm(m, n, k, alpha, a, lda, transA, b, ldb, transB, cw, ldc);
  ts.gemm(m, n, k, alpha, a, lda, transA, b, ldb, transB, cr, ldc);
  for (let i = 0; i < cw.length; i++) assert.ok(Math.abs(cw[i] - cr[i]) < 1e-5 * (k + 1), `${i}: ${cw[i]} vs ${cr[i]}`);
}

test('gemm: wasm matches the TS reference for every transposition, edges and strides', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 21 }), fc.integer({ min: 1, max: 27 }), fc.integer({ min: 0, max: 19 }), fc.double({ min: -2, max: 2, noNaN: true }),
    fc.boolean(), fc.boolean(), fc.integer(), fc.integer({ min: 0, max: 3 }),
    (m, n, k, alpha, ta, tb, seed, pad) => checkGemm(m, n, k, alpha, ta, tb, seed, pad)), { numRuns: 300 });
  // Past every blocking size (KC 256, MC 128, NC 1024) with ragged remainders.
  checkGemm(133, 1030, 261, -1, false, true, 5, 1);
  checkGemm(131, 9, 517, 0.5, true, false, 6, 0);
});

/** A Gram matrix of random 0/1 rows (users × n items, about a fifth set), as EASE builds it. */
function randomGram(seed: number, users: number, n: number): (g: Float32Array) => void {
  const x = rand(seed, users * n).map((v) => (v > 0.6 ? 1 : 0));
  return (g) => {
    for (let u = 0; u < users; u++) for (let i = 0; i < n; i++) if (x[u * n + i]) for (let j = 0; j <= i; j++) g[i * n + j] += x[u * n + j];
  };
}

test('easeWeights: wasm (f32, blocked) matches the f64 reference across block edges', () => {
  for (const [n, users, lambda] of [[1, 3, 1], [2, 5, 0.5], [37, 60, 2], [129, 200, 10], [300, 400, 50]]) {
    const w = wasm.easeWeights(n, lambda, randomGram(n, users, n));
    const r = ts.easeWeights(n, lambda, randomGram(n, users, n));
    let maxB = 0;
    for (const v of r) maxB = Math.max(maxB, Math.abs(v));
    for (let i = 0; i < n * n; i++) assert.ok(Math.abs(w[i] - r[i]) <= 1e-4 * maxB + 1e-7, `n ${n} [${i}]: ${w[i]} vs ${r[i]}`);
    for (let i = 0; i < n; i++) assert.equal(w[i * n + i], 0);
  }
});

test('easeWeights: wasm matches the f64 reference on random catalogues', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 80 }), fc.double({ min: 0.1, max: 100, noNaN: true }), fc.integer(), (n, users, lambda, seed) => {
    const w = wasm.easeWeights(n, lambda, randomGram(seed, users, n));
    const r = ts.easeWeights(n, lambda, randomGram(seed, users, n));
    for (let i = 0; i < n * n; i++) assert.ok(Math.abs(w[i] - r[i]) <= 1e-4 * (1 + Math.abs(r[i])), `[${i}]: ${w[i]} vs ${r[i]}`);
  }), { numRuns: 100 });
});

test('a matrix that is not positive definite is reported, not inverted', () => {
  const a = new Float64Array([1, 2, 2, 1]);
  assert.equal(wasm.cholesky(a.slice(), 2), 2);
  assert.equal(ts.cholesky(a.slice(), 2), 2);
  const indefinite = (g: Float32Array) => g.set([1, 2, 2, 1]);
  assert.throws(() => wasm.easeWeights(2, 0, indefinite), NotPositiveDefinite);
  assert.throws(() => ts.easeWeights(2, 0, indefinite), NotPositiveDefinite);
});

/** A random sparse matrix (about a third of cells set) with confidences in [1, 5). */
function randomCsr(seed: number, m: number, n: number) {
  const v = rand(seed, m * n);
  const offsets = new Int32Array(m + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < n; j++) if (v[r * n + j] > 0.33) { cols.push(j); vals.push(1 + 2 * (v[r * n + j] + 1)); }
    offsets[r + 1] = cols.length;
  }
  return { offsets, cols: Int32Array.from(cols), vals: Float32Array.from(vals) };
}

test('alsHalfStep: wasm matches the TS reference, and enough CG steps solve the normal equations', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 13 }), fc.integer(), (m, n, d, seed) => {
    const rows = randomCsr(seed, m, n);
    const other = rand(seed + 1, n * d);
    const start = rand(seed + 2, m * d);
    const lambda = Float32Array.from({ length: m }, (_, r) => 0.5 + r);
    const [w, r] = [start.slice(), start.slice()];
    wasm.alsHalfStep(rows, other, n, w, m, d, lambda, 3);
    ts.alsHalfStep(rows, other, n, r, m, d, lambda, 3);
    for (let i = 0; i < m * d; i++) assert.ok(Math.abs(w[i] - r[i]) < 1e-3 * (1 + Math.abs(r[i])), `${i}: ${w[i]} vs ${r[i]}`);
    // With d steps CG is exact (up to rounding): compare with a Cholesky solve of each row's system.
    wasm.alsHalfStep(rows, other, n, w, m, d, lambda, 2 * d);
    for (let u = 0; u < m; u++) {
      const a = new Float64Array(d * d);
      const b = new Float64Array(d);
      const conf = new Float64Array(n).fill(1);
      const observed = new Uint8Array(n);
      for (let k = rows.offsets[u]; k < rows.offsets[u + 1]; k++) { conf[rows.cols[k]] = rows.vals[k]; observed[rows.cols[k]] = 1; }
      for (let j = 0; j < n; j++) {
        for (let x = 0; x < d; x++) {
          if (observed[j]) b[x] += conf[j] * other[j * d + x];
          for (let y = 0; y < d; y++) a[x * d + y] += conf[j] * other[j * d + x] * other[j * d + y];
        }
      }
      for (let x = 0; x < d; x++) a[x * d + x] += lambda[u];
      assert.equal(ts.cholesky(a, d), 0);
      ts.choleskySolve(a, d, b);
      for (let x = 0; x < d; x++) assert.ok(Math.abs(w[u * d + x] - b[x]) < 2e-3 * (1 + Math.abs(b[x])), `row ${u}[${x}]: ${w[u * d + x]} vs ${b[x]}`);
    }
  }), { numRuns: 100 });
});
