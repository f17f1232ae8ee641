import { randomUUID } from 'node:crypto';
import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import { KIND, type EventTrackerDoc, type Tag } from './schema.js';
import { arnOf } from './arns.js';
import { authorize } from './authz.js';
import { checkCreateTags } from './tags.js';
import { inUse, limitExceeded } from './errors.js';
import { insert, iso, live, mustGet, pick, transition } from './common.js';
import { activeGroup } from './datasets.js';
import { page } from './paging.js';

function createEventTracker(input: { name: string; datasetGroupArn: string; tags?: Tag[] }, ctx: RequestContext) {
  const arn = arnOf(ctx, 'event-tracker', input.name);
  authorize(ctx, [input.datasetGroupArn, arn], input.tags);
  checkCreateTags(input.tags);
  activeGroup(ctx, input.datasetGroupArn);
  const { store } = ctx.app;
  if (store.list<EventTrackerDoc>(KIND.eventTracker).some((t) => t.datasetGroupArn === input.datasetGroupArn && live(t))) {
    throw limitExceeded(`Dataset group ${input.datasetGroupArn} already has an event tracker; a dataset group can have only one.`);
  }
  const at = iso(ctx);
  const trackingId = randomUUID();
  const doc: EventTrackerDoc = {
    name: input.name, eventTrackerArn: arn, accountId: ctx.accountId, trackingId, datasetGroupArn: input.datasetGroupArn,
    status: 'CREATE PENDING', creationDateTime: at, lastUpdatedDateTime: at,
  };
  insert(ctx, KIND.eventTracker, arn, doc, input.tags);
  return { eventTrackerArn: arn, trackingId };
}

function describeEventTracker(input: { eventTrackerArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.eventTrackerArn]);
  return { eventTracker: mustGet<EventTrackerDoc>(ctx, KIND.eventTracker, input.eventTrackerArn) };
}

function listEventTrackers(input: { datasetGroupArn?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  const g = input.datasetGroupArn;
  const { items, nextToken } = page<EventTrackerDoc>(ctx, KIND.eventTracker, input, {
    idOf: (d) => d.eventTrackerArn,
    filter: g === undefined ? undefined : (d) => d.datasetGroupArn === g,
  });
  const keys: (keyof EventTrackerDoc)[] = ['name', 'eventTrackerArn', 'status', 'creationDateTime', 'lastUpdatedDateTime'];
  return { eventTrackers: items.map((d) => pick(d, keys)), nextToken };
}

function deleteEventTracker(input: { eventTrackerArn: string }, ctx: RequestContext) {
  const arn = input.eventTrackerArn;
  authorize(ctx, [arn]);
  const t = mustGet<EventTrackerDoc>(ctx, KIND.eventTracker, arn);
  if (!live(t)) throw inUse(`Event tracker ${arn} is already being deleted.`);
  transition(ctx, KIND.eventTracker, arn, 'DELETE PENDING');
  return {};
}

export const operations: Record<string, OperationHandler> = {
  CreateEventTracker: createEventTracker,
  DescribeEventTracker: describeEventTracker,
  ListEventTrackers: listEventTrackers,
  DeleteEventTracker: deleteEventTracker,
};
