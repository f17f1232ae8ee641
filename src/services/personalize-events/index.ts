// Amazon Personalize Events (restJson1): real-time interactions and records. Every record of a
// call is checked before any is stored, so a rejected call stores nothing; an accepted one is on
// disk (journal.ts) and visible to serving (live.ts) when the call returns.
import type { OperationHandler, Provider, RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { AwsError } from '../../shared/aws-error.js';
import { KIND, type DatasetDoc, type EventTrackerDoc, type SchemaDoc } from '../personalize/schema.js';
import { datasetArnOf, regionalPrefix } from '../personalize/arns.js';
import { parseSchema, type Field } from '../personalize/avro.js';
import { query } from '../personalize/authz.js';
import { groupKey, record, type Properties, type Record_ } from './live.js';
import { fieldNameOf, invalidInput, parseProperties } from './properties.js';
import { memo } from '../personalize/store-memo.js';

const notFound = (arn: string) => new AwsError('ResourceNotFoundException', `Resource Arn ${arn} does not exist.`, 404);
const inUse = (message: string) => new AwsError('ResourceInUseException', message, 409);

/** Property keys that name members of the event itself. */
const EVENT_FORBIDDEN = new Set(['userId', 'sessionId', 'eventType', 'timestamp', 'recommendationId', 'impression']);
const EVENT_RESERVED = new Set(['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE', 'EVENT_VALUE', 'IMPRESSION', 'RECOMMENDATION_ID', 'EVENT_ATTRIBUTION_SOURCE']);
const ACTION_EVENT_RESERVED = new Set(['USER_ID', 'ACTION_ID', 'TIMESTAMP', 'EVENT_TYPE', 'IMPRESSION', 'RECOMMENDATION_ID']);
const NONE = new Set<string>();

/** The dataset's schema fields (parsed once per change of the Personalize documents). */
function fieldsOf(app: App, ds: DatasetDoc | undefined): Field[] {
  if (!ds) return [];
  return memo(app, `fields ${ds.schemaArn}`, () => {
    const schema = app.store.get<SchemaDoc>(KIND.schema, ds.schemaArn);
    return schema ? parseSchema(schema.schema) : [];
  });
}

function datasetOfGroup(app: App, groupArn: string, type: string): DatasetDoc | undefined {
  const groupName = groupArn.slice(groupArn.indexOf('/') + 1);
  const [, , , region, accountId] = groupArn.split(':');
  const arn = datasetArnOf({ region, accountId }, groupName, type);
  return memo(app, `dataset ${arn}`, () => app.store.get<DatasetDoc>(KIND.dataset, arn));
}

const seconds = (d: Date | number): number => (d instanceof Date ? d.getTime() / 1000 : d);

/** The ACTIVE event tracker with this tracking id, in the caller's region and account. */
function trackerOf(ctx: RequestContext, trackingId: string): EventTrackerDoc {
  const prefix = regionalPrefix(ctx);
  let t = memo(ctx.app, `tracker ${trackingId}`, () => ctx.app.store.list<EventTrackerDoc>(KIND.eventTracker).find((x) => x.trackingId === trackingId));
  if (t && !t.eventTrackerArn.startsWith(prefix)) t = undefined;
  if (!t) throw invalidInput(`The tracking ID ${trackingId} does not belong to an event tracker.`);
  if (t.status !== 'ACTIVE') throw invalidInput(`The event tracker for tracking ID ${trackingId} is not ACTIVE (current status: ${t.status}).`);
  return t;
}

interface EventInput {
  eventId?: string;
  eventType: string;
  eventValue?: number;
  itemId?: string;
  properties?: string;
  sentAt: Date;
  recommendationId?: string;
  impression?: string[];
}

async function putEvents(input: { trackingId: string; userId?: string; sessionId: string; eventList: EventInput[] }, ctx: RequestContext) {
  ctx.authorize({ action: 'personalize:PutEvents', resource: '*' });
  const tracker = trackerOf(ctx, input.trackingId);
  const g = groupKey(ctx.app, tracker.datasetGroupArn)!;
  const fields = fieldsOf(ctx.app, datasetOfGroup(ctx.app, tracker.datasetGroupArn, 'Interactions'));
  const records: Record_[] = input.eventList.map((e, i) => ({
    k: 'event', g, userId: input.userId, sessionId: input.sessionId, itemId: e.itemId, type: e.eventType, t: seconds(e.sentAt),
    eventId: e.eventId, value: e.eventValue, rec: e.recommendationId, imp: e.impression,
    props: parseProperties(e.properties, fields, EVENT_FORBIDDEN, EVENT_RESERVED, `eventList.${i + 1}`),
  }));
  await record(ctx.app, tracker.datasetGroupArn, records);
  return {};
}

/** PutItems, PutUsers, PutActions: records of one dataset, replacing the attributes they name. */
function putRecords(kind: 'item' | 'user' | 'action', datasetType: string, idField: string, listName: string) {
  return async (input: Record<string, unknown>, ctx: RequestContext) => {
    const arn = input.datasetArn as string;
    ctx.authorize(query(ctx, arn));
    // Datasets of another region or account are not found (in AWS they live behind another endpoint).
    const ds = arn.startsWith(regionalPrefix(ctx)) ? ctx.app.store.get<DatasetDoc>(KIND.dataset, arn) : undefined;
    if (!ds) throw notFound(arn);
    if (ds.datasetType !== datasetType) throw invalidInput(`Dataset ${arn} is not a ${datasetType} dataset.`);
    if (ds.status !== 'ACTIVE') throw inUse(`Dataset ${arn} is not ACTIVE (current status: ${ds.status}).`);
    const fields = fieldsOf(ctx.app, ds);
    const reserved = new Set([fieldNameOf(idField)]);
    const g = groupKey(ctx.app, ds.datasetGroupArn)!;
    const list = input[listName] as { properties?: string }[];
    const records: Record_[] = list.map((r, i) => ({
      k: kind, g, id: (r as Record<string, string>)[idField],
      props: parseProperties(r.properties, fields, NONE, reserved, `${listName}.${i + 1}`) as Properties,
    }));
    await record(ctx.app, ds.datasetGroupArn, records);
    return {};
  };
}

interface ActionInteractionInput {
  actionId: string;
  userId?: string;
  sessionId: string;
  timestamp: Date;
  eventType: string;
  eventId?: string;
  recommendationId?: string;
  impression?: string[];
  properties?: string;
}

async function putActionInteractions(input: { trackingId: string; actionInteractions: ActionInteractionInput[] }, ctx: RequestContext) {
  ctx.authorize({ action: 'personalize:PutActionInteractions', resource: '*' });
  const prefix = regionalPrefix(ctx);
  const ds = ctx.app.store.list<DatasetDoc>(KIND.dataset).find((d) => d.trackingId === input.trackingId && d.datasetArn.startsWith(prefix));
  if (!ds) throw invalidInput(`The tracking ID ${input.trackingId} does not belong to an Action_Interactions dataset.`);
  if (ds.status !== 'ACTIVE') throw inUse(`Dataset ${ds.datasetArn} is not ACTIVE (current status: ${ds.status}).`);
  const fields = fieldsOf(ctx.app, ds);
  const g = groupKey(ctx.app, ds.datasetGroupArn)!;
  const records: Record_[] = input.actionInteractions.map((a, i) => ({
    k: 'actionEvent', g, userId: a.userId, sessionId: a.sessionId, actionId: a.actionId, type: a.eventType, t: seconds(a.timestamp), eventId: a.eventId,
    props: parseProperties(a.properties, fields, EVENT_FORBIDDEN, ACTION_EVENT_RESERVED, `actionInteractions.${i + 1}`),
  }));
  await record(ctx.app, ds.datasetGroupArn, records);
  return {};
}

const operations: Record<string, OperationHandler> = {
  PutEvents: putEvents,
  PutItems: putRecords('item', 'Items', 'itemId', 'items'),
  PutUsers: putRecords('user', 'Users', 'userId', 'users'),
  PutActions: putRecords('action', 'Actions', 'actionId', 'actions'),
  PutActionInteractions: putActionInteractions,
};

/** Amazon Personalize Events (restJson1, signing name personalize). */
export const personalizeEventsProvider: Provider = { model: 'personalize-events', operations };
