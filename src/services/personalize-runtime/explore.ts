// Exploration for user-personalization campaigns: a share of the results (the campaign's
// itemExplorationConfig.explorationWeight) goes to new items, so they can collect the events that
// later rank them. New means: no interaction has reached the item yet (such as items new from
// PutItems), or its CREATION_TIMESTAMP lies within explorationItemAgeCutOff days (default 30) of
// the latest imported interaction. Newest first; the list of candidates is built once per change
// of the catalogue's metadata.
import { hasBit, type ItemAttributes } from '../personalize/filter-language/index.js';
import type { Endpoint } from './endpoints.js';
import { countOf } from './ranking.js';
import { interactionRows } from './group-data.js';
import type { GroupLive } from '../personalize-events/live.js';

const EXPLORING = new Set(['aws-user-personalization', 'aws-user-personalization-v2']);
const DEFAULT_CUTOFF_DAYS = 30;
const DAY = 86_400;

const config = (e: Endpoint) => (e.config.itemExplorationConfig ?? {}) as Record<string, unknown>;

/** The configured weight, 0 when the campaign does not explore (only an explicit weight is honoured). */
export function explorationWeight(e: Endpoint): number {
  if (!EXPLORING.has(e.recipe?.name ?? '')) return 0;
  const w = Number(config(e).explorationWeight);
  return Number.isFinite(w) && w > 0 ? Math.min(w, 1) : 0;
}

/** Items created within the cut-off, newest first (catalogue indexes), per metadata snapshot. */
const recentByItems = new WeakMap<ItemAttributes, { key: string; items: Int32Array }>();

function recentItems(e: Endpoint): Int32Array {
  const attrs = e.catalogue.attributes();
  const days = Number(config(e).explorationItemAgeCutOff);
  const cutoff = (Number.isFinite(days) && days > 0 ? days : DEFAULT_CUTOFF_DAYS) * DAY;
  const key = `${e.arn}|${cutoff}`;
  const hit = recentByItems.get(attrs);
  if (hit?.key === key) return hit.items;
  const created = attrs.column('CREATION_TIMESTAMP')?.numbers;
  let items = new Int32Array(0);
  const times = interactionRows(e.catalogue.app, e.groupArn)?.times.numbers;
  if (created && times) {
    let latest = -Infinity;
    for (const t of times) if (t > latest) latest = t;
    const list: number[] = [];
    for (let i = 0; i < created.length; i++) if (created[i] >= latest - cutoff) list.push(i);
    list.sort((a, b) => created[b] - created[a] || b - a);
    items = Int32Array.from(list);
  }
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
