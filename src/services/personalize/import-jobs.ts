import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { KIND, type DatasetDoc, type DatasetGroupDoc, type ImportJobDoc, type SchemaDoc, type Tag } from './schema.js';
import { arnOf } from './arns.js';
import { passRoleQuery, query, requestTagContext } from './authz.js';
import { checkCreateTags } from './tags.js';
import { invalidInput, inUse, limitExceeded, notFound } from './errors.js';
import { insert, iso, mustGet, pick } from './common.js';
import { page } from './paging.js';
import { registerWork, WorkFailure } from './lifecycle.js';
import { parseSchema } from './avro.js';
import { encodeTable, type Table } from './table.js';
import { CsvError } from './csv.js';
import { CsvImport } from './csv-import.js';
import { dataOf, readFile, writeData, writeEncoded } from './data-store.js';
import { asBuffer, offThread } from './workers.js';
import type { MergeJob } from './merge-worker.js';
import { eachFile, parseS3Url } from './source.js';
import { mustAssume, serviceSession, whereOf } from './service-role.js';
import { groupKeys } from './keys.js';

/** Import jobs pending or in progress per account and region (AWS's default quota). */
const MAX_RUNNING = 5;
/** Fewest interaction records one import job may bring (AWS's minimum). */
const MIN_INTERACTIONS = 1000;
/** The id field INCREMENTAL imports replace records by, per dataset type (interactions are appended). */
const ID_FIELD: Record<string, string> = { Items: 'ITEM_ID', Users: 'USER_ID', Actions: 'ACTION_ID' };

const running = (j: ImportJobDoc) => j.status === 'CREATE PENDING' || j.status === 'CREATE IN_PROGRESS';

interface CreateInput {
  jobName: string;
  datasetArn: string;
  dataSource: { dataLocation?: string };
  roleArn?: string;
  importMode?: 'FULL' | 'INCREMENTAL';
  publishAttributionMetricsToS3?: boolean;
  tags?: Tag[];
}

function createDatasetImportJob(input: CreateInput, ctx: RequestContext) {
  const arn = arnOf(ctx, 'dataset-import-job', input.jobName);
  const context = requestTagContext(input.tags);
  const queries = [query(ctx, input.datasetArn, context), query(ctx, arn, context)];
  if (input.roleArn) queries.push(passRoleQuery(input.roleArn, arn));
  ctx.authorize(...queries);
  checkCreateTags(input.tags);
  const location = input.dataSource.dataLocation;
  if (!location || !parseS3Url(location)) throw invalidInput(`Invalid data location: ${location ?? ''}. Specify an s3:// path.`);
  const { store } = ctx.app;
  const ds = mustGet<DatasetDoc>(ctx, KIND.dataset, input.datasetArn);
  if (ds.status !== 'ACTIVE') throw inUse(`Dataset ${ds.datasetArn} is not ACTIVE (current status: ${ds.status}).`);
  const jobs = store.list<ImportJobDoc>(KIND.importJob);
  const mode = input.importMode ?? 'FULL';
  if (mode === 'INCREMENTAL' && !jobs.some((j) => j.datasetArn === ds.datasetArn && j.status !== 'CREATE FAILED')) {
    throw invalidInput('INCREMENTAL import mode requires a previous bulk import into the dataset. Use FULL for the first import.');
  }
  if (jobs.filter(running).length >= MAX_RUNNING) throw limitExceeded(`You have reached the maximum number of dataset import jobs in progress (${MAX_RUNNING}).`);
  const at = iso(ctx);
  const doc: ImportJobDoc = {
    name: input.jobName, jobName: input.jobName, datasetImportJobArn: arn, datasetArn: ds.datasetArn,
    dataSource: { dataLocation: location }, roleArn: input.roleArn, importMode: mode,
    publishAttributionMetricsToS3: input.publishAttributionMetricsToS3,
    status: 'CREATE PENDING', creationDateTime: at, lastUpdatedDateTime: at,
  };
  insert(ctx, KIND.importJob, arn, doc, input.tags);
  return { datasetImportJobArn: arn };
}

