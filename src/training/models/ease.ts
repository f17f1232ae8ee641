// EASE^R (Steck 2019): an item-item weight matrix in closed form, B = I − P·diag(1/diag(P)) with
// P = (XᵀX + λI)⁻¹ and a zero diagonal. A user's scores are the sum of B's rows over their items.
// The inverse is O(n³) and needs 2·n²·8 bytes of wasm memory, hence MAX_ITEMS.
import type { Sequences } from '../data.js';
import type { Artifact } from '../artifact.js';
import { bestKernels } from '../kernels/wasm.js';
import type { Model, Recipe } from './model.js';

const VERSION = 1;
/** Largest catalogue trained densely: peak memory is about 36·n² bytes (3.6 GB at 10k items). */
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

/** XᵀX of the binary user-item matrix (each user's distinct items), dense f64. */
export function gram(data: Sequences): Float64Array {
  const n = data.nItems;
  const g = new Float64Array(n * n);
  const mark = new Int32Array(n).fill(-1);
  for (let u = 0; u < data.nUsers; u++) {
    const distinct: number[] = [];
    for (let p = data.offsets[u]; p < data.offsets[u + 1]; p++) {
      const i = data.items[p];
      if (mark[i] !== u) { mark[i] = u; distinct.push(i); }
    }
    distinct.sort((a, b) => a - b);
    for (let x = 0; x < distinct.length; x++) {
      const row = distinct[x] * n;
      for (let y = x; y < distinct.length; y++) g[row + distinct[y]]++;
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) g[j * n + i] = g[i * n + j];
  return g;
}

export const ease: Recipe<EaseParams> = {
  version: VERSION,
  defaults: { lambda: 500, recencyDecay: 1, recencyFloor: 1 },
  train(data, params, side) {
    const n = data.nItems;
    if (n > EASE_MAX_ITEMS) throw new RangeError(`EASE handles at most ${EASE_MAX_ITEMS} items, not ${n}`);
    const g = gram(data);
    for (let i = 0; i < n; i++) g[i * n + i] += params.lambda;
    // The inverse is one kernel call, nearly all of the work: progress can only mark its ends.
    side?.onProgress?.('training', 0.05);
    const p = bestKernels().spdInverse(g, n);
    side?.onProgress?.('training', 0.95);
    const b = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : -p[i * n + j] / p[j * n + j];
    }
    side?.onProgress?.('training', 1);
    return new Ease(n, b, { ...params });
  },
  load: (a) => new Ease(Math.round(Math.sqrt(a.arrays.b.length)), a.arrays.b as Float32Array, a.params as unknown as EaseParams),
};
