// Generated data with planted structure for tests: users belong to taste clusters of items and
// walk their cluster's items in a fixed cyclic order (a sequential chain), with some noise from a
// few globally popular items. Popularity alone can only find the noise; an item-item model finds
// the cluster; a sequential model finds the next step of the chain.
import { fromLists, type Sequences } from './data.js';
import { rng } from './metrics.js';

export function plantedData(opts: { users?: number; clusters?: number; clusterSize?: number; popular?: number; seed?: number } = {}): Sequences {
  const { users = 400, clusters = 8, clusterSize = 12, popular = 6, seed = 7 } = opts;
  const next = rng(seed);
  const nItems = clusters * clusterSize + popular;
  const lists: number[][] = [];
  for (let u = 0; u < users; u++) {
    const c = Math.floor(next() * clusters);
    let pos = Math.floor(next() * clusterSize);
    // A user can't have more distinct items than their cluster and the popular ones hold.
    const len = Math.min(6 + Math.floor(next() * 10), clusterSize + popular);
    const seen = new Set<number>();
    const list: number[] = [];
    while (list.length < len) {
      const item = next() < 0.2 ? clusters * clusterSize + Math.floor(next() * popular) : c * clusterSize + (pos++ % clusterSize);
      if (!seen.has(item)) { seen.add(item); list.push(item); }
    }
    lists.push(list);
  }
  return fromLists(lists, nItems);
}
