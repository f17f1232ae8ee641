// The items a served model can return and filters can name, as dense indexes: the model's items
// first (index = rank in the model), then Items-dataset items, then items that arrived through
// PutItems or PutEvents. Metadata columns over those indexes are built lazily per field and
// rebuilt when the live records change; filters cache their bitsets per snapshot.
import type { App } from '../../app.js';
import type { AttributeColumn, ItemAttributes, Subject } from '../personalize/filter-language/index.js';
import { liveOf, type GroupLive, type LiveEvent } from '../personalize-events/live.js';
import { eventsOf, interactionRows, keyedData, type Keyed } from './group-data.js';
import { attributeColumn, recordValue, subjectOf } from '../personalize/filter-inputs.js';
import { IdIndex } from '../personalize/id-index.js';


export class Catalogue extends IdIndex {
  private seenVersion = -1;
  private snapshot: ItemAttributes | undefined;
  private snapshotKey = '';
  private bulk: Keyed | undefined;

  constructor(readonly app: App, readonly groupArn: string, modelItems: readonly string[]) {
    super(modelItems);
  }

  live(): GroupLive | undefined {
    const live = liveOf(this.app, this.groupArn);
    if (live && live.version !== this.seenVersion) {
      for (const id of live.items.keys()) this.add(id);
      for (const id of live.itemCounts.keys()) this.add(id);
      this.seenVersion = live.version;
    }
    return live;
  }

  /** The catalogue's metadata as filters read it; the same object while nothing changed. */
  attributes(): ItemAttributes {
    const live = this.live();
    const bulk = keyedData(this.app, this.groupArn, 'Items');
    if (bulk !== this.bulk) {
      // A new Items import: its items join, and every column is read again.
      if (bulk) for (const id of bulk.rowOf.keys()) this.add(id);
      this.bulk = bulk;
      this.snapshot = undefined;
    }
    const key = `${this.ids.length}|${live?.version ?? -1}`;
    if (this.snapshot && key === this.snapshotKey) return this.snapshot;
    const size = this.ids.length;
    const ids = this.ids;
    const columns = new Map<string, AttributeColumn | undefined>();
    this.snapshotKey = key;
    return (this.snapshot = {
      size,
      column: (field) => {
        if (!columns.has(field)) columns.set(field, buildColumn(ids, size, field, bulk, live));
        return columns.get(field);
      },
    });
  }

  /** What filters read about one request's user (and current item). */
  subject(userId: string | undefined, itemId: string | undefined): Subject {
    const live = this.live();
    const users = keyedData(this.app, this.groupArn, 'Users');
    const items = keyedData(this.app, this.groupArn, 'Items');
    return subjectOf(() => userEvents(this.app, this.groupArn, userId, live), (id) => this.get(id),
      (field) => recordValue(userId, field, users, live?.users), (field) => recordValue(itemId, field, items, live?.items));
  }
}

/** A user's interactions (bulk, then live), with event types lower-cased. */
export function userEvents(app: App, groupArn: string, userId: string | undefined, live: GroupLive | undefined): LiveEvent[] {
  return userId === undefined ? [] : eventsOf(interactionRows(app, groupArn), userId, live?.events.get(userId));
}

function buildColumn(ids: string[], size: number, field: string, bulk: Keyed | undefined, live: GroupLive | undefined): AttributeColumn | undefined {
  const src = bulk?.column(field);
  const liveHas = live && [...live.items.values()].some((p) => p[field] !== undefined);
  if (!src && !liveHas) return undefined;
  const numeric = src ? src.numbers !== undefined : [...live!.items.values()].some((p) => typeof p[field] === 'number');
  return attributeColumn(size, (i) => recordValue(ids[i], field, bulk, live?.items), numeric);
}
