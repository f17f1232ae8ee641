// An HNSW graph (Malkov & Yashunin) for maximum-inner-product search over a factor model's item
// vectors. Inner product is not a metric, so each item row x is mapped to the unit vector
// [x, sqrt(R² − |x|²)] / R (R the largest norm) and a query q to [q, 0] / |q|: their dot product
// orders items exactly as q·x does, and on unit vectors nearest means largest dot. Excluded items
// (seen, filtered) are walked through but never returned.
import type { TopK } from '../kernels/types.js';
import { Heap } from './heap.js';
import { WasmHnsw } from './hnsw-wasm.js';

export interface HnswParams {
  /** Links per node above level 0 (level 0 has twice as many). */
  m: number;
  /** Candidate list size while building. */
  efConstruction: number;
  seed: number;
}

export const HNSW_DEFAULTS: HnswParams = { m: 16, efConstruction: 100, seed: 1 };

/** The graph in flat arrays (what a build worker sends back). */
export interface HnswGraph {
  n: number;
  dim: number;
  m: number;
  /** Unit rows, n × dim (dim = factor dimension + 1). */
  vectors: Float32Array;
  /** Level-0 links: n × (2m + 1), the count first. */
  base: Int32Array;
  /** Per node, where its upper levels start in `upper` (-1 for none); level l ≥ 1 is (m + 1) ints at start + (l − 1)(m + 1). */
  upperAt: Int32Array;
  upper: Int32Array;
  levels: Uint8Array;
  entry: number;
  maxLevel: number;
  /** 1 / the largest item norm: search scores are scaled back by it. */
  scale: number;
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let c = 0;
  for (; c + 4 <= dim; c += 4) {
    s0 += a[ao + c] * b[bo + c];
    s1 += a[ao + c + 1] * b[bo + c + 1];
    s2 += a[ao + c + 2] * b[bo + c + 2];
    s3 += a[ao + c + 3] * b[bo + c + 3];
  }
  for (; c < dim; c++) s0 += a[ao + c] * b[bo + c];
  return s0 + s1 + s2 + s3;
}

