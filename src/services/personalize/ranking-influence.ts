// rankingInfluence (campaignConfig and batchInferenceJobConfig) for aws-semantic-similarity: related
// items are re-ranked by their similarity plus weighted popularity and freshness. Similarity is
// scaled to [-1, 1] per query and popularity (log interactions) and freshness (CREATION_TIMESTAMP)
// to [0, 1] over the catalogue, so each weight (0 to 1) means the same for every model.

/** The one recipe that takes rankingInfluence. */
export const RANKING_INFLUENCE_RECIPE = 'aws-semantic-similarity';

/**
 * Each of n items' addition to its scaled similarity; undefined when no weight is set.
 * `count(i)`: item i's interactions (imported and live); `created`: CREATION_TIMESTAMP per item (NaN: none).
 */
export function influenceOf(n: number, weights: Record<string, unknown> | undefined, count: (i: number) => number, created: Float64Array | undefined): Float32Array | undefined {
  const pop = Number(weights?.POPULARITY ?? 0);
  const fresh = Number(weights?.FRESHNESS ?? 0);
  if (!(pop > 0) && !(fresh > 0)) return undefined;
  const lift = new Float32Array(n);
  if (pop > 0) {
    const logs = new Float64Array(n);
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, (logs[i] = Math.log1p(count(i))));
    if (max > 0) for (let i = 0; i < n; i++) lift[i] += (pop * logs[i]) / max;
  }
  if (fresh > 0 && created) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n && i < created.length; i++) if (!Number.isNaN(created[i])) [lo, hi] = [Math.min(lo, created[i]), Math.max(hi, created[i])];
    if (hi > lo) for (let i = 0; i < n && i < created.length; i++) if (!Number.isNaN(created[i])) lift[i] += (fresh * (created[i] - lo)) / (hi - lo);
  }
  return lift;
}

/** Similarity scores (one per model item) scaled to [-1, 1] with the influence added, in place. */
export function applyInfluence(scores: Float32Array, lift: Float32Array): void {
  let max = 0;
  for (const v of scores) max = Math.max(max, Math.abs(v));
  for (let j = 0; j < scores.length; j++) scores[j] = (max ? scores[j] / max : 0) + lift[j];
}
