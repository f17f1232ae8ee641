import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import { KIND, type DatasetDoc, type SchemaDoc } from './schema.js';
import { arnOf } from './arns.js';
import { authorize } from './authz.js';
import { parseSchema } from './avro.js';
import { inUse, limitExceeded } from './errors.js';
import { insert, iso, mustGet, pick } from './common.js';
import { page } from './paging.js';

/** Schemas per account and region (AWS's default quota). */
const MAX_SCHEMAS = 500;

function createSchema(input: { name: string; schema: string; domain?: string }, ctx: RequestContext) {
  const arn = arnOf(ctx, 'schema', input.name);
  authorize(ctx, [arn]);
  parseSchema(input.schema);
  if (ctx.app.store.count(KIND.schema) >= MAX_SCHEMAS) throw limitExceeded(`You have reached the maximum number of schemas (${MAX_SCHEMAS}).`);
  const at = iso(ctx);
  const doc: SchemaDoc = { name: input.name, schemaArn: arn, schema: input.schema, domain: input.domain, creationDateTime: at, lastUpdatedDateTime: at };
  // Schemas have no status: they are usable as soon as they exist.
  insert(ctx, KIND.schema, arn, doc, undefined, false);
  return { schemaArn: arn };
}

function describeSchema(input: { schemaArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.schemaArn]);
  return { schema: mustGet<SchemaDoc>(ctx, KIND.schema, input.schemaArn) };
}

function listSchemas(input: { nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  const { items, nextToken } = page<SchemaDoc>(ctx, KIND.schema, input, { idOf: (d) => d.schemaArn });
  return { schemas: items.map((d) => pick(d, ['name', 'schemaArn', 'creationDateTime', 'lastUpdatedDateTime', 'domain'])), nextToken };
}

function deleteSchema(input: { schemaArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.schemaArn]);
  const { store } = ctx.app;
  mustGet(ctx, KIND.schema, input.schemaArn);
  const user = store.list<DatasetDoc>(KIND.dataset).find((d) => d.schemaArn === input.schemaArn);
  if (user) throw inUse(`Schema ${input.schemaArn} is used by dataset ${user.datasetArn}. Delete the dataset first.`);
  store.delete(KIND.schema, input.schemaArn);
  return {};
}

export const operations: Record<string, OperationHandler> = {
  CreateSchema: createSchema,
  DescribeSchema: describeSchema,
  ListSchemas: listSchemas,
  DeleteSchema: deleteSchema,
};
