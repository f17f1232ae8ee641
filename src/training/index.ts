// The training engine's entry point for the control plane: train a recipe on a dataset group's
// interactions, with Personalize's offline metrics, into a model file; load it back for serving.
import { toSequences, type Interactions, type SideData } from './data.js';
import { evaluate, personalizeSplit } from './metrics.js';
import { loadModel, RECIPES, serializeModel, trainModel } from './registry.js';
import { rankItems, recommend, type Model } from './models/model.js';
import { within } from './progress.js';

export { fromColumns, type Interactions, type SideData } from './data.js';
export { loadModel, rankItems, recommend, RECIPES, type Model };
export { catalogueScores, rankingScores, DEFAULT_TEMPERATURE } from './scores.js';
export { tuneHyperparameters, type HpoConfig, type HpoResult } from './hpo.js';
export { updateModel } from './update.js';

/** The metrics GetSolutionMetrics returns (Personalize's names). */
const METRIC_NAMES = [
  'coverage', 'mean_reciprocal_rank_at_25',
  'normalized_discounted_cumulative_gain_at_5', 'normalized_discounted_cumulative_gain_at_10', 'normalized_discounted_cumulative_gain_at_25',
  'precision_at_5', 'precision_at_10', 'precision_at_25',
];

export interface TrainedSolution {
  /** The model file (artifact.ts format). */
  model: Buffer;
  metrics: Record<string, number>;
  trainSeconds: number;
}

/**
 * Trains `recipe` as a solution version does: first on 90% of users to measure the metrics on
 * the held-out 10% (Personalize's split), then on everything for the model that serves.
 * `side.onProgress` hears 'metrics' for the first half of the job and 'training' for the second.
 */
export function trainSolution(recipe: string, data: Interactions, params: Record<string, number> = {}, seed = 42, side?: SideData): TrainedSolution {
  const t0 = performance.now();
  const seq = toSequences(data);
  const split = personalizeSplit(seq, seed);
  const measured = trainModel(recipe, split.train, params, within(side, 0, 0.4, 'metrics'));
  const all = evaluate(measured, split, 25, (f) => side?.onProgress?.('metrics', 0.4 + 0.1 * f));
  const metrics = Object.fromEntries(METRIC_NAMES.map((k) => [k, Math.round(all[k] * 10000) / 10000]));
  const model = serializeModel(trainModel(recipe, seq, params, within(side, 0.5, 1, 'training')));
  return { model, metrics, trainSeconds: (performance.now() - t0) / 1000 };
}
