// Offline evaluation: the splits (Personalize's, its USER_SEGMENTATION one, leave-last-out), the
// ranking and segment metrics GetSolutionMetrics reports, plus hit rate and candidate ranking for
// the benchmarks.
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

/** USER_SEGMENTATION's split: every user keeps their index and their oldest interactions; `held[u]` is their newest. */
export interface SegmentSplit {
  train: Sequences;
  held: Int32Array[];
}

/**
 * Personalize's split for USER_SEGMENTATION recipes: the oldest 80% of each user's interactions
 * train and the newest 20% (at least one, for users with two or more) are the test set.
 */
export function segmentationSplit(seq: Sequences, testShare = 0.2): SegmentSplit {
  const offsets = new Int32Array(seq.nUsers + 1);
  const keep = new Int32Array(seq.nUsers);
  for (let u = 0; u < seq.nUsers; u++) {
    const n = seq.offsets[u + 1] - seq.offsets[u];
    keep[u] = n < 2 ? n : n - Math.max(1, Math.round(testShare * n));
    offsets[u + 1] = offsets[u] + keep[u];
  }
  const items = new Int32Array(offsets[seq.nUsers]);
  const times = new Float64Array(items.length);
  const held: Int32Array[] = [];
  for (let u = 0; u < seq.nUsers; u++) {
    const from = seq.offsets[u];
    items.set(seq.items.subarray(from, from + keep[u]), offsets[u]);
    times.set(seq.times.subarray(from, from + keep[u]), offsets[u]);
    held.push(seq.items.subarray(from + keep[u], seq.offsets[u + 1]));
  }
  return { train: { offsets, items, times, nUsers: seq.nUsers, nItems: seq.nItems }, held };
}

/** Queries scored per solution version at most (a batch segment job takes up to 500 items too). */
const MAX_SEGMENT_QUERIES = 500;

/**
 * The metrics GetSolutionMetrics reports for USER_SEGMENTATION recipes, with K the top 1% of
 * users: for each query (a set of items: one item, or the items with an attribute value) the
 * model's top-K segment is compared with the actual users, those holding out one of its items.
 * - hit: the mean number of the segment's K users who are actual users;
 * - recall: the mean share of the actual users found, out of the most the segment can hold (K);
 * - coverage: the share of all users in some segment.
 * Queries default to every item; those without actual users are skipped, and at most 500 (a
 * seeded sample) are scored.
 */
export function segmentMetrics(model: Model, split: SegmentSplit, queries?: Int32Array[], seed = 42): Record<string, number> {
  const nUsers = split.held.length;
  const nItems = model.nItems;
  // Each item's actual users (CSR), to collect a query's without scanning every user.
  const start = new Int32Array(nItems + 1);
  const seen = new Int32Array(nItems).fill(-1);
  const each = (f: (i: number, u: number) => void) => split.held.forEach((h, u) => {
    for (const i of h) if (i >= 0 && i < nItems && seen[i] !== u) { seen[i] = u; f(i, u); }
  });
  each((i) => start[i + 1]++);
  for (let i = 0; i < nItems; i++) start[i + 1] += start[i];
  const fill = start.slice(0, nItems);
  const holders = new Int32Array(start[nItems]);
  seen.fill(-1);
  each((i, u) => (holders[fill[i]++] = u));

  const all = queries ?? Array.from({ length: nItems }, (_, i) => Int32Array.of(i));
  let asked = all.filter((q) => q.some((i) => i >= 0 && i < nItems && start[i + 1] > start[i]));
  if (asked.length > MAX_SEGMENT_QUERIES) {
    const next = rng(seed);
    for (let x = asked.length - 1; x > 0; x--) {
      const y = Math.floor(next() * (x + 1));
      [asked[x], asked[y]] = [asked[y], asked[x]];
    }
    asked = asked.slice(0, MAX_SEGMENT_QUERIES);
  }
  const k = Math.max(1, Math.ceil(0.01 * nUsers));
  const actual = new Uint8Array(nUsers);
  const covered = new Uint8Array(nUsers);
  let hit = 0, recall = 0;
  for (const q of asked) {
    let nActual = 0;
    for (const i of q) {
      if (i < 0 || i >= nItems) continue;
      for (let e = start[i]; e < start[i + 1]; e++) if (!actual[holders[e]]) { actual[holders[e]] = 1; nActual++; }
    }
    let hits = 0;
    for (const u of model.segment!(q, k).users) {
      covered[u] = 1;
      hits += actual[u];
    }
    hit += hits;
    recall += hits / Math.min(k, nActual);
    for (const i of q) if (i >= 0 && i < nItems) for (let e = start[i]; e < start[i + 1]; e++) actual[holders[e]] = 0;
  }
  let users = 0;
  for (const c of covered) users += c;
  const n = asked.length;
  return { coverage: nUsers ? users / nUsers : 0, hit: n ? hit / n : 0, recall: n ? recall / n : 0 };
}
