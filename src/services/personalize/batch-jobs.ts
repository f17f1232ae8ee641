// Batch inference and batch segment jobs: JSON Lines in from S3, JSON Lines out to S3, as the role.
// Each line is answered from the solution version's trained model (batch-answer.ts,
// batch-inference.ts) and the group's data, PutEvents and Put* records included (batch-data.ts),
// off the request loop on a worker thread. What the create calls check is in batch-config.ts.
import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { KIND, type DatasetGroupDoc, type S3JobDoc, type SolutionVersionDoc, type Tag } from './schema.js';
import { arnOf, solutionOfVersion } from './arns.js';
import { passRoleQuery, query, requestTagContext } from './authz.js';
import { checkCreateTags } from './tags.js';
import { invalidInput, inUse, limitExceeded, notFound } from './errors.js';
import { insert, iso, mustGet, pick } from './common.js';
import { page } from './paging.js';
import { registerWork, WorkFailure } from './lifecycle.js';
import { readFile } from './data-store.js';
import { groupKeys } from './keys.js';
import { mustAssume } from './service-role.js';
import { eachFile, parseS3Url, writeS3 } from './source.js';
import { datasetData, datasetFields } from './training.js';
import { offThread } from './workers.js';
import type { BatchJob } from './batch-worker.js';
import { recipeName } from './solutions.js';
import { recipeNamed } from './recipe-data.js';
import { checkFilter, checkInferenceConfig, type BatchConfigInput } from './batch-config.js';
import type { StoredFilter } from './filters.js';
import { parseFilter } from './filter-language/index.js';
import type { GroupSnapshot } from './batch-data.js';
import { liveOf } from '../personalize-events/live.js';

type S3Config = { path: string; kmsKeyArn?: string };

interface BatchJobDoc extends S3JobDoc, BatchConfigInput {
  solutionVersionArn: string;
  numResults?: number;
  jobInput: { s3DataSource: S3Config };
  jobOutput: { s3DataDestination: S3Config };
}

/** Items per input file a THEME_GENERATION job takes (Content Generator's limit). */
const MAX_THEMED_LINES = 100;

interface Flavour {
  kind: string;
  type: 'batch-inference-job' | 'batch-segment-job';
  arnMember: 'batchInferenceJobArn' | 'batchSegmentJobArn';
  flavour: BatchJob['flavour'];
  /** Which recipe types a job of this flavour runs on. */
  recipeOk(recipe: string): string | undefined;
  defaultResults: number;
}

/** Batch jobs pending or in progress per account and region, each kind (AWS's default quota). */
const MAX_RUNNING = 5;

function createJob(f: Flavour) {
  return (input: Record<string, any> & { jobName: string; solutionVersionArn: string; roleArn: string; tags?: Tag[] }, ctx: RequestContext) => {
    const arn = arnOf(ctx, f.type, input.jobName);
    const context = requestTagContext(input.tags);
    ctx.authorize(query(ctx, arn, context), query(ctx, solutionOfVersion(input.solutionVersionArn), context), passRoleQuery(input.roleArn, arn));
    checkCreateTags(input.tags);
    for (const p of [input.jobInput.s3DataSource.path, input.jobOutput.s3DataDestination.path]) {
      if (!parseS3Url(p)) throw invalidInput(`Invalid path: ${p}. Specify an s3:// path.`);
    }
    const { store } = ctx.app;
    const v = mustGet<SolutionVersionDoc>(ctx, KIND.solutionVersion, input.solutionVersionArn);
    if (v.status !== 'ACTIVE') throw inUse(`Solution version ${v.solutionVersionArn} is not ACTIVE (current status: ${v.status}).`);
    const recipe = recipeName(v.recipeArn ?? '');
    const refusal = f.recipeOk(recipe);
    if (refusal) throw invalidInput(refusal);
    if (f.flavour === 'inference') checkInferenceConfig(ctx, input as BatchConfigInput, recipe, v.datasetGroupArn);
    else if (input.filterArn) checkFilter(ctx, input.filterArn, v.datasetGroupArn, 'UserID');
    if (store.list<BatchJobDoc>(f.kind).filter((j) => j.status.startsWith('CREATE ') && j.status !== 'CREATE FAILED').length >= MAX_RUNNING) {
      throw limitExceeded(`You have reached the maximum number of ${f.type.replace(/-/g, ' ')}s in progress (${MAX_RUNNING}).`);
    }
    const at = iso(ctx);
    const { tags: _, ...rest } = input;
    const doc = { ...rest, name: input.jobName, [f.arnMember]: arn, status: 'CREATE PENDING', creationDateTime: at, lastUpdatedDateTime: at };
    insert(ctx, f.kind, arn, doc, input.tags);
    return { [f.arnMember]: arn };
  };
}

function describeJob(f: Flavour, outKey: string) {
  return (input: Record<string, string>, ctx: RequestContext) => {
    ctx.authorize(query(ctx, input[f.arnMember]));
    return { [outKey]: mustGet<BatchJobDoc>(ctx, f.kind, input[f.arnMember]) };
  };
}

