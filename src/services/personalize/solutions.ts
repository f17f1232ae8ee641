import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { latestUpdate, startUpdate } from './updates.js';
import { KIND, type CampaignDoc, type SolutionDoc, type SolutionVersionDoc, type Tag } from './schema.js';
import { arnOf } from './arns.js';
import { authorize } from './authz.js';
import { checkCreateTags } from './tags.js';
import { invalidInput, inUse, limitExceeded } from './errors.js';
import { insert, iso, live, mustGet, pick, transition } from './common.js';
import { activeGroup } from './datasets.js';
import { page } from './paging.js';
import { registerCleanup } from './lifecycle.js';
import { recipeNamed } from './recipe-data.js';
import { removeFile } from './data-store.js';

/** Active solutions per dataset group (AWS's default quota). */
const MAX_SOLUTIONS = 10;

export const recipeName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** The versions of a solution, oldest first. */
export const versionsOf = (app: App, solutionArn: string): SolutionVersionDoc[] =>
  app.store.list<SolutionVersionDoc>(KIND.solutionVersion, { prefix: `${solutionArn}/` })
    .sort((a, b) => a.creationDateTime.localeCompare(b.creationDateTime));

export const versionSummary = (v: SolutionVersionDoc) =>
  pick(v, ['solutionVersionArn', 'status', 'trainingMode', 'trainingType', 'creationDateTime', 'lastUpdatedDateTime', 'failureReason']);

interface CreateInput {
  name: string;
  datasetGroupArn: string;
  recipeArn?: string;
  performHPO?: boolean;
  performAutoML?: boolean;
  performAutoTraining?: boolean;
  performIncrementalUpdate?: boolean;
  eventType?: string;
  solutionConfig?: Record<string, unknown>;
  tags?: Tag[];
}

function createSolution(input: CreateInput, ctx: RequestContext) {
  const arn = arnOf(ctx, 'solution', input.name);
  authorize(ctx, [input.datasetGroupArn, arn], input.tags);
  checkCreateTags(input.tags);
  const autoML = input.performAutoML ?? false;
  if (!autoML && !input.recipeArn) throw invalidInput('You must specify a recipeArn when performAutoML is false.');
  if (autoML && input.recipeArn) throw invalidInput('You cannot specify a recipeArn when performAutoML is true.');
  if (input.recipeArn) {
    const recipe = recipeNamed(recipeName(input.recipeArn));
    if (!recipe || input.recipeArn !== `arn:aws:personalize:::recipe/${recipe.name}`) throw invalidInput(`Recipe ${input.recipeArn} does not exist.`);
    if (recipe.domain) throw invalidInput(`Recipe ${input.recipeArn} is a use case for recommenders; use CreateRecommender.`);
    if (input.performIncrementalUpdate && recipe.name !== 'aws-semantic-similarity') {
      throw invalidInput('performIncrementalUpdate is only supported for the aws-semantic-similarity recipe.');
    }
  }
  activeGroup(ctx, input.datasetGroupArn);
  const { store } = ctx.app;
  if (store.list<SolutionDoc>(KIND.solution).filter((s) => s.datasetGroupArn === input.datasetGroupArn && live(s)).length >= MAX_SOLUTIONS) {
    throw limitExceeded(`Dataset group ${input.datasetGroupArn} has reached the maximum number of solutions (${MAX_SOLUTIONS}).`);
  }
  const at = iso(ctx);
  const doc: SolutionDoc = {
    name: input.name, solutionArn: arn, datasetGroupArn: input.datasetGroupArn, recipeArn: input.recipeArn,
    performHPO: input.performHPO ?? false, performAutoML: autoML,
    // Automatic training is CreateSolution's default.
    performAutoTraining: input.performAutoTraining ?? true,
    performIncrementalUpdate: input.performIncrementalUpdate,
    eventType: input.eventType, solutionConfig: input.solutionConfig,
    status: 'CREATE PENDING', creationDateTime: at, lastUpdatedDateTime: at,
  };
  insert(ctx, KIND.solution, arn, doc, input.tags);
  return { solutionArn: arn };
}

