// Serving an engine-trained model. A user's history is their imported interactions then live
// PutEvents, in time order, as the model's item indexes. A request never sorts the catalogue: it
// asks for the top m items outside an exclusion bitset (seen items, the item asked about, what
// the filters leave out) from the kernels' top-k, a factor model's index (exact resident GEMM, or
// HNSW on large catalogues), or an item-to-item model's similar(). Buffers of catalogue size are
// allocated once per model; calls are synchronous, so one set serves every request.
import type { App } from '../../app.js';
import type { Model } from '../../training/index.js';
import { bestKernels } from '../../training/kernels/wasm.js';
import { bitsetWords, type Kernels, type TopK } from '../../training/kernels/types.js';
import { FactorIndex } from '../../training/ann/index.js';
import type { GroupLive, LiveEvent } from '../personalize-events/live.js';
import { interactionRows, type UserRows } from './group-data.js';
import { userEvents, type Catalogue } from './catalogue.js';
import type { Ranked } from './ranking.js';
import { lifted, liftScores, reorder, type Lift } from './context.js';
import { applyInfluence } from '../personalize/ranking-influence.js';

export interface Engine {
  model: Model;
  /** The model's item index → ITEM_ID; the catalogue lists these first, so indexes agree. */
  itemIds: string[];
  /** ITEM_ID → the model's item index; undefined for items the model does not know. */
  indexOf(id: string): number | undefined;
  kernels: Kernels;
  /** Reused per request: a score per item, and the exclusion bitset over the model's items. */
  scores: Float32Array;
  exclude: Uint32Array;
  /** Factor models: top-k over the item vectors, and their sum (for score totals). */
  factors?: FactorIndex;
  itemSum?: Float32Array;
  /** Users' vectors with the history they were folded in from. */
  vectors: Map<string, UserVector>;
  /** Users' histories with what they were read from: the bulk rows and the live list at its length and last event. */
  histories: Map<string, { rows: UserRows | undefined; list: LiveEvent[] | undefined; length: number; last: LiveEvent | undefined; history: Int32Array }>;
}

/**
 * Users remembered per model (the oldest go first past it): a fold-in costs a d×d solve and a
 * history a pass over the user's rows, which a returning user with no new events need not pay again.
 */
const USERS_KEPT = 100_000;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= USERS_KEPT && !map.has(key)) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/** A user's vector, and Σ of its scores over the items outside the history once asked for. */
interface UserVector {
  history: Int32Array;
  u: Float32Array;
  unseenTotal?: number;
}

