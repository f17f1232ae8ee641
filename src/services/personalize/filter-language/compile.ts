// A parsed filter applied to a catalogue: each expression becomes a bitset over the catalogue's
// items (bit i set = item i matches). Item-metadata expressions depend only on the catalogue and
// the parameter values, so their bitsets are cached per catalogue; interaction expressions read
// the user's recent interactions on every request. `|` combines as Personalize does: the union of
// the INCLUDE expressions (every item when there is none) minus the union of the EXCLUDE ones.
import { AwsError } from '../../../shared/aws-error.js';
import type { Condition, Expression, Operand, ParsedFilter } from './parse.js';
import { parseParamValues, type ParamValue } from './values.js';

/** One metadata column over the catalogue's items (strings dictionary-coded, NULL_CODE for none). */
export interface AttributeColumn {
  codes?: Uint32Array;
  dict?: string[];
  numbers?: Float64Array;
}

/** What a filter reads about items: how many there are and their metadata columns. */
export interface ItemAttributes {
  readonly size: number;
  column(field: string): AttributeColumn | undefined;
}

/** What a filter reads about the request's user (and, for related-items filters, the current item). */
export interface Subject {
  /** Item indexes the user interacted with under any of `eventTypes` (lower-cased; '*' for any). */
  interacted(eventTypes: string[] | '*'): Iterable<number>;
  /** Item indexes the user interacted with under an event type not in `eventTypes`. */
  interactedExcept(eventTypes: string[]): Iterable<number>;
  user(field: string): string | number | undefined;
  item(field: string): string | number | undefined;
}

const NULL_CODE = 0xffffffff;
const CACHE_LIMIT = 256;

export const words = (n: number) => (n + 31) >>> 5;
export const hasBit = (bits: Uint32Array, i: number) => (bits[i >>> 5] & (1 << (i & 31))) !== 0;
const setBit = (bits: Uint32Array, i: number) => (bits[i >>> 5] |= 1 << (i & 31));

const missingParam = (name: string) =>
  new AwsError('InvalidInputException', `The filter requires a value for parameter ${name}. Provide it in filterValues.`, 400);

