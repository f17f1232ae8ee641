// aws-next-best-action: the actions a user is most likely to take next, scored as probabilities.
// Items are actions; the interactions are the TAKEN action interactions, and the NOT_TAKEN and
// VIEWED ones (actions shown without a take, when the dataset has them) come as `notTaken` in the
// side data, grouped the same way.
// - Take rate of action a: takers(a) / exposed(a), exposed = users with any event for a (every
//   active user when there are no NOT_TAKEN or VIEWED events), shrunk towards the overall rate
//   by `smoothing` pseudo-users.
// - Given a previous action b: among users who took b, the share who then took a, out of those
//   exposed to a afterwards (all takers of b without NOT_TAKEN events), shrunk towards a's rate.
// A user's score for a is the recency-weighted mean of the conditional rates over their latest
// actions (the overall rate with no history). Excluding actions already taken is the caller's.
import type { Artifact } from '../artifact.js';
import type { Sequences, SideData } from '../data.js';
import type { Model, Recipe } from './model.js';
import { topRows, type RowFn } from './sims.js';

const VERSION = 1;

export interface NextBestActionParams {
  /** Pseudo-users pulling a rate towards its prior (the overall rate, or the action's own rate). */
  smoothing: number;
  /** How many of the user's latest distinct actions condition the score; the newest weighs 1, each older `recencyDecay` times the next. */
  recentActions: number;
  recencyDecay: number;
  /** Conditional rates kept per previous action (those that differ most from the default). */
  neighbours: number;
}

export interface ActionSideData extends SideData {
  /** Actions shown without a take (NOT_TAKEN and VIEWED events), users and actions indexed as the TAKEN ones. */
  notTaken?: Sequences;
}

class NextBestAction implements Model {
  readonly recipe = 'aws-next-best-action';
  private readonly seen: Uint8Array;
  /**
   * `rate[a]`: a's take rate. After previous action b, a's rate is `keep[b]·rate[a]` plus the
   * stored difference (row b), if any.
   */
  constructor(readonly rate: Float32Array, readonly keep: Float32Array, readonly rowStart: Int32Array, readonly cols: Int32Array,
    readonly vals: Float32Array, readonly params: NextBestActionParams) {
    this.seen = new Uint8Array(rate.length);
  }
  get nItems() { return this.rate.length; }
  score(history: Int32Array, out: Float32Array): void {
    let w = 1, total = 0, kept = 0, used = 0;
    out.fill(0);
    for (let p = history.length - 1; p >= 0 && used < this.params.recentActions; p--) {
      const b = history[p];
      if (b < 0 || b >= this.nItems || this.seen[b]) continue;
      this.seen[b] = 1;
      for (let e = this.rowStart[b]; e < this.rowStart[b + 1]; e++) out[this.cols[e]] += w * this.vals[e];
      kept += w * this.keep[b];
      total += w;
      w *= this.params.recencyDecay;
      used++;
    }
    for (const b of history) if (b >= 0 && b < this.nItems) this.seen[b] = 0;
    if (total === 0) { out.set(this.rate); return; }
    for (let a = 0; a < out.length; a++) out[a] = (out[a] + kept * this.rate[a]) / total;
  }
  toArtifact(): Artifact {
    return {
      recipe: this.recipe, version: VERSION, params: { ...this.params },
      arrays: { rate: this.rate, keep: this.keep, rowStart: this.rowStart, cols: this.cols, vals: this.vals },
    };
  }
}

/** Distinct users per action over a sequence set. */
function userCounts(s: Sequences, n: number, into: Float32Array, mark: Int32Array): void {
  for (let u = 0; u < s.nUsers; u++) {
    for (let p = s.offsets[u]; p < s.offsets[u + 1]; p++) {
      const a = s.items[p];
      if (a >= 0 && a < n && mark[a] !== u) { mark[a] = u; into[a]++; }
    }
  }
}

