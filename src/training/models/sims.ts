// aws-sims: item-to-item similarity from co-occurrence in user histories. Two items are similar in
// proportion to the users who interacted with both, discounted by popularity:
// sim(i, j) = c(i, j) / (n(i) · n(j))^popularity_discount_factor (0.5 is the cosine). Each item
// keeps its best `neighbours` (CSR), so memory is O(items · neighbours) however large the catalogue.
// The neighbour model (Neighbours) is shared by the other related-items recipes.
import type { SideData, Sequences } from '../data.js';
import type { Artifact } from '../artifact.js';
import type { Model, Recipe } from './model.js';
import { popularity } from './popularity.js';

const VERSION = 1;

/** How a user history is scored from item neighbours: its newest `recentItems` distinct items, the newest weighing 1, each older `recencyDecay` times the next. */
export interface NeighbourScoring {
  recentItems: number;
  recencyDecay: number;
}

export interface SimsParams extends NeighbourScoring {
  /** 0: popular items stay as neighbours; towards 1: they are discounted more. */
  popularity_discount_factor: number;
  /** Fewest users two items must share to be neighbours. */
  min_cointeraction_count: number;
  /** Users whose history length is below this percentile (or above the max one) are left out. */
  min_user_history_length_percentile: number;
  max_user_history_length_percentile: number;
  /** Neighbours kept per item. */
  neighbours: number;
}

/**
 * Items with their best neighbours (row values scaled so each row's best is 1), falling back to
 * popularity: a history or item with no neighbours gets the popular items, and popularity breaks
 * ties below any neighbour (its weight is under the smallest neighbour contribution).
 */
export class Neighbours implements Model {
  private readonly fallback: Float32Array;
  private readonly seen: Uint8Array;
  constructor(readonly recipe: string, readonly rowStart: Int32Array, readonly cols: Int32Array, readonly vals: Float32Array,
    readonly counts: Float32Array, readonly params: NeighbourScoring) {
    let minVal = 1;
    for (const v of vals) if (v > 0 && v < minVal) minVal = v;
    let maxCount = 0;
    for (const c of counts) if (c > maxCount) maxCount = c;
    const weakest = minVal * Math.pow(params.recencyDecay, Math.max(0, params.recentItems - 1));
    const f = maxCount > 0 ? (0.5 * weakest) / maxCount : 0;
    this.fallback = counts.map((c) => c * f);
    this.seen = new Uint8Array(counts.length);
  }
  get nItems() { return this.counts.length; }
  similar(item: number, out: Float32Array): void {
    out.set(this.fallback);
    if (item >= 0 && item < this.nItems) this.addRow(item, 1, out);
  }
  score(history: Int32Array, out: Float32Array): void {
    out.set(this.fallback);
    let w = 1;
    let used = 0;
    // Newest first; a repeated item counts once, at its most recent weight.
    for (let p = history.length - 1; p >= 0 && used < this.params.recentItems; p--) {
      const i = history[p];
      if (i < 0 || i >= this.nItems || this.seen[i]) continue;
      this.seen[i] = 1;
      this.addRow(i, w, out);
      w *= this.params.recencyDecay;
      used++;
    }
    for (const i of history) if (i >= 0 && i < this.nItems) this.seen[i] = 0;
  }
  private addRow(i: number, w: number, out: Float32Array): void {
    for (let e = this.rowStart[i]; e < this.rowStart[i + 1]; e++) out[this.cols[e]] += w * this.vals[e];
  }
  toArtifact(): Artifact {
    return {
      recipe: this.recipe, version: VERSION, params: { ...this.params },
      arrays: { rowStart: this.rowStart, cols: this.cols, vals: this.vals, counts: this.counts },
    };
  }
  static load(a: Artifact): Neighbours {
    return new Neighbours(a.recipe, a.arrays.rowStart as Int32Array, a.arrays.cols as Int32Array, a.arrays.vals as Float32Array,
      a.arrays.counts as Float32Array, a.params as unknown as NeighbourScoring);
  }
}
export const NEIGHBOURS_VERSION = VERSION;

