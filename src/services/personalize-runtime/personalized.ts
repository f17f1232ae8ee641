// Serving an engine-trained model (user-personalization, personalized-ranking). A user's history
// is their imported interactions then live PutEvents, in time order, as the model's item indexes;
// the model scores every item from it. Scores are shares of the positive score mass (of the
// candidates, for a ranking) so they sum to one as Personalize's do.
import type { App } from '../../app.js';
import { rankItems, type Model } from '../../training/index.js';
import type { GroupLive } from '../personalize-events/live.js';
import { userEvents, type Catalogue } from './catalogue.js';
import type { Ranked } from './ranking.js';

export interface Engine {
  model: Model;
  /** The model's item index → ITEM_ID. */
  itemIds: string[];
  indexOf: Map<string, number>;
  /** The model's item index → catalogue index. */
  toCatalogue: Int32Array;
}

export function engineOf(model: Model, itemIds: string[], catalogue: Catalogue): Engine {
  return {
    model, itemIds,
    indexOf: new Map(itemIds.map((id, i) => [id, i])),
    toCatalogue: Int32Array.from(itemIds, (id) => catalogue.add(id)),
  };
}

/** The user's history as model item indexes, oldest first (items the model never saw are left out). */
export function historyOf(app: App, groupArn: string, g: Engine, userId: string | undefined, live: GroupLive | undefined): Int32Array {
  const events = userEvents(app, groupArn, userId, live).sort((a, b) => a.t - b.t);
  const out: number[] = [];
  for (const e of events) {
    const i = g.indexOf.get(e.itemId);
    if (i !== undefined) out.push(i);
  }
  return Int32Array.from(out);
}

/** Every item the user has not interacted with, best first (ties in the catalogue's popularity order). */
export function personalRanking(g: Engine, history: Int32Array): { total: number; walk(): Generator<Ranked> } {
  const scores = new Float32Array(g.model.nItems);
  g.model.score(history, scores);
  const seen = new Set(history);
  const order: number[] = [];
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    if (seen.has(i)) continue;
    order.push(i);
    if (scores[i] > 0) total += scores[i];
  }
  order.sort((a, b) => scores[b] - scores[a] || g.toCatalogue[a] - g.toCatalogue[b]);
  return {
    total,
    *walk() {
      for (const i of order) yield { index: g.toCatalogue[i], count: Math.max(0, scores[i]) };
    },
  };
}

/** The given ITEM_IDs the model knows, best first for the history, with scores summing to one. */
export function rankKnown(g: Engine, history: Int32Array, itemIds: string[]): { itemId: string; score: number }[] {
  const ranked = rankItems(g.model, history, Int32Array.from(itemIds, (id) => g.indexOf.get(id)!));
  let total = 0;
  for (const s of ranked.scores) if (s > 0) total += s;
  return Array.from(ranked.items, (i, p) => ({ itemId: g.itemIds[i], score: total ? Math.max(0, ranked.scores[p]) / total : 0 }));
}
