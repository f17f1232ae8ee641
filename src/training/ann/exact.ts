// Exact top-k over a factor model's item vectors, with the vectors resident: the kernels' own
// gemmTopK copies every item row into wasm memory on each call (fine for training batches, far too
// much for one serving request), so serving keeps its own instance of the same wasm module with
// the item matrix laid out once, and a call copies only the query and the exclusion bitset.
import { wasmInstance } from '../wasm-module.js';
import { referenceKernels } from '../kernels/reference.js';
import { bitsetWords, type TopK } from '../kernels/types.js';

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  gemmTopK(pU: number, pV: number, b: number, n: number, d: number, k: number, pX: number, pS: number, pI: number): void;
}

const PAGE = 65536;

const align16 = (n: number) => (n + 15) & ~15;

export class ExactIndex {
  readonly dp: number;
  private readonly x: Exports | undefined;
  private pV = 0;
  private pU = 0;
  private pX = 0;
  private pOut = 0;
  private capK = 0;

  constructor(readonly data: Float32Array, readonly n: number, readonly d: number) {
    this.dp = (d + 3) & ~3;
    this.x = wasmInstance<Exports>(new URL('../kernels/kernels.wasm', import.meta.url));
    if (!this.x) return;
    this.pV = align16(this.x.heapBase());
    this.pU = this.pV + align16(n * this.dp * 4);
    this.pX = this.pU + align16(this.dp * 4);
    this.pOut = this.pX + align16(bitsetWords(n) * 4);
    this.ensure(this.pOut);
    const v = new Float32Array(this.x.memory.buffer, this.pV, n * this.dp);
    for (let r = 0; r < n; r++) v.set(data.subarray(r * d, r * d + d), r * this.dp);
  }

  private ensure(bytes: number): void {
    const need = bytes - this.x!.memory.buffer.byteLength;
    if (need > 0) this.x!.memory.grow(Math.ceil(need / PAGE));
  }

  /** The k best items for `query` (length d), skipping items whose bit is set in `exclude`. */
  search(query: Float32Array, k: number, exclude?: Uint32Array): TopK {
    if (!this.x) return referenceKernels.gemmTopK(query, this.data, 1, this.n, this.d, k, exclude);
    const x = this.x;
    if (k > this.capK) {
      this.capK = k;
      this.ensure(this.pOut + 8 * k);
    }
    const mem = x.memory.buffer;
    const u = new Float32Array(mem, this.pU, this.dp);
    u.fill(0);
    u.set(query.subarray(0, this.d));
    if (exclude) new Uint32Array(mem, this.pX, bitsetWords(this.n)).set(exclude.subarray(0, bitsetWords(this.n)));
    const pS = this.pOut;
    const pI = this.pOut + 4 * k;
    x.gemmTopK(this.pU, this.pV, 1, this.n, this.dp, k, exclude ? this.pX : 0, pS, pI);
    return { scores: new Float32Array(mem, pS, k).slice(), items: new Int32Array(mem, pI, k).slice() };
  }
}
