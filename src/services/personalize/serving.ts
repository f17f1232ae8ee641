// What the runtime needs from the control plane: the trained model behind an ACTIVE campaign or
// recommender, opened as the dataset group's role when the group is KMS-keyed.
import type { App } from '../../app.js';
import { KIND, type CampaignDoc, type RecommenderDoc } from './schema.js';
import { servedVersion } from './campaigns.js';
import { loadModel, type ServedModel } from './training.js';

export interface Served {
  model: ServedModel;
  recipeArn?: string;
  datasetGroupArn: string;
}

/** The model an ACTIVE campaign serves (its current solution version), or undefined. */
export function campaignModel(app: App, campaignArn: string): Served | undefined {
  const c = app.store.get<CampaignDoc>(KIND.campaign, campaignArn);
  const v = c?.status === 'ACTIVE' ? servedVersion(app, c.solutionVersionArn) : undefined;
  if (!v?.model) return undefined;
  return { model: loadModel(app, v.datasetGroupArn, v.model), recipeArn: v.recipeArn, datasetGroupArn: v.datasetGroupArn };
}

/** The model an ACTIVE recommender serves, or undefined. */
export function recommenderModel(app: App, recommenderArn: string): Served | undefined {
  const r = app.store.get<RecommenderDoc>(KIND.recommender, recommenderArn);
  if (r?.status !== 'ACTIVE' || !r.model) return undefined;
  return { model: loadModel(app, r.datasetGroupArn, r.model), recipeArn: r.recipeArn, datasetGroupArn: r.datasetGroupArn };
}
