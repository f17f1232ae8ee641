// Item transitions: how often item j follows item i within `window` later positions of a user's
// sequence (weight 1/distance^distancePower), kept sparse (CSR); each source item's row is divided
// by (its total weight)^rowNorm, between raw counts (0) and conditional probabilities (1). A user is scored from their last `history`
// items, the most recent weighted 1 and each older one `decay` times the next; each target item's
// score is divided by (its user count + 1)^beta, so popular items do not crowd out specific ones.
import type { Sequences } from '../data.js';
import type { Artifact } from '../artifact.js';
import type { Model, Recipe } from './model.js';
import { popularity } from './popularity.js';

const VERSION = 1;

export interface TransitionParams {
  window: number;
  history: number;
  decay: number;
  beta: number;
  distancePower: number;
  rowNorm: number;
}

class Transition implements Model {
  readonly recipe = 'item-transition';
  /** 1 / (user count + 1)^beta per item. */
  private readonly damp: Float32Array;
  constructor(readonly nItems: number, readonly rowStart: Int32Array, readonly cols: Int32Array, readonly vals: Float32Array,
    readonly counts: Float32Array, readonly params: TransitionParams) {
    this.damp = counts.map((c) => Math.pow(c + 1, -params.beta));
  }
  score(history: Int32Array, out: Float32Array): void {
    out.fill(0);
    let w = 1;
    const stop = Math.max(0, history.length - this.params.history);
    for (let p = history.length - 1; p >= stop; p--, w *= this.params.decay) {
      const i = history[p];
      for (let e = this.rowStart[i]; e < this.rowStart[i + 1]; e++) out[this.cols[e]] += w * this.vals[e];
    }
    if (this.params.beta !== 0) for (let j = 0; j < out.length; j++) out[j] *= this.damp[j];
  }
  toArtifact(): Artifact {
    return {
      recipe: this.recipe, version: VERSION, params: { ...this.params },
      arrays: { rowStart: this.rowStart, cols: this.cols, vals: this.vals, counts: this.counts },
    };
  }
}

export const transition: Recipe<TransitionParams> = {
  version: VERSION,
  defaults: { window: 10, history: 10, decay: 0.5, beta: 0, distancePower: 1, rowNorm: 0 },
  train(data, params) {
    const n = data.nItems;
    const w = params.window;
    // Pairs bucketed by source item (counting sort), then merged per row with a dense accumulator.
    const start = new Int32Array(n + 1);
    const weights = Float32Array.from({ length: w + 1 }, (_, k) => Math.pow(k, -params.distancePower));
    const each = (f: (src: number, dst: number, weight: number) => void) => {
      for (let u = 0; u < data.nUsers; u++) {
        const end = data.offsets[u + 1];
        for (let p = data.offsets[u]; p < end; p++) {
          for (let k = 1; k <= w && p + k < end; k++) f(data.items[p], data.items[p + k], weights[k]);
        }
      }
    };
    each((src) => start[src + 1]++);
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const fill = start.slice(0, n);
    const dst = new Int32Array(start[n]);
    const wt = new Float32Array(start[n]);
    each((src, d, weight) => { dst[fill[src]] = d; wt[fill[src]++] = weight; });
    const acc = new Float32Array(n);
    const touched = new Int32Array(n);
    const rowStart = new Int32Array(n + 1);
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let e = start[i]; e < start[i + 1]; e++) {
        if (acc[dst[e]] === 0) touched[t++] = dst[e];
        acc[dst[e]] += wt[e];
      }
      const row = touched.subarray(0, t).sort();
      let total = 0;
      for (const j of row) total += acc[j];
      const f = total > 0 ? Math.pow(total, -params.rowNorm) : 0;
      for (const j of row) { cols.push(j); vals.push(acc[j] * f); acc[j] = 0; }
      rowStart[i + 1] = cols.length;
    }
    const counts = new Float32Array(n);
    popularity.train(data, {}).score(new Int32Array(0), counts);
    return new Transition(n, rowStart, Int32Array.from(cols), Float32Array.from(vals), counts, { ...params });
  },
  load: (a) => new Transition(
    (a.arrays.rowStart.length - 1), a.arrays.rowStart as Int32Array, a.arrays.cols as Int32Array, a.arrays.vals as Float32Array,
    a.arrays.counts as Float32Array, a.params as unknown as TransitionParams),
};
