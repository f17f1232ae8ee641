// Exploration for user-personalization campaigns (personalize/exploration.ts says which items are
// new); the list of candidates is built once per change of the catalogue's metadata.
import { hasBit, type ItemAttributes } from '../personalize/filter-language/index.js';
import type { Endpoint } from './endpoints.js';
import { countOf } from './ranking.js';
import { interactionRows } from './group-data.js';
import type { GroupLive } from '../personalize-events/live.js';
import { explorationOf, recentlyCreated } from '../personalize/exploration.js';

const settings = (e: Endpoint) => explorationOf(e.recipe?.name, e.config.itemExplorationConfig as Record<string, unknown> | undefined);

/** The configured weight, 0 when the campaign does not explore. */
export const explorationWeight = (e: Endpoint): number => settings(e)?.weight ?? 0;

/** Items created within the cut-off, newest first (catalogue indexes), per metadata snapshot. */
const recentByItems = new WeakMap<ItemAttributes, { key: string; items: number[] }>();

function recentItems(e: Endpoint): number[] {
  const attrs = e.catalogue.attributes();
  const cutoff = settings(e)?.cutoff ?? 0;
  const key = `${e.arn}|${cutoff}`;
  const hit = recentByItems.get(attrs);
  if (hit?.key === key) return hit.items;
  const times = interactionRows(e.catalogue.app, e.groupArn)?.times.numbers;
  let latest = -Infinity;
  if (times) for (const t of times) if (t > latest) latest = t;
  const items = recentlyCreated(attrs.column('CREATION_TIMESTAMP')?.numbers, latest, cutoff);
  recentByItems.set(attrs, { key, items });
  return items;
}

/** Up to `n` new items the filter allows: recently created ones, then ones nobody interacted with yet (latest added first). */
export function coldItems(e: Endpoint, live: GroupLive | undefined, n: number, allowed: Uint32Array | undefined, skip: number | undefined): number[] {
  const out: number[] = [];
  const taken = new Set<number>();
  const offer = (i: number) => {
    if (i === skip || taken.has(i) || (allowed && !hasBit(allowed, i))) return;
    taken.add(i);
    out.push(i);
  };
  for (const i of recentItems(e)) {
    if (out.length >= n) return out;
    offer(i);
  }
  for (let i = e.catalogue.ids.length - 1; i >= e.trainedItems && out.length < n; i--) {
    if (countOf(e, live, i) === 0) offer(i);
  }
  return out;
}
