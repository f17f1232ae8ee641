// iALS (Hu, Koren & Volinsky 2008): user and item factors for the implicit-feedback loss
// Σ_all c·(p − x_u·y_i)² + λ_u·|x_u|² + λ_i·|y_i|², where an interacted cell has p = 1 and
// confidence c = 1 + confidence·count, every other cell p = 0 and c = 1. λ of a row is
// reg·(its total confidence + the other side's size)^regExponent (Rendle et al. 2021's frequency
// scaling; 0 gives a plain λ = reg). Training alternates conjugate-gradient half-steps (wasm);
// serving folds a history in with an exact solve against the item factors, so any history, known
// user or not, is scored the same way.
import type { Sequences, SideData } from '../data.js';
import type { Artifact } from '../artifact.js';
import type { Csr } from '../kernels/types.js';
import { bestKernels } from '../kernels/wasm.js';
import { rng } from '../metrics.js';
import type { Model, Recipe } from './model.js';
import { horizonOf } from './popularity.js';

const VERSION = 1;

export interface IalsParams {
  /** Factor dimension (rounded up to a multiple of 4 for the SIMD kernels). */
  dim: number;
  reg: number;
  /** Weight of an observation: confidence 1 + confidence·count. */
  confidence: number;
  /** Exponent of the frequency-scaled regularisation (0: plain reg). */
  regExponent: number;
  iterations: number;
  /** Conjugate-gradient steps per row per half-step, warm-started. */
  cgSteps: number;
  seed: number;
}

/** The interacted cells by user and by item, each with its confidence 1 + confidence·count. */
export function confidences(data: Sequences, confidence: number): { byUser: Csr; byItem: Csr } {
  const users = data.nUsers;
  const count = new Float32Array(data.nItems);
  const touched: number[] = [];
  const offsets = new Int32Array(users + 1);
  const cols = new Int32Array(data.offsets[users]);
  const vals = new Float32Array(cols.length);
  let nnz = 0;
  for (let u = 0; u < users; u++) {
    for (let p = data.offsets[u]; p < data.offsets[u + 1]; p++) {
      const i = data.items[p];
      if (count[i]++ === 0) touched.push(i);
    }
    for (const i of touched) { cols[nnz] = i; vals[nnz++] = 1 + confidence * count[i]; count[i] = 0; }
    touched.length = 0;
    offsets[u + 1] = nnz;
  }
  const byUser = { offsets, cols: cols.subarray(0, nnz), vals: vals.subarray(0, nnz) };
  return { byUser, byItem: transpose(byUser, users, data.nItems) };
}

function transpose(a: Csr, rows: number, cols: number): Csr {
  const offsets = new Int32Array(cols + 1);
  const nnz = a.offsets[rows];
  for (let k = 0; k < nnz; k++) offsets[a.cols[k] + 1]++;
  for (let c = 0; c < cols; c++) offsets[c + 1] += offsets[c];
  const fill = offsets.slice(0, cols);
  const out = { offsets, cols: new Int32Array(nnz), vals: new Float32Array(nnz) };
  for (let r = 0; r < rows; r++) {
    for (let k = a.offsets[r]; k < a.offsets[r + 1]; k++) {
      const at = fill[a.cols[k]]++;
      out.cols[at] = r;
      out.vals[at] = a.vals[k];
    }
  }
  return out;
}

/** λ per row: reg·(row's total confidence + size of the other side)^regExponent. */
export function rowLambdas(a: Csr, rows: number, other: number, p: Pick<IalsParams, 'reg' | 'regExponent'>): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let k = a.offsets[r]; k < a.offsets[r + 1]; k++) total += a.vals[k];
    out[r] = p.reg * Math.pow(total + other, p.regExponent);
  }
  return out;
}

/** FᵀF of n rows of width d, in f64. */
export function gramOf(f: Float32Array, n: number, d: number): Float64Array {
  const g = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let a = 0; a < d; a++) {
      const fa = f[o + a];
      if (fa === 0) continue;
      for (let b = a; b < d; b++) g[a * d + b] += fa * f[o + b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) g[a * d + b] = g[b * d + a];
  return g;
}

