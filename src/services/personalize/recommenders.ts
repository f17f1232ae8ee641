import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { latestUpdate, startUpdate } from './updates.js';
import { KIND, type DatasetGroupDoc, type RecommenderDoc, type Tag } from './schema.js';
import { arnOf } from './arns.js';
import { authorize } from './authz.js';
import { checkCreateTags } from './tags.js';
import { invalidInput, inUse, limitExceeded, notFound } from './errors.js';
import { insert, iso, live, mustGet, pick, transition } from './common.js';
import { activeGroup } from './datasets.js';
import { page } from './paging.js';
import { registerCleanup, registerWork } from './lifecycle.js';
import { recipeNamed } from './recipe-data.js';
import { recipeName } from './solutions.js';
import { trainRecipe } from './training.js';
import { removeFile } from './data-store.js';

/** Active recommenders per dataset group (AWS's default quota). */
const MAX_RECOMMENDERS = 5;

/** The event type each use case learns from (the others learn from every event). */
const USE_CASE_EVENT: Record<string, string> = {
  'aws-ecomm-popular-items-by-views': 'View',
  'aws-ecomm-popular-items-by-purchases': 'Purchase',
  'aws-ecomm-frequently-bought-together': 'Purchase',
  'aws-ecomm-customers-who-viewed-x-also-viewed': 'View',
  'aws-vod-because-you-watched-x': 'Watch',
  'aws-vod-most-popular': 'Watch',
};

function createRecommender(input: { name: string; datasetGroupArn: string; recipeArn: string; recommenderConfig?: Record<string, unknown>; tags?: Tag[] }, ctx: RequestContext) {
  const arn = arnOf(ctx, 'recommender', input.name);
  authorize(ctx, [input.datasetGroupArn, arn], input.tags);
  checkCreateTags(input.tags);
  const group: DatasetGroupDoc = activeGroup(ctx, input.datasetGroupArn);
  const recipe = recipeNamed(recipeName(input.recipeArn));
  if (!group.domain) throw invalidInput(`Dataset group ${group.datasetGroupArn} is not a Domain dataset group; recommenders need one.`);
  if (!recipe?.domain || recipe.domain !== group.domain) throw invalidInput(`Recipe ${input.recipeArn} is not a ${group.domain} use case.`);
  const { store } = ctx.app;
  if (store.list<RecommenderDoc>(KIND.recommender).filter((r) => r.datasetGroupArn === group.datasetGroupArn && live(r)).length >= MAX_RECOMMENDERS) {
    throw limitExceeded(`Dataset group ${group.datasetGroupArn} has reached the maximum number of recommenders (${MAX_RECOMMENDERS}).`);
  }
  const at = iso(ctx);
  const doc: RecommenderDoc = {
    name: input.name, recommenderArn: arn, datasetGroupArn: group.datasetGroupArn, recipeArn: input.recipeArn,
    recommenderConfig: input.recommenderConfig, status: 'CREATE PENDING', creationDateTime: at, lastUpdatedDateTime: at,
  };
  insert(ctx, KIND.recommender, arn, doc, input.tags);
  return { recommenderArn: arn };
}

function describeRecommender(input: { recommenderArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.recommenderArn]);
  const r = mustGet<RecommenderDoc>(ctx, KIND.recommender, input.recommenderArn);
  const latestRecommenderUpdate = latestUpdate(ctx.app, r.recommenderArn);
  return { recommender: latestRecommenderUpdate ? { ...r, latestRecommenderUpdate } : r };
}

function listRecommenders(input: { datasetGroupArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  const g = input.datasetGroupArn;
  const { items, nextToken } = page<RecommenderDoc>(ctx, KIND.recommender, input, {
    idOf: (r) => r.recommenderArn,
    filter: g === undefined ? undefined : (r) => r.datasetGroupArn === g,
  });
  const keys: (keyof RecommenderDoc)[] = ['name', 'recommenderArn', 'datasetGroupArn', 'recipeArn', 'recommenderConfig', 'status', 'creationDateTime', 'lastUpdatedDateTime'];
  return { recommenders: items.map((r) => pick(r, keys)), nextToken };
}

function updateRecommender(input: { recommenderArn: string; recommenderConfig: Record<string, unknown> }, ctx: RequestContext) {
  authorize(ctx, [input.recommenderArn]);
  const r = mustGet<RecommenderDoc>(ctx, KIND.recommender, input.recommenderArn);
  if (r.status !== 'ACTIVE') throw inUse(`Recommender ${r.recommenderArn} is not ACTIVE (current status: ${r.status}).`);
  startUpdate(ctx, KIND.recommender, r.recommenderArn, { recommenderConfig: input.recommenderConfig }, { recommenderConfig: input.recommenderConfig });
  return { recommenderArn: r.recommenderArn };
}

/** Stop and start: only from ACTIVE, and from INACTIVE, respectively. */
function toggle(from: string, to: string) {
  return (input: { recommenderArn: string }, ctx: RequestContext) => {
    authorize(ctx, [input.recommenderArn]);
    const r = mustGet<RecommenderDoc>(ctx, KIND.recommender, input.recommenderArn);
    if (r.status !== from) throw inUse(`Recommender ${r.recommenderArn} must be ${from} (current status: ${r.status}).`);
    transition(ctx, KIND.recommender, r.recommenderArn, to);
    return { recommenderArn: r.recommenderArn };
  };
}

function deleteRecommender(input: { recommenderArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.recommenderArn]);
  const r = mustGet<RecommenderDoc>(ctx, KIND.recommender, input.recommenderArn);
  if (!live(r)) throw inUse(`Recommender ${r.recommenderArn} is already being deleted.`);
  transition(ctx, KIND.recommender, r.recommenderArn, 'DELETE PENDING');
  return {};
}

/**
 * The custom recipe each personalised use case trains (the others count popularity, which the
 * runtime serves them from).
 */
const USE_CASE_RECIPE: Record<string, string> = {
  'aws-ecomm-recommended-for-you': 'aws-user-personalization-v2',
  'aws-vod-top-picks': 'aws-user-personalization-v2',
};

async function trainRecommender(app: App, arn: string): Promise<void> {
  const r = app.store.get<RecommenderDoc>(KIND.recommender, arn);
  if (!r) throw notFound(arn);
  const useCase = recipeName(r.recipeArn);
  const { model, metrics } = await trainRecipe(app, r.datasetGroupArn, { arn, recipe: USE_CASE_RECIPE[useCase], options: { eventType: USE_CASE_EVENT[useCase] } });
  const now = app.store.get<RecommenderDoc>(KIND.recommender, arn);
  if (now) app.store.put(KIND.recommender, arn, { ...now, model, modelMetrics: metrics });
}

registerWork(KIND.recommender, trainRecommender);
registerCleanup(KIND.recommender, (app, arn) => removeFile(app, app.store.get<RecommenderDoc>(KIND.recommender, arn)?.model));

export const operations: Record<string, OperationHandler> = {
  CreateRecommender: createRecommender,
  DescribeRecommender: describeRecommender,
  ListRecommenders: listRecommenders,
  UpdateRecommender: updateRecommender,
  StartRecommender: toggle('INACTIVE', 'START PENDING'),
  StopRecommender: toggle('ACTIVE', 'STOP PENDING'),
  DeleteRecommender: deleteRecommender,
};
