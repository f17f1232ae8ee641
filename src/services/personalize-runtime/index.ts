// Amazon Personalize Runtime (restJson1): recommendations and rankings from ACTIVE campaigns and
// recommenders, filtered and promoted, with live PutEvents counted at once.
import { randomInt, randomUUID } from 'node:crypto';
import type { OperationHandler, Provider, RequestContext } from '../../gateway/context.js';
import { query } from '../personalize/authz.js';
import { hasBit } from '../personalize/filter-language/index.js';
import { endpointOf, invalidInput, type Endpoint } from './endpoints.js';
import { allowedItems } from './filters.js';
import { countOf, popularity } from './ranking.js';
import { keyedData, cell } from './group-data.js';
import { actionRecommendations } from './actions.js';
import { coldItems, explorationWeight } from './explore.js';
import { exploredSlot } from '../personalize/exploration.js';
import { excludeInto, historyOf, listCandidates, personalCandidates, rankKnown, similarCandidates } from './personalized.js';
import { liveTrend } from './trending-live.js';
import { rankingInfluence } from './influence.js';
import { contextLift, lifted, liftedOrder } from './context.js';
import { pickFromStream, pickFromTop, union, type Picked, type Wanted } from './select.js';
import type { GroupLive } from '../personalize-events/live.js';

const DEFAULT_RESULTS = 25;
const MAX_RESULTS = 500;
const MAX_WITH_METADATA = 50;

const recommendationId = () => `RID-${randomUUID()}`;

/** Recipes whose responses carry scores (popularity counts and related items have none). */
const scored = (e: Endpoint) => e.recipe?.recipeType === 'PERSONALIZED_RANKING'
  || (e.recipe?.recipeType === 'USER_PERSONALIZATION' && !e.recipe.domain && e.recipe.name !== 'aws-popularity-count' && e.recipe.name !== 'aws-trending-now');

const relatedItems = (e: Endpoint) => e.recipe?.recipeType === 'RELATED_ITEMS' || /also-viewed|bought-together|because-you-watched|more-like/.test(e.recipe?.name ?? '');
const popularOnly = (e: Endpoint) => /popular|most-popular|trending/.test(e.recipe?.name ?? '');
/** Trending lists come from the model; popularity counts come from the live counts (imports and events). */
const trending = (e: Endpoint) => /trending/.test(e.recipe?.name ?? '');

interface Metadata {
  columns: string[];
}

function metadataOf(e: Endpoint, columns: Record<string, string[]> | undefined): Metadata | undefined {
  if (!columns || Object.keys(columns).length === 0) return undefined;
  if (e.config.enableMetadataWithRecommendations !== true && e.config.enableMetadataWithRecommendations !== 'true') {
    throw invalidInput(`Metadata columns are not enabled for ${e.arn}. Enable enableMetadataWithRecommendations to request metadata.`);
  }
  const keys = Object.keys(columns);
  if (keys.some((k) => k !== 'ITEMS')) throw invalidInput(`Invalid metadataColumns: only ITEMS is supported, got ${keys.join(', ')}.`);
  return { columns: columns.ITEMS ?? [] };
}

function metadataFor(ctx: RequestContext, e: Endpoint, itemId: string, m: Metadata): Record<string, string> {
  const bulk = keyedData(ctx.app, e.groupArn, 'Items');
  const live = e.catalogue.live()?.items.get(itemId);
  const r = bulk?.rowOf.get(itemId);
  const out: Record<string, string> = {};
  for (const c of m.columns) {
    const v = live?.[c] ?? (r === undefined ? undefined : cell(bulk!.column(c), r));
    if (v !== undefined && v !== null) out[c] = String(v);
  }
  return out;
}

function resultCount(numResults: number | undefined, metadata: boolean): number {
  const n = numResults ? numResults : DEFAULT_RESULTS;
  const max = metadata ? MAX_WITH_METADATA : MAX_RESULTS;
  if (n > max) throw invalidInput(`numResults must be at most ${max}${metadata ? ' when metadataColumns are requested' : ''}; got ${n}.`);
  return n;
}

interface Promotion {
  name: string;
  percentPromotedItems?: number;
  filterArn?: string;
  filterValues?: Record<string, string>;
}

interface RecommendationsInput {
  campaignArn?: string;
  recommenderArn?: string;
  userId?: string;
  itemId?: string;
  numResults?: number;
  context?: Record<string, string>;
  filterArn?: string;
  filterValues?: Record<string, string>;
  promotions?: Promotion[];
  metadataColumns?: Record<string, string[]>;
}

