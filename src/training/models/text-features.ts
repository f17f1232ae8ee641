// Text and metadata features computed here, with no model weights: each document's terms are
// hashed into a fixed number of features (the hashing trick: no vocabulary to store), weighted by
// TF-IDF and L2-normalised, so the dot product of two documents is their cosine similarity.
import type { RowFn } from './sims.js';

/** Documents as sparse vectors (CSR): document d owns ids/weights[offsets[d]..offsets[d+1]), ids ascending. */
export interface SparseVectors {
  offsets: Int32Array;
  ids: Int32Array;
  weights: Float32Array;
  dim: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased runs of letters and digits. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** A text's terms: its words and adjacent word pairs (pairs keep some phrase meaning). */
export function textTerms(text: string): string[] {
  const words = tokenize(text);
  const terms = words.slice();
  for (let w = 1; w < words.length; w++) terms.push(`${words[w - 1]} ${words[w]}`);
  return terms;
}

/** FNV-1a over UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let c = 0; c < s.length; c++) h = Math.imul(h ^ s.charCodeAt(c), 0x01000193);
  return h >>> 0;
}

/**
 * TF-IDF vectors of term lists hashed into `dim` features: tf weighs 1 + ln(count), idf is
 * ln((1 + docs) / (1 + df)) + 1, and each vector has unit length (empty documents stay empty).
 */
export function hashedTfIdf(docs: readonly (readonly string[])[], dim: number): SparseVectors {
  const offsets = new Int32Array(docs.length + 1);
  let total = 0;
  for (const d of docs) total += d.length;
  const raw = new Int32Array(total);
  const ids = new Int32Array(total);
  const tf = new Float32Array(total);
  const df = new Int32Array(dim);
  let at = 0;
  docs.forEach((terms, d) => {
    const h = raw.subarray(0, terms.length);
    for (let t = 0; t < terms.length; t++) h[t] = hash(terms[t]) % dim;
    h.sort();
    for (let t = 0; t < h.length; t++) {
      if (t > 0 && h[t] === h[t - 1]) { tf[at - 1]++; continue; }
      ids[at] = h[t];
      tf[at++] = 1;
      df[h[t]]++;
    }
    offsets[d + 1] = at;
  });
  const weights = new Float32Array(at);
  for (let d = 0; d < docs.length; d++) {
    let norm = 0;
    for (let p = offsets[d]; p < offsets[d + 1]; p++) {
      const w = (1 + Math.log(tf[p])) * (Math.log((1 + docs.length) / (1 + df[ids[p]])) + 1);
      weights[p] = w;
      norm += w * w;
    }
    const f = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let p = offsets[d]; p < offsets[d + 1]; p++) weights[p] *= f;
  }
  return { offsets, ids: ids.slice(0, at), weights, dim };
}

/** TF-IDF vectors of texts (words and word pairs). */
export const textFeatures = (texts: readonly string[], dim: number): SparseVectors => hashedTfIdf(texts.map(textTerms), dim);

/**
 * Cosine similarity between documents as a RowFn, through an inverted index (feature → documents).
 * A row visits its rarest features first and stops before the one that would take it past
 * `budget` postings (the rarest is always read), so features shared by much of a large catalogue
 * cost nothing (their idf is low anyway); a row whose features' postings fit in `budget` is exact.
 */
export function cosineRows(v: SparseVectors, budget: number): RowFn {
  const nDocs = v.offsets.length - 1;
  const postStart = new Int32Array(v.dim + 1);
  for (const f of v.ids) postStart[f + 1]++;
  for (let f = 0; f < v.dim; f++) postStart[f + 1] += postStart[f];
  const fill = postStart.slice(0, v.dim);
  const postDoc = new Int32Array(v.ids.length);
  const postWeight = new Float32Array(v.ids.length);
  for (let d = 0; d < nDocs; d++) {
    for (let p = v.offsets[d]; p < v.offsets[d + 1]; p++) {
      const at = fill[v.ids[p]]++;
      postDoc[at] = d;
      postWeight[at] = v.weights[p];
    }
  }
  // Each document's entries, rarest feature first.
  const order = Int32Array.from({ length: v.ids.length }, (_, p) => p);
  const df = (p: number) => postStart[v.ids[p] + 1] - postStart[v.ids[p]];
  const byRarity = (p: number, q: number) => df(p) - df(q) || p - q;
  for (let d = 0; d < nDocs; d++) order.subarray(v.offsets[d], v.offsets[d + 1]).sort(byRarity);
  return (i, acc, touched) => {
    let t = 0;
    let read = 0;
    for (let x = v.offsets[i]; x < v.offsets[i + 1]; x++) {
      const p = order[x];
      const f = v.ids[p];
      const w = v.weights[p];
      const postings = postStart[f + 1] - postStart[f];
      // Features come rarest first, so once one does not fit, none after it does.
      if (read > 0 && read + postings > budget) break;
      read += postings;
      for (let e = postStart[f]; e < postStart[f + 1]; e++) {
        const d = postDoc[e];
        if (d === i) continue;
        if (acc[d] === 0) touched[t++] = d;
        acc[d] += w * postWeight[e];
      }
    }
    return t;
  };
}