function describeDatasetImportJob(input: { datasetImportJobArn: string }, ctx: RequestContext) {
  ctx.authorize(query(ctx, input.datasetImportJobArn));
  return { datasetImportJob: mustGet<ImportJobDoc>(ctx, KIND.importJob, input.datasetImportJobArn) };
}

function listDatasetImportJobs(input: { datasetArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  ctx.authorize(query(ctx, '*'));
  const d = input.datasetArn;
  const { items, nextToken } = page<ImportJobDoc>(ctx, KIND.importJob, input, {
    idOf: (j) => j.datasetImportJobArn,
    filter: d === undefined ? undefined : (j) => j.datasetArn === d,
  });
  const keys: (keyof ImportJobDoc)[] = ['datasetImportJobArn', 'jobName', 'status', 'creationDateTime', 'lastUpdatedDateTime', 'failureReason', 'importMode'];
  return { datasetImportJobs: items.map((j) => pick(j, keys)), nextToken };
}

/** Reads, checks and stores the job's data; a failure at any point leaves the dataset as it was. */
async function runImport(app: App, arn: string): Promise<void> {
  const { store } = app;
  const job = store.get<ImportJobDoc>(KIND.importJob, arn);
  if (!job) throw notFound(arn);
  // Already committed before a restart interrupted the status change: nothing more to do.
  if (dataOf(app, job.datasetArn)?.jobArn === arn) return;
  const ds = store.get<DatasetDoc>(KIND.dataset, job.datasetArn);
  const group = ds && store.get<DatasetGroupDoc>(KIND.datasetGroup, ds.datasetGroupArn);
  const schema = ds && store.get<SchemaDoc>(KIND.schema, ds.schemaArn);
  if (!ds || !group || !schema) throw new WorkFailure(`Dataset ${job.datasetArn} no longer exists.`);
  const { region, accountId } = whereOf(arn);
  const reader = job.roleArn ? mustAssume(app, job.roleArn, arn) : serviceSession(app, arn, region, accountId);
  const fields = parseSchema(schema.schema);
  // Parsing runs on a worker thread: a large import never holds the event loop that serves the API.
  const csv = new CsvImport(fields);
  let table: Table;
  try {
    await eachFile(reader, job.dataSource.dataLocation, async (source, body) => {
      body.setEncoding('utf8');
      await csv.file(source, body);
    });
    table = await csv.finish();
  } catch (e) {
    await csv.close();
    if (e instanceof CsvError) throw new WorkFailure(e.message);
    throw e;
  }
  if (ds.datasetType === 'Interactions' && table.rows < MIN_INTERACTIONS) {
    throw new WorkFailure(`The data has ${table.rows} interactions. An import job must bring at least ${MIN_INTERACTIONS} interactions.`);
  }
  const keys = groupKeys(app, group);
  const current = job.importMode === 'INCREMENTAL' ? dataOf(app, ds.datasetArn) : undefined;
  if (!current) return writeData(app, ds.datasetArn, arn, table, keys);
  const merge: MergeJob = { old: new Uint8Array(readFile(app, current, keys)), added: new Uint8Array(encodeTable(table)), fields, idField: ID_FIELD[ds.datasetType] };
  const merged = await offThread<{ rows: number; bytes: Uint8Array }>({ arn, script: './merge-worker.js', data: merge });
  writeEncoded(app, ds.datasetArn, arn, { rows: merged.rows, bytes: asBuffer(merged.bytes) }, keys);
}

registerWork(KIND.importJob, runImport);

export const operations: Record<string, OperationHandler> = {
  CreateDatasetImportJob: createDatasetImportJob,
  DescribeDatasetImportJob: describeDatasetImportJob,
  ListDatasetImportJobs: listDatasetImportJobs,
};