/** Small random factors, seeded: uniform with standard deviation 0.1/√d. */
export function randomFactors(rows: number, d: number, seed: number): Float32Array {
  const next = rng(seed);
  const out = new Float32Array(rows * d);
  const half = Math.sqrt(3) * 0.1 / Math.sqrt(d);
  for (let k = 0; k < out.length; k++) out[k] = half * (2 * next() - 1);
  return out;
}

export class Ials implements Model {
  readonly recipe = 'ials';
  readonly itemFactors: { data: Float32Array; dim: number };
  /** The mean user vector: the answer for an empty history (close to popularity). */
  private readonly mean: Float32Array;
  constructor(readonly nItems: number, readonly dim: number, items: Float32Array, readonly users: Float32Array,
    readonly gram: Float64Array, readonly params: IalsParams & { horizon: number }) {
    this.itemFactors = { data: items, dim };
    this.mean = new Float32Array(dim);
    const nUsers = users.length / dim;
    for (let u = 0; u < nUsers; u++) for (let c = 0; c < dim; c++) this.mean[c] += users[u * dim + c] / nUsers;
  }

  /** Exact fold-in: the user row that minimises the loss for this history with the items fixed. */
  userVector(history: Int32Array): Float32Array {
    const d = this.dim;
    const y = this.itemFactors.data;
    const counts = new Map<number, number>();
    // Items the model has not seen (newer than its training) carry no factors and are skipped.
    for (const i of history) if (i >= 0 && i < this.nItems) counts.set(i, (counts.get(i) ?? 0) + 1);
    if (counts.size === 0) return this.mean.slice();
    const h = counts.size;
    const rows = new Float32Array(h * d);
    const confidence = new Float64Array(h);
    let total = 0;
    let k = 0;
    for (const [i, n] of counts) {
      rows.set(y.subarray(i * d, i * d + d), k * d);
      total += confidence[k++] = 1 + this.params.confidence * n;
    }
    const lambda = this.params.reg * Math.pow(total + this.nItems, this.params.regExponent);
    const x = new Float64Array(d);
    if (!bestKernels().foldIn(this.gram, d, rows, confidence, h, lambda, x)) return this.mean.slice();
    return Float32Array.from(x);
  }

  score(history: Int32Array, out: Float32Array): void {
    const v = this.userVector(history);
    const d = this.dim;
    const y = this.itemFactors.data;
    for (let j = 0; j < this.nItems; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += v[c] * y[j * d + c];
      out[j] = s;
    }
  }

  toArtifact(): Artifact {
    return {
      recipe: this.recipe, version: VERSION, params: { ...this.params, dim: this.dim },
      arrays: { items: this.itemFactors.data, users: this.users, gram: this.gram },
    };
  }
}

/** Alternating half-steps from the given factors; reports each iteration's end as a fraction. */
export function alternate(byUser: Csr, byItem: Csr, users: Float32Array, items: Float32Array, nUsers: number, nItems: number, d: number,
  p: IalsParams, iterations: number, progress?: (fraction: number) => void): void {
  const k = bestKernels();
  const lu = rowLambdas(byUser, nUsers, nItems, p);
  const li = rowLambdas(byItem, nItems, nUsers, p);
  for (let it = 0; it < iterations; it++) {
    k.alsHalfStep(byUser, items, nItems, users, nUsers, d, lu, p.cgSteps);
    k.alsHalfStep(byItem, users, nUsers, items, nItems, d, li, p.cgSteps);
    progress?.((it + 1) / iterations);
  }
}

