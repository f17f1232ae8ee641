// Plain-TS kernels: the same results as assembly/, written for clarity (f64 where the wasm is f32
// and blocked, so they also measure its accuracy). Tests hold the wasm kernels to these.
import { bitsetWords, NotPositiveDefinite, type Csr, type Kernels, type TopK } from './types.js';

/** A bounded min-heap of (score, item): keeps the k best; ties prefer the lower item. */
class Best {
  private size = 0;
  constructor(private readonly s: Float32Array, private readonly i: Int32Array, private readonly k: number) {}

  private worse(a: number, b: number): boolean {
    return this.s[a] < this.s[b] || (this.s[a] === this.s[b] && this.i[a] > this.i[b]);
  }

  private swap(a: number, b: number): void {
    const s = this.s[a]; this.s[a] = this.s[b]; this.s[b] = s;
    const i = this.i[a]; this.i[a] = this.i[b]; this.i[b] = i;
  }

  private down(p: number, size: number): void {
    for (;;) {
      const l = 2 * p + 1;
      if (l >= size) return;
      const c = l + 1 < size && this.worse(l + 1, l) ? l + 1 : l;
      if (!this.worse(c, p)) return;
      this.swap(c, p);
      p = c;
    }
  }

  offer(score: number, item: number): void {
    const { s, i, k } = this;
    if (this.size < k) {
      let c = this.size++;
      s[c] = score; i[c] = item;
      while (c > 0 && this.worse(c, (c - 1) >> 1)) {
        this.swap(c, (c - 1) >> 1);
        c = (c - 1) >> 1;
      }
    } else if (k > 0 && (s[0] < Math.fround(score) || (s[0] === Math.fround(score) && i[0] > item))) {
      s[0] = score; i[0] = item;
      this.down(0, k);
    }
  }

  /** Sorts best first and pads unfilled slots. */
  finish(): void {
    for (let n = this.size - 1; n > 0; n--) {
      this.swap(0, n);
      this.down(0, n);
    }
    this.s.fill(-Infinity, this.size);
    this.i.fill(-1, this.size);
  }
}

const skip = (x: Uint32Array | undefined, words: number, row: number, item: number) =>
  x !== undefined && ((x[row * words + (item >>> 5)] >>> (item & 31)) & 1) === 1;

function gemmTopK(users: Float32Array, items: Float32Array, b: number, n: number, d: number, k: number, exclude?: Uint32Array): TopK {
  const out = { items: new Int32Array(b * k), scores: new Float32Array(b * k) };
  const words = bitsetWords(n);
  for (let u = 0; u < b; u++) {
    const best = new Best(out.scores.subarray(u * k, u * k + k), out.items.subarray(u * k, u * k + k), k);
    for (let j = 0; j < n; j++) {
      if (skip(exclude, words, u, j)) continue;
      let s = 0;
      for (let c = 0; c < d; c++) s += users[u * d + c] * items[j * d + c];
      best.offer(s, j);
    }
    best.finish();
  }
  return out;
}

function topK(scores: Float32Array, b: number, n: number, k: number, exclude?: Uint32Array): TopK {
  const out = { items: new Int32Array(b * k), scores: new Float32Array(b * k) };
  const words = bitsetWords(n);
  for (let u = 0; u < b; u++) {
    const best = new Best(out.scores.subarray(u * k, u * k + k), out.items.subarray(u * k, u * k + k), k);
    for (let j = 0; j < n; j++) if (!skip(exclude, words, u, j)) best.offer(scores[u * n + j], j);
    best.finish();
  }
  return out;
}

function cholesky(a: Float64Array, n: number): number {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let c = 0; c < j; c++) s -= a[i * n + c] * a[j * n + c];
      if (j < i) a[i * n + j] = s / a[j * n + j];
      else if (!(s > 0)) return i + 1;
      else a[i * n + i] = Math.sqrt(s);
    }
  }
  return 0;
}

function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let c = 0; c < i; c++) s -= l[i * n + c] * b[c];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let c = i + 1; c < n; c++) s -= l[c * n + i] * b[c];
    b[i] = s / l[i * n + i];
  }
}

