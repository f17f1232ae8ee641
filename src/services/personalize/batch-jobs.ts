// Batch inference and batch segment jobs: JSON Lines in from S3, JSON Lines out to S3, as the role.
// Inference answers each line from the solution version's model; segments rank the users who
// interacted most with each item (a count-based stand-in until the segmentation recipes land).
import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { KIND, type DatasetGroupDoc, type S3JobDoc, type SolutionVersionDoc, type Tag } from './schema.js';
import { arnOf, datasetArnOf, solutionOfVersion } from './arns.js';
import { passRoleQuery, query, requestTagContext } from './authz.js';
import { checkCreateTags } from './tags.js';
import { invalidInput, inUse, limitExceeded, notFound } from './errors.js';
import { insert, iso, mustGet, pick } from './common.js';
import { page } from './paging.js';
import { registerWork, WorkFailure } from './lifecycle.js';
import { readData } from './data-store.js';
import { groupKeys } from './keys.js';
import { mustAssume, whereOf } from './service-role.js';
import { eachFile, parseS3Url, writeS3 } from './source.js';
import { loadModel } from './training.js';
import { recipeName } from './solutions.js';
import { recipeNamed } from './recipe-data.js';

type S3Config = { path: string; kmsKeyArn?: string };

interface BatchJobDoc extends S3JobDoc {
  solutionVersionArn: string;
  filterArn?: string;
  numResults?: number;
  jobInput: { s3DataSource: S3Config };
  jobOutput: { s3DataDestination: S3Config };
}

interface Flavour {
  kind: string;
  type: 'batch-inference-job' | 'batch-segment-job';
  arnMember: 'batchInferenceJobArn' | 'batchSegmentJobArn';
  /** Which recipe types a job of this flavour runs on. */
  recipeOk(recipe: string): string | undefined;
  /** The output line for one input line. */
  answer(app: App, v: SolutionVersionDoc, input: Record<string, unknown>, n: number): Promise<Record<string, unknown>> | Record<string, unknown>;
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
    const refusal = f.recipeOk(recipeName(v.recipeArn ?? ''));
    if (refusal) throw invalidInput(refusal);
    if (input.filterArn) mustGet(ctx, KIND.filter, input.filterArn);
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

/** Reads every input line, answers it, and writes `<output path>/<input file name>.out`. */
function runner(f: Flavour) {
  return async (app: App, arn: string): Promise<void> => {
    const job = app.store.get<BatchJobDoc>(f.kind, arn);
    if (!job) throw notFound(arn);
    const v = app.store.get<SolutionVersionDoc>(KIND.solutionVersion, job.solutionVersionArn);
    if (!v) throw new WorkFailure(`Solution version ${job.solutionVersionArn} no longer exists.`);
    const session = mustAssume(app, job.roleArn, arn);
    const out = job.jobOutput.s3DataDestination;
    await eachFile(session, job.jobInput.s3DataSource.path, async (source, body) => {
      let text = '';
      body.setEncoding('utf8');
      for await (const chunk of body) text += chunk as string;
      const lines: string[] = [];
      for (const [i, line] of text.split('\n').entries()) {
        if (!line.trim()) continue;
        let input: Record<string, unknown>;
        try {
          input = JSON.parse(line);
        } catch {
          throw new WorkFailure(`Line ${i + 1} of ${source} is not valid JSON.`);
        }
        lines.push(JSON.stringify(await f.answer(app, v, input, job.numResults ?? f.defaultResults)));
      }
      const name = source.slice(source.lastIndexOf('/') + 1);
      await writeS3(session, `${out.path.replace(/\/?$/, '/')}${name}.out`, Buffer.from(lines.join('\n') + '\n'), out.kmsKeyArn);
    });
  };
}

const inference: Flavour = {
  kind: KIND.batchInferenceJob,
  type: 'batch-inference-job',
  arnMember: 'batchInferenceJobArn',
  defaultResults: 25,
  recipeOk: (r) => (r === 'aws-trending-now' || r === 'aws-next-best-action' || recipeNamed(r)?.recipeType === 'USER_SEGMENTATION'
    ? `Batch inference is not supported for the ${r} recipe.` : undefined),
  answer(app, v, input, n) {
    const model = loadModel(app, v.datasetGroupArn, v.model!);
    return { input, output: { recommendedItems: model.items.slice(0, n) }, error: null };
  },
};

const segment: Flavour = {
  kind: KIND.batchSegmentJob,
  type: 'batch-segment-job',
  arnMember: 'batchSegmentJobArn',
  defaultResults: 25,
  recipeOk: (r) => (recipeNamed(r)?.recipeType === 'USER_SEGMENTATION' ? undefined : `Batch segment jobs need a USER_SEGMENTATION recipe; ${r} is not one.`),
  answer(app, v, input, n) {
    const group = app.store.get<DatasetGroupDoc>(KIND.datasetGroup, v.datasetGroupArn)!;
    const table = readData(app, datasetArnOf(whereOf(v.datasetGroupArn), group.name, 'Interactions'), groupKeys(app, group));
    const users = table?.columns.find((c) => c.name === 'USER_ID');
    const items = table?.columns.find((c) => c.name === 'ITEM_ID');
    const code = items?.dict?.indexOf(String(input.itemId ?? ''));
    const counts = new Map<number, number>();
    if (table && users && items && code !== undefined && code >= 0) {
      for (let r = 0; r < table.rows; r++) if (items.codes![r] === code) counts.set(users.codes![r], (counts.get(users.codes![r]) ?? 0) + 1);
    }
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, n).map(([u]) => users!.dict![u]);
    return { input, output: { usersList: ranked }, error: null };
  },
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
