import { randomUUID } from 'node:crypto';
import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import { KIND, type DatasetDoc, type DatasetGroupDoc, type ImportJobDoc, type SchemaDoc, type SolutionVersionDoc, type Tag } from './schema.js';
import { datasetArnOf } from './arns.js';
import { authorize } from './authz.js';
import { canonicalType, checkForDatasetType, parseSchema } from './avro.js';
import { checkCreateTags } from './tags.js';
import { invalidInput, inUse } from './errors.js';
import { insert, iso, live, mustGet, pick, transition } from './common.js';
import { page } from './paging.js';
import { registerCleanup } from './lifecycle.js';
import { removeData } from './data-store.js';

const BUSY = new Set(['CREATE PENDING', 'CREATE IN_PROGRESS']);

/** The group must be ACTIVE before anything is added to it. */
export function activeGroup(ctx: RequestContext, arn: string): DatasetGroupDoc {
  const group = mustGet<DatasetGroupDoc>(ctx, KIND.datasetGroup, arn);
  if (group.status !== 'ACTIVE') throw inUse(`Dataset group ${arn} is not ACTIVE (current status: ${group.status}).`);
  return group;
}

/** A schema suited to `datasetType` in `group` (domain schemas only in domain groups of the same domain). */
function suitedSchema(ctx: RequestContext, schemaArn: string, datasetType: string, group: DatasetGroupDoc): SchemaDoc {
  const schema = mustGet<SchemaDoc>(ctx, KIND.schema, schemaArn);
  if ((schema.domain ?? undefined) !== (group.domain ?? undefined)) {
    throw invalidInput(`The domain of schema ${schemaArn} (${schema.domain ?? 'none'}) does not match the domain of dataset group ${group.datasetGroupArn} (${group.domain ?? 'none'}).`);
  }
  checkForDatasetType(parseSchema(schema.schema), datasetType, group.domain);
  return schema;
}

interface CreateInput {
  name: string;
  schemaArn: string;
  datasetGroupArn: string;
  datasetType: string;
  tags?: Tag[];
}

function createDataset(input: CreateInput, ctx: RequestContext) {
  const type = canonicalType(input.datasetType);
  const groupName = input.datasetGroupArn.slice(input.datasetGroupArn.indexOf('/') + 1);
  const arn = datasetArnOf(ctx, groupName, type ?? input.datasetType);
  authorize(ctx, [input.datasetGroupArn, arn], input.tags);
  checkCreateTags(input.tags);
  if (!type) throw invalidInput(`Invalid dataset type: ${input.datasetType}. Valid types are Interactions, Items, Users, Actions and Action_Interactions.`);
  const group = activeGroup(ctx, input.datasetGroupArn);
  suitedSchema(ctx, input.schemaArn, type, group);
  const at = iso(ctx);
  const doc: DatasetDoc = {
    name: input.name, datasetArn: arn, datasetGroupArn: input.datasetGroupArn, datasetType: type, schemaArn: input.schemaArn,
    status: 'CREATE PENDING', creationDateTime: at, lastUpdatedDateTime: at,
    // An Action_Interactions dataset comes with its own tracker for PutActionInteractions.
    ...(type === 'Action_Interactions' ? { trackingId: randomUUID() } : {}),
  };
  insert(ctx, KIND.dataset, arn, doc, input.tags);
  return { datasetArn: arn };
}

function describeDataset(input: { datasetArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.datasetArn]);
  return { dataset: mustGet<DatasetDoc>(ctx, KIND.dataset, input.datasetArn) };
}

function listDatasets(input: { datasetGroupArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  const g = input.datasetGroupArn;
  const { items, nextToken } = page<DatasetDoc>(ctx, KIND.dataset, input, {
    idOf: (d) => d.datasetArn,
    filter: g === undefined ? undefined : (d) => d.datasetGroupArn === g,
  });
  const keys: (keyof DatasetDoc)[] = ['name', 'datasetArn', 'datasetType', 'status', 'creationDateTime', 'lastUpdatedDateTime'];
  return { datasets: items.map((d) => pick(d, keys)), nextToken };
}

function updateDataset(input: { datasetArn: string; schemaArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.datasetArn]);
  const { store } = ctx.app;
  const ds = mustGet<DatasetDoc>(ctx, KIND.dataset, input.datasetArn);
  if (ds.status !== 'ACTIVE') throw inUse(`Dataset ${input.datasetArn} is not ACTIVE (current status: ${ds.status}).`);
  const group = mustGet<DatasetGroupDoc>(ctx, KIND.datasetGroup, ds.datasetGroupArn);
  suitedSchema(ctx, input.schemaArn, ds.datasetType, group);
  const at = iso(ctx);
  // The replacement applies at once; latestDatasetUpdate reports it as done.
  store.put(KIND.dataset, ds.datasetArn, {
    ...ds, schemaArn: input.schemaArn, lastUpdatedDateTime: at,
    latestDatasetUpdate: { schemaArn: input.schemaArn, status: 'ACTIVE', creationDateTime: at, lastUpdatedDateTime: at },
  });
  return { datasetArn: ds.datasetArn };
}

function deleteDataset(input: { datasetArn: string }, ctx: RequestContext) {
  const arn = input.datasetArn;
  authorize(ctx, [arn]);
  const { store } = ctx.app;
  const ds = mustGet<DatasetDoc>(ctx, KIND.dataset, arn);
  if (!live(ds)) throw inUse(`Dataset ${arn} is already being deleted.`);
  if (BUSY.has(ds.status)) throw inUse(`Dataset ${arn} is being created. Wait until it is ACTIVE.`);
  if (store.list<ImportJobDoc>(KIND.importJob).some((j) => j.datasetArn === arn && BUSY.has(j.status))) {
    throw inUse(`Dataset ${arn} has a dataset import job in progress.`);
  }
  if (store.list<SolutionVersionDoc>(KIND.solutionVersion).some((v) => v.datasetGroupArn === ds.datasetGroupArn && BUSY.has(v.status))) {
    throw inUse(`A solution version of dataset group ${ds.datasetGroupArn} is being created.`);
  }
  transition(ctx, KIND.dataset, arn, 'DELETE PENDING');
  return {};
}

registerCleanup(KIND.dataset, removeData);

export const operations: Record<string, OperationHandler> = {
  CreateDataset: createDataset,
  DescribeDataset: describeDataset,
  ListDatasets: listDatasets,
  UpdateDataset: updateDataset,
  DeleteDataset: deleteDataset,
};
