// Campaign, recommender and solution updates move through their own states (reported as
// latestCampaignUpdate, latestRecommenderUpdate, latestSolutionUpdate): CREATE PENDING →
// CREATE IN_PROGRESS → ACTIVE. The resource keeps its old settings (a campaign keeps serving its old
// solution version) until the update is ACTIVE, when its settings are applied in one put. Each update
// is a Lifecycle document of its own, so the scheduler drives it and a restart resumes it.
import type { App } from '../../app.js';
import type { RequestContext } from '../../gateway/context.js';
import { KIND, type Lifecycle } from './schema.js';
import { registerWork, schedule, updateId as idOf, WorkFailure } from './lifecycle.js';
import { inUse } from './errors.js';
import { iso } from './common.js';

interface UpdateDoc extends Lifecycle {
  resourceKind: string;
  resourceArn: string;
  /** The members the update reports (its latest…Update shape, less the lifecycle fields). */
  summary: Record<string, unknown>;
  /** The resource's members once the update is done. */
  apply: Record<string, unknown>;
}

const BUSY = new Set(['CREATE PENDING', 'CREATE IN_PROGRESS']);

/** Starts an update of a resource; refused while an earlier one is still on its way. */
export function startUpdate(ctx: RequestContext, resourceKind: string, resourceArn: string, summary: Record<string, unknown>, apply: Record<string, unknown>): void {
  const { app } = ctx;
  app.store.transaction(() => {
    const current = app.store.get<UpdateDoc>(KIND.update, idOf(resourceArn));
    if (current && BUSY.has(current.status)) throw inUse(`An update of ${resourceArn} is already in progress (status: ${current.status}).`);
    const at = iso(ctx);
    const doc: UpdateDoc = { name: resourceArn, status: 'CREATE PENDING', creationDateTime: at, lastUpdatedDateTime: at, resourceKind, resourceArn, summary, apply };
    app.store.put(KIND.update, idOf(resourceArn), doc);
    schedule(app, KIND.update, idOf(resourceArn));
  });
}

/** The latest update of a resource as Describe reports it, or undefined when it was never updated. */
export function latestUpdate(app: App, resourceArn: string): Record<string, unknown> | undefined {
  const u = app.store.get<UpdateDoc>(KIND.update, idOf(resourceArn));
  if (!u) return undefined;
  const out: Record<string, unknown> = { ...u.summary, status: u.status, creationDateTime: u.creationDateTime, lastUpdatedDateTime: u.lastUpdatedDateTime };
  if (u.failureReason !== undefined) out.failureReason = u.failureReason;
  return out;
}

registerWork(KIND.update, async (app, id) => {
  const u = app.store.get<UpdateDoc>(KIND.update, id);
  const resource = u && app.store.get<Lifecycle>(u.resourceKind, u.resourceArn);
  if (!u || !resource) throw new WorkFailure('The resource no longer exists.');
  app.store.put(u.resourceKind, u.resourceArn, { ...resource, ...u.apply, lastUpdatedDateTime: app.now().toISOString() });
});
