import type { AuthzQuery, ContextValues, RequestContext } from '../../gateway/context.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import { KIND, type Tag } from './schema.js';
import { memo } from './store-memo.js';

export const tagsOf = (store: MetadataStore, arn: string): Tag[] => store.get<Tag[]>(KIND.tags, arn) ?? [];

export function tagRecord(tags: Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) out[t.tagKey] = t.tagValue;
  return out;
}

/** aws:RequestTag/<key> and aws:TagKeys for the tags a request attaches (absent when none). */
export function requestTagContext(tags: Tag[] | undefined): ContextValues {
  if (!tags?.length) return {};
  const ctx: ContextValues = { 'aws:TagKeys': tags.map((t) => t.tagKey) };
  for (const t of tags) ctx[`aws:RequestTag/${t.tagKey}`] = t.tagValue;
  return ctx;
}

/** The question the current operation asks about `resource`, with that resource's tags (aws:ResourceTag/…). */
export function query(ctx: RequestContext, resource: string, context?: ContextValues): AuthzQuery {
  return {
    action: `personalize:${ctx.operation.name}`,
    resource,
    context,
    // Runtime calls ask this on every request: remembered until a Personalize document changes.
    resourceTags: resource === '*' ? undefined : memo(ctx.app, `tags ${resource}`, () => tagRecord(tagsOf(ctx.app.store, resource))),
  };
}

/** Authorises the current operation on each resource; request tags (creates) go with every query. */
export function authorize(ctx: RequestContext, resources: string[], tags?: Tag[]): void {
  const context = requestTagContext(tags);
  ctx.authorize(...resources.map((r) => query(ctx, r, context)));
}

/**
 * iam:PassRole on a role the request hands to Personalize (checked at create time), with the
 * resource the role is passed for as iam:AssociatedResourceArn.
 */
export function passRoleQuery(roleArn: string, associatedArn: string): AuthzQuery {
  return {
    action: 'iam:PassRole',
    resource: roleArn,
    context: { 'iam:PassedToService': 'personalize.amazonaws.com', 'iam:AssociatedResourceArn': associatedArn },
  };
}
