// Exploration for user-personalization (campaigns at runtime and batch inference jobs alike): a
// share of the results (itemExplorationConfig.explorationWeight) goes to new items, so they can
// collect the events that later rank them. New means created within explorationItemAgeCutOff days
// (default 30) of the latest imported interaction, or not reached by any interaction yet.

/** Recipes that explore new items. */
export const EXPLORING = new Set(['aws-user-personalization', 'aws-user-personalization-v2']);
const DEFAULT_CUTOFF_DAYS = 30;
const DAY = 86_400;

export interface Exploration {
  /** Share of the places that go to new items, in (0, 1]. */
  weight: number;
  /** How recent a CREATION_TIMESTAMP counts as new, in seconds. */
  cutoff: number;
}

/** The settings for a recipe and its itemExplorationConfig; undefined when it does not explore (only an explicit weight is honoured). */
export function explorationOf(recipe: string | undefined, config: Record<string, unknown> | undefined): Exploration | undefined {
  if (!EXPLORING.has(recipe ?? '')) return undefined;
  const w = Number(config?.explorationWeight);
  if (!(Number.isFinite(w) && w > 0)) return undefined;
  const days = Number(config?.explorationItemAgeCutOff);
  return { weight: Math.min(w, 1), cutoff: (Number.isFinite(days) && days > 0 ? days : DEFAULT_CUTOFF_DAYS) * DAY };
}

/** Items created within `cutoff` seconds of `latest`, newest first (ties: the later index first). */
export function recentlyCreated(created: Float64Array | undefined, latest: number, cutoff: number): number[] {
  if (!created || latest === -Infinity) return [];
  const list: number[] = [];
  for (let i = 0; i < created.length; i++) if (created[i] >= latest - cutoff) list.push(i);
  return list.sort((a, b) => created[b] - created[a] || b - a);
}

/** Where explored item j of `explored` goes into a list now `length` long (explored ones before it included): every few places. */
export const exploredSlot = (j: number, length: number, explored: number): number =>
  Math.min(length, Math.floor(((j + 1) * length) / (explored + 1)) + j);
