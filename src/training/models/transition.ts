// Item transitions: how often item j follows item i within `window` later positions of a user's
// sequence (weight 1/distance^distancePower), kept sparse (CSR); each source item's row is divided
// by (its total weight)^rowNorm, between raw counts (0) and conditional probabilities (1). A user is scored from their last `history`
// items, the most recent weighted 1 and each older one `decay` times the next; each target item's
// score is divided by (its user count + 1)^beta, so popular items do not crowd out specific ones.
// Row totals and the horizon (latest interaction seen) are kept so new interactions can be added
// to the counts later without recounting (update.ts).
import type { Sequences, SideData } from '../data.js';
import type { Artifact } from '../artifact.js';
import type { Model, Recipe } from './model.js';
import { addUserCounts, horizonOf } from './popularity.js';

const VERSION = 1;

export interface TransitionParams {
  window: number;
  history: number;
  decay: number;
  beta: number;
  distancePower: number;
  rowNorm: number;
}

/** A row-normalised transition matrix with each row's raw total weight. */
interface Rows {
  rowStart: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
  totals: Float32Array;
}

export class Transition implements Model {
  readonly recipe = 'item-transition';
  /** 1 / (user count + 1)^beta per item. */
  private readonly damp: Float32Array;
  /** `rows.totals` and `horizon` are absent in models from before updates existed. */
  constructor(readonly nItems: number, readonly rows: Rows | Omit<Rows, 'totals'>, readonly counts: Float32Array,
    readonly params: TransitionParams & { horizon?: number }) {
    this.damp = counts.map((c) => Math.pow(c + 1, -params.beta));
  }
  score(history: Int32Array, out: Float32Array): void {
    const { rowStart, cols, vals } = this.rows;
    out.fill(0);
    let w = 1;
    const stop = Math.max(0, history.length - this.params.history);
    for (let p = history.length - 1; p >= stop; p--, w *= this.params.decay) {
      const i = history[p];
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) out[cols[e]] += w * vals[e];
    }
    if (this.params.beta !== 0) for (let j = 0; j < out.length; j++) out[j] *= this.damp[j];
  }
  toArtifact(): Artifact {
    return { recipe: this.recipe, version: VERSION, params: { ...this.params }, arrays: { ...this.rows, counts: this.counts } };
  }
}

/**
 * The weighted pairs (item at p → item at q, p < q ≤ p + window) whose later interaction comes
 * after `horizon`, bucketed by source item (counting sort).
 */
function pairs(data: Sequences, params: TransitionParams, horizon: number): { start: Int32Array; dst: Int32Array; wt: Float32Array } {
  const n = data.nItems;
  const w = params.window;
  const start = new Int32Array(n + 1);
  const weights = Float32Array.from({ length: w + 1 }, (_, k) => Math.pow(k, -params.distancePower));
  const each = (f: (src: number, dst: number, weight: number) => void) => {
    for (let u = 0; u < data.nUsers; u++) {
      const first = data.offsets[u];
      for (let q = first + 1; q < data.offsets[u + 1]; q++) {
        if (!(data.times[q] > horizon)) continue;
        for (let k = 1; k <= w && q - k >= first; k++) f(data.items[q - k], data.items[q], weights[k]);
      }
    }
  };
  each((src) => start[src + 1]++);
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const dst = new Int32Array(start[n]);
  const wt = new Float32Array(start[n]);
  each((src, d, weight) => { dst[fill[src]] = d; wt[fill[src]++] = weight; });
  return { start, dst, wt };
}

/** Merges new pairs into `old` rows (raw weights restored from the totals), then normalises each row. */
function merge(n: number, add: ReturnType<typeof pairs>, rowNorm: number, old?: Rows): Rows {
  const acc = new Float32Array(n);
  const touched = new Int32Array(n);
  const rowStart = new Int32Array(n + 1);
  const totals = new Float32Array(n);
  const cols: number[] = [];
  const vals: number[] = [];
  const oldRows = old ? old.rowStart.length - 1 : 0;
  for (let i = 0; i < n; i++) {
    let t = 0;
    let total = 0;
    if (i < oldRows && old!.totals[i] > 0) {
      const raw = Math.pow(old!.totals[i], rowNorm);
      total = old!.totals[i];
      for (let e = old!.rowStart[i]; e < old!.rowStart[i + 1]; e++) { touched[t++] = old!.cols[e]; acc[old!.cols[e]] = old!.vals[e] * raw; }
    }
    for (let e = add.start[i]; e < add.start[i + 1]; e++) {
      if (acc[add.dst[e]] === 0) touched[t++] = add.dst[e];
      acc[add.dst[e]] += add.wt[e];
      total += add.wt[e];
    }
    const row = touched.subarray(0, t).sort();
    const f = total > 0 ? Math.pow(total, -rowNorm) : 0;
    for (const j of row) { cols.push(j); vals.push(acc[j] * f); acc[j] = 0; }
    rowStart[i + 1] = cols.length;
    totals[i] = total;
  }
  return { rowStart, cols: Int32Array.from(cols), vals: Float32Array.from(vals), totals };
}

/** `model` with the interactions of `data` that came after its horizon added to its counts. */
export function addTransitions(model: Transition, data: Sequences): Transition {
  const { horizon } = model.params;
  if (horizon === undefined || !('totals' in model.rows)) throw new RangeError('this transition model predates updates');
  const rows = merge(data.nItems, pairs(data, model.params, horizon), model.params.rowNorm, model.rows);
  return new Transition(data.nItems, rows, addUserCounts(model.counts, data, horizon), { ...model.params, horizon: horizonOf(data) });
}

export const transition: Recipe<TransitionParams> = {
  version: VERSION,
  defaults: { window: 10, history: 10, decay: 0.5, beta: 0, distancePower: 1, rowNorm: 0 },
  train(data, params, side?: SideData) {
    const rows = merge(data.nItems, pairs(data, params, -Infinity), params.rowNorm);
    side?.onProgress?.('training', 1);
    return new Transition(data.nItems, rows, addUserCounts(new Float32Array(0), data, -Infinity), { ...params, horizon: horizonOf(data) });
  },
  load(a) {
    const { rowStart, cols, vals, totals, counts } = a.arrays as Record<string, never>;
    const rows = totals ? { rowStart, cols, vals, totals } : { rowStart, cols, vals };
    return new Transition((a.arrays.rowStart.length - 1), rows, counts, a.params as unknown as TransitionParams & { horizon?: number });
  },
};
