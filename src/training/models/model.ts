// The one interface every trained model has. Scoring is per user history (item indexes, oldest
// first), so users unseen in training (Personalize's held-out users, new users from events) are
// scored the same way as known ones.
import type { SideData, Sequences } from '../data.js';
import type { Artifact } from '../artifact.js';
import type { TopK } from '../kernels/types.js';
import { bitsetWords } from '../kernels/types.js';
import { bestKernels } from '../kernels/wasm.js';

export interface Model {
  readonly recipe: string;
  readonly nItems: number;
  /** Writes a score for every item into `out` (length nItems); higher is better. */
  score(history: Int32Array, out: Float32Array): void;
  /** The arrays and parameters that make up the model (see artifact.ts). */
  toArtifact(): Artifact;
  /** Item-to-item recipes (sims, similar-items, semantic): a score for every item given one item. */
  similar?(item: number, out: Float32Array): void;
  /**
   * Factor models: the user's vector for a history (fold-in), to be scored against `itemFactors`
   * (nItems × dim, row-major) by a GEMM/top-k kernel or an ANN index instead of `score`.
   */
  userVector?(history: Int32Array): Float32Array;
  readonly itemFactors?: { data: Float32Array; dim: number };
  /**
   * User-segmentation recipes (item affinity, item-attribute affinity): the `k` training users
   * (user indexes) most likely to interact with any of `items`, best first, with their scores.
   */
  segment?(items: Int32Array, k: number): Segment;
  /** Item-attribute affinity: the items whose metadata holds `token` ("FIELD=value"); none if unknown. */
  itemsWithAttribute?(token: string): Int32Array;
}

/** A user segment: users best first, with their scores (same length; at most the k asked for). */
export interface Segment {
  users: Int32Array;
  scores: Float32Array;
}

export interface Recipe<P> {
  /** The layout version of this recipe's artifacts; loading another version is refused. */
  version: number;
  /** Hyper-parameters with their defaults. */
  defaults: P;
  train(data: Sequences, params: P, side?: SideData): Model;
  load(a: Artifact): Model;
}

/**
 * Top k items for a batch of histories. Each history's own items are excluded unless
 * `keepSeen`; `exclude`, when given, adds a per-row bitset (rows × ceil(nItems/32)).
 */
export function recommend(model: Model, histories: Int32Array[], k: number, opts: { keepSeen?: boolean; exclude?: Uint32Array } = {}): TopK {
  const n = model.nItems;
  const batch = 256;
  const words = bitsetWords(n);
  const out = { items: new Int32Array(histories.length * k), scores: new Float32Array(histories.length * k) };
  const kernels = bestKernels();
  const scores = new Float32Array(batch * n);
  const bits = new Uint32Array(batch * words);
  for (let s = 0; s < histories.length; s += batch) {
    const rows = Math.min(batch, histories.length - s);
    bits.fill(0);
    for (let r = 0; r < rows; r++) {
      const h = histories[s + r];
      model.score(h, scores.subarray(r * n, r * n + n));
      if (!opts.keepSeen) for (const i of h) bits[r * words + (i >>> 5)] |= 1 << (i & 31);
      if (opts.exclude) for (let w = 0; w < words; w++) bits[r * words + w] |= opts.exclude[(s + r) * words + w];
    }
    const top = kernels.topK(scores, rows, n, k, bits);
    out.items.set(top.items, s * k);
    out.scores.set(top.scores, s * k);
  }
  return out;
}

/** A given list of items ordered by the model's scores for one history, best first (ties: list order). */
export function rankItems(model: Model, history: Int32Array, candidates: Int32Array): TopK {
  const all = new Float32Array(model.nItems);
  model.score(history, all);
  const order = Array.from(candidates.keys()).sort((a, b) => all[candidates[b]] - all[candidates[a]] || a - b);
  return { items: Int32Array.from(order, (p) => candidates[p]), scores: Float32Array.from(order, (p) => all[candidates[p]]) };
}
