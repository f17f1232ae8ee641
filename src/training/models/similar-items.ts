// aws-similar-items: co-occurrence (as SIMS) blended with metadata similarity, so items without
// interactions but with metadata still get neighbours and appear among others' neighbours.
// Metadata is each item's categorical tokens ("FIELD=value") and the terms of its text fields,
// as hashed TF-IDF vectors compared by cosine (text-features.ts).
import type { SideData } from '../data.js';
import type { Recipe } from './model.js';
import { cooccurrence, Neighbours, NEIGHBOURS_VERSION, topRows, userCounts, type RowFn, type SimsParams } from './sims.js';
import { cosineRows, hashedTfIdf, textTerms } from './text-features.js';

export interface SimilarItemsParams extends SimsParams {
  /** Share of metadata similarity in the blend (the rest is co-occurrence, scaled so each row's best is 1). */
  metadataWeight: number;
  /** Hashed feature count of the metadata vectors. */
  dimension: number;
  /** Postings read per item when finding metadata neighbours (cosineRows). */
  budget: number;
}

/** Each item's metadata terms: its tokens and the words of its text. */
export function metadataTerms(side: SideData | undefined, n: number): string[][] {
  return Array.from({ length: n }, (_, i) => [...(side?.itemTokens?.[i] ?? []), ...textTerms(side?.itemText?.[i] ?? '')]);
}

/** (1 − w)·a, scaled to a row maximum of 1, plus w·b. */
function blend(a: RowFn, b: RowFn, w: number, n: number): RowFn {
  const acc2 = new Float32Array(n);
  const touched2 = new Int32Array(n);
  return (i, acc, touched) => {
    const ta = a(i, acc, touched);
    let t = 0;
    let max = 0;
    for (let x = 0; x < ta; x++) {
      const j = touched[x];
      if (acc[j] !== 0) { touched[t++] = j; max = Math.max(max, acc[j]); }
    }
    const f = max > 0 ? (1 - w) / max : 0;
    for (let x = 0; x < t; x++) acc[touched[x]] *= f;
    const tb = b(i, acc2, touched2);
    for (let x = 0; x < tb; x++) {
      const j = touched2[x];
      const v = acc2[j];
      acc2[j] = 0;
      if (v === 0) continue;
      if (acc[j] === 0) touched[t++] = j;
      acc[j] += w * v;
    }
    return t;
  };
}

export const similarItems: Recipe<SimilarItemsParams> = {
  version: NEIGHBOURS_VERSION,
  defaults: {
    popularity_discount_factor: 0.5, min_cointeraction_count: 1,
    min_user_history_length_percentile: 0, max_user_history_length_percentile: 1,
    neighbours: 100, recentItems: 20, recencyDecay: 0.8, metadataWeight: 0.3, dimension: 1 << 18, budget: 4000,
  },
  train(data, params, side) {
    const n = data.nItems;
    const meta = cosineRows(hashedTfIdf(metadataTerms(side, n), params.dimension), params.budget);
    const rows = topRows(n, params.neighbours, blend(cooccurrence(data, params), meta, params.metadataWeight, n), { onProgress: side?.onProgress });
    return new Neighbours('aws-similar-items', rows.rowStart, rows.cols, rows.vals, userCounts(data), { ...params });
  },
  load: Neighbours.load,
};
