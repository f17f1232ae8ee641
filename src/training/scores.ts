// Recommendation scores as Amazon Personalize defines them: a softmax of the model's scores,
// over the whole catalogue for User-Personalization (all items' scores sum to 1) and over the
// request's input list for Personalized-Ranking. Model scores are not calibrated logits, so they
// are divided by a temperature first; Personalize shows scores to 7 decimal places.

/** Model scores of the recipes here lie mostly within [0, 1]; 0.1 spreads them to useful odds. */
export const DEFAULT_TEMPERATURE = 0.1;

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

/** log Σ exp(s/temperature) over `scores`, computed stably. */
function logSumExp(scores: ArrayLike<number>, temperature: number): number {
  let max = -Infinity;
  for (let j = 0; j < scores.length; j++) if (scores[j] > max) max = scores[j];
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let j = 0; j < scores.length; j++) sum += Math.exp((scores[j] - max) / temperature);
  return max / temperature + Math.log(sum);
}

/**
 * GetRecommendations scores: for each of `items` (indexes into `all`, the model's scores for
 * every catalogue item), its softmax probability over the whole catalogue, rounded.
 */
export function catalogueScores(all: Float32Array, items: ArrayLike<number>, temperature = DEFAULT_TEMPERATURE): number[] {
  const lse = logSumExp(all, temperature);
  return Array.from(items, (i) => round7(Math.exp(all[i] / temperature - lse)));
}

/**
 * GetPersonalizedRanking scores: softmax over the input list only. `items` are indexes into
 * `all`, or -1 for an item the model has not seen, which scores 0 and takes no share.
 */
export function rankingScores(all: Float32Array, items: ArrayLike<number>, temperature = DEFAULT_TEMPERATURE): number[] {
  const known = Array.from(items).filter((i) => i >= 0).map((i) => all[i]);
  const lse = logSumExp(known, temperature);
  return Array.from(items, (i) => (i >= 0 ? round7(Math.exp(all[i] / temperature - lse)) : 0));
}
