// A learned closed-form sequential linear model (the idea of SLIT, Choi et al. 2021): ridge
// regression from what a user saw just before position t to what they take at t.
// Source row x_t: items t−1, t−2, … t−seqWindow, weighted 1, seqDecay, seqDecay², …
// Target row y_t: items t, t+1, … t+seqTargets−1, weighted 1, seqTargetDecay, …
// B = (XᵀX + λI)⁻¹·XᵀY, and a user is scored with x built from their latest items in the same way,
// as x·B. Unlike counted transitions, the regression weighs each earlier item against the others
// it came with, so a context of several items is explained jointly.
// The inverse P comes from the EASE kernel, which returns E = I − P·diag(1/diag P): P = (I − E)·D
// with D = diag(P), and (G + λI)·P = I gives 1/D_j = [(G + λI)(I − E)]_jj. Hence
// B = D·M − E·(D·M) (M = XᵀY, rows scaled by D): one O(n³) factorisation and one GEMM.
import type { Sequences, SideData } from '../data.js';
import type { Artifact } from '../artifact.js';
import { bestKernels } from '../kernels/wasm.js';
import type { Model, Recipe } from './model.js';

const VERSION = 1;

export interface SlitParams {
  /** How many earlier items form the context (source). */
  seqWindow: number;
  /** Weight ratio of each older context item to the next newer one. */
  seqDecay: number;
  /** L2 regularisation of the regression. */
  seqLambda: number;
  /** How many following items are targets of one context (the next one weighs 1). */
  seqTargets: number;
  /** Weight ratio of each later target to the one before it. */
  seqTargetDecay: number;
}

export class Slit implements Model {
  readonly recipe = 'sequential-linear';
  constructor(readonly nItems: number, readonly b: Float32Array, readonly params: SlitParams) {}
  score(history: Int32Array, out: Float32Array): void {
    const n = this.nItems;
    const { seqWindow, seqDecay } = this.params;
    out.fill(0);
    let w = 1;
    for (let k = 1; k <= seqWindow && k <= history.length; k++, w *= seqDecay) {
      const i = history[history.length - k];
      const row = this.b.subarray(i * n, i * n + n);
      for (let j = 0; j < n; j++) out[j] += w * row[j];
    }
  }
  toArtifact(): Artifact {
    return { recipe: this.recipe, version: VERSION, params: { ...this.params }, arrays: { b: this.b } };
  }
}

/** G = XᵀX into `g` and M = XᵀY into `m` (both zeroed n×n), over every position of every user. */
export function sequenceGrams(data: Sequences, params: SlitParams, g: Float32Array, m: Float32Array): void {
  const n = data.nItems;
  const { seqWindow, seqDecay, seqTargets, seqTargetDecay } = params;
  const src = new Int32Array(seqWindow);
  const wt = new Float32Array(seqWindow);
  for (let u = 0; u < data.nUsers; u++) {
    const first = data.offsets[u];
    const end = data.offsets[u + 1];
    for (let t = first + 1; t < end; t++) {
      let c = 0;
      for (let k = 1, w = 1; k <= seqWindow && t - k >= first; k++, w *= seqDecay) { src[c] = data.items[t - k]; wt[c++] = w; }
      for (let a = 0; a < c; a++) {
        const row = src[a] * n;
        for (let b = 0; b < c; b++) g[row + src[b]] += wt[a] * wt[b];
        for (let k = 0, f = wt[a]; k < seqTargets && t + k < end; k++, f *= seqTargetDecay) m[row + data.items[t + k]] += f;
      }
    }
  }
}

export const slit: Recipe<SlitParams> = {
  version: VERSION,
  // Chosen on ML-1M's leave-last-out validation split (second-to-last item), never its test item.
  defaults: { seqWindow: 20, seqDecay: 0.85, seqLambda: 100, seqTargets: 3, seqTargetDecay: 0.5 },
  train(data: Sequences, params, side?: SideData) {
    const n = data.nItems;
    const { seqLambda: lambda } = params;
    const g = new Float32Array(n * n);
    const dm = new Float32Array(n * n);
    sequenceGrams(data, params, g, dm);
    side?.onProgress?.('training', 0.1);
    const e = bestKernels().easeWeights(n, lambda, (into) => into.set(g));
    side?.onProgress?.('training', 0.7);
    for (let j = 0; j < n; j++) {
      let s = g[j * n + j] + lambda;
      for (let k = 0; k < n; k++) s -= g[j * n + k] * e[k * n + j];
      const d = 1 / s;
      for (let c = j * n; c < j * n + n; c++) dm[c] *= d;
    }
    const b = dm.slice();
    bestKernels().gemm(n, n, n, -1, e, n, false, dm, n, false, b, n);
    side?.onProgress?.('training', 1);
    return new Slit(n, b, { ...params });
  },
  load: (a) => new Slit(Math.round(Math.sqrt(a.arrays.b.length)), a.arrays.b as Float32Array, a.params as unknown as SlitParams),
};
