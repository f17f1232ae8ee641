import { randomBytes } from 'node:crypto';
import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { KIND, type SolutionDoc, type SolutionVersionDoc, type Tag } from './schema.js';
import { solutionOfVersion, solutionVersionArnOf } from './arns.js';
import { authorize } from './authz.js';
import { checkCreateTags } from './tags.js';
import { invalidInput, inUse, limitExceeded, notFound } from './errors.js';
import { insert, mustGet } from './common.js';
import { page } from './paging.js';
import { registerPeriodic, registerWork, setStatus, schedule } from './lifecycle.js';
import { recipeName, versionsOf, versionSummary } from './solutions.js';
import { numericParams, trainOptions, trainRecipe } from './training.js';
import { stopWork } from './workers.js';
import type { HpoConfig } from '../../training/hpo.js';

/** Solution versions pending or in progress per account and region (AWS's default quota). */
const MAX_TRAINING = 20;
/** Recipes whose versions may be trained in UPDATE mode. */
const UPDATABLE = new Set(['aws-user-personalization', 'aws-hrnn-coldstart']);

const training = (v: SolutionVersionDoc) => v.status === 'CREATE PENDING' || v.status === 'CREATE IN_PROGRESS';

/** Stores a new version of an ACTIVE solution (manual or automatic) and schedules its training. */
export function newVersion(app: App, s: SolutionDoc, opts: { name?: string; trainingMode: string; trainingType: 'MANUAL' | 'AUTOMATIC'; tags?: Tag[] }): string {
  const arn = solutionVersionArnOf(s.solutionArn, randomBytes(4).toString('hex'));
  const at = app.now().toISOString();
  const doc: SolutionVersionDoc = {
    name: opts.name ?? s.name, solutionVersionArn: arn, solutionArn: s.solutionArn, datasetGroupArn: s.datasetGroupArn,
    recipeArn: s.recipeArn, performHPO: s.performHPO, performAutoML: s.performAutoML, eventType: s.eventType,
    solutionConfig: s.solutionConfig, trainingMode: opts.trainingMode, trainingType: opts.trainingType,
    status: 'CREATE PENDING', creationDateTime: at, lastUpdatedDateTime: at,
  };
  insert({ app }, KIND.solutionVersion, arn, doc, opts.tags);
  return arn;
}

function createSolutionVersion(input: { solutionArn: string; name?: string; trainingMode?: string; tags?: Tag[] }, ctx: RequestContext) {
  authorize(ctx, [input.solutionArn], input.tags);
  checkCreateTags(input.tags);
  const { store } = ctx.app;
  const s = mustGet<SolutionDoc>(ctx, KIND.solution, input.solutionArn);
  if (s.status !== 'ACTIVE') throw inUse(`Solution ${s.solutionArn} is not ACTIVE (current status: ${s.status}).`);
  const mode = input.trainingMode ?? 'FULL';
  if (mode === 'UPDATE') {
    if (!s.recipeArn || !UPDATABLE.has(recipeName(s.recipeArn))) throw invalidInput('trainingMode UPDATE is only supported for the aws-user-personalization and aws-hrnn-coldstart recipes.');
    if (!versionsOf(ctx.app, s.solutionArn).some((v) => v.status === 'ACTIVE' && v.trainingMode === 'FULL')) {
      throw invalidInput('trainingMode UPDATE requires an ACTIVE solution version trained with trainingMode FULL.');
    }
  }
  if (store.list<SolutionVersionDoc>(KIND.solutionVersion).filter(training).length >= MAX_TRAINING) {
    throw limitExceeded(`You have reached the maximum number of solution versions in progress (${MAX_TRAINING}).`);
  }
  return { solutionVersionArn: newVersion(ctx.app, s, { name: input.name, trainingMode: mode, trainingType: 'MANUAL', tags: input.tags }) };
}

function version(ctx: RequestContext, arn: string): SolutionVersionDoc {
  // Solution versions are authorised as their solution (they have no IAM resource type of their own).
  authorize(ctx, [solutionOfVersion(arn)]);
  return mustGet<SolutionVersionDoc>(ctx, KIND.solutionVersion, arn);
}

function describeSolutionVersion(input: { solutionVersionArn: string }, ctx: RequestContext) {
  return { solutionVersion: version(ctx, input.solutionVersionArn) };
}

