// aws-trending-now: the items whose interactions grow fastest. With W = trend_discovery_frequency
// (seconds), "now" the latest interaction, each item's interactions in the latest window
// (now − W, now] are compared with the window before; an item trends when it gained, ranked by
// (latest − previous) / √(previous + 1) — the gain in units of the previous count's Poisson noise,
// so a jump from 100 to 150 outranks one from 0 to 2. Every trending item ranks above every other;
// the rest (and everything, when neither window has interactions) follow by popularity. The list
// is the same for every user.
import type { Artifact } from '../artifact.js';
import type { Model, Recipe } from './model.js';

const VERSION = 1;

export interface TrendingParams {
  /** Window length in seconds (Personalize offers 30 minutes, 1 hour, 3 hours and 1 day). */
  trend_discovery_frequency: number;
}

class Trending implements Model {
  readonly recipe = 'aws-trending-now';
  constructor(readonly scores: Float32Array, readonly params: TrendingParams) {}
  get nItems() { return this.scores.length; }
  score(_history: Int32Array, out: Float32Array): void {
    out.set(this.scores);
  }
  toArtifact(): Artifact {
    return { recipe: this.recipe, version: VERSION, params: { ...this.params }, arrays: { scores: this.scores } };
  }
}

export const trending: Recipe<TrendingParams> = {
  version: VERSION,
  defaults: { trend_discovery_frequency: 86400 },
  train(data, params) {
    return new Trending(trendScores(data.nItems, data.items, data.times, params.trend_discovery_frequency), { ...params });
  },
  load: (a) => new Trending(a.arrays.scores as Float32Array, a.params as unknown as TrendingParams),
};

/** The trend window of a trending model (seconds), undefined for other models. */
export const trendWindow = (m: Model): number | undefined => (m instanceof Trending ? m.params.trend_discovery_frequency : undefined);

/** Scores over n items from interactions (item, time), now being the latest of them (see the header). */
export function trendScores(n: number, items: ArrayLike<number>, times: ArrayLike<number>, w: number): Float32Array {
  let now = -Infinity;
  for (let p = 0; p < times.length; p++) if (times[p] > now) now = times[p];
  const total = new Float32Array(n);
  const latest = new Float32Array(n);
  const previous = new Float32Array(n);
  for (let p = 0; p < items.length; p++) {
    const i = items[p];
    if (i < 0 || i >= n) continue;
    const age = now - times[p];
    total[i]++;
    if (age < w) latest[i]++;
    else if (age < 2 * w) previous[i]++;
  }
  // Popularity in [0, 1), trends in (1, 2]; a trend needs a gain.
  let maxTotal = 0;
  let maxTrend = 0;
  const trend = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    maxTotal = Math.max(maxTotal, total[i]);
    trend[i] = (latest[i] - previous[i]) / Math.sqrt(previous[i] + 1);
    maxTrend = Math.max(maxTrend, trend[i]);
  }
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) scores[i] = trend[i] > 0 ? 1 + trend[i] / maxTrend : total[i] / (maxTotal + 1);
  return scores;
}
