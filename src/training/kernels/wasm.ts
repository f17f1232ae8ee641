// The wasm SIMD kernels (assembly/kernels.ts, built to kernels.wasm beside this module by `npm run
// asbuild`). Each call lays its operands out from the heap base, grows memory to fit and copies
// the results out. An instance that grew past RELEASE_BYTES is dropped after the call so a large
// EASE matrix does not pin its memory for the life of the process.
import { wasmInstance } from '../wasm-module.js';
import { referenceKernels } from './reference.js';
import { bitsetWords, NotPositiveDefinite, type Csr, type Kernels, type TopK } from './types.js';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  gemmTopK(pU: number, pV: number, b: number, n: number, d: number, k: number, pX: number, pS: number, pI: number): void;
  topK(pScores: number, b: number, n: number, k: number, pX: number, pS: number, pI: number): void;
  cholesky(pA: number, n: number): number;
  choleskySolve(pL: number, n: number, pB: number): void;
  foldIn(pA: number, d: number, pY: number, pC: number, h: number, lambda: number, pB: number): number;
  sgemm(m: number, n: number, k: number, alpha: number, pA: number, lda: number, ta: number, pB: number, ldb: number, tb: number, pC: number, ldc: number): void;
  easeStart(pA: number, n: number, lambda: number): number;
  easeFactorStep(pA: number, n: number, k0: number): number;
  easeInvertStep(pA: number, n: number, j0: number): void;
  easeProductStep(pA: number, n: number, i0: number): void;
  easeFinish(pA: number, n: number, pD: number): void;
  gram(pF: number, n: number, d: number, pG: number): void;
  alsCG(pOff: number, pCol: number, pConf: number, pF: number, pP: number, m: number, d: number, pG: number, pLam: number, steps: number, pW: number): void;
}

const RELEASE_BYTES = 256 * 2 ** 20;
const ALS_SLICE = 2048;
const PAGE = 65536;

let instance: Exports | undefined;

function exports(): Exports {
  instance ??= wasmInstance<Exports>(new URL('./kernels.wasm', import.meta.url));
  if (!instance) throw new Error('the wasm kernels are not built (npm run asbuild)');
  return instance;
}

/** Byte offsets for a list of sizes, 16-byte aligned from the heap base; memory grown to fit. */
function layout(x: Exports, sizes: number[]): number[] {
  let at = x.heapBase();
  const offsets = sizes.map((s) => {
    const o = at;
    at += (s + 15) & ~15;
    return o;
  });
  const need = at - x.memory.buffer.byteLength;
  if (need > 0) x.memory.grow(Math.ceil(need / PAGE));
  return offsets;
}

function done(x: Exports): void {
  if (x.memory.buffer.byteLength > RELEASE_BYTES) instance = undefined;
}

const f32 = (x: Exports, at: number, len: number) => new Float32Array(x.memory.buffer, at, len);
const f64 = (x: Exports, at: number, len: number) => new Float64Array(x.memory.buffer, at, len);

/** Copies rows of width d into rows of width dp (a multiple of 4, zero padded). */
function pad(a: Float32Array, rows: number, d: number, dp: number, into: Float32Array): void {
  if (d === dp) into.set(a.subarray(0, rows * d));
  else for (let r = 0; r < rows; r++) into.set(a.subarray(r * d, r * d + d), r * dp);
}

function results(x: Exports, pS: number, pI: number, len: number): TopK {
  return { scores: f32(x, pS, len).slice(), items: new Int32Array(x.memory.buffer, pI, len).slice() };
}

function gemmTopK(users: Float32Array, items: Float32Array, b: number, n: number, d: number, k: number, exclude?: Uint32Array): TopK {
  const x = exports();
  const dp = (d + 3) & ~3;
  const xBytes = exclude ? b * bitsetWords(n) * 4 : 0;
  const [pU, pV, pX, pS, pI] = layout(x, [b * dp * 4, n * dp * 4, xBytes, b * k * 4, b * k * 4]);
  const u = f32(x, pU, b * dp);
  const v = f32(x, pV, n * dp);
  if (d !== dp) { u.fill(0); v.fill(0); }
  pad(users, b, d, dp, u);
  pad(items, n, d, dp, v);
  if (exclude) new Uint32Array(x.memory.buffer, pX, xBytes / 4).set(exclude.subarray(0, xBytes / 4));
  x.gemmTopK(pU, pV, b, n, dp, k, exclude ? pX : 0, pS, pI);
  const out = results(x, pS, pI, b * k);
  done(x);
  return out;
}

function topK(scores: Float32Array, b: number, n: number, k: number, exclude?: Uint32Array): TopK {
  const x = exports();
  const xBytes = exclude ? b * bitsetWords(n) * 4 : 0;
  const [pA, pX, pS, pI] = layout(x, [b * n * 4, xBytes, b * k * 4, b * k * 4]);
  f32(x, pA, b * n).set(scores.subarray(0, b * n));
  if (exclude) new Uint32Array(x.memory.buffer, pX, xBytes / 4).set(exclude.subarray(0, xBytes / 4));
  x.topK(pA, b, n, k, exclude ? pX : 0, pS, pI);
  const out = results(x, pS, pI, b * k);
  done(x);
  return out;
}