/**
 * Fills one item's similarity row: adds a value for each similar item j into `acc` (dense, zero on
 * entry), lists the j it touched in `touched`, and returns how many.
 */
export type RowFn = (i: number, acc: Float32Array, touched: Int32Array) => number;

/** Grows typed CSR arrays row by row. */
class CsrBuilder {
  readonly rowStart: Int32Array;
  private cols = new Int32Array(1024);
  private vals = new Float32Array(1024);
  private size = 0;
  constructor(rows: number) { this.rowStart = new Int32Array(rows + 1); }
  push(col: number, val: number): void {
    if (this.size === this.cols.length) {
      const cols = new Int32Array(this.size * 2); cols.set(this.cols); this.cols = cols;
      const vals = new Float32Array(this.size * 2); vals.set(this.vals); this.vals = vals;
    }
    this.cols[this.size] = col;
    this.vals[this.size++] = val;
  }
  endRow(i: number): void { this.rowStart[i + 1] = this.size; }
  done() { return { rowStart: this.rowStart, cols: this.cols.slice(0, this.size), vals: this.vals.slice(0, this.size) }; }
}

/** The k-th largest of a[0..n) (quickselect; reorders `a`). */
function kthLargest(a: Float32Array, n: number, k: number): number {
  let lo = 0, hi = n - 1;
  const want = k - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (want <= j) hi = j; else if (want >= i) lo = i; else break;
  }
  return a[want];
}

/**
 * Runs `row` for every item and keeps each row's `keep` largest non-zero values by magnitude
 * (ties: first touched), divided by the row's largest magnitude unless `scale` is false.
 */
export function topRows(n: number, keep: number, row: RowFn, opts: { onProgress?: SideData['onProgress']; scale?: boolean } = {}) {
  // Parameters may arrive fractional (from a search) or out of range.
  const k = Math.max(0, Math.floor(keep)) || 0;
  const acc = new Float32Array(n);
  const touched = new Int32Array(n);
  const scratch = new Float32Array(n);
  const out = new CsrBuilder(n);
  const step = Math.max(1, n >>> 5);
  for (let i = 0; i < n; i++) {
    const t = row(i, acc, touched);
    let kept = 0;
    for (let x = 0; x < t; x++) if (acc[touched[x]] !== 0) scratch[kept++] = Math.abs(acc[touched[x]]);
    let threshold = 0;
    let ties = kept;
    if (k === 0) threshold = Infinity;
    else if (kept > k) {
      threshold = kthLargest(scratch, kept, k);
      // How many entries equal to the threshold may still go in.
      ties = k;
      for (let x = 0; x < kept; x++) if (scratch[x] > threshold) ties--;
    }
    let max = 0;
    for (let x = 0; x < t; x++) max = Math.max(max, Math.abs(acc[touched[x]]));
    const f = opts.scale === false || max === 0 ? 1 : 1 / max;
    for (let x = 0; x < t; x++) {
      const j = touched[x];
      const v = acc[j];
      const m = Math.abs(v);
      acc[j] = 0;
      if (v === 0 || m < threshold || (kept > k && m === threshold && ties-- <= 0)) continue;
      out.push(j, v * f);
    }
    out.endRow(i);
    if (opts.onProgress && i % step === 0) opts.onProgress('training', i / n);
  }
  opts.onProgress?.('training', 1);
  return out.done();
}

