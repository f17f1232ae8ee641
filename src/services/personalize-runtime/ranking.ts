// The order a popularity model serves items in, with PutEvents counted as they arrive: the
// trained counts plus live counts. Items with live events are re-sorted (once per change of the
// live counts) and merged into the trained order, so a call walks only as far as it needs.
import type { GroupLive } from '../personalize-events/live.js';
import type { Endpoint } from './endpoints.js';

export interface Ranked {
  index: number;
  count: number;
}

interface Boosted {
  version: number;
  list: Ranked[];
  moved: Set<number>;
  total: number;
}

const boosts = new WeakMap<Endpoint, Boosted>();
const baseTotals = new WeakMap<Endpoint, number>();

function boosted(e: Endpoint, live: GroupLive | undefined): Boosted {
  const version = live?.countsVersion ?? -1;
  const hit = boosts.get(e);
  if (hit?.version === version) return hit;
  let base = baseTotals.get(e);
  if (base === undefined) baseTotals.set(e, (base = e.model.counts.reduce((a, b) => a + b, 0)));
  const list: Ranked[] = [];
  let total = base;
  for (const [id, n] of live?.itemCounts ?? []) {
    const index = e.catalogue.add(id);
    list.push({ index, count: (index < e.model.counts.length ? e.model.counts[index] : 0) + n });
    total += n;
  }
  list.sort((a, b) => b.count - a.count || a.index - b.index);
  const b = { version, list, moved: new Set(list.map((r) => r.index)), total };
  boosts.set(e, b);
  return b;
}

/** All items with interactions, most first; `total` is the sum of their counts (for scores). */
export function popularity(e: Endpoint, live: GroupLive | undefined): { total: number; walk(): Generator<Ranked> } {
  const b = boosted(e, live);
  const counts = e.model.counts;
  return {
    total: b.total,
    *walk() {
      let i = 0;
      let j = 0;
      for (;;) {
        while (i < counts.length && b.moved.has(i)) i++;
        const a = i < counts.length ? { index: i, count: counts[i] } : undefined;
        const c = b.list[j];
        if (!a && !c) return;
        if (c && (!a || c.count > a.count || (c.count === a.count && c.index < a.index))) {
          j++;
          yield c;
        } else {
          i++;
          yield a!;
        }
      }
    },
  };
}

/** The trained-plus-live count of one catalogue item. */
export function countOf(e: Endpoint, live: GroupLive | undefined, index: number): number {
  const trained = index < e.model.counts.length ? e.model.counts[index] : 0;
  return trained + (live?.itemCounts.get(e.catalogue.ids[index]) ?? 0);
}
