// Hyper-parameter optimisation for solutions with performHPO: a seeded random search within the
// solution's hpoConfig ranges, each candidate trained on part of the training users and scored
// on the rest (Personalize's split again, one level down), so the test users never steer it.
// USER_SEGMENTATION recipes are tuned on their own split and metrics (recall by default): each
// candidate trains on the oldest part of what the measured model trains on and is scored on the
// rest, so the held-out interactions never steer it either.
import type { Sequences, SideData } from './data.js';
import type { Model } from './models/model.js';
import { evaluate, personalizeSplit, rng, segmentationSplit, segmentMetrics } from './metrics.js';
import { itemsPerToken } from './models/affinity.js';
import { RECIPES, trainModel, UnknownRecipe } from './registry.js';

/** Personalize's HPOConfig (numbers arrive as strings in the API, as there). */
export interface HpoConfig {
  hpoObjective?: { type?: string; metricName?: string };
  hpoResourceConfig?: { maxNumberOfTrainingJobs?: string; maxParallelTrainingJobs?: string };
  algorithmHyperParameterRanges?: {
    integerHyperParameterRanges?: { name?: string; minValue?: number; maxValue?: number }[];
    continuousHyperParameterRanges?: { name?: string; minValue?: number; maxValue?: number }[];
    categoricalHyperParameterRanges?: { name?: string; values?: string[] }[];
  };
}

export interface HpoResult {
  /** The best candidate's parameters (fixed ones included). */
  params: Record<string, number>;
  /** Its objective metric on the validation users. */
  objective: number;
}

const DEFAULT_METRIC = 'normalized_discounted_cumulative_gain_at_10';
const SEGMENT_METRIC = 'recall';
/** The USER_SEGMENTATION recipes. */
const SEGMENTATION = new Set(['aws-item-affinity', 'aws-item-attribute-affinity']);

/** How candidates are trained and scored: the data they train on, and their metrics. */
interface Validation {
  train: Sequences;
  side?: SideData;
  measure(m: Model): Record<string, number>;
  defaultMetric: string;
}

function validationFor(recipe: string, seq: Sequences, side: SideData | undefined, seed: number): Validation {
  if (SEGMENTATION.has(recipe)) {
    const split = segmentationSplit(segmentationSplit(seq).train);
    const queries = recipe === 'aws-item-attribute-affinity' ? itemsPerToken(side?.itemTokens, seq.nItems) : undefined;
    // The split keeps users and items as they are, so the side data (without the job's progress) lines up.
    const quiet = side && { ...side, onProgress: undefined };
    return { train: split.train, side: quiet, measure: (m) => segmentMetrics(m, split, queries), defaultMetric: SEGMENT_METRIC };
  }
  // This split renumbers users, so the side data would not line up: candidates do without it.
  const val = personalizeSplit(seq, seed + 1);
  return { train: val.train, measure: (m) => evaluate(m, val), defaultMetric: DEFAULT_METRIC };
}
const DEFAULT_JOBS = 10;

type Sampler = (next: () => number) => number;

/** One sampler per tunable parameter the recipe has; ranges on other names change nothing and are skipped. */
function samplers(config: HpoConfig, known: Set<string>): Map<string, Sampler> {
  const out = new Map<string, Sampler>();
  const r = config.algorithmHyperParameterRanges ?? {};
  for (const { name, minValue = 0, maxValue = minValue } of r.integerHyperParameterRanges ?? []) {
    if (name && known.has(name)) out.set(name, (next) => Math.floor(minValue + next() * (maxValue - minValue + 1)));
  }
  for (const { name, minValue = 0, maxValue = minValue } of r.continuousHyperParameterRanges ?? []) {
    if (!name || !known.has(name)) continue;
    // Ranges spanning orders of magnitude (regularisation, learning rates) are searched on a log scale.
    const log = minValue > 0 && maxValue / minValue >= 100;
    out.set(name, log
      ? (next) => minValue * Math.pow(maxValue / minValue, next())
      : (next) => minValue + next() * (maxValue - minValue));
  }
  for (const { name, values = [] } of r.categoricalHyperParameterRanges ?? []) {
    const numbers = values.map((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v))).filter((v) => Number.isFinite(v));
    if (name && known.has(name) && numbers.length) out.set(name, (next) => numbers[Math.floor(next() * numbers.length)]);
  }
  return out;
}

/**
 * Searches `recipe`'s hyper-parameters: the first candidate is the recipe's defaults under
 * `fixed`, the others draw every ranged parameter at random; the best by the objective wins.
 */
export function tuneHyperparameters(recipe: string, seq: Sequences, config: HpoConfig, side?: SideData, fixed: Record<string, number> = {}, seed = 42): HpoResult {
  const r = RECIPES.get(recipe);
  if (!r) throw new UnknownRecipe(`no trainer for recipe ${recipe}`);
  const ranges = samplers(config, new Set(Object.keys(r.defaults as object)));
  const jobs = Math.max(1, Number(config.hpoResourceConfig?.maxNumberOfTrainingJobs ?? DEFAULT_JOBS) || DEFAULT_JOBS);
  const val = validationFor(recipe, seq, side, seed);
  const metric = config.hpoObjective?.metricName || val.defaultMetric;
  const sign = config.hpoObjective?.type === 'Minimize' ? -1 : 1;
  const next = rng(seed);
  let best: HpoResult | undefined;
  for (let job = 0; job < jobs; job++) {
    const params = { ...fixed };
    if (job > 0) for (const [name, draw] of ranges) params[name] = draw(next);
    const m = val.measure(trainModel(recipe, val.train, params, val.side));
    const objective = m[metric] ?? m[val.defaultMetric];
    if (!best || sign * objective > sign * best.objective) best = { params: { ...(r.defaults as Record<string, number>), ...params }, objective };
    side?.onProgress?.('tuning', (job + 1) / jobs);
    if (ranges.size === 0) break;
  }
  return best!;
}
