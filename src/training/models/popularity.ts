// aws-popularity-count: items ranked by how many distinct users interacted with them.
import type { Sequences } from '../data.js';
import type { Artifact } from '../artifact.js';
import type { Model, Recipe } from './model.js';

const VERSION = 1;

/** The latest interaction time in `data` (a model's horizon: later interactions are new to it). */
export function horizonOf(data: Sequences): number {
  let h = -Number.MAX_VALUE;
  for (const t of data.times) if (t > h) h = t;
  return h;
}

/**
 * Adds to `counts` (grown to data.nItems) each user's first interaction with an item that comes
 * after `horizon`: distinct users per item, counting only what is new since the horizon.
 */
export function addUserCounts(counts: Float32Array, data: Sequences, horizon: number): Float32Array {
  const out = new Float32Array(data.nItems);
  out.set(counts.subarray(0, Math.min(counts.length, data.nItems)));
  const last = new Int32Array(data.nItems).fill(-1);
  for (let u = 0; u < data.nUsers; u++) {
    for (let p = data.offsets[u]; p < data.offsets[u + 1]; p++) {
      const i = data.items[p];
      if (last[i] === u) continue;
      last[i] = u;
      if (data.times[p] > horizon) out[i]++;
    }
  }
  return out;
}

export class Popularity implements Model {
  readonly recipe = 'aws-popularity-count';
  /** `horizon`: the latest interaction counted (absent in models from before updates existed). */
  constructor(readonly counts: Float32Array, readonly horizon?: number) {}
  get nItems() { return this.counts.length; }
  score(_history: Int32Array, out: Float32Array): void {
    out.set(this.counts);
  }
  toArtifact(): Artifact {
    return { recipe: this.recipe, version: VERSION, params: this.horizon === undefined ? {} : { horizon: this.horizon }, arrays: { counts: this.counts } };
  }
}

export const popularity: Recipe<Record<string, never>> = {
  version: VERSION,
  defaults: {},
  train(data: Sequences, _params, side): Model {
    const counts = addUserCounts(new Float32Array(0), data, -Infinity);
    side?.onProgress?.('training', 1);
    return new Popularity(counts, horizonOf(data));
  },
  load: (a) => new Popularity(a.arrays.counts as Float32Array, a.params.horizon as number | undefined),
};
