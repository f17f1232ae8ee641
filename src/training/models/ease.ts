// EASE^R (Steck 2019): an item-item weight matrix in closed form, B = I − P·diag(1/diag(P)) with
// P = (XᵀX + λI)⁻¹ and a zero diagonal. A user's scores are the sum of B's rows over their items.
// The kernels build B from the Gram matrix in place, in f32: O(n³) time and 8·n² bytes at the
// peak (the kernel's matrix and the copy handed back), hence MAX_ITEMS.
import type { Sequences } from '../data.js';
import type { Artifact } from '../artifact.js';
import { bestKernels } from '../kernels/wasm.js';
import type { Model, Recipe } from './model.js';

const VERSION = 1;
/**
 * Largest catalogue trained densely: training peaks at about 8·n² bytes (800 MB at 10k items), the
 * model holds n²·4, and the f32 inverse runs at about 25 GFLOP/s on one core (n³ flops: ~45 s).
 */
export const EASE_MAX_ITEMS = 10000;

export interface EaseParams {
  /** L2 regularisation added to the Gram matrix's diagonal. */
  lambda: number;
  /**
   * Recency weighting of the history when scoring: the newest item weighs 1, each older one
   * `recencyDecay` times the next, never below `recencyFloor` (1 and 1: plain EASE).
   */
  recencyDecay: number;
  recencyFloor: number;
}

class Ease implements Model {
  readonly recipe = 'ease';
  private readonly seen: Uint8Array;
  constructor(readonly nItems: number, readonly b: Float32Array, readonly params: EaseParams) {
    this.seen = new Uint8Array(nItems);
  }
  score(history: Int32Array, out: Float32Array): void {
    const n = this.nItems;
    const { recencyDecay, recencyFloor } = this.params;
    out.fill(0);
    let w = 1;
    // Newest first, so a repeated item counts once, at its most recent weight.
    for (let p = history.length - 1; p >= 0; p--, w *= recencyDecay) {
      const i = history[p];
      if (this.seen[i]) continue;
      this.seen[i] = 1;
      const f = Math.max(w, recencyFloor);
      const row = this.b.subarray(i * n, i * n + n);
      for (let j = 0; j < n; j++) out[j] += f * row[j];
    }
    for (const i of history) this.seen[i] = 0;
  }
  toArtifact(): Artifact {
    return { recipe: this.recipe, version: VERSION, params: { ...this.params }, arrays: { b: this.b } };
  }
}

/** XᵀX of the binary user-item matrix (each user's distinct items), dense, into `g` (zeroed, n×n). */
export function gram(data: Sequences, g: Float32Array = new Float32Array(data.nItems * data.nItems)): Float32Array {
  const n = data.nItems;
  const mark = new Int32Array(n).fill(-1);
  for (let u = 0; u < data.nUsers; u++) {
    const distinct: number[] = [];
    for (let p = data.offsets[u]; p < data.offsets[u + 1]; p++) {
      const i = data.items[p];
      if (mark[i] !== u) { mark[i] = u; distinct.push(i); }
    }
    distinct.sort((a, b) => a - b);
    // The lower triangle (row-contiguous writes), mirrored above afterwards in cache-sized tiles.
    for (let x = 0; x < distinct.length; x++) {
      const row = distinct[x] * n;
      for (let y = 0; y <= x; y++) g[row + distinct[y]]++;
    }
  }
  const T = 64;
  for (let i0 = 0; i0 < n; i0 += T) {
    for (let j0 = 0; j0 <= i0; j0 += T) {
      for (let i = i0; i < Math.min(n, i0 + T); i++) for (let j = j0; j < Math.min(i, j0 + T); j++) g[j * n + i] = g[i * n + j];
    }
  }
  return g;
}

export const ease: Recipe<EaseParams> = {
  version: VERSION,
  defaults: { lambda: 500, recencyDecay: 1, recencyFloor: 1 },
  train(data, params, side) {
    const n = data.nItems;
    if (n > EASE_MAX_ITEMS) throw new RangeError(`EASE handles at most ${EASE_MAX_ITEMS} items, not ${n}`);
    // One kernel call does nearly all of the work: progress can only mark its ends.
    side?.onProgress?.('training', 0.05);
    const b = bestKernels().easeWeights(n, params.lambda, (g) => gram(data, g));
    side?.onProgress?.('training', 1);
    return new Ease(n, b, { ...params });
  },
  load: (a) => new Ease(Math.round(Math.sqrt(a.arrays.b.length)), a.arrays.b as Float32Array, a.params as unknown as EaseParams),
};