function listJobs(f: Flavour, outKey: string) {
  return (input: { solutionVersionArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) => {
    ctx.authorize(query(ctx, '*'));
    const v = input.solutionVersionArn;
    const { items, nextToken } = page<BatchJobDoc & Record<string, unknown>>(ctx, f.kind, input, {
      idOf: (j) => j[f.arnMember] as string,
      filter: v === undefined ? undefined : (j) => j.solutionVersionArn === v,
    });
    const keys = [f.arnMember, 'jobName', 'status', 'creationDateTime', 'lastUpdatedDateTime', 'failureReason', 'solutionVersionArn', 'batchInferenceJobMode'];
    return { [outKey]: items.map((j) => pick(j, keys)), nextToken };
  };
}

/**
 * Reads every input file as the role, answers its lines on a worker thread (the model and the
 * group's interactions go with them) and writes `<output path>/<input file name>.out`.
 */
function runner(f: Flavour) {
  return async (app: App, arn: string): Promise<void> => {
    const job = app.store.get<BatchJobDoc>(f.kind, arn);
    if (!job) throw notFound(arn);
    const v = app.store.get<SolutionVersionDoc>(KIND.solutionVersion, job.solutionVersionArn);
    if (!v?.model) throw new WorkFailure(`Solution version ${job.solutionVersionArn} no longer exists.`);
    const session = mustAssume(app, job.roleArn, arn);
    const files: BatchJob['files'] = [];
    await eachFile(session, job.jobInput.s3DataSource.path, async (source, body) => {
      let text = '';
      body.setEncoding('utf8');
      for await (const chunk of body) text += chunk as string;
      files.push({ name: source.slice(source.lastIndexOf('/') + 1), text });
    });
    const group = app.store.get<DatasetGroupDoc>(KIND.datasetGroup, v.datasetGroupArn);
    if (!group) throw new WorkFailure(`Dataset group ${v.datasetGroupArn} no longer exists.`);
    const keys = groupKeys(app, group);
    const recipe = recipeName(v.recipeArn ?? '');
    const themed = job.batchInferenceJobMode === 'THEME_GENERATION';
    if (themed && files.some((x) => x.text.split('\n').filter((l) => l.trim()).length > MAX_THEMED_LINES)) {
      throw new WorkFailure(`An input file of a THEME_GENERATION job can have at most ${MAX_THEMED_LINES} items.`);
    }
    const filter = job.filterArn ? app.store.get<StoredFilter>(KIND.filter, job.filterArn) : undefined;
    if (job.filterArn && !filter) throw new WorkFailure(`Filter ${job.filterArn} no longer exists.`);
    const data: BatchJob = {
      flavour: f.flavour, numResults: job.numResults ?? f.defaultResults,
      options: {
        recipe, recipeType: recipeNamed(recipe)?.recipeType,
        filter: filter && (filter.parsed ?? parseFilter(filter.filterExpression)),
        exploration: job.batchInferenceJobConfig?.itemExplorationConfig,
        rankingInfluence: job.batchInferenceJobConfig?.rankingInfluence,
        themeItemName: themed ? job.themeGenerationConfig?.fieldsForThemeGeneration.itemName : undefined,
      },
      model: new Uint8Array(readFile(app, v.model, keys)),
      // Segment jobs read the group's data only for their filter.
      group: f.flavour === 'inference' || filter ? groupSnapshot(app, group, keys) : {},
      itemFields: datasetFields(app, group, 'Items')?.map((x) => x.name) ?? [],
      files,
    };
    const outputs = await offThread<BatchJob['files']>({ arn, script: './batch-worker.js', data });
    const out = job.jobOutput.s3DataDestination;
    for (const o of outputs) await writeS3(session, `${out.path.replace(/\/?$/, '/')}${o.name}.out`, Buffer.from(o.text), out.kmsKeyArn);
  };
}

/** The group's data a batch job reads (histories, filters, exploration): imported tables and what the events API recorded. */
function groupSnapshot(app: App, group: DatasetGroupDoc, keys: ReturnType<typeof groupKeys>): GroupSnapshot {
  const live = liveOf(app, group.datasetGroupArn);
  return {
    interactions: datasetData(app, group, 'Interactions', keys)?.table,
    items: datasetData(app, group, 'Items', keys)?.table,
    users: datasetData(app, group, 'Users', keys)?.table,
    live: live && { events: [...live.events], items: [...live.items], users: [...live.users], itemCounts: [...live.itemCounts] },
  };
}

const inference: Flavour = {
  kind: KIND.batchInferenceJob,
  type: 'batch-inference-job',
  arnMember: 'batchInferenceJobArn',
  flavour: 'inference',
  defaultResults: 25,
  recipeOk: (r) => (r === 'aws-trending-now' || r === 'aws-next-best-action' || recipeNamed(r)?.recipeType === 'USER_SEGMENTATION'
    ? `Batch inference is not supported for the ${r} recipe.` : undefined),
};

const segment: Flavour = {
  kind: KIND.batchSegmentJob,
  type: 'batch-segment-job',
  arnMember: 'batchSegmentJobArn',
  flavour: 'segment',
  defaultResults: 25,
  recipeOk: (r) => (recipeNamed(r)?.recipeType === 'USER_SEGMENTATION' ? undefined : `Batch segment jobs need a USER_SEGMENTATION recipe; ${r} is not one.`),
};

registerWork(inference.kind, runner(inference));
registerWork(segment.kind, runner(segment));

export const operations: Record<string, OperationHandler> = {
  CreateBatchInferenceJob: createJob(inference),
  DescribeBatchInferenceJob: describeJob(inference, 'batchInferenceJob'),
  ListBatchInferenceJobs: listJobs(inference, 'batchInferenceJobs'),
  CreateBatchSegmentJob: createJob(segment),
  DescribeBatchSegmentJob: describeJob(segment, 'batchSegmentJob'),
  ListBatchSegmentJobs: listJobs(segment, 'batchSegmentJobs'),
};