function sameHistory(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The user's vector for this history: remembered while the history stays the same. */
function userVectorOf(g: Engine, userId: string | undefined, history: Int32Array): UserVector {
  const hit = userId === undefined ? undefined : g.vectors.get(userId);
  if (hit && sameHistory(hit.history, history)) return hit;
  const v = { history, u: g.model.userVector!(history) };
  if (userId !== undefined) remember(g.vectors, userId, v);
  return v;
}

/** Σ of a factor model's scores over the items outside the history: u·Σv minus the seen items' scores. */
function unseenTotal(g: Engine, v: UserVector): number {
  const { u, history } = v;
  const f = g.model.itemFactors!;
  let total = 0;
  for (let c = 0; c < f.dim; c++) total += u[c] * g.itemSum![c];
  for (const i of new Set(history)) for (let c = 0; c < f.dim; c++) total -= u[c] * f.data[i * f.dim + c];
  return total;
}

/** `retrieval`: the endpoint recommends from the whole catalogue (a ranking one only scores given items, so needs no index). */
export function engineOf(model: Model, itemIds: string[], catalogue: Catalogue, retrieval = true): Engine {
  itemIds.forEach((id, i) => {
    if (catalogue.add(id) !== i) throw new Error('the catalogue must list the model items first');
  });
  const g: Engine = {
    model, itemIds, kernels: bestKernels(),
    indexOf: (id) => {
      const i = catalogue.get(id);
      return i !== undefined && i < model.nItems ? i : undefined;
    },
    scores: new Float32Array(model.nItems), exclude: new Uint32Array(bitsetWords(model.nItems)), vectors: new Map(), histories: new Map(),
  };
  const f = model.itemFactors;
  if (model.userVector && f && retrieval) {
    g.factors = new FactorIndex(f.data, model.nItems, f.dim);
    g.itemSum = new Float32Array(f.dim);
    for (let i = 0; i < model.nItems; i++) for (let c = 0; c < f.dim; c++) g.itemSum[c] += f.data[i * f.dim + c];
  }
  return g;
}

/** The user's history as model item indexes, oldest first (items the model never saw are left out). */
export function historyOf(app: App, groupArn: string, g: Engine, userId: string | undefined, live: GroupLive | undefined): Int32Array {
  if (userId === undefined) return NO_HISTORY;
  const rows = interactionRows(app, groupArn);
  const list = live?.events.get(userId);
  const last = list?.[list.length - 1];
  const hit = g.histories.get(userId);
  // Live lists only grow at the end (or drop their oldest past a cap): same length and last event, same list.
  if (hit && hit.rows === rows && hit.list === list && hit.length === (list?.length ?? 0) && hit.last === last) return hit.history;
  const events = userEvents(app, groupArn, userId, live).sort((a, b) => a.t - b.t);
  const out: number[] = [];
  for (const e of events) {
    const i = g.indexOf(e.itemId);
    if (i !== undefined) out.push(i);
  }
  const history = Int32Array.from(out);
  remember(g.histories, userId, { rows, list, length: list?.length ?? 0, last, history });
  return history;
}

const NO_HISTORY = new Int32Array(0);

/** Ranked candidates, best first; `total` turns a count into a score (count / total). */
export interface Candidates {
  total: number;
  /** The best m items outside the exclusion, best first (fewer when fewer remain). */
  top(m: number): Ranked[];
}

const setBit = (bits: Uint32Array, i: number) => (bits[i >>> 5] |= 1 << (i & 31));

/**
 * Fills the engine's exclusion bitset: `allowed` (catalogue bits; the model's items are its
 * first nItems) leaves out what it does not set, and `seen` and `skip` are left out too.
 */
export function excludeInto(g: Engine, allowed: Uint32Array | undefined, seen: Int32Array | undefined, skip: number | undefined): Uint32Array {
  const x = g.exclude;
  const n = g.model.nItems;
  if (allowed) for (let w = 0; w < x.length; w++) x[w] = ~allowed[w];
  else x.fill(0);
  // Bits past the last item stay clear (they would count as excluded items).
  if (n & 31) x[x.length - 1] &= (1 << (n & 31)) - 1;
  if (seen) for (const i of seen) setBit(x, i);
  if (skip !== undefined && skip < n) setBit(x, skip);
  return x;
}

function fromTopK({ items, scores }: TopK): Ranked[] {
  const out: Ranked[] = [];
  for (let p = 0; p < items.length && items[p] >= 0; p++) out.push({ index: items[p], count: Math.max(0, scores[p]) });
  return out;
}

/** Items for a user with history: scored by the model (or its factor index), excluding `exclude`. */
export function personalCandidates(g: Engine, userId: string | undefined, history: Int32Array, exclude: Uint32Array, lift?: Lift): Candidates {
  const n = g.model.nItems;
  if (g.factors && g.model.userVector) {
    const v = userVectorOf(g, userId, history);
    const u = v.u;
    const total = (v.unseenTotal ??= unseenTotal(g, v));
    const index = g.factors;
    return {
      total,
      top(m) {
        const r = lift ? liftedTop(index, u, m, n, exclude, lift) : fromTopK(index.search(u, Math.min(m, n), exclude));
        // Totals below the listed scores (negative scores elsewhere) would give shares above 1.
        const listed = r.reduce((s, x) => s + x.count, 0);
        if (this.total < listed) this.total = listed;
        return r;
      },
    };
  }
  g.model.score(history, g.scores);
  if (lift) liftScores(g.scores, lift);
  return scoredCandidates(g, exclude, history);
}

/**
 * The top m by lifted score from a factor index: a context can lift items from below the top m,
 * so take more, re-order, and widen until no item further down could, lifted by the largest lift,
 * pass the m-th.
 */
function liftedTop(index: FactorIndex, u: Float32Array, m: number, n: number, exclude: Uint32Array, lift: Lift): Ranked[] {
  for (let width = Math.min(4 * m, n); ; width = Math.min(2 * width, n)) {
    const found = fromTopK(index.search(u, width, exclude));
    const top = reorder(found, lift).slice(0, m);
    if (found.length < width || width === n) return top;
    if (top.length === m && top[m - 1].count >= found[found.length - 1].count * lift.max) return top;
  }
}

/** Items related to one item (item-to-item models), excluding `exclude`. */
export function similarCandidates(g: Engine, item: number, exclude: Uint32Array, influence?: Float32Array): Candidates {
  g.model.similar!(item, g.scores);
  if (influence) applyInfluence(g.scores, influence);
  return scoredCandidates(g, exclude, undefined);
}

/** Items by the given scores (one per model item; the same list for everyone), excluding `exclude`. */
export function listCandidates(g: Engine, scores: Float32Array, exclude: Uint32Array): Candidates {
  g.scores.set(scores);
  return scoredCandidates(g, exclude, undefined);
}

function scoredCandidates(g: Engine, exclude: Uint32Array, seen: Int32Array | undefined): Candidates {
  const n = g.model.nItems;
  const scores = g.scores;
  let total = 0;
  for (let i = 0; i < n; i++) if (scores[i] > 0) total += scores[i];
  if (seen) for (const i of new Set(seen)) if (scores[i] > 0) total -= scores[i];
  return { total, top: (m) => fromTopK(g.kernels.topK(scores, 1, n, Math.min(m, n), exclude)) };
}

/** The given items the model knows (`idx`: their model indexes, `itemIds`: their ITEM_IDs), best first for the history (ties: list order), with scores summing to one. */
export function rankKnown(g: Engine, userId: string | undefined, history: Int32Array, idx: Int32Array, itemIds: string[], lift?: Lift): { itemId: string; score: number }[] {
  const s = new Float32Array(idx.length);
  const f = g.model.itemFactors;
  if (g.model.userVector && f) {
    // Only the candidates are scored: a dot product each.
    const u = userVectorOf(g, userId, history).u;
    const { data, dim } = f;
    for (let p = 0; p < idx.length; p++) {
      let v = 0;
      for (let c = 0, o = idx[p] * dim; c < dim; c++) v += u[c] * data[o + c];
      s[p] = v;
    }
  } else {
    g.model.score(history, g.scores);
    idx.forEach((i, p) => (s[p] = g.scores[i]));
  }
  if (lift) idx.forEach((i, p) => (s[p] = lifted(s[p], lift, i)));
  const order = Array.from(idx.keys()).sort((a, b) => s[b] - s[a] || a - b);
  let total = 0;
  for (const v of s) if (v > 0) total += v;
  return order.map((p) => ({ itemId: itemIds[p], score: total ? Math.max(0, s[p]) / total : 0 }));
}