/**
 * Engine models score from the user's history and leave out what the user already interacted
 * with (item-to-item models score from the item); a user with no history the model knows gets
 * the popular items. Popular and trending lists are the same for every user, seen items included.
 */
function candidates(ctx: RequestContext, e: Endpoint, input: RecommendationsInput, live: GroupLive | undefined, w: Wanted): { ranking: { total: number }; picked: Picked } {
  const g = e.engine;
  // Lists that are the same for everyone take no context.
  const lift = popularOnly(e) ? undefined : contextLift(e, input.context);
  // Trending lists come from the trend found again each window, the same for every user; popularity counts from the live counts below.
  const sameForAll = trending(e);
  if (g && (sameForAll || !popularOnly(e))) {
    // Items neither list may take are excluded inside the top-k.
    const either = w.promoted ? union(w.allowed, w.promoAllowed) : w.allowed;
    const item = input.itemId === undefined ? undefined : g.indexOf(input.itemId);
    if (relatedItems(e) && g.model.similar && item !== undefined) {
      const c = similarCandidates(g, item, excludeInto(g, either, undefined, item), rankingInfluence(e, live));
      return { ranking: c, picked: pickFromTop(c, w) };
    }
    const trend = sameForAll ? liveTrend(ctx.app, e.groupArn, g, live) : undefined;
    if (trend) {
      const c = listCandidates(g, trend, excludeInto(g, either, undefined, w.skip));
      return { ranking: c, picked: pickFromTop(c, w) };
    }
    const history = sameForAll ? undefined : historyOf(ctx.app, e.groupArn, g, input.userId, live);
    if (history?.length) {
      const c = personalCandidates(g, input.userId, history, excludeInto(g, either, history, w.skip), lift);
      return { ranking: c, picked: pickFromTop(c, w) };
    }
  }
  const ranking = popularity(e, live);
  if (lift) {
    const order = liftedOrder(lift, live?.countsVersion ?? -1, () => ranking.walk());
    return { ranking: order, picked: pickFromStream(order.list, w) };
  }
  return { ranking, picked: pickFromStream(ranking.walk(), w) };
}

function getRecommendations(input: RecommendationsInput, ctx: RequestContext) {
  const arn = input.campaignArn ?? input.recommenderArn;
  if (!arn || (input.campaignArn && input.recommenderArn)) {
    ctx.authorize(query(ctx, arn ?? '*'));
    throw invalidInput('Provide exactly one of campaignArn or recommenderArn.');
  }
  ctx.authorize(query(ctx, arn));
  const e = endpointOf(ctx.app, arn, ctx);
  if (e.recipe?.recipeType === 'PERSONALIZED_RANKING') throw invalidInput(`${arn} serves a personalized-ranking recipe; use GetPersonalizedRanking.`);
  if (e.recipe?.recipeType === 'PERSONALIZED_ACTIONS') throw invalidInput(`${arn} serves action recommendations; use GetActionRecommendations.`);
  if (relatedItems(e)) {
    if (input.itemId === undefined) throw invalidInput('itemId is required for this campaign or recommender.');
  } else if (!popularOnly(e) && input.userId === undefined) {
    throw invalidInput('userId is required for this campaign or recommender.');
  }
  const meta = metadataOf(e, input.metadataColumns);
  const k = resultCount(input.numResults, meta !== undefined);
  const live = e.catalogue.live();
  const allowed = allowedItems(ctx.app, e, input.filterArn, input.filterValues, input.userId, input.itemId);
  const skip = input.itemId !== undefined && relatedItems(e) ? e.catalogue.get(input.itemId) : undefined;

  const promo = input.promotions?.[0];
  const promotedCount = promo ? Math.floor((k * (promo.percentPromotedItems ?? 0)) / 100) : 0;
  const promoAllowed = promo ? allowedItems(ctx.app, e, promo.filterArn, promo.filterValues, input.userId, input.itemId) : undefined;

  const weight = explorationWeight(e);
  const explored = weight ? coldItems(e, live, Math.floor(k * weight), allowed, skip) : [];
  const wanted = { regular: k - promotedCount - explored.length, promoted: promotedCount, allowed, promoAllowed, skip, taken: explored.length ? new Set(explored) : undefined };
  const { ranking, picked } = candidates(ctx, e, input, live, wanted);
  const { regular, promoted } = picked;
  const withScore = scored(e);
  const item = (r: { index: number; count: number }, promotionName?: string) => {
    const itemId = e.catalogue.ids[r.index];
    const out: Record<string, unknown> = { itemId };
    if (withScore) out.score = ranking.total > 0 ? r.count / ranking.total : 0;
    if (promotionName) out.promotionName = promotionName;
    if (meta) out.metadata = metadataFor(ctx, e, itemId, meta);
    return out;
  };
  const itemList = regular.map((r) => item(r));
  // Explored items take every few places among the regular ones.
  explored.forEach((index, j) => {
    const out = item({ index, count: 0 });
    if (e.recipe?.name === 'aws-user-personalization-v2') out.reason = ['Exploration'];
    itemList.splice(exploredSlot(j, itemList.length, explored.length), 0, out);
  });
  // Promoted items go to random places among the results, in their own order.
  const slots = new Set<number>();
  const n = itemList.length + promoted.length;
  while (slots.size < promoted.length) slots.add(randomInt(n));
  [...slots].sort((a, b) => a - b).forEach((at, j) => itemList.splice(at, 0, item(promoted[j], promo!.name)));
  return { itemList, recommendationId: recommendationId() };
}

