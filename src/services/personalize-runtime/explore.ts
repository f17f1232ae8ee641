// Exploration for user-personalization campaigns: a share of the results (the campaign's
// itemExplorationConfig.explorationWeight) goes to items no interaction has reached yet, such as
// items new from PutItems, so they can collect the events that later rank them.
import { hasBit } from '../personalize/filter-language/index.js';
import type { Endpoint } from './endpoints.js';
import { countOf } from './ranking.js';
import type { GroupLive } from '../personalize-events/live.js';

const EXPLORING = new Set(['aws-user-personalization', 'aws-user-personalization-v2']);

/** The configured weight, 0 when the campaign does not explore (only an explicit weight is honoured). */
export function explorationWeight(e: Endpoint): number {
  if (!EXPLORING.has(e.recipe?.name ?? '')) return 0;
  const w = Number((e.config.itemExplorationConfig as Record<string, unknown> | undefined)?.explorationWeight);
  return Number.isFinite(w) && w > 0 ? Math.min(w, 1) : 0;
}

/** Up to `n` cold items (newest first) the filter allows. */
export function coldItems(e: Endpoint, live: GroupLive | undefined, n: number, allowed: Uint32Array | undefined, skip: number | undefined): number[] {
  const out: number[] = [];
  for (let i = e.catalogue.ids.length - 1; i >= e.model.items.length && out.length < n; i--) {
    if (i === skip || countOf(e, live, i) > 0) continue;
    if (!allowed || hasBit(allowed, i)) out.push(i);
  }
  return out;
}
