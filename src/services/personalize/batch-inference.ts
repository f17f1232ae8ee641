// How a batch inference job answers each line, as the runtime answers the same request: a userId
// gets recommendations (items the user has not interacted with, imported or through PutEvents,
// scored as GetRecommendations scores them), a userId with an itemList gets the list ranked, an
// itemId gets related items. The job's filter applies to every line, with that line's
// `filterValues`; User-Personalization jobs explore new items as the job's itemExplorationConfig
// asks; Semantic-Similarity jobs weigh popularity and freshness in as rankingInfluence asks;
// Similar-Items jobs in THEME_GENERATION mode name each line's set of items (a theme made from the
// Items data, not by a language model).
import { catalogueScores, rankingScores } from '../../training/index.js';
import { CompiledFilter, hasBit, type ParsedFilter } from './filter-language/index.js';
import { best, lineAllowed, LineError, text, type Answer, type BatchModel, type Input } from './batch-answer.js';
import type { BatchData } from './batch-data.js';
import { explorationOf, exploredSlot, recentlyCreated } from './exploration.js';
import { applyInfluence, influenceOf } from './ranking-influence.js';

export interface InferenceOptions {
  recipe: string;
  recipeType: string | undefined;
  numResults: number;
  /** The job's filter (the tree CreateFilter stored). */
  filter?: ParsedFilter;
  /** batchInferenceJobConfig.itemExplorationConfig, as given. */
  exploration?: Record<string, string>;
  /** batchInferenceJobConfig.rankingInfluence (Semantic-Similarity): POPULARITY and FRESHNESS weights, 0 to 1. */
  rankingInfluence?: Record<string, number>;
  /** THEME_GENERATION: the Items field that names items. */
  themeItemName?: string;
}

/** The items the job's filter lets through for one line, or undefined without a filter. */
function allowedFor(filter: CompiledFilter | undefined, data: BatchData, input: Input, userId: string | undefined, itemId: string | undefined): Uint32Array | undefined {
  return filter && lineAllowed(filter, data.attributes(), data.subject(userId, itemId), input);
}

/** New items for exploration, newest first: recently created ones, then those no event has reached yet (latest added first). */
function coldItems(data: BatchData, cutoff: number): number[] {
  const out = recentlyCreated(data.attributes().column('CREATION_TIMESTAMP')?.numbers, data.latest, cutoff);
  const { ids } = data.catalogue;
  for (let i = ids.length - 1; i >= data.trained; i--) if (data.liveCount(ids[i]) === 0) out.push(i);
  return [...new Set(out)];
}

/** Items by interactions, trained counts plus PutEvents, most first (ties: catalogue order), as popularity serves them. */
function popularityOf(m: BatchModel, data: BatchData): { ids: string[]; counts: number[]; total: number } {
  const counts = new Map<string, number>();
  m.popular.forEach((id, r) => counts.set(id, m.counts?.[r] ?? 0));
  for (const [id, n] of data.liveCounted()) counts.set(id, (counts.get(id) ?? 0) + n);
  const at = (id: string) => data.catalogue.get(id) ?? Infinity;
  const ids = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || at(a) - at(b));
  let total = 0;
  for (const n of counts.values()) total += n;
  return { ids, counts: ids.map((id) => counts.get(id)!), total };
}