interface RankingInput {
  campaignArn: string;
  inputList: string[];
  userId: string;
  context?: Record<string, string>;
  filterArn?: string;
  filterValues?: Record<string, string>;
  metadataColumns?: Record<string, string[]>;
}

function getPersonalizedRanking(input: RankingInput, ctx: RequestContext) {
  ctx.authorize(query(ctx, input.campaignArn));
  const e = endpointOf(ctx.app, input.campaignArn, ctx);
  if (e.recipe && e.recipe.recipeType !== 'PERSONALIZED_RANKING') throw invalidInput(`${input.campaignArn} does not serve a personalized-ranking recipe; use GetRecommendations.`);
  const meta = metadataOf(e, input.metadataColumns);
  const max = meta ? MAX_WITH_METADATA : MAX_RESULTS;
  if (input.inputList.length > max) throw invalidInput(`inputList can have at most ${max} items; got ${input.inputList.length}.`);
  const live = e.catalogue.live();
  const allowed = allowedItems(ctx.app, e, input.filterArn, input.filterValues, input.userId, undefined);
  // As for recommendations: the engine model ranks for a user with history, popularity otherwise.
  const history = e.engine && historyOf(ctx.app, e.groupArn, e.engine, input.userId, live);
  const personal = history?.length ? e.engine : undefined;
  const known: { itemId: string; index: number; count: number; at: number }[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  input.inputList.forEach((itemId, at) => {
    if (seen.has(itemId)) return;
    seen.add(itemId);
    const index = e.catalogue.get(itemId);
    if (allowed && (index === undefined || !hasBit(allowed, index))) return;
    // A model knows the items it trained on (engine: the catalogue's first nItems) or that have interactions (popularity).
    const count = index === undefined ? 0 : personal ? Number(index < personal.model.nItems) : countOf(e, live, index);
    if (count > 0) known.push({ itemId, index: index!, count, at });
    else unknown.push(itemId);
  });
  let ranked: { itemId: string; score: number }[];
  const lift = contextLift(e, input.context);
  if (personal) ranked = rankKnown(personal, input.userId, history!, Int32Array.from(known, (x) => x.index), known.map((x) => x.itemId), lift);
  else {
    if (lift) for (const x of known) x.count = lifted(x.count, lift, x.index);
    known.sort((a, b) => b.count - a.count || a.at - b.at);
    const total = known.reduce((s, x) => s + x.count, 0);
    ranked = known.map((x) => ({ itemId: x.itemId, score: x.count / total }));
  }
  const personalizedRanking = [
    ...ranked.map((x) => ({ ...x, ...(meta ? { metadata: metadataFor(ctx, e, x.itemId, meta) } : {}) })),
    // Items the model has never seen come last, in the order given.
    ...unknown.map((itemId) => ({ itemId, ...(meta ? { metadata: metadataFor(ctx, e, itemId, meta) } : {}) })),
  ];
  return { personalizedRanking, recommendationId: recommendationId() };
}

const operations: Record<string, OperationHandler> = {
  GetRecommendations: getRecommendations,
  GetPersonalizedRanking: getPersonalizedRanking,
  GetActionRecommendations: actionRecommendations,
};

/** Amazon Personalize Runtime (restJson1, signing name personalize). */
export const personalizeRuntimeProvider: Provider = { model: 'personalize-runtime', operations };
