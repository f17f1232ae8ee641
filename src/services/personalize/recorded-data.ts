// What the events API recorded for a dataset group, as dataset rows for training: PutEvents (or
// PutActionInteractions) become Interactions (Action_Interactions) rows in the dataset's schema,
// PutItems / PutUsers / PutActions records overlay the Items / Users / Actions rows, as on AWS,
// where recorded data joins the datasets the next training reads. Read on the training worker
// straight from the journal (a prefix fixed when training started, so a version's data is what
// was recorded before it began), group by group, into columnar tables: memory grows with the
// group's events as typed arrays, not as objects.
import type { Field } from './avro.js';
import { readGroupRecords } from '../personalize-events/journal-read.js';
import type { Properties } from '../personalize-events/live.js';
import { cellText, filterRows, mergeTables, NULL_CODE, TableBuilder, type Column, type Table } from './table.js';

/** The journal prefix training reads, and the group's opened data keys (id → plaintext). */
export interface RecordedSource {
  path: string;
  length: number;
  /** The group's key in the journal (ARN@creation time). */
  g: string;
  keys: [string, Uint8Array][];
}

/** Which records to read: events of `events` kind into the interactions, records of `records` kinds into the keyed datasets. */
export interface RecordedWant {
  events?: { kind: 'event' | 'actionEvent'; itemField: string; fields: Field[] };
  records: { kind: 'item' | 'user' | 'action'; idField: string; fields: Field[] }[];
}

export interface Recorded {
  interactions?: Table;
  /** By record kind. */
  records: Map<string, Table>;
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join('|') : String(v));

/** A builder that takes any value, nulling one its column cannot hold (the events API checked them already). */
function rowWriter(fields: Field[]) {
  const b = new TableBuilder(fields.map((f) => ({ ...f, nullable: true })));
  const at = new Map(fields.map((f, i) => [f.name, i]));
  const set = (name: string, v: unknown) => {
    const c = at.get(name);
    if (c === undefined) return;
    try {
      b.value(c, text(v));
    } catch {
      b.value(c, '');
    }
  };
  return { b, set, has: (name: string) => at.has(name) };
}

type EventRecord = { userId?: string; sessionId: string; itemId?: string; actionId?: string; type: string; t: number; eventId?: string; value?: number; rec?: string; imp?: string[]; props?: Properties };

/**
 * Collects the group's events as rows. Events recorded for a session only belong to the user a
 * later (or earlier) event of that session names; sessions never linked to a user are not trained
 * on (as on AWS). Repeated event ids count once, as in serving.
 */
class EventRows {
  private readonly w;
  private readonly sessionOf: number[] = [];
  private readonly sessions = new Map<string, number>();
  private readonly userOfSession: string[] = [];
  private readonly eventIds = new Set<string>();

  constructor(private readonly want: NonNullable<RecordedWant['events']>) {
    this.w = rowWriter(want.fields);
  }

  add(r: EventRecord): void {
    if (r.eventId !== undefined && this.want.kind === 'event') {
      if (this.eventIds.has(r.eventId)) return;
      this.eventIds.add(r.eventId);
    }
    let s = this.sessions.get(r.sessionId);
    if (s === undefined) this.sessions.set(r.sessionId, (s = this.userOfSession.push('') - 1));
    if (r.userId !== undefined && this.userOfSession[s] === '') this.userOfSession[s] = r.userId;
    const item = this.want.kind === 'event' ? r.itemId : r.actionId;
    if (item === undefined) return;
    const { set, b } = this.w;
    for (const [k, v] of Object.entries(r.props ?? {})) set(k, v);
    set('USER_ID', r.userId);
    set(this.want.itemField, item);
    set('TIMESTAMP', Math.floor(r.t));
    set('EVENT_TYPE', r.type);
    set('EVENT_VALUE', r.value);
    set('RECOMMENDATION_ID', r.rec);
    set('IMPRESSION', r.imp);
    b.endRow();
    this.sessionOf.push(r.userId === undefined ? s : -1);
  }

  /** The rows, session-only ones given their session's user (or left out without one). */
  table(): Table | undefined {
    const t = this.w.b.table();
    if (t.rows === 0) return undefined;
    const users = t.columns.find((c) => c.name === 'USER_ID');
    if (!users?.codes) return t;
    const code = new Map(users.dict!.map((d, i) => [d, i]));
    let orphans = 0;
    for (let r = 0; r < t.rows; r++) {
      const s = this.sessionOf[r];
      if (s < 0) continue;
      const user = this.userOfSession[s];
      if (user === '') {
        orphans++;
        continue;
      }
      let c = code.get(user);
      if (c === undefined) code.set(user, (c = users.dict!.push(user) - 1));
      users.codes[r] = c;
    }
    return orphans ? filterRows(t, (r) => users.codes![r] !== NULL_CODE) : t;
  }
}

