import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import { KIND, type DatasetGroupDoc, type Tag } from './schema.js';
import { arnOf } from './arns.js';
import { authorize, passRoleQuery, query, requestTagContext } from './authz.js';
import { checkCreateTags } from './tags.js';
import { inUse, invalidInput, limitExceeded } from './errors.js';
import { iso, insert, live, mustGet, pick, transition } from './common.js';
import { page } from './paging.js';
import { registerWork } from './lifecycle.js';
import { groupKeys } from './keys.js';

/** Active dataset groups per account and region (AWS's default quota). */
const MAX_DATASET_GROUPS = 5;

interface CreateInput {
  name: string;
  roleArn?: string;
  kmsKeyArn?: string;
  domain?: string;
  tags?: Tag[];
}

function createDatasetGroup(input: CreateInput, ctx: RequestContext) {
  const arn = arnOf(ctx, 'dataset-group', input.name);
  const queries = [query(ctx, arn, requestTagContext(input.tags))];
  if (input.roleArn) queries.push(passRoleQuery(input.roleArn, arn));
  ctx.authorize(...queries);
  checkCreateTags(input.tags);
  if (input.kmsKeyArn && !input.roleArn) throw invalidInput('A role ARN is required when a KMS key ARN is specified.');
  const { store } = ctx.app;
  if (store.list<DatasetGroupDoc>(KIND.datasetGroup).filter(live).length >= MAX_DATASET_GROUPS) {
    throw limitExceeded(`You have reached the maximum number of active dataset groups (${MAX_DATASET_GROUPS}).`);
  }
  const at = iso(ctx);
  const doc: DatasetGroupDoc = {
    name: input.name, datasetGroupArn: arn, status: 'CREATE PENDING',
    roleArn: input.roleArn, kmsKeyArn: input.kmsKeyArn, domain: input.domain,
    creationDateTime: at, lastUpdatedDateTime: at,
  };
  insert(ctx, KIND.datasetGroup, arn, doc, input.tags);
  return { datasetGroupArn: arn, domain: input.domain };
}

function describeDatasetGroup(input: { datasetGroupArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.datasetGroupArn]);
  return { datasetGroup: mustGet<DatasetGroupDoc>(ctx, KIND.datasetGroup, input.datasetGroupArn) };
}

function listDatasetGroups(input: { nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  const { items, nextToken } = page<DatasetGroupDoc>(ctx, KIND.datasetGroup, input, { idOf: (d) => d.datasetGroupArn });
  const keys: (keyof DatasetGroupDoc)[] = ['name', 'datasetGroupArn', 'status', 'creationDateTime', 'lastUpdatedDateTime', 'failureReason', 'domain'];
  return { datasetGroups: items.map((d) => pick(d, keys)), nextToken };
}

/** What still lives in a dataset group and blocks its deletion. */
const DEPENDANTS: [string, string][] = [
  [KIND.dataset, 'datasets'], [KIND.solution, 'solutions'], [KIND.eventTracker, 'event trackers'],
  [KIND.recommender, 'recommenders'], [KIND.filter, 'filters'], [KIND.metricAttribution, 'metric attributions'],
];

function deleteDatasetGroup(input: { datasetGroupArn: string }, ctx: RequestContext) {
  const arn = input.datasetGroupArn;
  authorize(ctx, [arn]);
  const { store } = ctx.app;
  const group = mustGet<DatasetGroupDoc>(ctx, KIND.datasetGroup, arn);
  if (!live(group)) throw inUse(`Dataset group ${arn} is already being deleted.`);
  if (group.status === 'CREATE PENDING' || group.status === 'CREATE IN_PROGRESS') throw inUse(`Dataset group ${arn} is being created. Wait until it is ACTIVE.`);
  for (const [kind, what] of DEPENDANTS) {
    if (store.list<{ datasetGroupArn: string }>(kind).some((d) => d.datasetGroupArn === arn)) {
      throw inUse(`Dataset group ${arn} has ${what}. Delete them before deleting the dataset group.`);
    }
  }
  transition(ctx, KIND.datasetGroup, arn, 'DELETE PENDING');
  return {};
}

// A KMS-keyed group is usable only if its role can be assumed and can use the key: creating it tries both.
registerWork(KIND.datasetGroup, async (app, arn) => {
  const group = app.store.get<DatasetGroupDoc>(KIND.datasetGroup, arn);
  if (group) groupKeys(app, group)?.newKey();
});

export const operations: Record<string, OperationHandler> = {
  CreateDatasetGroup: createDatasetGroup,
  DescribeDatasetGroup: describeDatasetGroup,
  ListDatasetGroups: listDatasetGroups,
  DeleteDatasetGroup: deleteDatasetGroup,
};
