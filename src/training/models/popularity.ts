// aws-popularity-count: items ranked by how many distinct users interacted with them.
import type { Sequences } from '../data.js';
import type { Artifact } from '../artifact.js';
import type { Model, Recipe } from './model.js';

const VERSION = 1;

class Popularity implements Model {
  readonly recipe = 'aws-popularity-count';
  constructor(readonly counts: Float32Array) {}
  get nItems() { return this.counts.length; }
  score(_history: Int32Array, out: Float32Array): void {
    out.set(this.counts);
  }
  toArtifact(): Artifact {
    return { recipe: this.recipe, version: VERSION, params: {}, arrays: { counts: this.counts } };
  }
}

export const popularity: Recipe<Record<string, never>> = {
  version: VERSION,
  defaults: {},
  train(data: Sequences): Model {
    const counts = new Float32Array(data.nItems);
    const last = new Int32Array(data.nItems).fill(-1);
    for (let u = 0; u < data.nUsers; u++) {
      for (let p = data.offsets[u]; p < data.offsets[u + 1]; p++) {
        const i = data.items[p];
        if (last[i] !== u) { last[i] = u; counts[i]++; }
      }
    }
    return new Popularity(counts);
  },
  load: (a) => new Popularity(a.arrays.counts as Float32Array),
};
