import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { KIND, type DatasetDoc, type DatasetGroupDoc, type S3JobDoc, type SchemaDoc, type Tag } from './schema.js';
import { arnOf } from './arns.js';
import { passRoleQuery, query, requestTagContext } from './authz.js';
import { checkCreateTags } from './tags.js';
import { invalidInput, inUse, notFound } from './errors.js';
import { insert, iso, mustGet, pick } from './common.js';
import { page } from './paging.js';
import { registerWork, WorkFailure } from './lifecycle.js';
import { dataOf, readFile } from './data-store.js';
import { groupKeys } from './keys.js';
import { mustAssume } from './service-role.js';
import { parseS3Url, writeS3 } from './source.js';
import { parseSchema } from './avro.js';
import { asBuffer, offThread } from './workers.js';
import type { ExportJob } from './export-worker.js';

interface ExportJobDoc extends S3JobDoc {
  datasetExportJobArn: string;
  datasetArn: string;
  ingestionMode: 'BULK' | 'PUT' | 'ALL';
  jobOutput: { s3DataDestination: { path: string; kmsKeyArn?: string } };
}

interface CreateInput {
  jobName: string;
  datasetArn: string;
  ingestionMode?: 'BULK' | 'PUT' | 'ALL';
  roleArn: string;
  jobOutput: ExportJobDoc['jobOutput'];
  tags?: Tag[];
}

function createDatasetExportJob(input: CreateInput, ctx: RequestContext) {
  const arn = arnOf(ctx, 'dataset-export-job', input.jobName);
  const context = requestTagContext(input.tags);
  ctx.authorize(query(ctx, input.datasetArn, context), query(ctx, arn, context), passRoleQuery(input.roleArn, arn));
  checkCreateTags(input.tags);
  const path = input.jobOutput.s3DataDestination.path;
  if (!parseS3Url(path)) throw invalidInput(`Invalid output path: ${path}. Specify an s3:// path.`);
  const ds = mustGet<DatasetDoc>(ctx, KIND.dataset, input.datasetArn);
  if (ds.status !== 'ACTIVE') throw inUse(`Dataset ${ds.datasetArn} is not ACTIVE (current status: ${ds.status}).`);
  const at = iso(ctx);
  const doc: ExportJobDoc = {
    name: input.jobName, jobName: input.jobName, datasetExportJobArn: arn, datasetArn: ds.datasetArn,
    ingestionMode: input.ingestionMode ?? 'PUT', roleArn: input.roleArn, jobOutput: input.jobOutput,
    status: 'CREATE PENDING', creationDateTime: at, lastUpdatedDateTime: at,
  };
  insert(ctx, KIND.exportJob, arn, doc, input.tags);
  return { datasetExportJobArn: arn };
}

function describeDatasetExportJob(input: { datasetExportJobArn: string }, ctx: RequestContext) {
  ctx.authorize(query(ctx, input.datasetExportJobArn));
  return { datasetExportJob: mustGet<ExportJobDoc>(ctx, KIND.exportJob, input.datasetExportJobArn) };
}

function listDatasetExportJobs(input: { datasetArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  ctx.authorize(query(ctx, '*'));
  const d = input.datasetArn;
  const { items, nextToken } = page<ExportJobDoc>(ctx, KIND.exportJob, input, {
    idOf: (j) => j.datasetExportJobArn,
    filter: d === undefined ? undefined : (j) => j.datasetArn === d,
  });
  const keys: (keyof ExportJobDoc)[] = ['datasetExportJobArn', 'jobName', 'status', 'creationDateTime', 'lastUpdatedDateTime', 'failureReason'];
  return { datasetExportJobs: items.map((j) => pick(j, keys)), nextToken };
}

/**
 * Writes the dataset's bulk data as CSV to `<path>/<jobName>_1.csv` as the role. Tailor keeps data
 * that arrived through the events API with that service, so PUT exports hold only the header.
 */
async function runExport(app: App, arn: string): Promise<void> {
  const job = app.store.get<ExportJobDoc>(KIND.exportJob, arn);
  if (!job) throw notFound(arn);
  const ds = app.store.get<DatasetDoc>(KIND.dataset, job.datasetArn);
  const group = ds && app.store.get<DatasetGroupDoc>(KIND.datasetGroup, ds.datasetGroupArn);
  const schema = ds && app.store.get<SchemaDoc>(KIND.schema, ds.schemaArn);
  if (!ds || !group || !schema) throw new WorkFailure(`Dataset ${job.datasetArn} no longer exists.`);
  const session = mustAssume(app, job.roleArn, arn);
  const data = job.ingestionMode === 'PUT' ? undefined : dataOf(app, ds.datasetArn);
  const exported: ExportJob = { table: data && new Uint8Array(readFile(app, data, groupKeys(app, group))), fields: parseSchema(schema.schema) };
  // Turning a large table into CSV takes a while: done on a worker thread.
  const csv = await offThread<Uint8Array>({ arn, script: './export-worker.js', data: exported });
  const { path, kmsKeyArn } = job.jobOutput.s3DataDestination;
  await writeS3(session, `${path.replace(/\/?$/, '/')}${job.jobName}_1.csv`, asBuffer(csv), kmsKeyArn);
}

registerWork(KIND.exportJob, runExport);

export const operations: Record<string, OperationHandler> = {
  CreateDatasetExportJob: createDatasetExportJob,
  DescribeDatasetExportJob: describeDatasetExportJob,
  ListDatasetExportJobs: listDatasetExportJobs,
};
