import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { KIND, type DatasetDoc, type DatasetGroupDoc, type S3JobDoc, type Tag } from './schema.js';
import { arnOf } from './arns.js';
import { authorize, passRoleQuery, query, requestTagContext } from './authz.js';
import { checkCreateTags } from './tags.js';
import { invalidInput, notFound } from './errors.js';
import { insert, iso, mustGet, pick } from './common.js';
import { activeGroup } from './datasets.js';
import { page } from './paging.js';
import { registerWork, WorkFailure } from './lifecycle.js';
import { dataOf, readFile, writeEncoded } from './data-store.js';
import { asBuffer, offThread } from './workers.js';
import type { DeletionJob, DeletionResult } from './deletion-worker.js';
import { groupKeys } from './keys.js';
import { mustAssume } from './service-role.js';
import { eachFile, parseS3Url } from './source.js';
import { CsvError, CsvReader } from './csv.js';
import { TableBuilder } from './table.js';

interface DeletionJobDoc extends S3JobDoc {
  dataDeletionJobArn: string;
  datasetGroupArn: string;
  dataSource: { dataLocation: string };
  numDeleted?: number;
}

function createDataDeletionJob(input: { jobName: string; datasetGroupArn: string; dataSource: { dataLocation?: string }; roleArn: string; tags?: Tag[] }, ctx: RequestContext) {
  const arn = arnOf(ctx, 'data-deletion-job', input.jobName);
  const context = requestTagContext(input.tags);
  ctx.authorize(query(ctx, input.datasetGroupArn, context), query(ctx, arn, context), passRoleQuery(input.roleArn, arn));
  checkCreateTags(input.tags);
  const location = input.dataSource.dataLocation;
  if (!location || !parseS3Url(location)) throw invalidInput(`Invalid data location: ${location ?? ''}. Specify an s3:// path.`);
  activeGroup(ctx, input.datasetGroupArn);
  const at = iso(ctx);
  const doc: DeletionJobDoc = {
    name: input.jobName, jobName: input.jobName, dataDeletionJobArn: arn, datasetGroupArn: input.datasetGroupArn,
    dataSource: { dataLocation: location }, roleArn: input.roleArn, status: 'PENDING', creationDateTime: at, lastUpdatedDateTime: at,
  };
  insert(ctx, KIND.dataDeletionJob, arn, doc, input.tags);
  return { dataDeletionJobArn: arn };
}

function describeDataDeletionJob(input: { dataDeletionJobArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.dataDeletionJobArn]);
  return { dataDeletionJob: mustGet<DeletionJobDoc>(ctx, KIND.dataDeletionJob, input.dataDeletionJobArn) };
}

function listDataDeletionJobs(input: { datasetGroupArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  const g = input.datasetGroupArn;
  const { items, nextToken } = page<DeletionJobDoc>(ctx, KIND.dataDeletionJob, input, {
    idOf: (j) => j.dataDeletionJobArn,
    filter: g === undefined ? undefined : (j) => j.datasetGroupArn === g,
  });
  const keys: (keyof DeletionJobDoc)[] = ['dataDeletionJobArn', 'datasetGroupArn', 'jobName', 'status', 'creationDateTime', 'lastUpdatedDateTime', 'failureReason'];
  return { dataDeletionJobs: items.map((j) => pick(j, keys)), nextToken };
}

/** The user ids a deletion job names: a CSV with a USER_ID column. */
async function userIds(app: App, job: DeletionJobDoc): Promise<Set<string>> {
  const builder = new TableBuilder([{ name: 'USER_ID', type: 'string', nullable: false, categorical: false, textual: false }]);
  try {
    await eachFile(mustAssume(app, job.roleArn, job.dataDeletionJobArn), job.dataSource.dataLocation, async (source, body) => {
      const csv = new CsvReader(builder, source);
      body.setEncoding('utf8');
      for await (const chunk of body) csv.feed(chunk as string);
      csv.end();
    });
  } catch (e) {
    if (e instanceof CsvError) throw new WorkFailure(e.message);
    throw e;
  }
  return new Set(builder.table().columns[0].dict);
}

/** Removes the named users' records from every dataset of the group keyed by USER_ID. */
async function runDeletion(app: App, arn: string): Promise<void> {
  const job = app.store.get<DeletionJobDoc>(KIND.dataDeletionJob, arn);
  if (!job) throw notFound(arn);
  const group = app.store.get<DatasetGroupDoc>(KIND.datasetGroup, job.datasetGroupArn);
  if (!group) throw new WorkFailure(`Dataset group ${job.datasetGroupArn} no longer exists.`);
  const users = await userIds(app, job);
  const keys = groupKeys(app, group);
  let numDeleted = 0;
  for (const ds of app.store.list<DatasetDoc>(KIND.dataset)) {
    if (ds.datasetGroupArn !== group.datasetGroupArn) continue;
    const current = dataOf(app, ds.datasetArn);
    if (!current) continue;
    const data: DeletionJob = { table: new Uint8Array(readFile(app, current, keys)), users: [...users] };
    const { deleted, kept } = await offThread<DeletionResult>({ arn, script: './deletion-worker.js', data });
    if (!kept) continue;
    numDeleted += deleted;
    writeEncoded(app, ds.datasetArn, arn, { rows: kept.rows, bytes: asBuffer(kept.bytes) }, keys);
  }
  const now = app.store.get<DeletionJobDoc>(KIND.dataDeletionJob, arn);
  if (now) app.store.put(KIND.dataDeletionJob, arn, { ...now, numDeleted });
}

registerWork(KIND.dataDeletionJob, runDeletion, { done: 'COMPLETED', failed: 'FAILED' });

export const operations: Record<string, OperationHandler> = {
  CreateDataDeletionJob: createDataDeletionJob,
  DescribeDataDeletionJob: describeDataDeletionJob,
  ListDataDeletionJobs: listDataDeletionJobs,
};