export const ials: Recipe<IalsParams> = {
  version: VERSION,
  // A plain λ: the frequency-scaled one (regExponent 1) was 2% better on ML-1M but grows with the
  // catalogue and shrinks every factor to nothing at 100k users × 100k items.
  defaults: { dim: 64, reg: 0.1, confidence: 3, regExponent: 0, iterations: 10, cgSteps: 3, seed: 1 },
  train(data: Sequences, params: IalsParams, side?: SideData) {
    const d = (Math.max(1, Math.round(params.dim)) + 3) & ~3;
    const p = { ...params, dim: d };
    const { byUser, byItem } = confidences(data, p.confidence);
    const users = randomFactors(data.nUsers, d, p.seed);
    const items = randomFactors(data.nItems, d, p.seed + 1);
    alternate(byUser, byItem, users, items, data.nUsers, data.nItems, d, p, p.iterations, (f) => side?.onProgress?.('training', f));
    return new Ials(data.nItems, d, items, users, gramOf(items, data.nItems, d), { ...p, horizon: horizonOf(data) });
  },
  load(a) {
    const p = a.params as unknown as IalsParams & { horizon: number };
    const items = a.arrays.items as Float32Array;
    return new Ials(items.length / p.dim, p.dim, items, a.arrays.users as Float32Array, a.arrays.gram as Float64Array, p);
  },
};

/** The rows flagged in `changed`, as their own CSR (and the row indexes, in order). */
function pick(a: Csr, changed: Uint8Array): { rows: Int32Array; csr: Csr } {
  const rows = Int32Array.from(changed.keys()).filter((r) => changed[r]);
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, k) => (offsets[k + 1] = offsets[k] + a.offsets[r + 1] - a.offsets[r]));
  const cols = new Int32Array(offsets[rows.length]);
  const vals = new Float32Array(cols.length);
  rows.forEach((r, k) => {
    cols.set(a.cols.subarray(a.offsets[r], a.offsets[r + 1]), offsets[k]);
    vals.set(a.vals.subarray(a.offsets[r], a.offsets[r + 1]), offsets[k]);
  });
  return { rows, csr: { offsets, cols, vals } };
}

/** Re-solves the flagged rows of `self` against `other` (rows gathered, solved, scattered back). */
function resolve(a: Csr, changed: Uint8Array, self: Float32Array, other: Float32Array, nOther: number, d: number, p: IalsParams): void {
  const { rows, csr } = pick(a, changed);
  if (rows.length === 0) return;
  const block = new Float32Array(rows.length * d);
  rows.forEach((r, k) => block.set(self.subarray(r * d, r * d + d), k * d));
  // New rows start from zero, so they get more CG steps than a warm start needs.
  bestKernels().alsHalfStep(csr, other, nOther, block, rows.length, d, rowLambdas(csr, rows.length, nOther, p), 4 * p.cgSteps);
  rows.forEach((r, k) => self.set(block.subarray(k * d, k * d + d), r * d));
}

/**
 * Folds what is new in `data` (interactions after the model's horizon, new users and items; the
 * same indexes as before, extended) into the factors without retraining: the users with new
 * interactions are solved against the fixed items, then the items with new interactions against
 * the users, then those users once more so they see the new items.
 */
export function updateIals(m: Ials, data: Sequences, side?: SideData): Ials {
  const d = m.dim;
  const p = m.params;
  const oldUsers = m.users.length / d;
  const items = new Float32Array(data.nItems * d);
  items.set(m.itemFactors.data.subarray(0, Math.min(m.nItems, data.nItems) * d));
  const users = new Float32Array(data.nUsers * d);
  users.set(m.users.subarray(0, Math.min(oldUsers, data.nUsers) * d));
  const userChanged = new Uint8Array(data.nUsers);
  const itemChanged = new Uint8Array(data.nItems);
  for (let u = 0; u < data.nUsers; u++) {
    for (let q = data.offsets[u]; q < data.offsets[u + 1]; q++) {
      if (u < oldUsers && !(data.times[q] > p.horizon)) continue;
      userChanged[u] = 1;
      itemChanged[data.items[q]] = 1;
    }
  }
  const { byUser, byItem } = confidences(data, p.confidence);
  resolve(byUser, userChanged, users, items, data.nItems, d, p);
  side?.onProgress?.('training', 0.3);
  resolve(byItem, itemChanged, items, users, data.nUsers, d, p);
  side?.onProgress?.('training', 0.6);
  resolve(byUser, userChanged, users, items, data.nItems, d, p);
  side?.onProgress?.('training', 1);
  return new Ials(data.nItems, d, items, users, gramOf(items, data.nItems, d), { ...p, horizon: horizonOf(data) });
}
