// aws-trending-now at serving: the trend is found again from the imported interactions and the
// events recorded since, once per trend_discovery_frequency of the service's clock (as Personalize
// refreshes it), so a burst of PutEvents on an item makes it trend without retraining.
import type { App } from '../../app.js';
import { trendScores, trendWindow } from '../../training/models/trending.js';
import type { GroupLive } from '../personalize-events/live.js';
import { interactionRows, rowItems } from './group-data.js';
import type { Engine } from './personalized.js';

interface Trend {
  /** When it was found (epoch seconds of the service's clock). */
  at: number;
  scores: Float32Array;
}

const trends = new WeakMap<Engine, Trend>();

/** The engine's trend scores (model items), found again when a window has passed; undefined for other models. */
export function liveTrend(app: App, groupArn: string, g: Engine, live: GroupLive | undefined): Float32Array | undefined {
  const w = trendWindow(g.model);
  if (w === undefined) return undefined;
  const now = app.now().getTime() / 1000;
  const hit = trends.get(g);
  if (hit && now - hit.at < w) return hit.scores;
  const items: number[] = [];
  const times: number[] = [];
  const rows = interactionRows(app, groupArn);
  if (rows) {
    const index = rowItems(rows, g.indexOf);
    const t = rows.times.numbers!;
    for (let r = 0; r < index.length; r++) if (index[r] >= 0) { items.push(index[r]); times.push(t[r]); }
  }
  for (const list of live?.events.values() ?? []) {
    for (const e of list) {
      const i = g.indexOf(e.itemId);
      if (i !== undefined) { items.push(i); times.push(e.t); }
    }
  }
  const scores = trendScores(g.model.nItems, items, times, w);
  trends.set(g, { at: now, scores });
  return scores;
}
