// aws-semantic-similarity: items similar in meaning of their text, from TF-IDF vectors of words
// and word pairs the engine computes itself (text-features.ts; no downloaded model). Interactions
// are optional: they only order the popular items an item without text neighbours falls back to.
import type { Recipe } from './model.js';
import { Neighbours, NEIGHBOURS_VERSION, topRows, userCounts, type NeighbourScoring } from './sims.js';
import { cosineRows, textFeatures } from './text-features.js';

export interface SemanticParams extends NeighbourScoring {
  neighbours: number;
  /** Hashed feature count of the text vectors. */
  dimension: number;
  /** Postings read per item when finding neighbours (cosineRows). */
  budget: number;
}

export const semantic: Recipe<SemanticParams> = {
  version: NEIGHBOURS_VERSION,
  defaults: { neighbours: 100, recentItems: 20, recencyDecay: 0.8, dimension: 1 << 18, budget: 4000 },
  train(data, params, side) {
    const n = data.nItems;
    const texts = Array.from({ length: n }, (_, i) => side?.itemText?.[i] ?? '');
    const rows = topRows(n, params.neighbours, cosineRows(textFeatures(texts, params.dimension), params.budget), { onProgress: side?.onProgress });
    return new Neighbours('aws-semantic-similarity', rows.rowStart, rows.cols, rows.vals, userCounts(data), { ...params });
  },
  load: Neighbours.load,
};
