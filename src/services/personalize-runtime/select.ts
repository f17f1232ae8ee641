// Picks a response's items from ranked candidates: promoted items (their own filter) take the
// first places the ranking offers them, the rest go to the regular list (the request's filter).
// Candidates come as a stream (popularity) or as top-m lists: when a top-m list runs out before
// both lists are full, m doubles, so a selective filter costs more top-k calls, never a sort.
import { hasBit } from '../personalize/filter-language/index.js';
import type { Candidates } from './personalized.js';
import type { Ranked } from './ranking.js';

export interface Wanted {
  regular: number;
  promoted: number;
  allowed: Uint32Array | undefined;
  promoAllowed: Uint32Array | undefined;
  skip: number | undefined;
  /** Items already placed (explored ones). */
  taken?: ReadonlySet<number>;
}

export interface Picked {
  regular: Ranked[];
  promoted: Ranked[];
}

function fill(ranked: Iterable<Ranked>, w: Wanted): Picked & { full: boolean } {
  const regular: Ranked[] = [];
  const promoted: Ranked[] = [];
  for (const r of ranked) {
    if (regular.length >= w.regular && promoted.length >= w.promoted) break;
    if (r.index === w.skip || w.taken?.has(r.index)) continue;
    if (promoted.length < w.promoted && (!w.promoAllowed || hasBit(w.promoAllowed, r.index))) promoted.push(r);
    else if (regular.length < w.regular && (!w.allowed || hasBit(w.allowed, r.index))) regular.push(r);
  }
  return { regular, promoted, full: regular.length >= w.regular && promoted.length >= w.promoted };
}

/** From a stream walked as far as needed. */
export const pickFromStream = (ranked: Iterable<Ranked>, w: Wanted): Picked => fill(ranked, w);

/** From top-m lists, m doubling until both lists are full or the candidates run out. */
export function pickFromTop(c: Candidates, w: Wanted): Picked {
  for (let m = Math.max(1, w.regular + w.promoted); ; m *= 2) {
    const list = c.top(m);
    const got = fill(list, w);
    if (got.full || list.length < m) return got;
  }
}

/** The union of two allowed-items bitsets (undefined = every item). */
export function union(a: Uint32Array | undefined, b: Uint32Array | undefined): Uint32Array | undefined {
  if (!a || !b) return undefined;
  const out = a.slice();
  for (let w = 0; w < out.length && w < b.length; w++) out[w] |= b[w];
  return out;
}