function listSolutionVersions(input: { solutionArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  if (input.solutionArn !== undefined) mustGet(ctx, KIND.solution, input.solutionArn);
  const { items, nextToken } = page<SolutionVersionDoc>(ctx, KIND.solutionVersion, input, {
    idOf: (v) => v.solutionVersionArn,
    prefix: input.solutionArn === undefined ? undefined : `${input.solutionArn}/`,
  });
  return { solutionVersions: items.map(versionSummary), nextToken };
}

function stopSolutionVersionCreation(input: { solutionVersionArn: string }, ctx: RequestContext) {
  const v = version(ctx, input.solutionVersionArn);
  if (!training(v)) throw inUse(`Solution version ${v.solutionVersionArn} is not being created (current status: ${v.status}).`);
  ctx.app.store.transaction(() => {
    // Pending: stopped at once. In progress: stopping until its training has ended.
    setStatus(ctx.app, KIND.solutionVersion, v.solutionVersionArn, v.status === 'CREATE PENDING' ? 'CREATE STOPPED' : 'CREATE STOPPING');
    schedule(ctx.app, KIND.solutionVersion, v.solutionVersionArn);
  });
  // Training stops for real: its worker ends, and the version moves on to CREATE STOPPED.
  stopWork(v.solutionVersionArn);
  return {};
}

function getSolutionMetrics(input: { solutionVersionArn: string }, ctx: RequestContext) {
  const v = version(ctx, input.solutionVersionArn);
  if (v.status !== 'ACTIVE') throw inUse(`Solution version ${v.solutionVersionArn} is not ACTIVE (current status: ${v.status}).`);
  return { solutionVersionArn: v.solutionVersionArn, metrics: v.metrics ?? {} };
}

/** The model an UPDATE builds on: the solution's latest ACTIVE version trained in FULL. */
const baseOf = (app: App, v: SolutionVersionDoc): SolutionVersionDoc | undefined =>
  versionsOf(app, v.solutionArn).filter((b) => b.status === 'ACTIVE' && b.trainingMode === 'FULL' && b.model).at(-1);

async function trainVersion(app: App, arn: string): Promise<void> {
  const v = app.store.get<SolutionVersionDoc>(KIND.solutionVersion, arn);
  if (!v) throw notFound(arn);
  const started = Date.now();
  const update = (patch: Partial<SolutionVersionDoc>) => {
    const now = app.store.get<SolutionVersionDoc>(KIND.solutionVersion, arn);
    if (now) app.store.put(KIND.solutionVersion, arn, { ...now, ...patch });
  };
  const base = v.trainingMode === 'UPDATE' ? baseOf(app, v) : undefined;
  const { model, metrics, tuned } = await trainRecipe(app, v.datasetGroupArn, {
    arn,
    recipe: v.recipeArn && recipeName(v.recipeArn),
    options: trainOptions(v.eventType, v.solutionConfig),
    params: numericParams(v.solutionConfig?.algorithmHyperParameters as Record<string, unknown> | undefined),
    hpo: v.performHPO ? (v.solutionConfig?.hpoConfig as HpoConfig | undefined) ?? {} : undefined,
    previous: base?.model,
    onProgress: (phase, fraction) => update({ trainingProgress: { phase, percent: Math.round(fraction * 100) } }),
  });
  // An update's metrics are those of the full training it builds on.
  update({ model, metrics: metrics ?? base?.metrics, trainingHours: (Date.now() - started) / 3_600_000, ...(tuned && { tunedHPOParams: { algorithmHyperParameters: tuned } }) });
}

registerWork(KIND.solutionVersion, trainVersion);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Days between automatic trainings: `rate(N day[s])`, 7 by default. */
const intervalDays = (s: SolutionDoc): number => {
  const expr = (s.solutionConfig?.autoTrainingConfig as { schedulingExpression?: string } | undefined)?.schedulingExpression;
  const m = expr ? /^rate\((\d+) days?\)$/.exec(expr) : null;
  return m ? Number(m[1]) : 7;
};

/**
 * Automatic training: a solution with performAutoTraining gets its first version within an hour of
 * becoming ACTIVE (unless one was made by hand meanwhile), then one per scheduling interval after
 * its latest version.
 */
function autoTrain(app: App): void {
  const now = app.now().getTime();
  for (const s of app.store.list<SolutionDoc>(KIND.solution)) {
    if (!s.performAutoTraining || s.status !== 'ACTIVE') continue;
    const versions = versionsOf(app, s.solutionArn);
    if (versions.some(training)) continue;
    const last = versions.at(-1);
    const due = last ? Date.parse(last.creationDateTime) + intervalDays(s) * DAY : Date.parse(s.lastUpdatedDateTime) + HOUR;
    // Incremental solutions fold new data into their latest full training instead of training again.
    const incremental = s.performIncrementalUpdate && versions.some((v) => v.status === 'ACTIVE' && v.trainingMode === 'FULL');
    if (now >= due) newVersion(app, s, { trainingMode: incremental ? 'UPDATE' : 'FULL', trainingType: 'AUTOMATIC' });
  }
}

registerPeriodic(autoTrain);

export const operations: Record<string, OperationHandler> = {
  CreateSolutionVersion: createSolutionVersion,
  DescribeSolutionVersion: describeSolutionVersion,
  ListSolutionVersions: listSolutionVersions,
  StopSolutionVersionCreation: stopSolutionVersionCreation,
  GetSolutionMetrics: getSolutionMetrics,
};