/** Builds the graph over n rows of d floats (row-major). Single-threaded; run it off the request loop. */
export function buildHnsw(data: Float32Array, n: number, d: number, params: Partial<HnswParams> = {}): HnswGraph {
  const { m, efConstruction, seed } = { ...HNSW_DEFAULTS, ...params };
  const dim = d + 1;
  const vectors = new Float32Array(n * dim);
  let r2 = 0;
  for (let i = 0; i < n; i++) r2 = Math.max(r2, dot(data, i * d, data, i * d, d));
  const scale = r2 > 0 ? 1 / Math.sqrt(r2) : 1;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += (vectors[i * dim + c] = data[i * d + c] * scale) ** 2;
    vectors[i * dim + d] = Math.sqrt(Math.max(0, 1 - s));
  }
  const m0 = 2 * m;
  const base = new Int32Array(n * (m0 + 1));
  const levels = new Uint8Array(n);
  const upperLists: Int32Array[] = new Array(n);
  const mL = 1 / Math.log(m);
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: reproducible levels for a given seed.
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return (state + 1) / 4294967297;
  };
  const g: HnswGraph = { n, dim, m, vectors, base, upperAt: new Int32Array(0), upper: new Int32Array(0), levels, entry: 0, maxLevel: 0, scale };
  const links = (node: number, level: number) => level === 0 ? base.subarray(node * (m0 + 1), (node + 1) * (m0 + 1)) : upperLists[node].subarray((level - 1) * (m + 1), level * (m + 1));
  const search = new Searcher(g, links);
  const dist = (a: number, b: number) => 1 - dot(vectors, a * dim, vectors, b * dim, dim);

  /** Keeps up to `max` of the candidates (closest first) that are closer to the node than to any kept one. */
  const select = (cands: Int32Array, cd: Float32Array, count: number, max: number, out: Int32Array): number => {
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => cd[a] - cd[b]);
    let kept = 0;
    for (const i of order) {
      if (kept >= max) break;
      const c = cands[i];
      let good = true;
      for (let j = 1; j <= kept && good; j++) if (dist(c, out[j]) < cd[i]) good = false;
      if (good) out[++kept] = c;
    }
    out[0] = kept;
    return kept;
  };

  const scratchIds = new Int32Array(m0 + 2);
  const scratchD = new Float32Array(m0 + 2);

  // Largest norms first: they are the answers to inner-product queries, so they should form the
  // upper levels and the entry point. Items with small factors (few interactions) all map close
  // to the same point on the sphere; inserted last, they cannot trap a search that starts among them.
  const norms = new Float32Array(n);
  for (let i = 0; i < n; i++) norms[i] = dot(data, i * d, data, i * d, d);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => norms[b] - norms[a] || a - b);
  let first = true;
  for (const q of order) {
    const level = Math.min(255, Math.floor(-Math.log(random()) * mL));
    levels[q] = level;
    if (level > 0) upperLists[q] = new Int32Array(level * (m + 1));
    if (first) {
      first = false;
      g.entry = q;
      g.maxLevel = level;
      continue;
    }
    let ep = g.entry;
    const qv = vectors.subarray(q * dim, q * dim + dim);
    for (let l = g.maxLevel; l > level; l--) ep = search.greedy(qv, ep, l);
    for (let l = Math.min(level, g.maxLevel); l >= 0; l--) {
      const found = search.layer(qv, ep, efConstruction, l, undefined);
      const max = l === 0 ? m0 : m;
      const own = links(q, l);
      select(found.ids, found.dists, found.count, m, own);
      for (let j = 1; j <= own[0]; j++) {
        const nb = own[j];
        const nl = links(nb, l);
        if (nl[0] < max) {
          nl[++nl[0]] = q;
          continue;
        }
        // Full: re-select among its links plus the new node.
        for (let t = 0; t < nl[0]; t++) {
          scratchIds[t] = nl[t + 1];
          scratchD[t] = dist(nb, nl[t + 1]);
        }
        scratchIds[nl[0]] = q;
        scratchD[nl[0]] = dist(nb, q);
        select(scratchIds, scratchD, nl[0] + 1, max, nl);
      }
      ep = found.ids[found.best];
    }
    if (level > g.maxLevel) {
      g.maxLevel = level;
      g.entry = q;
    }
  }
  const upperAt = new Int32Array(n).fill(-1);
  let total = 0;
  for (let i = 0; i < n; i++) if (levels[i] > 0) { upperAt[i] = total; total += upperLists[i].length; }
  const upper = new Int32Array(total);
  for (let i = 0; i < n; i++) if (levels[i] > 0) upper.set(upperLists[i], upperAt[i]);
  g.upperAt = upperAt;
  g.upper = upper;
  return g;
}

/** Layer search with reusable buffers (one per index; a call is synchronous). */
class Searcher {
  private visited: Uint32Array;
  private tag = 0;
  private readonly cand = new Heap(false);
  private readonly res = new Heap(true);
  private ids = new Int32Array(64);
  private dists = new Float32Array(64);

  constructor(private readonly g: HnswGraph, private readonly links: (node: number, level: number) => Int32Array) {
    this.visited = new Uint32Array(g.n);
  }

  private distTo(q: Float32Array, node: number): number {
    return 1 - dot(q, 0, this.g.vectors, node * this.g.dim, this.g.dim);
  }

  greedy(q: Float32Array, ep: number, level: number): number {
    let best = ep;
    let bestD = this.distTo(q, ep);
    for (let moved = true; moved;) {
      moved = false;
      const l = this.links(best, level);
      for (let j = 1; j <= l[0]; j++) {
        const dd = this.distTo(q, l[j]);
        if (dd < bestD) { bestD = dd; best = l[j]; moved = true; }
      }
    }
    return best;
  }

