// What a runtime call is served by: an ACTIVE campaign or recommender, its recipe, the trained
// model and the catalogue over it. Loaded once per deployed model (the campaign's update time and
// the model file are the cache key), so a call costs two store reads, not a model load.
import type { App } from '../../app.js';
import { AwsError } from '../../shared/aws-error.js';
import { KIND, type CampaignDoc, type RecommenderDoc } from '../personalize/schema.js';
import { campaignModel, recommenderModel } from '../personalize/index.js';
import { servedVersion } from '../personalize/campaigns.js';
import { recipeNamed, type RecipeInfo } from '../personalize/recipe-data.js';
import type { ServedModel } from '../personalize/training.js';
import { Catalogue } from './catalogue.js';
import { engineOf, type Engine } from './personalized.js';
import { memo } from '../personalize/store-memo.js';

export interface Endpoint {
  arn: string;
  groupArn: string;
  recipe: RecipeInfo | undefined;
  model: ServedModel;
  /** The items the model and the group's data know, as dense indexes (the model's first, in its order). */
  catalogue: Catalogue;
  /** The engine-trained model that scores for this endpoint, when its recipe has one. */
  engine?: Engine;
  /** How many catalogue items the trained model(s) know; later ones are new (cold) items. */
  trainedItems: number;
  /** campaignConfig or recommenderConfig. */
  config: Record<string, unknown>;
}

export const notFound = (arn: string) => new AwsError('ResourceNotFoundException', `Resource Arn ${arn} does not exist.`, 404);
export const invalidInput = (message: string) => new AwsError('InvalidInputException', message, 400);

const caches = new WeakMap<App, Map<string, { key: string; endpoint: Endpoint }>>();

function cached(app: App, arn: string, key: string, load: () => Omit<Endpoint, 'catalogue' | 'engine' | 'trainedItems'> | undefined): Endpoint | undefined {
  let m = caches.get(app);
  if (!m) caches.set(app, (m = new Map()));
  const hit = m.get(arn);
  if (hit?.key === key) return hit.endpoint;
  const e = load();
  if (!e) return undefined;
  // The engine's items come first so its item indexes are catalogue indexes.
  const trained = e.model.engine;
  const catalogue = new Catalogue(app, e.groupArn, trained?.itemIds ?? []);
  const engine = trained && engineOf(trained.model, trained.itemIds, catalogue, e.recipe?.recipeType !== 'PERSONALIZED_RANKING');
  for (const id of e.model.items) catalogue.add(id);
  const endpoint = { ...e, catalogue, engine, trainedItems: catalogue.ids.length };
  m.set(arn, { key, endpoint });
  return endpoint;
}

const recipeOf = (recipeArn: string | undefined) => (recipeArn ? recipeNamed(recipeArn.slice(recipeArn.lastIndexOf('/') + 1)) : undefined);

/** The campaign or recommender named by `arn` in the caller's region and account, ACTIVE. */
export function endpointOf(app: App, arn: string, where: { region: string; accountId: string }): Endpoint {
  const prefix = `arn:aws:personalize:${where.region}:${where.accountId}:`;
  if (!arn.startsWith(prefix)) throw notFound(arn);
  return memo(app, `endpoint ${arn}`, () => lookUp(app, arn, prefix));
}

function lookUp(app: App, arn: string, prefix: string): Endpoint {
  const kind = arn.slice(prefix.length, arn.indexOf('/'));
  if (kind === 'campaign') {
    const c = app.store.get<CampaignDoc>(KIND.campaign, arn);
    if (!c) throw notFound(arn);
    if (c.status !== 'ACTIVE') throw notFound(arn);
    const v = servedVersion(app, c.solutionVersionArn);
    const e = cached(app, arn, `${c.lastUpdatedDateTime}|${v?.solutionVersionArn}|${v?.model?.file}|${JSON.stringify(c.campaignConfig ?? {})}`, () => {
      const s = campaignModel(app, arn);
      return s && { arn, groupArn: s.datasetGroupArn, recipe: recipeOf(s.recipeArn), model: s.model, config: c.campaignConfig ?? {} };
    });
    if (!e) throw notFound(arn);
    return e;
  }
  if (kind === 'recommender') {
    const r = app.store.get<RecommenderDoc>(KIND.recommender, arn);
    if (!r || r.status !== 'ACTIVE') throw notFound(arn);
    const e = cached(app, arn, `${r.lastUpdatedDateTime}|${r.model?.file}`, () => {
      const s = recommenderModel(app, arn);
      return s && { arn, groupArn: s.datasetGroupArn, recipe: recipeOf(s.recipeArn), model: s.model, config: r.recommenderConfig ?? {} };
    });
    if (!e) throw notFound(arn);
    return e;
  }
  throw notFound(arn);
}
