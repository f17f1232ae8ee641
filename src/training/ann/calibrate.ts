// Picks the search list size (ef) an HNSW index serves with: the smallest tried that reaches the
// wanted recall@10 against exact top-k, measured on queries made like user vectors (sums of a few
// item vectors). An index that reaches it at no size tried reports so, and serving stays exact.
import { ExactIndex } from './exact.js';
import type { HnswIndex } from './hnsw.js';

export const EF_STEPS = [32, 64, 128, 256, 512];

export interface Calibration {
  ef: number;
  recall: number;
  /** Whether `recall` reaches the wanted one. */
  good: boolean;
}

export function calibrate(ann: HnswIndex, data: Float32Array, n: number, d: number, want: number, queries = 100, seed = 7): Calibration {
  const exact = new ExactIndex(data, n, d);
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) >>> 0) % n;
  const qs = Array.from({ length: queries }, () => {
    const q = new Float32Array(d);
    for (let j = 0; j < 5; j++) {
      const i = next();
      for (let c = 0; c < d; c++) q[c] += data[i * d + c];
    }
    return q;
  });
  const truth = qs.map((q) => exact.search(q, 10).items);
  let best: Calibration = { ef: EF_STEPS[0], recall: 0, good: false };
  for (const ef of EF_STEPS) {
    let hit = 0;
    qs.forEach((q, p) => {
      for (const i of ann.search(q, 10, ef).items) if (truth[p].includes(i)) hit++;
    });
    const recall = hit / (10 * queries);
    if (recall > best.recall) best = { ef, recall, good: recall >= want };
    if (recall >= want) return best;
  }
  return best;
}
