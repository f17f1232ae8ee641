// Top-k retrieval over a factor model's item vectors for serving: exact (resident wasm GEMM) from
// the start, and an HNSW index built on a worker thread for large catalogues, used once ready and
// only if its calibrated recall@10 reaches `minRecall` (else serving stays exact). Very selective
// exclusions go to the exact scan, where HNSW would walk most of the graph anyway.
import { Worker } from 'node:worker_threads';
import type { TopK } from '../kernels/types.js';
import { ExactIndex } from './exact.js';
import { HnswIndex, type HnswGraph, type HnswParams } from './hnsw.js';
import type { Calibration } from './calibrate.js';

export { ExactIndex } from './exact.js';
export { buildHnsw, HnswIndex, HNSW_DEFAULTS, type HnswGraph, type HnswParams } from './hnsw.js';
export { calibrate, EF_STEPS, type Calibration } from './calibrate.js';

export interface FactorIndexOptions {
  /** Catalogues at least this large get an HNSW index (Infinity: never). */
  annMinItems: number;
  /** Recall@10 against exact top-k the index must reach (at some calibrated ef) to serve. */
  minRecall: number;
  /** Below this share of allowed items, search exactly. */
  minAllowedShare: number;
  hnsw?: Partial<HnswParams>;
}

export const FACTOR_INDEX_DEFAULTS: FactorIndexOptions = { annMinItems: 50_000, minRecall: 0.9, minAllowedShare: 0.05 };

/** Builds and calibrates the graph on a worker thread. */
export function buildHnswOffThread(data: Float32Array, n: number, d: number, params: Partial<HnswParams>, recall: number): Promise<{ graph: HnswGraph; calibration: Calibration }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./build-worker.js', import.meta.url), { workerData: { data, n, d, params, recall } });
    worker.once('message', (m: { graph: HnswGraph; calibration: Calibration }) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`HNSW build worker exited with code ${code}`)));
  });
}

function popcount(w: number): number {
  w -= (w >>> 1) & 0x55555555;
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export class FactorIndex {
  readonly exact: ExactIndex;
  private ann: HnswIndex | undefined;
  /** The ANN's calibration, once built (also when it fell short and serving stays exact). */
  calibration: Calibration | undefined;
  /** Settles when the ANN index is ready (at once when there is none to build). */
  readonly ready: Promise<void>;
  readonly options: FactorIndexOptions;

  constructor(readonly data: Float32Array, readonly n: number, readonly d: number, options: Partial<FactorIndexOptions> = {}) {
    this.options = { ...FACTOR_INDEX_DEFAULTS, ...options };
    this.exact = new ExactIndex(data, n, d);
    this.ready = n >= this.options.annMinItems
      ? buildHnswOffThread(data, n, d, this.options.hnsw ?? {}, this.options.minRecall).then(({ graph, calibration }) => {
        this.calibration = calibration;
        if (calibration.good) this.ann = new HnswIndex(graph);
      }, () => { /* exact keeps serving */ })
      : Promise.resolve();
  }

  get approximate(): boolean {
    return this.ann !== undefined;
  }

  /** The k best items for the query; `exclude` bits (n wide) are items to skip. */
  search(query: Float32Array, k: number, exclude?: Uint32Array): TopK {
    if (this.ann && k < this.n && (!exclude || this.allowedShare(exclude) >= this.options.minAllowedShare)) {
      return this.ann.search(query, k, Math.max(this.calibration!.ef, k), exclude);
    }
    return this.exact.search(query, Math.min(k, this.n), exclude);
  }

  private allowedShare(exclude: Uint32Array): number {
    let excluded = 0;
    const words = (this.n + 31) >>> 5;
    for (let w = 0; w < words; w++) if (exclude[w]) excluded += popcount(exclude[w]);
    return 1 - excluded / this.n;
  }
}
