import type { RequestContext } from '../../gateway/context.js';
import type { Lifecycle, Tag } from './schema.js';
import { alreadyExists, notFound } from './errors.js';
import { putTags } from './tags.js';
import { schedule, setStatus } from './lifecycle.js';
import { regionalPrefix, type Scope } from './arns.js';

export const iso = (ctx: RequestContext): string => ctx.now.toISOString();

/** A resource of the caller's region and account: others are not found (in AWS they live behind another endpoint). */
export function mustGet<T>(ctx: Scope, kind: string, arn: string): T {
  const doc = arn.startsWith(regionalPrefix(ctx)) ? ctx.app.store.get<T>(kind, arn) : undefined;
  if (!doc) throw notFound(arn);
  return doc;
}

/** Stores a new resource with its tags and, when it has a lifecycle, its first task; one transaction. */
export function insert(ctx: Pick<RequestContext, 'app'>, kind: string, arn: string, doc: object, tags: Tag[] | undefined, lifecycle = true): void {
  const { store } = ctx.app;
  store.transaction(() => {
    if (store.get(kind, arn)) throw alreadyExists(arn);
    store.put(kind, arn, doc);
    putTags(ctx.app, arn, tags);
    if (lifecycle) schedule(ctx.app, kind, arn);
  });
}

/** Moves a resource to `status` and lets the scheduler carry it on (DELETE PENDING, STOP PENDING…). */
export function transition(ctx: RequestContext, kind: string, arn: string, status: string): void {
  ctx.app.store.transaction(() => {
    setStatus(ctx.app, kind, arn, status);
    schedule(ctx.app, kind, arn);
  });
}

/** Resources of `kind` that are not on their way out. */
export const live = (doc: Lifecycle): boolean => !doc.status.startsWith('DELETE');

/** Picks summary members out of a document. */
export function pick<T extends object>(doc: T, keys: (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (doc[k] !== undefined) out[k] = doc[k];
  return out;
}
