// What filters read, built the same way by serving (from the store and the live state) and by
// batch jobs (from a snapshot on a worker): a record's field with PutItems/PutUsers overriding the
// import, metadata columns over a list of ids, and a user's recent interactions per event type.
import type { AttributeColumn, Subject } from './filter-language/index.js';
import type { LiveEvent, Properties } from '../personalize-events/live.js';
import { NULL_CODE, type Column } from './table.js';

/** Interactions the filters consider per user and event type (Personalize's documented window). */
export const RECENT_PER_TYPE = 100;

/** Imported records by id. */
export interface KeyedRows {
  rowOf: Map<string, number>;
  column(name: string): Column | undefined;
}

/** A cell's value: string, number, or undefined for null / no such column. */
export function cell(c: Column | undefined, r: number): string | number | undefined {
  if (!c) return undefined;
  if (c.codes) return c.codes[r] === NULL_CODE ? undefined : c.dict![c.codes[r]];
  if (c.numbers) return Number.isNaN(c.numbers[r]) ? undefined : c.numbers[r];
  return c.bools![r] === 2 ? undefined : c.bools![r] === 1 ? 'true' : 'false';
}

/** A record's field: the live record's value, else the imported row's. */
export function recordValue(id: string | undefined, field: string, bulk: KeyedRows | undefined, live: ReadonlyMap<string, Properties> | undefined): string | number | undefined {
  if (id === undefined) return undefined;
  const v = live?.get(id)?.[field];
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return String(v);
  const r = bulk?.rowOf.get(id);
  return r === undefined ? undefined : cell(bulk!.column(field), r);
}

/** A metadata column over `size` ids: numbers as they are, anything else dictionary-coded as text. */
export function attributeColumn(size: number, valueAt: (i: number) => unknown, numeric: boolean): AttributeColumn {
  if (numeric) {
    const numbers = new Float64Array(size).fill(NaN);
    for (let i = 0; i < size; i++) {
      const v = valueAt(i);
      if (typeof v === 'number') numbers[i] = v;
    }
    return { numbers };
  }
  const dict: string[] = [];
  const codeOf = new Map<string, number>();
  const codes = new Uint32Array(size).fill(NULL_CODE);
  for (let i = 0; i < size; i++) {
    const v = valueAt(i);
    if (v === undefined || v === null) continue;
    const s = String(v);
    let c = codeOf.get(s);
    if (c === undefined) codeOf.set(s, (c = dict.push(s) - 1));
    codes[i] = c;
  }
  return { codes, dict };
}

/** The catalogue indexes of the user's most recent interactions of each event type `types` accepts. */
function recentItems(events: readonly LiveEvent[], types: (t: string) => boolean, indexOf: (id: string) => number | undefined): number[] {
  const perType = new Map<string, LiveEvent[]>();
  for (const e of events) {
    if (!types(e.type)) continue;
    let list = perType.get(e.type);
    if (!list) perType.set(e.type, (list = []));
    list.push(e);
  }
  const out: number[] = [];
  for (const list of perType.values()) {
    list.sort((a, b) => b.t - a.t);
    for (const e of list.slice(0, RECENT_PER_TYPE)) {
      const i = indexOf(e.itemId);
      if (i !== undefined) out.push(i);
    }
  }
  return out;
}

/** What a filter reads about one user (their events read only if the filter asks) and current item. */
export function subjectOf(events: () => readonly LiveEvent[], indexOf: (id: string) => number | undefined,
  user: (field: string) => string | number | undefined, item: (field: string) => string | number | undefined): Subject {
  return {
    interacted: (types) => recentItems(events(), types === '*' ? () => true : (t) => types.includes(t), indexOf),
    interactedExcept: (types) => recentItems(events(), (t) => !types.includes(t), indexOf),
    user,
    item,
  };
}
