// Dense kernel speed: gemmTopK GFLOP/s (first call in a fresh instance, then warm) and EASE's
// item-item inverse on a synthetic catalogue (seconds, GFLOP/s, peak RSS, accuracy against the
// f64 TS reference where that is affordable).
// Usage: node dist/bench/kernels.js [gemm] [ease <items> [users]] — `npm run bench kernels` runs
// both at small sizes; the EASE size of a real catalogue is best run alone (its peak RSS is the process's).
import { fromLists } from '../src/training/data.js';
import { referenceKernels } from '../src/training/kernels/reference.js';
import { wasmKernels } from '../src/training/kernels/wasm.js';
import { ease, gram } from '../src/training/models/ease.js';
import { round } from './stats.js';

/** Deterministic pseudo-random floats in [-1, 1). */
function rand(seed: number, len: number): Float32Array {
  const a = new Float32Array(len);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    a[i] = s / 2 ** 31 - 1;
  }
  return a;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function gemm(b: number, n: number, d: number, k: number, reps: number) {
  const users = rand(1, b * d);
  const items = rand(2, n * d);
  const flops = 2 * b * n * d;
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    wasmKernels.gemmTopK(users, items, b, n, d, k);
    times.push((performance.now() - t0) / 1000);
  }
  const gf = (t: number) => round(flops / t / 1e9, 1);
  return { b, n, d, k, firstCallGflops: gf(times[0]), warmBestGflops: gf(Math.min(...times.slice(1))), warmMedianGflops: gf(median(times.slice(1))) };
}

/** A synthetic implicit-feedback catalogue: popularity-skewed items, 20–200 per user. */
function catalogue(nItems: number, nUsers: number) {
  const r = rand(7, nUsers * 201);
  const lists = Array.from({ length: nUsers }, (_, u) => {
    const len = 20 + Math.floor((r[u * 201] + 1) * 90);
    return Array.from({ length: len }, (_, p) => Math.floor(((r[u * 201 + 1 + p] + 1) / 2) ** 2 * nItems));
  });
  return fromLists(lists, nItems);
}

function easeRun(nItems: number, nUsers: number, check: boolean) {
  const data = catalogue(nItems, nUsers);
  const lambda = 200;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const model = ease.train(data, { lambda, recencyDecay: 1, recencyFloor: 1 });
  const seconds = (performance.now() - t0) / 1000;
  // CPU time too: on a shared machine it is the steadier figure.
  const cpu = process.cpuUsage(cpu0);
  const out: Record<string, number> = { items: nItems, users: nUsers, trainSeconds: round(seconds), trainCpuSeconds: round((cpu.user + cpu.system) / 1e6), inverseGflops: round(nItems ** 3 / seconds / 1e9, 1), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  if (check) {
    // Against B from the f64 reference inverse: the largest error relative to B's largest entry.
    const ref = referenceKernels.easeWeights(nItems, lambda, (g) => gram(data, g));
    const b = model.toArtifact().arrays.b as Float32Array;
    let maxErr = 0, maxB = 0;
    for (let i = 0; i < nItems * nItems; i++) {
      maxErr = Math.max(maxErr, Math.abs(ref[i] - b[i]));
      maxB = Math.max(maxB, Math.abs(ref[i]));
    }
    out.maxAbsErrorOverMaxB = Number((maxErr / maxB).toExponential(2));
  }
  return out;
}

export function run(args: string[] = []) {
  const result: Record<string, unknown> = {};
  if (args.length === 0 || args.includes('gemm')) {
    result.gemmTopK = [gemm(256, 3706, 64, 10, 8), gemm(256, 20000, 128, 10, 5), gemm(1, 20000, 64, 10, 20)];
  }
  const at = args.indexOf('ease');
  if (args.length === 0 || at >= 0) {
    const n = at >= 0 && args[at + 1] ? Number(args[at + 1]) : 1500;
    const users = at >= 0 && args[at + 2] ? Number(args[at + 2]) : 4 * n;
    result.ease = easeRun(n, users, n <= 2000);
  }
  return result;
}

if (process.argv[1]?.endsWith('kernels.js')) console.log(JSON.stringify(run(process.argv.slice(2)), null, 2));
