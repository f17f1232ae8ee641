import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { latestUpdate, startUpdate } from './updates.js';
import { KIND, type CampaignDoc, type SolutionDoc, type SolutionVersionDoc, type Tag } from './schema.js';
import { arnOf, solutionOfVersion } from './arns.js';
import { authorize } from './authz.js';
import { checkCreateTags } from './tags.js';
import { invalidInput, inUse, limitExceeded } from './errors.js';
import { insert, iso, live, mustGet, pick, transition } from './common.js';
import { page } from './paging.js';
import { recipeName, versionsOf } from './solutions.js';
import { checkRecipeConfig, type RecipeConfig } from './batch-config.js';

/** Active campaigns per dataset group (AWS's default quota). */
const MAX_CAMPAIGNS = 5;
const LATEST = '/$LATEST';

/**
 * The solution version a campaign serves: the one named, or for `<solution>/$LATEST` the newest
 * ACTIVE version of the solution. Undefined when there is none.
 */
export function servedVersion(app: App, solutionVersionArn: string): SolutionVersionDoc | undefined {
  if (!solutionVersionArn.endsWith(LATEST)) return app.store.get<SolutionVersionDoc>(KIND.solutionVersion, solutionVersionArn);
  return versionsOf(app, solutionVersionArn.slice(0, -LATEST.length)).filter((v) => v.status === 'ACTIVE').at(-1);
}

/** The version must be ACTIVE (or, for $LATEST, the solution must have an ACTIVE version). */
function activeVersion(ctx: RequestContext, arn: string): SolutionVersionDoc {
  if (arn.endsWith(LATEST)) mustGet<SolutionDoc>(ctx, KIND.solution, arn.slice(0, -LATEST.length));
  else mustGet<SolutionVersionDoc>(ctx, KIND.solutionVersion, arn);
  const v = servedVersion(ctx.app, arn);
  if (!v || v.status !== 'ACTIVE') throw inUse(`Solution version ${arn} is not ACTIVE.`);
  return v;
}

interface CreateInput {
  name: string;
  solutionVersionArn: string;
  minProvisionedTPS?: number;
  campaignConfig?: Record<string, unknown>;
  tags?: Tag[];
}

function createCampaign(input: CreateInput, ctx: RequestContext) {
  const arn = arnOf(ctx, 'campaign', input.name);
  authorize(ctx, [arn, solutionOfVersion(input.solutionVersionArn)], input.tags);
  checkCreateTags(input.tags);
  if (input.minProvisionedTPS !== undefined && input.minProvisionedTPS < 1) throw invalidInput('minProvisionedTPS must be at least 1.');
  const v = activeVersion(ctx, input.solutionVersionArn);
  checkRecipeConfig(input.campaignConfig as RecipeConfig | undefined, recipeName(v.recipeArn ?? ''));
  const { store } = ctx.app;
  const inGroup = store.list<CampaignDoc>(KIND.campaign).filter((c) => live(c) && servedVersion(ctx.app, c.solutionVersionArn)?.datasetGroupArn === v.datasetGroupArn);
  if (inGroup.length >= MAX_CAMPAIGNS) throw limitExceeded(`Dataset group ${v.datasetGroupArn} has reached the maximum number of campaigns (${MAX_CAMPAIGNS}).`);
  const at = iso(ctx);
  const doc: CampaignDoc = {
    name: input.name, campaignArn: arn, solutionVersionArn: input.solutionVersionArn, minProvisionedTPS: input.minProvisionedTPS ?? 1,
    campaignConfig: input.campaignConfig, status: 'CREATE PENDING', creationDateTime: at, lastUpdatedDateTime: at,
  };
  insert(ctx, KIND.campaign, arn, doc, input.tags);
  return { campaignArn: arn };
}

function describeCampaign(input: { campaignArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.campaignArn]);
  const c = mustGet<CampaignDoc>(ctx, KIND.campaign, input.campaignArn);
  const latestCampaignUpdate = latestUpdate(ctx.app, c.campaignArn);
  return { campaign: latestCampaignUpdate ? { ...c, latestCampaignUpdate } : c };
}

function listCampaigns(input: { solutionArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  const s = input.solutionArn;
  const { items, nextToken } = page<CampaignDoc>(ctx, KIND.campaign, input, {
    idOf: (c) => c.campaignArn,
    filter: s === undefined ? undefined : (c) => c.solutionVersionArn.startsWith(`${s}/`),
  });
  return { campaigns: items.map((c) => pick(c, ['name', 'campaignArn', 'status', 'creationDateTime', 'lastUpdatedDateTime', 'failureReason'])), nextToken };
}

function updateCampaign(input: { campaignArn: string; solutionVersionArn?: string; minProvisionedTPS?: number; campaignConfig?: Record<string, unknown> }, ctx: RequestContext) {
  authorize(ctx, [input.campaignArn]);
  const c = mustGet<CampaignDoc>(ctx, KIND.campaign, input.campaignArn);
  if (c.status !== 'ACTIVE' && c.status !== 'CREATE FAILED') throw inUse(`Campaign ${c.campaignArn} must be ACTIVE or CREATE FAILED to update (current status: ${c.status}).`);
  if (input.minProvisionedTPS !== undefined && input.minProvisionedTPS < 1) throw invalidInput('minProvisionedTPS must be at least 1.');
  const v = activeVersion(ctx, input.solutionVersionArn ?? c.solutionVersionArn);
  if (input.campaignConfig) checkRecipeConfig(input.campaignConfig as RecipeConfig, recipeName(v.recipeArn ?? ''));
  const next = {
    solutionVersionArn: input.solutionVersionArn ?? c.solutionVersionArn,
    minProvisionedTPS: input.minProvisionedTPS ?? c.minProvisionedTPS,
    campaignConfig: input.campaignConfig ?? c.campaignConfig,
  };
  // The old solution version keeps serving until the update is ACTIVE.
  startUpdate(ctx, KIND.campaign, c.campaignArn, next, { ...next, status: 'ACTIVE' });
  return { campaignArn: c.campaignArn };
}

function deleteCampaign(input: { campaignArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.campaignArn]);
  const c = mustGet<CampaignDoc>(ctx, KIND.campaign, input.campaignArn);
  if (!live(c)) throw inUse(`Campaign ${c.campaignArn} is already being deleted.`);
  transition(ctx, KIND.campaign, c.campaignArn, 'DELETE PENDING');
  return {};
}

export const operations: Record<string, OperationHandler> = {
  CreateCampaign: createCampaign,
  DescribeCampaign: describeCampaign,
  ListCampaigns: listCampaigns,
  UpdateCampaign: updateCampaign,
  DeleteCampaign: deleteCampaign,
};