export const nextBestAction: Recipe<NextBestActionParams> = {
  version: VERSION,
  defaults: { smoothing: 10, recentActions: 5, recencyDecay: 0.5, neighbours: 100 },
  train(data: Sequences, params: NextBestActionParams, side?: ActionSideData) {
    const n = data.nItems;
    const m = params.smoothing;
    // Evaluation and tuning splits renumber users, so the events line up only with the data they
    // were indexed with (those passes do without them).
    const neg = side?.notTaken && side.notTaken.nUsers === data.nUsers && side.notTaken.items.length > 0 ? side.notTaken : undefined;
    const taken = new Float32Array(n);
    const exposed = new Float32Array(n);
    const mark = new Int32Array(n).fill(-1);
    userCounts(data, n, taken, mark);
    let active = 0;
    for (let u = 0; u < data.nUsers; u++) if (data.offsets[u + 1] > data.offsets[u]) active++;
    if (neg) {
      // A user with both a TAKEN and a NOT_TAKEN event for an action counts once.
      mark.fill(-1);
      const both = [data, neg];
      for (let u = 0; u < Math.max(data.nUsers, neg.nUsers); u++) {
        for (const s of both) {
          if (u >= s.nUsers) continue;
          for (let p = s.offsets[u]; p < s.offsets[u + 1]; p++) {
            const a = s.items[p];
            if (a >= 0 && a < n && mark[a] !== u) { mark[a] = u; exposed[a]++; }
          }
        }
      }
    } else exposed.fill(active);
    let sumTaken = 0, sumExposed = 0;
    for (let a = 0; a < n; a++) { sumTaken += taken[a]; sumExposed += exposed[a]; }
    const prior = sumExposed > 0 ? sumTaken / sumExposed : 0;
    const rate = Float32Array.from(taken, (t, a) => (t + m * prior) / (exposed[a] + m));
    // Without NOT_TAKEN events every taker of b was exposed to every a: a's conditional rate
    // without co-takers is rate·m/(takers + m).
    const keep = Float32Array.from(taken, (t) => (neg ? 1 : m / (t + m)));
    const rows = topRows(n, params.neighbours, conditional(data, neg, rate, keep, m), { scale: false, onProgress: side?.onProgress });
    return new NextBestAction(rate, keep, rows.rowStart, rows.cols, rows.vals, { ...params });
  },
  load: (a) => new NextBestAction(a.arrays.rate as Float32Array, a.arrays.keep as Float32Array, a.arrays.rowStart as Int32Array,
    a.arrays.cols as Int32Array, a.arrays.vals as Float32Array, a.params as unknown as NextBestActionParams),
};

/** Row b: each action's conditional rate after b minus its default (keep[b]·rate). */
function conditional(data: Sequences, neg: Sequences | undefined, rate: Float32Array, keep: Float32Array, m: number): RowFn {
  const n = data.nItems;
  // Each action's takers with the position of their first take.
  const start = new Int32Array(n + 1);
  const mark = new Int32Array(n);
  const firstTakes = (f: (a: number, u: number, p: number) => void) => {
    mark.fill(-1);
    for (let u = 0; u < data.nUsers; u++) {
      for (let p = data.offsets[u]; p < data.offsets[u + 1]; p++) {
        const a = data.items[p];
        if (a >= 0 && a < n && mark[a] !== u) { mark[a] = u; f(a, u, p); }
      }
    }
  };
  firstTakes((a) => start[a + 1]++);
  for (let a = 0; a < n; a++) start[a + 1] += start[a];
  const fill = start.slice(0, n);
  const takerUser = new Int32Array(start[n]);
  const takerPos = new Int32Array(start[n]);
  firstTakes((a, u, p) => { const at = fill[a]++; takerUser[at] = u; takerPos[at] = p; });
  const co = new Float32Array(n);
  const exp = new Float32Array(n);
  const stamp = new Int32Array(n).fill(-1);
  let visit = 0;
  return (b, acc, touched) => {
    let t = 0;
    for (let e = start[b]; e < start[b + 1]; e++, visit++) {
      const u = takerUser[e];
      const p0 = takerPos[e];
      for (let p = p0 + 1; p < data.offsets[u + 1]; p++) {
        const a = data.items[p];
        if (a < 0 || a >= n || stamp[a] === visit) continue;
        stamp[a] = visit;
        if (exp[a] === 0) touched[t++] = a;
        co[a]++;
        exp[a]++;
      }
      if (!neg || u >= neg.nUsers) continue;
      const t0 = data.times[p0];
      for (let p = neg.offsets[u]; p < neg.offsets[u + 1]; p++) {
        const a = neg.items[p];
        if (a < 0 || a >= n || neg.times[p] < t0 || stamp[a] === visit) continue;
        stamp[a] = visit;
        if (exp[a] === 0) touched[t++] = a;
        exp[a]++;
      }
    }
    const takers = start[b + 1] - start[b];
    for (let x = 0; x < t; x++) {
      const a = touched[x];
      const cond = (co[a] + m * rate[a]) / ((neg ? exp[a] : takers) + m);
      acc[a] = cond - keep[b] * rate[a];
      co[a] = exp[a] = 0;
    }
    return t;
  };
}
