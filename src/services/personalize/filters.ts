import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import { KIND, type FilterDoc, type Tag } from './schema.js';
import { arnOf } from './arns.js';
import { authorize } from './authz.js';
import { checkCreateTags } from './tags.js';
import { inUse, limitExceeded } from './errors.js';
import { insert, iso, live, mustGet, pick, transition } from './common.js';
import { activeGroup } from './datasets.js';
import { parseFilter, type ParsedFilter } from './filter-language/index.js';
import { page } from './paging.js';

/** Filters per dataset group (AWS's default quota). */
const MAX_FILTERS = 10;
/** Distinct dataset fields all filters of a dataset group may use together (AWS's quota). */
const MAX_GROUP_FIELDS = 20;

/** A filter as stored: its expression parsed once, here, for the runtime to apply. */
export type StoredFilter = FilterDoc & { parsed: ParsedFilter };

function createFilter(input: { name: string; datasetGroupArn: string; filterExpression: string; tags?: Tag[] }, ctx: RequestContext) {
  const arn = arnOf(ctx, 'filter', input.name);
  authorize(ctx, [input.datasetGroupArn, arn], input.tags);
  checkCreateTags(input.tags);
  const parsed = parseFilter(input.filterExpression);
  activeGroup(ctx, input.datasetGroupArn);
  const { store } = ctx.app;
  const siblings = store.list<StoredFilter>(KIND.filter).filter((f) => f.datasetGroupArn === input.datasetGroupArn && live(f));
  if (siblings.length >= MAX_FILTERS) {
    throw limitExceeded(`Dataset group ${input.datasetGroupArn} has reached the maximum number of filters (${MAX_FILTERS}).`);
  }
  const fields = new Set([...siblings.flatMap((f) => f.parsed?.fields ?? []), ...parsed.fields]);
  if (fields.size > MAX_GROUP_FIELDS) {
    throw limitExceeded(`The filters of dataset group ${input.datasetGroupArn} would use ${fields.size} distinct dataset fields; the maximum is ${MAX_GROUP_FIELDS}.`);
  }
  const at = iso(ctx);
  const doc: StoredFilter = {
    name: input.name, filterArn: arn, datasetGroupArn: input.datasetGroupArn, filterExpression: input.filterExpression,
    status: 'CREATE PENDING', creationDateTime: at, lastUpdatedDateTime: at, parsed,
  };
  insert(ctx, KIND.filter, arn, doc, input.tags);
  return { filterArn: arn };
}

function describeFilter(input: { filterArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.filterArn]);
  return { filter: mustGet<FilterDoc>(ctx, KIND.filter, input.filterArn) };
}

function listFilters(input: { datasetGroupArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  const g = input.datasetGroupArn;
  const { items, nextToken } = page<FilterDoc>(ctx, KIND.filter, input, {
    idOf: (d) => d.filterArn,
    filter: g === undefined ? undefined : (d) => d.datasetGroupArn === g,
  });
  const keys: (keyof FilterDoc)[] = ['name', 'filterArn', 'creationDateTime', 'lastUpdatedDateTime', 'datasetGroupArn', 'failureReason', 'status'];
  // ListFilters is the one List* whose result key is capitalised.
  return { Filters: items.map((d) => pick(d, keys)), nextToken };
}

function deleteFilter(input: { filterArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.filterArn]);
  const f = mustGet<FilterDoc>(ctx, KIND.filter, input.filterArn);
  if (!live(f)) throw inUse(`Filter ${input.filterArn} is already being deleted.`);
  transition(ctx, KIND.filter, input.filterArn, 'DELETE PENDING');
  return {};
}

export const operations: Record<string, OperationHandler> = {
  CreateFilter: createFilter,
  DescribeFilter: describeFilter,
  ListFilters: listFilters,
  DeleteFilter: deleteFilter,
};
