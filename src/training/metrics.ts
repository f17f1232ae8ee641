// Offline evaluation: the splits (Personalize's, leave-last-out) and the ranking metrics
// GetSolutionMetrics reports, plus hit rate and candidate ranking for the benchmarks.
import { fromLists, historyOf, type Sequences } from './data.js';
import { recommend, type Model } from './models/model.js';
import type { TopK } from './kernels/types.js';

/** Training data, and for each evaluated user the input history and the items to find. */
export interface Split {
  train: Sequences;
  inputs: Int32Array[];
  targets: Int32Array[];
}

/** A small seeded generator (mulberry32), so splits repeat run to run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Personalize's split: a random 10% of users are held out; the oldest 90% of each one's
 * interactions are input and the newest 10% (at least one) are targets. The rest train.
 */
export function personalizeSplit(seq: Sequences, seed = 42, heldShare = 0.1, targetShare = 0.1): Split {
  const order = Array.from({ length: seq.nUsers }, (_, u) => u);
  const next = rng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const held = new Set(order.slice(0, Math.max(1, Math.round(heldShare * seq.nUsers))));
  const train: Int32Array[] = [];
  const inputs: Int32Array[] = [];
  const targets: Int32Array[] = [];
  for (let u = 0; u < seq.nUsers; u++) {
    const h = historyOf(seq, u);
    if (!held.has(u)) { train.push(h); continue; }
    const k = Math.max(1, Math.round(targetShare * h.length));
    if (h.length - k < 1) continue;
    inputs.push(h.subarray(0, h.length - k));
    targets.push(h.subarray(h.length - k));
  }
  return { train: fromLists(train, seq.nItems), inputs, targets };
}

/** Each user's last item is the target; everything before it trains and is the input. */
export function leaveLastOut(seq: Sequences): Split {
  const lists: Int32Array[] = [];
  const targets: Int32Array[] = [];
  for (let u = 0; u < seq.nUsers; u++) {
    const h = historyOf(seq, u);
    if (h.length < 2) continue;
    lists.push(h.subarray(0, h.length - 1));
    targets.push(h.subarray(h.length - 1));
  }
  return { train: fromLists(lists, seq.nItems), inputs: lists, targets };
}

const KS = [5, 10, 25] as const;
const gain = (p: number) => 1 / Math.log2(p + 2);

/**
 * Metrics of top-k lists (k = 25 columns) against targets, averaged over users, named as
 * GetSolutionMetrics names them, plus hit_rate_at_10 and coverage (share of the catalogue in any list).
 */
export function rankingMetrics(top: TopK, k: number, targets: Int32Array[], nItems: number): Record<string, number> {
  const sums: Record<string, number> = { mean_reciprocal_rank_at_25: 0, hit_rate_at_10: 0 };
  for (const c of KS) sums[`normalized_discounted_cumulative_gain_at_${c}`] = sums[`precision_at_${c}`] = 0;
  const shown = new Uint8Array(nItems);
  targets.forEach((t, u) => {
    const rel = new Set(t);
    const hits: boolean[] = [];
    for (let p = 0; p < k; p++) {
      const item = top.items[u * k + p];
      if (item >= 0) shown[item] = 1;
      hits.push(rel.has(item));
    }
    for (const c of KS) {
      let dcg = 0, ideal = 0, n = 0;
      for (let p = 0; p < Math.min(c, k); p++) if (hits[p]) { dcg += gain(p); n++; }
      for (let p = 0; p < Math.min(c, rel.size); p++) ideal += gain(p);
      sums[`normalized_discounted_cumulative_gain_at_${c}`] += dcg / ideal;
      sums[`precision_at_${c}`] += n / c;
    }
    const first = hits.slice(0, 25).indexOf(true);
    if (first >= 0) sums.mean_reciprocal_rank_at_25 += 1 / (first + 1);
    if (hits.slice(0, 10).includes(true)) sums.hit_rate_at_10++;
  });
  const out: Record<string, number> = {};
  for (const [name, s] of Object.entries(sums)) out[name] = targets.length ? s / targets.length : 0;
  let covered = 0;
  for (const s of shown) covered += s;
  out.coverage = covered / nItems;
  return out;
}

/**
 * Recommends top k (seen items removed) for every evaluated user and scores the lists; reports
 * the share of users done to `progress` as it goes.
 */
export function evaluate(model: Model, split: Pick<Split, 'inputs' | 'targets'>, k = 25, progress?: (fraction: number) => void): Record<string, number> {
  const n = split.inputs.length;
  const top = { items: new Int32Array(n * k), scores: new Float32Array(n * k) };
  for (let s = 0; s < n; s += EVAL_CHUNK) {
    const part = recommend(model, split.inputs.slice(s, s + EVAL_CHUNK), k);
    top.items.set(part.items, s * k);
    top.scores.set(part.scores, s * k);
    progress?.(Math.min(n, s + EVAL_CHUNK) / n);
  }
  return rankingMetrics(top, k, split.targets, model.nItems);
}

const EVAL_CHUNK = 1024;

/**
 * Candidate ranking (NCF protocol): the target's rank is the number of candidates scoring strictly
 * higher. Returns hit rate and NDCG at 5 and 10.
 */
export function candidateMetrics(model: Model, histories: Int32Array[], candidates: Int32Array[], target: number[]): Record<string, number> {
  const scores = new Float32Array(model.nItems);
  const out = { hit_rate_at_5: 0, hit_rate_at_10: 0, normalized_discounted_cumulative_gain_at_5: 0, normalized_discounted_cumulative_gain_at_10: 0 };
  histories.forEach((h, u) => {
    model.score(h, scores);
    const t = scores[target[u]];
    let rank = 0;
    for (const c of candidates[u]) if (c !== target[u] && scores[c] > t) rank++;
    if (rank < 5) { out.hit_rate_at_5++; out.normalized_discounted_cumulative_gain_at_5 += gain(rank); }
    if (rank < 10) { out.hit_rate_at_10++; out.normalized_discounted_cumulative_gain_at_10 += gain(rank); }
  });
  for (const key of Object.keys(out) as (keyof typeof out)[]) out[key] /= Math.max(1, histories.length);
  return out;
}
