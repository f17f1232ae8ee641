import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import { KIND, type MetricAttributionDoc } from './schema.js';
import { arnOf } from './arns.js';
import { authorize, passRoleQuery, query } from './authz.js';
import { invalidInput, inUse, limitExceeded } from './errors.js';
import { insert, iso, live, mustGet, pick, transition } from './common.js';
import { activeGroup } from './datasets.js';
import { page, pageArray } from './paging.js';

type Metric = MetricAttributionDoc['metrics'][number];

/** Metrics per attribution (AWS's quota). */
const MAX_METRICS = 10;
const EXPRESSION = /^(SUM\(Items\.[A-Za-z_][A-Za-z0-9_]*\)|SAMPLECOUNT\(\))$/;

function checkMetrics(metrics: Metric[]): void {
  if (metrics.length > MAX_METRICS) throw limitExceeded(`A metric attribution can have at most ${MAX_METRICS} metrics.`);
  const names = new Set<string>();
  for (const m of metrics) {
    if (!EXPRESSION.test(m.expression)) throw invalidInput(`Invalid metric expression: ${m.expression}. Use SUM(Items.<column>) or SAMPLECOUNT().`);
    if (names.has(m.metricName)) throw invalidInput(`Duplicate metric name: ${m.metricName}.`);
    names.add(m.metricName);
  }
}

interface CreateInput {
  name: string;
  datasetGroupArn: string;
  metrics: Metric[];
  metricsOutputConfig: MetricAttributionDoc['metricsOutputConfig'];
}

function createMetricAttribution(input: CreateInput, ctx: RequestContext) {
  const arn = arnOf(ctx, 'metric-attribution', input.name);
  ctx.authorize(query(ctx, input.datasetGroupArn), query(ctx, arn), passRoleQuery(input.metricsOutputConfig.roleArn, arn));
  checkMetrics(input.metrics);
  activeGroup(ctx, input.datasetGroupArn);
  const { store } = ctx.app;
  // One metric attribution per dataset group.
  if (store.list<MetricAttributionDoc>(KIND.metricAttribution).some((m) => m.datasetGroupArn === input.datasetGroupArn && live(m))) {
    throw limitExceeded(`Dataset group ${input.datasetGroupArn} already has a metric attribution.`);
  }
  const at = iso(ctx);
  const doc: MetricAttributionDoc = {
    name: input.name, metricAttributionArn: arn, datasetGroupArn: input.datasetGroupArn, metricsOutputConfig: input.metricsOutputConfig,
    metrics: input.metrics, status: 'CREATE PENDING', creationDateTime: at, lastUpdatedDateTime: at,
  };
  // Metric attributions take no tags.
  insert(ctx, KIND.metricAttribution, arn, doc, undefined);
  return { metricAttributionArn: arn };
}

function describeMetricAttribution(input: { metricAttributionArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.metricAttributionArn]);
  return { metricAttribution: mustGet<MetricAttributionDoc>(ctx, KIND.metricAttribution, input.metricAttributionArn) };
}

function listMetricAttributions(input: { datasetGroupArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  const g = input.datasetGroupArn;
  const { items, nextToken } = page<MetricAttributionDoc>(ctx, KIND.metricAttribution, input, {
    idOf: (m) => m.metricAttributionArn,
    filter: g === undefined ? undefined : (m) => m.datasetGroupArn === g,
  });
  const keys: (keyof MetricAttributionDoc)[] = ['name', 'metricAttributionArn', 'status', 'creationDateTime', 'lastUpdatedDateTime', 'failureReason'];
  return { metricAttributions: items.map((m) => pick(m, keys)), nextToken };
}

function listMetricAttributionMetrics(input: { metricAttributionArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  const all = input.metricAttributionArn === undefined ? [] : mustGet<MetricAttributionDoc>(ctx, KIND.metricAttribution, input.metricAttributionArn).metrics;
  const { items, nextToken } = pageArray(all, input, (m) => m.metricName);
  return { metrics: items, nextToken };
}

interface UpdateInput {
  metricAttributionArn?: string;
  addMetrics?: Metric[];
  removeMetrics?: string[];
  metricsOutputConfig?: MetricAttributionDoc['metricsOutputConfig'];
}

function updateMetricAttribution(input: UpdateInput, ctx: RequestContext) {
  const arn = input.metricAttributionArn ?? '';
  const queries = [query(ctx, arn)];
  if (input.metricsOutputConfig) queries.push(passRoleQuery(input.metricsOutputConfig.roleArn, arn));
  ctx.authorize(...queries);
  if (!arn) throw invalidInput('metricAttributionArn is required.');
  const { store } = ctx.app;
  const m = mustGet<MetricAttributionDoc>(ctx, KIND.metricAttribution, arn);
  if (m.status !== 'ACTIVE') throw inUse(`Metric attribution ${arn} is not ACTIVE (current status: ${m.status}).`);
  const removed = new Set(input.removeMetrics ?? []);
  const metrics = [...m.metrics.filter((x) => !removed.has(x.metricName)), ...(input.addMetrics ?? [])];
  checkMetrics(metrics);
  store.put(KIND.metricAttribution, arn, { ...m, metrics, metricsOutputConfig: input.metricsOutputConfig ?? m.metricsOutputConfig, lastUpdatedDateTime: iso(ctx) });
  return { metricAttributionArn: arn };
}

function deleteMetricAttribution(input: { metricAttributionArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.metricAttributionArn]);
  const m = mustGet<MetricAttributionDoc>(ctx, KIND.metricAttribution, input.metricAttributionArn);
  if (!live(m)) throw inUse(`Metric attribution ${input.metricAttributionArn} is already being deleted.`);
  transition(ctx, KIND.metricAttribution, input.metricAttributionArn, 'DELETE PENDING');
  return {};
}

export const operations: Record<string, OperationHandler> = {
  CreateMetricAttribution: createMetricAttribution,
  DescribeMetricAttribution: describeMetricAttribution,
  ListMetricAttributions: listMetricAttributions,
  ListMetricAttributionMetrics: listMetricAttributionMetrics,
  UpdateMetricAttribution: updateMetricAttribution,
  DeleteMetricAttribution: deleteMetricAttribution,
};
