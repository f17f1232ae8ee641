// The order a popularity model serves items in, with PutEvents counted as they arrive: the
// trained counts plus live counts. Items with live events are re-sorted (once per change of the
// live counts) and merged into the trained order, so a call walks only as far as it needs.
import type { GroupLive } from '../personalize-events/live.js';
import type { Endpoint } from './endpoints.js';

export interface Ranked {
  /** Catalogue index. */
  index: number;
  count: number;
}

/** The trained order as catalogue indexes, and each catalogue item's trained count. */
interface Trained {
  order: Int32Array;
  counts: Float64Array;
  total: number;
}

interface Boosted {
  version: number;
  list: Ranked[];
  moved: Set<number>;
  total: number;
}

const boosts = new WeakMap<Endpoint, Boosted>();
const trainedOrders = new WeakMap<Endpoint, Trained>();

function trained(e: Endpoint): Trained {
  let t = trainedOrders.get(e);
  if (!t) {
    const order = Int32Array.from(e.model.items, (id) => e.catalogue.add(id));
    const counts = new Float64Array(e.trainedItems);
    let total = 0;
    order.forEach((index, r) => {
      counts[index] = e.model.counts[r];
      total += e.model.counts[r];
    });
    trainedOrders.set(e, (t = { order, counts, total }));
  }
  return t;
}

const trainedCount = (t: Trained, index: number) => (index < t.counts.length ? t.counts[index] : 0);

function boosted(e: Endpoint, live: GroupLive | undefined): Boosted {
  const version = live?.countsVersion ?? -1;
  const hit = boosts.get(e);
  if (hit?.version === version) return hit;
  const t = trained(e);
  const list: Ranked[] = [];
  let total = t.total;
  for (const [id, n] of live?.itemCounts ?? []) {
    const index = e.catalogue.add(id);
    list.push({ index, count: trainedCount(t, index) + n });
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
  const { order } = trained(e);
  const counts = e.model.counts;
  return {
    total: b.total,
    *walk() {
      let i = 0;
      let j = 0;
      for (;;) {
        while (i < order.length && b.moved.has(order[i])) i++;
        const a = i < order.length ? { index: order[i], count: counts[i] } : undefined;
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
  return trainedCount(trained(e), index) + (live?.itemCounts.get(e.catalogue.ids[index]) ?? 0);
}
