// The serving side of an HNSW graph in WebAssembly (assembly/hnsw.ts): the graph is copied into
// the module's memory once, with rows padded to a multiple of 4 floats for f32x4 dot products and
// again as int8 rows for the walk; a search copies in only the query and the exclusion bitset.
import { wasmInstance } from '../wasm-module.js';
import type { HnswGraph } from './hnsw.js';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  configure(pVec: number, n: number, dimP: number, m: number, pBase: number, pUpperAt: number, pUpper: number,
    pVisited: number, pCandD: number, pCandV: number, pResD: number, pResV: number, pQvec: number, pQscale: number, dimQ: number, pQq: number): void;
  search(pQ: number, entry: number, maxLevel: number, ef: number, pX: number, pOutV: number, pOutD: number): number;
}

const PAGE = 65536;

const align16 = (n: number) => (n + 15) & ~15;

/** Found nodes, closest first: views into wasm memory, valid until the next search. */
export interface Found {
  ids: Int32Array;
  dists: Float32Array;
  count: number;
}

/**
 * Each row but its norm coordinate (which meets the query's 0) scaled so its largest component is
 * ±127 and rounded, with the factor that undoes the scaling: tiny rows keep their direction.
 */
function quantizeRows(vectors: Float32Array, n: number, dim: number, out: Int8Array, scales: Float32Array, bytes: number): void {
  const d = dim - 1;
  for (let r = 0; r < n; r++) {
    let big = 0;
    for (let c = 0; c < d; c++) big = Math.max(big, Math.abs(vectors[r * dim + c]));
    const s = big > 0 ? 127 / big : 0;
    for (let c = 0; c < d; c++) out[r * bytes + c] = Math.round(vectors[r * dim + c] * s);
    scales[r] = big / 127;
  }
}

export class WasmHnsw {
  private readonly pQ: number;
  private readonly pX: number;
  private readonly pOutV: number;
  private readonly pOutD: number;
  private readonly words: number;
  private readonly dimP: number;

  private constructor(private readonly x: Exports, private readonly g: HnswGraph) {
    const { n, dim, m } = g;
    this.dimP = (dim + 3) & ~3;
    // An int8 row's bytes: the row without its norm coordinate, padded.
    const dimQ = align16(dim - 1);
    this.words = (n + 31) >>> 5;
    const layout: number[] = [];
    let at = align16(x.heapBase());
    // vectors, base, upperAt, upper, visited, candD, candV, resD, resV, int8 rows, their scales, int16 query, query, exclusion, out ids, out dists
    for (const bytes of [n * this.dimP * 4, g.base.byteLength, g.upperAt.byteLength, g.upper.byteLength, n * 4,
      n * 4, n * 4, (n + 1) * 4, (n + 1) * 4, n * dimQ, n * 4, dimQ * 2, this.dimP * 4, this.words * 4, n * 4, n * 4]) {
      // Rows start on cache lines.
      at = (at + 63) & ~63;
      layout.push(at);
      at += bytes;
    }
    const need = at - x.memory.buffer.byteLength;
    if (need > 0) x.memory.grow(Math.ceil(need / PAGE));
    const buf = x.memory.buffer;
    const [pVec, pBase, pUpperAt, pUpper, pVisited, pCandD, pCandV, pResD, pResV, pQvec, pQscale, pQq] = layout;
    const v = new Float32Array(buf, pVec, n * this.dimP);
    for (let r = 0; r < n; r++) v.set(g.vectors.subarray(r * dim, r * dim + dim), r * this.dimP);
    quantizeRows(g.vectors, n, dim, new Int8Array(buf, pQvec, n * dimQ), new Float32Array(buf, pQscale, n), dimQ);
    new Int32Array(buf, pBase, g.base.length).set(g.base);
    new Int32Array(buf, pUpperAt, g.upperAt.length).set(g.upperAt);
    new Int32Array(buf, pUpper, g.upper.length).set(g.upper);
    x.configure(pVec, n, this.dimP, m, pBase, pUpperAt, pUpper, pVisited, pCandD, pCandV, pResD, pResV, pQvec, pQscale, dimQ, pQq);
    [this.pQ, this.pX, this.pOutV, this.pOutD] = layout.slice(12);
  }

  /** Undefined where WebAssembly SIMD or the built module is missing. */
  static of(g: HnswGraph): WasmHnsw | undefined {
    const x = wasmInstance<Exports>(new URL('./hnsw.wasm', import.meta.url));
    return x && new WasmHnsw(x, g);
  }

  /** `q`: the unit query (graph.dim floats, last 0). */
  search(q: Float32Array, ef: number, exclude: Uint32Array | undefined): Found {
    const x = this.x;
    const buf = x.memory.buffer;
    new Float32Array(buf, this.pQ, this.g.dim).set(q);
    if (exclude) new Uint32Array(buf, this.pX, this.words).set(exclude.subarray(0, this.words));
    const count = x.search(this.pQ, this.g.entry, this.g.maxLevel, Math.min(ef, this.g.n), exclude ? this.pX : 0, this.pOutV, this.pOutD);
    return { ids: new Int32Array(buf, this.pOutV, count), dists: new Float32Array(buf, this.pOutD, count), count };
  }
}