function allBits(n: number): Uint32Array {
  const b = new Uint32Array(words(n)).fill(0xffffffff);
  if (n & 31) b[b.length - 1] = (1 << (n & 31)) - 1;
  return b;
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case '=': return a === b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

/** Values of a string cell: categorical values hold several, separated by `|`. */
const cellValues = (s: string): string[] => (s.includes('|') ? s.split('|') : [s]);

/** Whether an expression's items depend on the request's user or item (interactions, CurrentUser/CurrentItem operands). */
function perSubject(e: Expression): boolean {
  return e.where[0][0].dataset === 'Interactions' || e.where[0][0].dataset === 'Action_Interactions'
    || e.where.some((g) => g.some((c) => c.operands.some((o) => o.kind === 'current')));
}

type Memo = WeakMap<ItemAttributes, Map<string, Uint32Array>>;

/** The bitset kept under `key` for this catalogue, computed on a miss; past CACHE_LIMIT the oldest goes. */
function memoised(memo: Memo, items: ItemAttributes, key: string, compute: () => Uint32Array): Uint32Array {
  let m = memo.get(items);
  if (!m) memo.set(items, (m = new Map()));
  let bits = m.get(key);
  if (!bits) {
    if (m.size >= CACHE_LIMIT) m.delete(m.keys().next().value!);
    m.set(key, (bits = compute()));
  }
  return bits;
}

export class CompiledFilter {
  /** Item-metadata expressions' bitsets, by catalogue, expression and parsed parameter values. */
  private readonly cache: Memo = new WeakMap();
  /** Whole answers of a filter that reads nothing about the subject, by catalogue and raw parameter values. */
  private readonly answers: Memo = new WeakMap();
  private readonly sameForEveryone: boolean;

  constructor(readonly parsed: ParsedFilter) {
    this.sameForEveryone = parsed.expressions.every((e) => !perSubject(e) && e.when.length === 0);
  }

  /**
   * The items the filter lets through for one request. `filterValues` are the request's raw
   * parameter strings; an INCLUDE expression missing one is an error, an EXCLUDE one is skipped.
   * The bitset may be shared with other requests: callers only read it.
   */
  allowed(items: ItemAttributes, subject: Subject, filterValues: Record<string, string> | undefined): Uint32Array {
    if (!this.sameForEveryone) return this.evaluate(items, subject, filterValues);
    const key = JSON.stringify(this.parsed.params.map((p) => filterValues?.[p] ?? null));
    return memoised(this.answers, items, key, () => this.evaluate(items, subject, filterValues));
  }

  private evaluate(items: ItemAttributes, subject: Subject, filterValues: Record<string, string> | undefined): Uint32Array {
    const values = new Map<string, ParamValue[]>();
    for (const name of this.parsed.params) {
      const raw = filterValues?.[name];
      if (raw !== undefined) values.set(name, parseParamValues(name, raw));
    }
    let include: Uint32Array | undefined;
    const exclude = new Uint32Array(words(items.size));
    this.parsed.expressions.forEach((e, index) => {
      const missing = e.params.find((p) => !values.has(p));
      if (missing !== undefined) {
        if (e.action === 'INCLUDE') throw missingParam(missing);
        return;
      }
      if (!e.when.every((c) => this.holds(c, subject, values))) return;
      const bits = this.expression(e, index, items, subject, values);
      if (e.action === 'EXCLUDE') orInto(exclude, bits);
      else if (!include) include = bits.slice();
      else orInto(include, bits);
    });
    const out = include ?? allBits(items.size);
    for (let w = 0; w < out.length; w++) out[w] &= ~exclude[w];
    return out;
  }

  private expression(e: Expression, index: number, items: ItemAttributes, subject: Subject, values: Map<string, ParamValue[]>): Uint32Array {
    if (perSubject(e)) return this.where(e, items, subject, values);
    const key = `${index}|${JSON.stringify(e.params.map((p) => values.get(p)))}`;
    return memoised(this.cache, items, key, () => this.where(e, items, subject, values));
  }

  /** OR of ANDs of the conditions' bitsets. */
  private where(e: Expression, items: ItemAttributes, subject: Subject, values: Map<string, ParamValue[]>): Uint32Array {
    const out = new Uint32Array(words(items.size));
    for (const group of e.where) {
      let acc: Uint32Array | undefined;
      for (const c of group) {
        const bits = this.condition(c, items, subject, values);
        if (!acc) acc = bits;
        else for (let w = 0; w < acc.length; w++) acc[w] &= bits[w];
      }
      orInto(out, acc!);
    }
    return out;
  }

  private resolve(o: Operand, subject: Subject, values: Map<string, ParamValue[]>): ParamValue[] {
    switch (o.kind) {
      case 'string':
      case 'number':
        return [o.value];
      case 'param':
        return values.get(o.name)!;
      case 'current': {
        const v = o.of === 'CurrentUser' ? subject.user(o.field) : subject.item(o.field);
        return v === undefined ? [] : typeof v === 'string' ? cellValues(v) : [v];
      }
    }
  }

  private condition(c: Condition, items: ItemAttributes, subject: Subject, values: Map<string, ParamValue[]>): Uint32Array {
    const wanted = c.operands.flatMap((o) => this.resolve(o, subject, values));
    const out = new Uint32Array(words(items.size));
    if (c.dataset === 'Interactions' || c.dataset === 'Action_Interactions') {
      const types = wanted.map((v) => String(v).toLowerCase());
      const any = types.includes('*');
      const found = c.op === 'NOT IN' ? (any ? [] : subject.interactedExcept(types)) : subject.interacted(any ? '*' : types);
      for (const i of found) if (i >= 0 && i < items.size) setBit(out, i);
      return out;
    }
    const col = items.column(c.field);
    if (!col) return c.op === 'NOT IN' ? allBits(items.size) : out;
    const numeric = c.op !== 'IN' && c.op !== 'NOT IN' && c.op !== 'CONTAINS';
    if (col.numbers) {
      const nums = wanted.map(Number);
      const arr = col.numbers;
      for (let i = 0; i < items.size; i++) {
        const v = arr[i];
        const hit = numeric ? nums.length > 0 && compare(c.op, v, nums[0]) : nums.includes(v);
        if (c.op === 'NOT IN' ? !hit : hit) setBit(out, i);
      }
      return out;
    }
    // String column: decide once per dictionary entry, then scan the codes.
    const dict = col.dict ?? [];
    const match = new Uint8Array(dict.length);
    const set = new Set(wanted.map(String));
    for (let d = 0; d < dict.length; d++) {
      const hit = numeric ? wanted.length > 0 && compare(c.op, Number(dict[d]), Number(wanted[0])) : cellValues(dict[d]).some((v) => set.has(v));
      match[d] = c.op === 'NOT IN' ? (hit ? 0 : 1) : hit ? 1 : 0;
    }
    const codes = col.codes!;
    const nullMatches = c.op === 'NOT IN';
    for (let i = 0; i < items.size; i++) {
      const code = codes[i];
      if (code === NULL_CODE ? nullMatches : match[code] === 1) setBit(out, i);
    }
    return out;
  }

  /** An IF CurrentUser condition: false when the user or the field is unknown. */
  private holds(c: Condition, subject: Subject, values: Map<string, ParamValue[]>): boolean {
    const v = subject.user(c.field);
    if (v === undefined) return false;
    const wanted = c.operands.flatMap((o) => this.resolve(o, subject, values));
    if (c.op === 'IN' || c.op === 'CONTAINS' || c.op === 'NOT IN') {
      const have = typeof v === 'string' ? cellValues(v) : [v];
      const hit = have.some((h) => wanted.some((w) => String(w) === String(h)));
      return c.op === 'NOT IN' ? !hit : hit;
    }
    return wanted.length > 0 && compare(c.op, Number(v), Number(wanted[0]));
  }
}

function orInto(into: Uint32Array, bits: Uint32Array): void {
  for (let w = 0; w < into.length; w++) into[w] |= bits[w];
}