function cholesky(a: Float64Array, n: number): number {
  const x = exports();
  const [pA] = layout(x, [n * n * 8]);
  f64(x, pA, n * n).set(a.subarray(0, n * n));
  const bad = x.cholesky(pA, n);
  a.set(f64(x, pA, n * n));
  done(x);
  return bad;
}

function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  const x = exports();
  const [pL, pB] = layout(x, [n * n * 8, n * 8]);
  f64(x, pL, n * n).set(l.subarray(0, n * n));
  f64(x, pB, n).set(b.subarray(0, n));
  x.choleskySolve(pL, n, pB);
  b.set(f64(x, pB, n));
  done(x);
}

function foldIn(gram: Float64Array, d: number, rows: Float32Array, confidence: Float64Array, h: number, lambda: number, out: Float64Array): boolean {
  const x = exports();
  const [pA, pY, pC, pB] = layout(x, [d * d * 8, h * d * 8, h * 8, d * 8]);
  f64(x, pA, d * d).set(gram.subarray(0, d * d));
  // The f32 rows widen to f64 as they are copied in.
  f64(x, pY, h * d).set(rows.subarray(0, h * d));
  f64(x, pC, h).set(confidence.subarray(0, h));
  const b = f64(x, pB, d);
  b.fill(0);
  const bad = x.foldIn(pA, d, pY, pC, h, lambda, pB);
  if (bad === 0) out.set(b);
  done(x);
  return bad === 0;
}

function gemm(m: number, n: number, k: number, alpha: number, a: Float32Array, lda: number, transA: boolean, b: Float32Array, ldb: number, transB: boolean, c: Float32Array, ldc: number): void {
  const x = exports();
  const [pA, pB, pC] = layout(x, [a.length * 4, b.length * 4, c.length * 4]);
  f32(x, pA, a.length).set(a);
  f32(x, pB, b.length).set(b);
  f32(x, pC, c.length).set(c);
  x.sgemm(m, n, k, alpha, pA, lda, transA ? 1 : 0, pB, ldb, transB ? 1 : 0, pC, ldc);
  c.set(f32(x, pC, c.length));
  done(x);
}

/** The Gram matrix is filled straight into kernel memory and turned into B there: 8·n² bytes at the peak. */
function easeWeights(n: number, lambda: number, fill: (g: Float32Array) => void): Float32Array {
  const x = exports();
  const [pA, pD] = layout(x, [n * n * 4, n * 4]);
  const g = f32(x, pA, n * n);
  g.fill(0);
  fill(g);
  // A call per block, so that V8's optimised code takes over after the first few (a running wasm
  // call never leaves the tier it started in).
  const nb = x.easeStart(pA, n, lambda);
  for (let k0 = 0; k0 < n; k0 += nb) {
    const bad = x.easeFactorStep(pA, n, k0);
    if (bad) {
      done(x);
      throw new NotPositiveDefinite(bad - 1);
    }
  }
  for (let j0 = Math.floor((n - 1) / nb) * nb; j0 >= 0; j0 -= nb) x.easeInvertStep(pA, n, j0);
  for (let i0 = 0; i0 < n; i0 += nb) x.easeProductStep(pA, n, i0);
  x.easeFinish(pA, n, pD);
  const out = f32(x, pA, n * n).slice();
  done(x);
  return out;
}

function alsHalfStep(rows: Csr, other: Float32Array, n: number, self: Float32Array, m: number, d: number, lambda: Float32Array, steps: number): void {
  const x = exports();
  const dp = (d + 3) & ~3;
  const nnz = rows.offsets[m];
  const [pOff, pCol, pConf, pF, pP, pG, pLam, pW] = layout(x, [(m + 1) * 4, nnz * 4, nnz * 4, n * dp * 4, m * dp * 4, dp * dp * 4, m * 4, 3 * dp * 4]);
  const mem = x.memory.buffer;
  new Int32Array(mem, pOff, m + 1).set(rows.offsets.subarray(0, m + 1));
  new Int32Array(mem, pCol, nnz).set(rows.cols.subarray(0, nnz));
  f32(x, pConf, nnz).set(rows.vals.subarray(0, nnz));
  const f = f32(x, pF, n * dp);
  const p = f32(x, pP, m * dp);
  if (d !== dp) { f.fill(0); p.fill(0); }
  pad(other, n, d, dp, f);
  pad(self, m, d, dp, p);
  f32(x, pLam, m).set(lambda.subarray(0, m));
  x.gram(pF, n, dp, pG);
  // In slices, so that rows after the first slice run V8's optimised tier of the kernel (a
  // running wasm call never leaves the baseline tier it started in).
  for (let u = 0; u < m; u += ALS_SLICE) {
    x.alsCG(pOff + 4 * u, pCol, pConf, pF, pP + 4 * dp * u, Math.min(ALS_SLICE, m - u), dp, pG, pLam + 4 * u, steps, pW);
  }
  if (d === dp) self.set(p);
  else for (let r = 0; r < m; r++) self.set(p.subarray(r * dp, r * dp + d), r * d);
  done(x);
}

export const wasmKernels: Kernels = { name: 'wasm', gemmTopK, topK, cholesky, choleskySolve, foldIn, gemm, easeWeights, alsHalfStep };

/** The wasm kernels when this runtime has WebAssembly SIMD and the binary is built, else the TS ones. */
export function bestKernels(): Kernels {
  try {
    exports();
    return wasmKernels;
  } catch {
    return referenceKernels;
  }
}