/** Distinct items of each user, and each item's users, as CSR; users `keep` rejects are left out. */
export function incidence(data: Sequences, keep: (u: number) => boolean = () => true) {
  const n = data.nItems;
  const mark = new Int32Array(n).fill(-1);
  const userStart = new Int32Array(data.nUsers + 1);
  const userItems = new Int32Array(data.items.length);
  const itemStart = new Int32Array(n + 1);
  let at = 0;
  for (let u = 0; u < data.nUsers; u++) {
    if (keep(u)) {
      for (let p = data.offsets[u]; p < data.offsets[u + 1]; p++) {
        const i = data.items[p];
        if (i < 0 || i >= n || mark[i] === u) continue;
        mark[i] = u;
        userItems[at++] = i;
        itemStart[i + 1]++;
      }
    }
    userStart[u + 1] = at;
  }
  for (let i = 0; i < n; i++) itemStart[i + 1] += itemStart[i];
  const fill = itemStart.slice(0, n);
  const itemUsers = new Int32Array(at);
  for (let u = 0; u < data.nUsers; u++) {
    for (let p = userStart[u]; p < userStart[u + 1]; p++) itemUsers[fill[userItems[p]]++] = u;
  }
  return { userStart, userItems: userItems.slice(0, at), itemStart, itemUsers };
}

/** Users whose distinct-history length lies within the given percentiles of all non-empty ones. */
function historyFilter(data: Sequences, minP: number, maxP: number): (u: number) => boolean {
  const len = (u: number) => data.offsets[u + 1] - data.offsets[u];
  const lengths = Int32Array.from({ length: data.nUsers }, (_, u) => len(u)).filter((l) => l > 0).sort();
  if (lengths.length === 0) return () => false;
  const at = (p: number, round: (x: number) => number) => lengths[Math.min(lengths.length - 1, Math.max(0, round(p * (lengths.length - 1))))];
  const lo = at(minP, Math.floor);
  const hi = at(maxP, Math.ceil);
  return (u) => len(u) >= lo && len(u) <= hi;
}

/**
 * The co-occurrence similarity as a RowFn over the users the percentiles keep: c(i, j) counted
 * once per user, pairs below `min_cointeraction_count` dropped, the rest discounted by popularity.
 */
export function cooccurrence(data: Sequences, params: Omit<SimsParams, keyof NeighbourScoring | 'neighbours'>): RowFn {
  const inc = incidence(data, historyFilter(data, params.min_user_history_length_percentile, params.max_user_history_length_percentile));
  const d = params.popularity_discount_factor;
  const minCount = Math.max(1, params.min_cointeraction_count);
  const discount = Float32Array.from({ length: data.nItems }, (_, i) => Math.pow(Math.max(1, inc.itemStart[i + 1] - inc.itemStart[i]), -d));
  return (i, acc, touched) => {
    let t = 0;
    for (let e = inc.itemStart[i]; e < inc.itemStart[i + 1]; e++) {
      const u = inc.itemUsers[e];
      for (let p = inc.userStart[u]; p < inc.userStart[u + 1]; p++) {
        const j = inc.userItems[p];
        if (j === i) continue;
        if (acc[j] === 0) touched[t++] = j;
        acc[j]++;
      }
    }
    for (let x = 0; x < t; x++) {
      const j = touched[x];
      acc[j] = acc[j] < minCount ? 0 : acc[j] * discount[i] * discount[j];
    }
    return t;
  };
}

/** Distinct users per item (what popularity falls back to). */
export function userCounts(data: Sequences): Float32Array {
  const counts = new Float32Array(data.nItems);
  popularity.train(data, {}).score(new Int32Array(0), counts);
  return counts;
}

export const sims: Recipe<SimsParams> = {
  version: VERSION,
  // Personalize's defaults for the SIMS hyperparameters; the scoring ones are this engine's.
  defaults: {
    popularity_discount_factor: 0.5, min_cointeraction_count: 3,
    min_user_history_length_percentile: 0.005, max_user_history_length_percentile: 0.995,
    neighbours: 100, recentItems: 20, recencyDecay: 0.8,
  },
  train: trainSims,
  load: Neighbours.load,
};

export function trainSims(data: Sequences, params: SimsParams, side?: SideData): Neighbours {
  const rows = topRows(data.nItems, params.neighbours, cooccurrence(data, params), { onProgress: side?.onProgress });
  return new Neighbours('aws-sims', rows.rowStart, rows.cols, rows.vals, userCounts(data), { ...params });
}