function describeSolution(input: { solutionArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.solutionArn]);
  const solution = mustGet<SolutionDoc>(ctx, KIND.solution, input.solutionArn);
  const latest = versionsOf(ctx.app, solution.solutionArn).at(-1);
  const latestSolutionUpdate = latestUpdate(ctx.app, solution.solutionArn);
  return { solution: { ...solution, latestSolutionVersion: latest && versionSummary(latest), ...(latestSolutionUpdate && { latestSolutionUpdate }) } };
}

function listSolutions(input: { datasetGroupArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  const g = input.datasetGroupArn;
  const { items, nextToken } = page<SolutionDoc>(ctx, KIND.solution, input, {
    idOf: (d) => d.solutionArn,
    filter: g === undefined ? undefined : (d) => d.datasetGroupArn === g,
  });
  return { solutions: items.map((d) => pick(d, ['name', 'solutionArn', 'status', 'creationDateTime', 'lastUpdatedDateTime', 'recipeArn'])), nextToken };
}

function updateSolution(input: { solutionArn: string; performAutoTraining?: boolean; performIncrementalUpdate?: boolean; solutionUpdateConfig?: Record<string, unknown> }, ctx: RequestContext) {
  authorize(ctx, [input.solutionArn]);
  const s = mustGet<SolutionDoc>(ctx, KIND.solution, input.solutionArn);
  if (s.status !== 'ACTIVE') throw inUse(`Solution ${s.solutionArn} is not ACTIVE (current status: ${s.status}).`);
  const performAutoTraining = input.performAutoTraining ?? s.performAutoTraining;
  const performIncrementalUpdate = input.performIncrementalUpdate ?? s.performIncrementalUpdate;
  const solutionUpdateConfig = input.solutionUpdateConfig;
  const solutionConfig = { ...s.solutionConfig, ...solutionUpdateConfig };
  startUpdate(ctx, KIND.solution, s.solutionArn, { solutionUpdateConfig, performAutoTraining, performIncrementalUpdate },
    { performAutoTraining, performIncrementalUpdate, solutionConfig });
  return { solutionArn: s.solutionArn };
}

const BUSY = new Set(['CREATE PENDING', 'CREATE IN_PROGRESS', 'CREATE STOPPING']);

function deleteSolution(input: { solutionArn: string }, ctx: RequestContext) {
  const arn = input.solutionArn;
  authorize(ctx, [arn]);
  const { store } = ctx.app;
  const s = mustGet<SolutionDoc>(ctx, KIND.solution, arn);
  if (!live(s)) throw inUse(`Solution ${arn} is already being deleted.`);
  if (versionsOf(ctx.app, arn).some((v) => BUSY.has(v.status))) throw inUse(`Solution ${arn} has a solution version being created.`);
  const campaign = store.list<CampaignDoc>(KIND.campaign).find((c) => c.solutionVersionArn.startsWith(`${arn}/`));
  if (campaign) throw inUse(`Solution ${arn} is used by campaign ${campaign.campaignArn}. Delete the campaign first.`);
  transition(ctx, KIND.solution, arn, 'DELETE PENDING');
  return {};
}

// A deleted solution takes its versions and their trained models with it.
registerCleanup(KIND.solution, (app, arn) => {
  for (const v of versionsOf(app, arn)) {
    app.store.delete(KIND.solutionVersion, v.solutionVersionArn);
    app.store.delete(KIND.tags, v.solutionVersionArn);
    removeFile(app, v.model);
  }
});

export const operations: Record<string, OperationHandler> = {
  CreateSolution: createSolution,
  DescribeSolution: describeSolution,
  ListSolutions: listSolutions,
  UpdateSolution: updateSolution,
  DeleteSolution: deleteSolution,
};