  /**
   * The ef closest nodes found from `ep` on `level` that `exclude` lets through (all nodes are
   * walked). Returns views valid until the next call; `best` is the position of the closest.
   */
  layer(q: Float32Array, ep: number, ef: number, level: number, exclude: Uint32Array | undefined): { ids: Int32Array; dists: Float32Array; count: number; best: number } {
    if (++this.tag === 0xffffffff) { this.visited.fill(0); this.tag = 1; }
    const tag = this.tag;
    const cand = this.cand;
    const res = this.res;
    cand.size = 0;
    res.size = 0;
    const ok = (i: number) => !exclude || (exclude[i >>> 5] & (1 << (i & 31))) === 0;
    const d0 = this.distTo(q, ep);
    this.visited[ep] = tag;
    cand.push(d0, ep);
    if (ok(ep)) res.push(d0, ep);
    while (cand.size > 0) {
      const cd = cand.topD;
      if (res.size >= ef && cd > res.topD) break;
      const c = cand.topV;
      cand.pop();
      const l = this.links(c, level);
      for (let j = 1; j <= l[0]; j++) {
        const nb = l[j];
        if (this.visited[nb] === tag) continue;
        this.visited[nb] = tag;
        const dd = this.distTo(q, nb);
        if (res.size < ef || dd < res.topD) {
          cand.push(dd, nb);
          if (ok(nb)) {
            res.push(dd, nb);
            if (res.size > ef) res.pop();
          }
        }
      }
    }
    if (this.ids.length < res.size) { this.ids = new Int32Array(res.size * 2); this.dists = new Float32Array(res.size * 2); }
    const count = res.size;
    // Pop worst first: position count−1 ends up the closest.
    for (let p = count - 1; p >= 0; p--) {
      this.ids[p] = res.topV;
      this.dists[p] = res.topD;
      res.pop();
    }
    return { ids: this.ids, dists: this.dists, count, best: 0 };
  }
}

/** Serving side of a built graph: the WebAssembly search, or the TS one where wasm is missing (and as its reference). */
export class HnswIndex {
  private readonly searcher: Searcher;
  private readonly wasm: WasmHnsw | undefined;
  private readonly q: Float32Array;

  constructor(readonly graph: HnswGraph, opts: { wasm?: boolean } = {}) {
    const { m, base, upper, upperAt } = graph;
    const m0 = 2 * m;
    this.searcher = new Searcher(graph, (node, level) => level === 0
      ? base.subarray(node * (m0 + 1), (node + 1) * (m0 + 1))
      : upper.subarray(upperAt[node] + (level - 1) * (m + 1), upperAt[node] + level * (m + 1)));
    this.wasm = opts.wasm === false ? undefined : WasmHnsw.of(graph);
    this.q = new Float32Array(graph.dim);
  }

  /**
   * About the k items with the largest dot product with `query` (length dim − 1), best first,
   * skipping excluded items; scores are the exact dot products. `ef` ≥ k trades speed for recall.
   */
  search(query: Float32Array, k: number, ef: number, exclude?: Uint32Array): TopK {
    const g = this.graph;
    const d = g.dim - 1;
    let norm = 0;
    for (let c = 0; c < d; c++) norm += query[c] * query[c];
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < d; c++) this.q[c] = query[c] * inv;
    const found = this.wasm ? this.wasm.search(this.q, Math.max(ef, k), exclude) : this.layer0(Math.max(ef, k), exclude);
    const out = { items: new Int32Array(k).fill(-1), scores: new Float32Array(k).fill(-Infinity) };
    const take = Math.min(k, found.count);
    // Back to the model's scale: 1 − dist = q·x / (|q| R).
    const back = Math.sqrt(norm) / g.scale;
    for (let p = 0; p < take; p++) {
      out.items[p] = found.ids[p];
      out.scores[p] = (1 - found.dists[p]) * back;
    }
    return out;
  }

  private layer0(ef: number, exclude: Uint32Array | undefined) {
    const g = this.graph;
    let ep = g.entry;
    for (let l = g.maxLevel; l > 0; l--) ep = this.searcher.greedy(this.q, ep, l);
    return this.searcher.layer(this.q, ep, ef, 0, exclude);
  }
}
