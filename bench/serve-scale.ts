// How one query's latency grows with the catalogue: exact top-k over resident item factors (wasm
// GEMM) against the HNSW index (its build time and recall@10 against the exact answer), for
// synthetic clustered 64-dimension factors, queries drawn from the same distribution. The index
// searches with the list size its calibration picks, as serving does.
import { ExactIndex, buildHnsw, HnswIndex, calibrate, FACTOR_INDEX_DEFAULTS } from '../src/training/ann/index.js';
import { summarise, round } from './stats.js';
import { uniform } from './serve-setup.js';

function factors(rows: number, d: number, clusters: number, seed: number): Float32Array {
  const r = uniform(seed);
  const centres = Float32Array.from({ length: clusters * d }, () => r() * 2 - 1);
  const out = new Float32Array(rows * d);
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(r() * clusters);
    const norm = 0.5 + r();
    for (let j = 0; j < d; j++) out[i * d + j] = (centres[c * d + j] + 0.5 * (r() * 2 - 1)) * norm;
  }
  return out;
}

function time(n: number, fn: (q: number) => void): Float64Array {
  const out = new Float64Array(n);
  for (let q = 0; q < n; q++) {
    const t = process.hrtime.bigint();
    fn(q);
    out[q] = Number(process.hrtime.bigint() - t);
  }
  return out;
}

export function scale(sizes: number[], opts: { d?: number; queries?: number; log: (m: string) => void }) {
  const d = opts.d ?? 64;
  const queries = opts.queries ?? 300;
  const rows = [];
  for (const n of sizes) {
    const all = factors(n + queries, d, Math.max(50, Math.round(Math.sqrt(n))), 9);
    const data = all.subarray(0, n * d);
    const q = (i: number) => all.subarray((n + i) * d, (n + i + 1) * d);
    const exact = new ExactIndex(data, n, d);
    const truth = Array.from({ length: queries }, (_, i) => exact.search(q(i), 10).items);
    const exactLat = summarise(time(queries, (i) => exact.search(q(i), 25)));
    // Fewer links and a smaller build list for a million items keep the build to minutes.
    const params = n >= 1_000_000 ? { m: 12, efConstruction: 64 } : { m: 16, efConstruction: 100 };
    let t = performance.now();
    const ann = new HnswIndex(buildHnsw(data, n, d, params));
    const buildS = (performance.now() - t) / 1000;
    const { ef, recall: calibrated } = calibrate(ann, data, n, d, FACTOR_INDEX_DEFAULTS.minRecall);
    let recall = 0;
    for (let i = 0; i < queries; i++) {
      const got = ann.search(q(i), 10, ef).items;
      recall += [...got].filter((x) => truth[i].includes(x)).length / 10;
    }
    const annLat = summarise(time(queries, (i) => ann.search(q(i), 25, ef)));
    t = performance.now();
    const row = {
      items: n, dim: d,
      exactP50Us: round(exactLat.p50Us), exactP99Us: round(exactLat.p99Us),
      annP50Us: round(annLat.p50Us), annP99Us: round(annLat.p99Us),
      annRecallAt10: round(recall / queries, 3), annEf: ef, calibrationRecall: round(calibrated, 3), annM: params.m, annEfConstruction: params.efConstruction, annBuildSeconds: round(buildS, 1),
    };
    opts.log(`  ${JSON.stringify(row)}`);
    rows.push(row);
  }
  return rows;
}
