import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { KIND, type Tag } from './schema.js';
import { regionalPrefix, typeOfArn } from './arns.js';
import { query, requestTagContext, tagsOf } from './authz.js';
import { invalidInput, notFound, tooManyTagKeys, tooManyTags } from './errors.js';

const MAX_TAGS = 200;

/** The store kind of a taggable resource's ARN (a solution version's ARN has two name parts). */
export function kindOfArn(arn: string): string | undefined {
  const type = typeOfArn(arn);
  if (type === 'solution') return arn.split('/').length > 2 ? KIND.solutionVersion : KIND.solution;
  const kinds: Record<string, string> = {
    'dataset-group': KIND.datasetGroup, dataset: KIND.dataset, 'dataset-import-job': KIND.importJob,
    'event-tracker': KIND.eventTracker, filter: KIND.filter, campaign: KIND.campaign, recommender: KIND.recommender,
    'metric-attribution': KIND.metricAttribution, 'dataset-export-job': KIND.exportJob, 'data-deletion-job': KIND.dataDeletionJob,
    'batch-inference-job': KIND.batchInferenceJob, 'batch-segment-job': KIND.batchSegmentJob,
  };
  return type ? kinds[type] : undefined;
}

/** AWS reserves the `aws:` prefix for its own tags. */
function checkTags(tags: Tag[]): void {
  for (const t of tags) {
    if (t.tagKey.toLowerCase().startsWith('aws:')) throw invalidInput('Tag keys starting with aws: are reserved for AWS use.');
  }
}

/** Validates the tags a Create* request attaches. */
export function checkCreateTags(tags: Tag[] | undefined): void {
  if (!tags) return;
  if (tags.length > MAX_TAGS) throw tooManyTags();
  checkTags(tags);
}

/** Stores a new resource's tags (inside its create transaction). */
export function putTags(app: App, arn: string, tags: Tag[] | undefined): void {
  if (tags?.length) app.store.put(KIND.tags, arn, tags);
}

function existing(ctx: RequestContext, arn: string): void {
  const kind = kindOfArn(arn);
  if (!kind || !arn.startsWith(regionalPrefix(ctx)) || !ctx.app.store.get(kind, arn)) throw notFound(arn);
}

function tagResource(input: { resourceArn: string; tags: Tag[] }, ctx: RequestContext) {
  ctx.authorize(query(ctx, input.resourceArn, requestTagContext(input.tags)));
  existing(ctx, input.resourceArn);
  checkTags(input.tags);
  const merged = new Map(tagsOf(ctx.app.store, input.resourceArn).map((t) => [t.tagKey, t]));
  for (const t of input.tags) merged.set(t.tagKey, t);
  if (merged.size > MAX_TAGS) throw tooManyTags();
  ctx.app.store.put(KIND.tags, input.resourceArn, [...merged.values()]);
  return {};
}

function untagResource(input: { resourceArn: string; tagKeys: string[] }, ctx: RequestContext) {
  ctx.authorize(query(ctx, input.resourceArn, { 'aws:TagKeys': input.tagKeys }));
  existing(ctx, input.resourceArn);
  if (input.tagKeys.length > MAX_TAGS) throw tooManyTagKeys();
  const drop = new Set(input.tagKeys);
  const kept = tagsOf(ctx.app.store, input.resourceArn).filter((t) => !drop.has(t.tagKey));
  if (kept.length) ctx.app.store.put(KIND.tags, input.resourceArn, kept);
  else ctx.app.store.delete(KIND.tags, input.resourceArn);
  return {};
}

function listTagsForResource(input: { resourceArn: string }, ctx: RequestContext) {
  ctx.authorize(query(ctx, input.resourceArn));
  existing(ctx, input.resourceArn);
  return { tags: tagsOf(ctx.app.store, input.resourceArn) };
}

export const operations: Record<string, OperationHandler> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
