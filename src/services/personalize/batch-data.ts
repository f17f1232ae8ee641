// A dataset group's data as a batch job's worker reads it, the way serving reads it: each user's
// interactions (imported, then PutEvents, in time order), and for filters and exploration the
// items a job can return with their metadata (Items data overlaid by PutItems records) and the
// users' metadata (Users data overlaid by PutUsers). The job runner ships the encoded tables and a
// copy of the live records, so the worker needs no store.
import { IdIndex } from './id-index.js';
import { decodeTable } from './table.js';
import type { AttributeColumn, ItemAttributes, Subject } from './filter-language/index.js';
import type { LiveEvent, Properties } from '../personalize-events/live.js';
import { attributeColumn, recordValue, subjectOf, type KeyedRows } from './filter-inputs.js';
import { byId, byUser, eventsOf, type UserRows } from '../personalize-runtime/group-data.js';
import { asBuffer } from './workers.js';

/** What the events API recorded for the group, as plain data (it crosses to the worker). */
export interface LiveSnapshot {
  events: [string, LiveEvent[]][];
  items: [string, Properties][];
  users: [string, Properties][];
  itemCounts: [string, number][];
}

/** The group's encoded tables (absent before their first import) and live records. */
export interface GroupSnapshot {
  interactions?: Uint8Array;
  items?: Uint8Array;
  users?: Uint8Array;
  live?: LiveSnapshot;
}

const keyed = (bytes: Uint8Array | undefined, idField: string): KeyedRows | undefined => bytes && byId(decodeTable(asBuffer(bytes)), idField);


/** Metadata columns over `ids` (built per field on first use) from each id's value. */
function attributesOver(ids: readonly string[], value: (id: string, field: string, index: number) => string | number | undefined): ItemAttributes {
  const columns = new Map<string, AttributeColumn | undefined>();
  const build = (field: string): AttributeColumn | undefined => {
    const values = ids.map((id, i) => value(id, field, i));
    if (values.every((v) => v === undefined)) return undefined;
    return attributeColumn(ids.length, (i) => values[i], values.every((v) => v === undefined || typeof v === 'number'));
  };
  return {
    size: ids.length,
    column: (field) => {
      if (!columns.has(field)) columns.set(field, build(field));
      return columns.get(field);
    },
  };
}

export class BatchData {
  /** The items a job can return: the model's first (index = the model's item index), then every other known item. */
  readonly catalogue: IdIndex;
  /** Catalogue items the trained model knows (model items and its popular list); later ones are new. */
  readonly trained: number;
  /** The latest imported interaction's time (epoch seconds), -Infinity with none. */
  readonly latest: number = -Infinity;
  private readonly interactions: UserRows | undefined;
  private readonly liveEvents: Map<string, LiveEvent[]>;
  private readonly liveItems: Map<string, Properties>;
  private readonly liveUsers: Map<string, Properties>;
  private readonly liveCounts: Map<string, number>;
  private readonly items: KeyedRows | undefined;
  private readonly users: KeyedRows | undefined;
  private attrs: ItemAttributes | undefined;

  constructor(s: GroupSnapshot, modelItems: readonly string[], popular: readonly string[]) {
    const live = s.live ?? { events: [], items: [], users: [], itemCounts: [] };
    this.liveEvents = new Map(live.events);
    this.liveItems = new Map(live.items);
    this.liveUsers = new Map(live.users);
    this.liveCounts = new Map(live.itemCounts);
    this.items = keyed(s.items, 'ITEM_ID');
    this.users = keyed(s.users, 'USER_ID');
    this.catalogue = new IdIndex(modelItems);
    for (const id of popular) this.catalogue.add(id);
    this.trained = this.catalogue.size;
    for (const id of this.items?.rowOf.keys() ?? []) this.catalogue.add(id);
    for (const id of this.liveItems.keys()) this.catalogue.add(id);
    for (const id of this.liveCounts.keys()) this.catalogue.add(id);

    const t = s.interactions && decodeTable(asBuffer(s.interactions));
    if (!t?.columns.some((c) => c.name === 'USER_ID' && c.codes)) return;
    this.interactions = byUser(t, 'ITEM_ID');
    for (const time of this.interactions.times.numbers ?? []) if (time > this.latest) this.latest = time;
  }

  /** The user's interactions, imported then live, oldest first (event types lower-cased). */
  events(userId: string | undefined): LiveEvent[] {
    if (userId === undefined) return [];
    return eventsOf(this.interactions, userId, this.liveEvents.get(userId)).sort((a, b) => a.t - b.t);
  }

  /** The user's history as the model's item indexes, oldest first (items the model never saw are left out). */
  history(userId: string, indexOf: (id: string) => number | undefined): Int32Array {
    const out: number[] = [];
    for (const e of this.events(userId)) {
      const i = indexOf(e.itemId);
      if (i !== undefined) out.push(i);
    }
    return Int32Array.from(out);
  }

  /** PutEvents seen for an item. */
  liveCount(itemId: string): number {
    return this.liveCounts.get(itemId) ?? 0;
  }

  /** Items PutEvents reached, with their counts. */
  liveCounted(): Iterable<[string, number]> {
    return this.liveCounts;
  }

  /** The catalogue's metadata as filters read it (columns built on first use). */
  attributes(): ItemAttributes {
    return (this.attrs ??= attributesOver(this.catalogue.ids, (id, field) => recordValue(id, field, this.items, this.liveItems)));
  }

  /**
   * What a UserID filter (a segment job's) reads, over `userIds`: Users fields; for Items fields,
   * the values of the items each user interacted with; for interactions, the users with such events.
   */
  userView(userIds: readonly string[]): { attrs: ItemAttributes; subject: Subject } {
    const events = userIds.map((id) => this.events(id));
    const itemValues = (u: number, field: string): string | undefined => {
      const values = new Set<string>();
      for (const e of events[u]) {
        const v = recordValue(e.itemId, field, this.items, this.liveItems);
        if (v !== undefined) for (const x of String(v).split('|')) values.add(x);
      }
      return values.size ? [...values].join('|') : undefined;
    };
    const inUsers = new Map<string, boolean>();
    const usersHave = (field: string) => {
      let has = inUsers.get(field);
      if (has === undefined) inUsers.set(field, (has = this.users?.column(field) !== undefined || [...this.liveUsers.values()].some((p) => p[field] !== undefined)));
      return has;
    };
    const attrs = attributesOver(userIds, (id, field, u) => (usersHave(field) ? recordValue(id, field, this.users, this.liveUsers) : itemValues(u, field)));
    const usersWith = (types: (t: string) => boolean) => userIds.map((_, u) => u).filter((u) => events[u].some((e) => types(e.type)));
    const subject: Subject = {
      interacted: (types) => usersWith(types === '*' ? () => true : (t) => types.includes(t)),
      interactedExcept: (types) => usersWith((t) => !types.includes(t)),
      user: () => undefined,
      item: () => undefined,
    };
    return { attrs, subject };
  }

  /** What a filter reads about one line's user (and current item). */
  subject(userId: string | undefined, itemId: string | undefined): Subject {
    return subjectOf(() => this.events(userId), (id) => this.catalogue.get(id),
      (field) => recordValue(userId, field, this.users, this.liveUsers), (field) => recordValue(itemId, field, this.items, this.liveItems));
  }

  /** An item's metadata field (theme generation names items by one). */
  itemField(itemId: string, field: string): string | number | undefined {
    return recordValue(itemId, field, this.items, this.liveItems);
  }
}