export function inferenceAnswer(m: BatchModel, data: BatchData, o: InferenceOptions): Answer {
  const e = m.engine;
  const n = o.numResults;
  const indexOf = (id: string) => e?.indexOf.get(id);
  const filter = o.filter && new CompiledFilter(o.filter);
  const ids = data.catalogue.ids;
  const passes = (allowed: Uint32Array | undefined, id: string) => {
    const i = data.catalogue.get(id);
    return !allowed || (i !== undefined && hasBit(allowed, i));
  };
  let byCount: ReturnType<typeof popularityOf> | undefined;
  /** The `count` most popular items the filter lets through, outside `skip`: their positions in the popularity order. */
  const popularAt = (allowed: Uint32Array | undefined, count: number, skip: (id: string) => boolean): number[] => {
    const p = (byCount ??= popularityOf(m, data));
    const out: number[] = [];
    for (let r = 0; r < p.ids.length && out.length < count; r++) if (!skip(p.ids[r]) && passes(allowed, p.ids[r])) out.push(r);
    return out;
  };
  const popular = (allowed: Uint32Array | undefined, skip?: string) => popularAt(allowed, n, (id) => id === skip).map((r) => byCount!.ids[r]);

  if (o.recipeType === 'RELATED_ITEMS') {
    let lift: Float32Array | undefined;
    if (e && o.rankingInfluence) {
      const trained = new Float64Array(e.model.nItems);
      m.popular.forEach((id, r) => {
        const i = data.catalogue.get(id);
        if (i !== undefined && i < trained.length) trained[i] = m.counts?.[r] ?? 0;
      });
      lift = influenceOf(e.model.nItems, o.rankingInfluence, (i) => trained[i] + data.liveCount(data.catalogue.ids[i]),
        data.attributes().column('CREATION_TIMESTAMP')?.numbers);
    }
    return (input) => {
      const itemId = text(input, 'itemId');
      const userId = typeof input.userId === 'string' ? input.userId : undefined;
      const allowed = allowedFor(filter, data, input, userId, itemId);
      const i = indexOf(itemId);
      if (!e?.model.similar || i === undefined) return { recommendedItems: popular(allowed, itemId) };
      const scores = new Float32Array(e.model.nItems);
      e.model.similar(i, scores);
      if (lift) applyInfluence(scores, lift);
      const picked = best(scores, n, new Set([i]), allowed && ((j) => hasBit(allowed, j)));
      const recommendedItems = picked.map((j) => e.itemIds[j]);
      if (o.themeItemName === undefined) return { recommendedItems };
      const name = data.itemField(itemId, o.themeItemName);
      return { recommendedItems, theme: `More like ${name ?? itemId}`, itemsThemeRelevanceScores: picked.map((j) => Math.round(scores[j] * 1e7) / 1e7) };
    };
  }
  if (o.recipeType === 'PERSONALIZED_RANKING') {
    return (input) => {
      const userId = text(input, 'userId');
      const list = input.itemList;
      if (!Array.isArray(list) || !list.length || !list.every((x) => typeof x === 'string')) throw new LineError('Invalid input: itemList must be a non-empty list of item IDs.');
      const allowed = allowedFor(filter, data, input, userId, undefined);
      // As GetPersonalizedRanking: items the filter leaves out are dropped from the list.
      const ids = (list as string[]).filter((id) => passes(allowed, id));
      const scores = new Float32Array(e?.model.nItems ?? 0);
      e?.model.score(data.history(userId, indexOf), scores);
      // Items the model does not know come last, with no share of the scores.
      const indexes = ids.map((id) => indexOf(id) ?? -1);
      const shares = rankingScores(scores, indexes);
      const order = ids.map((_, p) => p).sort((a, b) => (indexes[b] < 0 ? -Infinity : scores[indexes[b]]) - (indexes[a] < 0 ? -Infinity : scores[indexes[a]]) || a - b);
      return { recommendedItems: order.map((p) => ids[p]), scores: order.map((p) => shares[p]) };
    };
  }
  // Popularity-count recommends the same popular items to everyone, PutEvents counted (the filter still applies per line).
  if (o.recipe === 'aws-popularity-count' || !e) {
    return (input) => {
      const userId = text(input, 'userId');
      return { recommendedItems: popular(allowedFor(filter, data, input, userId, undefined)) };
    };
  }
  const explore = explorationOf(o.recipe, o.exploration);
  let cold: number[] | undefined;
  return (input) => {
    const userId = text(input, 'userId');
    const allowed = allowedFor(filter, data, input, userId, undefined);
    const ok = (i: number) => !allowed || hasBit(allowed, i);
    // Exploration takes its share of the places first; the model fills the rest.
    const explored = explore ? (cold ??= coldItems(data, explore.cutoff)).filter(ok).slice(0, Math.floor(n * explore.weight)) : [];
    const history = data.history(userId, indexOf);
    let recommendedItems: string[];
    let shares: number[];
    if (history.length === 0) {
      // As GetRecommendations: a user with no history the model knows gets the popular items, scored by their share of interactions.
      const skip = new Set(explored.map((i) => ids[i]));
      const at = popularAt(allowed, n - explored.length, (id) => skip.has(id));
      recommendedItems = at.map((r) => byCount!.ids[r]);
      shares = at.map((r) => (byCount!.total > 0 ? byCount!.counts[r] / byCount!.total : 0));
    } else {
      const scores = new Float32Array(e.model.nItems);
      e.model.score(history, scores);
      const picked = best(scores, n - explored.length, new Set([...history, ...explored]), allowed && ok);
      recommendedItems = picked.map((i) => ids[i]);
      shares = catalogueScores(scores, picked);
    }
    // Explored items take every few places among the regular ones, as at runtime, with score 0.
    explored.forEach((i, j) => {
      const at = exploredSlot(j, recommendedItems.length, explored.length);
      recommendedItems.splice(at, 0, ids[i]);
      shares.splice(at, 0, 0);
    });
    return { recommendedItems, scores: shares };
  };
}