function foldIn(gram: Float64Array, d: number, rows: Float32Array, confidence: Float64Array, h: number, lambda: number, out: Float64Array): boolean {
  const a = gram.slice(0, d * d);
  out.fill(0, 0, d);
  for (let k = 0; k < h; k++) {
    const c = confidence[k];
    const o = k * d;
    for (let x = 0; x < d; x++) {
      const yx = rows[o + x];
      out[x] += c * yx;
      const w = (c - 1) * yx;
      for (let z = 0; z <= x; z++) a[x * d + z] += w * rows[o + z];
    }
  }
  for (let x = 0; x < d; x++) a[x * d + x] += lambda;
  if (cholesky(a, d) !== 0) return false;
  choleskySolve(a, d, out);
  return true;
}

/** The full inverse of an SPD n×n matrix (a is destroyed). Throws NotPositiveDefinite. */
export function spdInverse(a: Float64Array, n: number): Float64Array {
  const bad = cholesky(a, n);
  if (bad) throw new NotPositiveDefinite(bad - 1);
  // M = L⁻¹ (lower), then P = Mᵀ·M.
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const f = a[i * n + k];
      for (let c = 0; c <= k; c++) m[i * n + c] -= f * m[k * n + c];
    }
    m[i * n + i] += 1;
    for (let c = 0; c <= i; c++) m[i * n + c] /= a[i * n + i];
  }
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += m[k * n + i] * m[k * n + j];
      p[i * n + j] = s;
      p[j * n + i] = s;
    }
  }
  return p;
}

function gemm(m: number, n: number, k: number, alpha: number, a: Float32Array, lda: number, transA: boolean, b: Float32Array, ldb: number, transB: boolean, c: Float32Array, ldc: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[transA ? p * lda + i : i * lda + p] * b[transB ? j * ldb + p : p * ldb + j];
      c[i * ldc + j] += alpha * s;
    }
  }
}

function easeWeights(n: number, lambda: number, fill: (g: Float32Array) => void): Float32Array {
  const g = new Float32Array(n * n);
  fill(g);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = g[i * n + j];
  for (let i = 0; i < n; i++) a[i * n + i] += lambda;
  const p = spdInverse(a, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i * n + j] = i === j ? 0 : -p[i * n + j] / p[j * n + j];
  return g;
}

function alsHalfStep(rows: Csr, other: Float32Array, n: number, self: Float32Array, m: number, d: number, lambda: Float32Array, steps: number): void {
  const g = new Float32Array(d * d);
  for (let j = 0; j < n; j++) {
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) g[a * d + b] += other[j * d + a] * other[j * d + b];
  }
  const dot = (x: Float32Array, y: Float32Array) => { let s = 0; for (let c = 0; c < d; c++) s += x[c] * y[c]; return s; };
  const row = (j: number) => other.subarray(j * d, j * d + d);
  const r = new Float32Array(d), p = new Float32Array(d), ap = new Float32Array(d);
  for (let u = 0; u < m; u++) {
    const x = self.subarray(u * d, u * d + d);
    const [s, e] = [rows.offsets[u], rows.offsets[u + 1]];
    // out = (G + λI + Σ (c − 1)·f·fᵀ)·v
    const apply = (v: Float32Array, out: Float32Array) => {
      for (let a = 0; a < d; a++) { let t = lambda[u] * v[a]; for (let b = 0; b < d; b++) t += g[a * d + b] * v[b]; out[a] = t; }
      for (let k = s; k < e; k++) {
        const f = row(rows.cols[k]);
        const w = (rows.vals[k] - 1) * dot(f, v);
        for (let c = 0; c < d; c++) out[c] += w * f[c];
      }
    };
    apply(x, ap);
    r.fill(0);
    for (let k = s; k < e; k++) { const f = row(rows.cols[k]); for (let c = 0; c < d; c++) r[c] += rows.vals[k] * f[c]; }
    for (let c = 0; c < d; c++) r[c] -= ap[c];
    p.set(r);
    let rs = dot(r, r);
    for (let t = 0; t < steps && rs >= 1e-20; t++) {
      apply(p, ap);
      const a = rs / dot(p, ap);
      for (let c = 0; c < d; c++) { x[c] += a * p[c]; r[c] -= a * ap[c]; }
      const next = dot(r, r);
      for (let c = 0; c < d; c++) p[c] = r[c] + (next / rs) * p[c];
      rs = next;
    }
  }
}

export const referenceKernels: Kernels = { name: 'ts', gemmTopK, topK, cholesky, choleskySolve, foldIn, gemm, easeWeights, alsHalfStep };