/** Reads the group's recorded events and records from the journal prefix. */
export function readRecorded(src: RecordedSource, want: RecordedWant): Recorded {
  const events = want.events && new EventRows(want.events);
  const props = new Map<string, Map<string, Properties>>(want.records.map((w) => [w.kind, new Map()]));
  const keys = new Map(src.keys.map(([id, k]) => [id, Buffer.from(k)]));
  readGroupRecords(src.path, src.length, src.g, keys, (r) => {
    if (r.k === want.events?.kind) events!.add(r as unknown as EventRecord);
    const byId = props.get(r.k as string);
    // A record replaces the attributes it names (as serving reads them).
    if (byId) byId.set(r.id as string, { ...byId.get(r.id as string), ...(r.props as Properties) });
  });
  const records = new Map<string, Table>();
  for (const w of want.records) {
    const byId = props.get(w.kind)!;
    if (byId.size === 0) continue;
    const { b, set } = rowWriter(w.fields);
    for (const [id, p] of byId) {
      for (const [k, v] of Object.entries(p)) set(k, v);
      set(w.idField, id);
      b.endRow();
    }
    records.set(w.kind, b.table());
  }
  return { interactions: events?.table(), records };
}

/**
 * Keyed data (Items, Users, Actions) with recorded rows laid over it: a recorded id's row takes
 * the recorded attributes and, for the others, its imported values; its imported row goes.
 */
export function overlayRecords(imported: Table | undefined, recorded: Table | undefined, fields: Field[], idField: string): Table | undefined {
  if (!recorded || !imported) return recorded ?? imported;
  const oldId = imported.columns.find((c) => c.name === idField);
  const newId = recorded.columns.find((c) => c.name === idField)!;
  if (oldId) {
    const rowOf = new Map<string, number>();
    for (let r = 0; r < imported.rows; r++) rowOf.set(cellText(oldId, r), r);
    for (const col of recorded.columns) {
      const from = imported.columns.find((c) => c.name === col.name);
      if (!from || col === newId) continue;
      for (let r = 0; r < recorded.rows; r++) {
        const old = rowOf.get(cellText(newId, r));
        if (old !== undefined && cellText(col, r) === '') copyCell(from, old, col, r);
      }
    }
  }
  return mergeTables(imported, recorded, fields, idField);
}

/** Sets cell `r` of `to` (null there) from cell `from[old]`, same type. */
function copyCell(from: Column, old: number, to: Column, r: number): void {
  if (to.codes && from.codes) {
    if (from.codes[old] === NULL_CODE) return;
    const v = from.dict![from.codes[old]];
    let c = to.dict!.indexOf(v);
    if (c < 0) c = to.dict!.push(v) - 1;
    to.codes[r] = c;
  } else if (to.numbers && from.numbers) to.numbers[r] = from.numbers[old];
  else if (to.bools && from.bools) to.bools[r] = from.bools[old];
}

/** `a`'s rows then `b`'s, over both tables' columns (a column one lacks is null there); dictionaries merge. */
export function appendRows(a: Table | undefined, b: Table | undefined): Table | undefined {
  if (!a || !b) return a ?? b;
  const names = [...new Set([...a.columns.map((c) => c.name), ...b.columns.map((c) => c.name)])];
  const rows = a.rows + b.rows;
  const columns = names.map((name): Column => {
    const x = a.columns.find((c) => c.name === name);
    const y = b.columns.find((c) => c.name === name);
    const type = (x ?? y)!.type;
    if (type === 'string') {
      const dict = [...(x?.dict ?? [])];
      const code = new Map(dict.map((d, i) => [d, i]));
      const codes = new Uint32Array(rows).fill(NULL_CODE);
      if (x?.codes) codes.set(x.codes);
      if (y?.codes) {
        const remap = Uint32Array.from(y.dict!, (d) => {
          let c = code.get(d);
          if (c === undefined) code.set(d, (c = dict.push(d) - 1));
          return c;
        });
        for (let r = 0; r < b.rows; r++) codes[a.rows + r] = y.codes[r] === NULL_CODE ? NULL_CODE : remap[y.codes[r]];
      }
      return { name, type, codes, dict };
    }
    if (type === 'boolean') {
      const bools = new Uint8Array(rows).fill(2);
      if (x?.bools) bools.set(x.bools);
      if (y?.bools) bools.set(y.bools, a.rows);
      return { name, type, bools };
    }
    const numbers = new Float64Array(rows).fill(NaN);
    if (x?.numbers) numbers.set(x.numbers);
    if (y?.numbers) numbers.set(y.numbers, a.rows);
    return { name, type, numbers };
  });
  return { rows, columns };
}
