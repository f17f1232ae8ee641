// Answers to batch jobs' input lines, from a solution version's trained model: JSON Lines in and
// out, the model as batch jobs read it, a job's filter applied to one line (with its
// filterValues), and segments (an itemId, or an item-attribute expression, gets the users most
// likely to interact with those items, as far as the filter lets them; inference is in
// batch-inference.ts). Each input line gives one output line; a line that cannot be answered
// carries its error.
import { loadModel, type Model } from '../../training/index.js';
import { decodeModelFile } from './model-file.js';
import { AwsError } from '../../shared/aws-error.js';
import { CompiledFilter, hasBit, type ItemAttributes, type ParsedFilter, type Subject } from './filter-language/index.js';
import type { BatchData } from './batch-data.js';

/** Why one input line has no answer (written into that line's output). */
export class LineError extends Error {}

export type Input = Record<string, unknown>;
export type Answer = (input: Input) => Record<string, unknown>;

/** JSON Lines in, JSON Lines out, line for line. */
export function answerLines(text: string, answer: Answer): string {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    let input: unknown;
    try {
      input = JSON.parse(line);
    } catch {
      out.push(JSON.stringify({ input: line, output: null, error: 'Invalid input: the line is not a JSON object.' }));
      continue;
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      out.push(JSON.stringify({ input, output: null, error: 'Invalid input: the line is not a JSON object.' }));
      continue;
    }
    try {
      out.push(JSON.stringify({ input, output: answer(input as Input), error: null }));
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      out.push(JSON.stringify({ input, output: null, error: e.message }));
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** A solution version's model as batch jobs read it. */
export interface BatchModel {
  /** Item ids, most popular first, and their interaction counts. */
  popular: string[];
  counts?: number[];
  engine?: { model: Model; itemIds: string[]; userIds?: string[]; indexOf: Map<string, number> };
}

export function batchModel(file: Buffer): BatchModel {
  const { popular, engine } = decodeModelFile(file);
  if (!engine) return { popular: popular.items, counts: popular.counts };
  const { itemIds, userIds } = engine.header;
  return { popular: popular.items, counts: popular.counts, engine: { model: loadModel(engine.artifact), itemIds, userIds, indexOf: new Map(itemIds.map((id, i) => [id, i])) } };
}

/** The `n` best of `scores` (not in `skip`, and `ok` when given), best first; ties keep index order. */
export function best(scores: Float32Array, n: number, skip: ReadonlySet<number>, ok?: (i: number) => boolean): number[] {
  const top: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (skip.has(i) || (top.length === n && scores[i] <= scores[top[n - 1]]) || (ok && !ok(i))) continue;
    let p = top.length === n ? n - 1 : top.length;
    while (p > 0 && scores[top[p - 1]] < scores[i]) p--;
    top.splice(p, 0, i);
    if (top.length > n) top.pop();
  }
  return top;
}

export const text = (input: Input, member: string): string => {
  const v = input[member];
  if (typeof v !== 'string' || v === '') throw new LineError(`Invalid input: ${member} is required.`);
  return v;
};

/** `ITEMS.<field> = "<value>"` conditions joined by AND or OR (item-attribute-affinity input). */
export function parseAttributes(expr: string): { all: boolean; conditions: { field: string; value: string }[] } {
  const condition = /^\s*ITEMS\.([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*/i;
  const conditions: { field: string; value: string }[] = [];
  const joins = new Set<string>();
  let rest = expr;
  for (;;) {
    const m = condition.exec(rest);
    if (!m) throw new LineError(`Invalid input: itemAttributes "${expr}" is not a valid item attribute expression.`);
    conditions.push({ field: m[1], value: m[2].replace(/\\(.)/g, '$1') });
    rest = rest.slice(m[0].length);
    if (rest === '') break;
    const join = /^(AND|OR)\s+/i.exec(rest);
    if (!join) throw new LineError(`Invalid input: itemAttributes "${expr}" is not a valid item attribute expression.`);
    joins.add(join[1].toUpperCase());
    rest = rest.slice(join[0].length);
  }
  if (joins.size > 1) throw new LineError(`Invalid input: itemAttributes "${expr}" mixes AND and OR.`);
  return { all: !joins.has('OR'), conditions };
}

/** The line's filterValues: parameter names to value lists, as GetRecommendations takes them. */
function filterValuesOf(input: Input): Record<string, string> | undefined {
  const v = input.filterValues;
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.values(v).every((x) => typeof x === 'string')) {
    throw new LineError('Invalid input: filterValues must map each parameter name to a string of values.');
  }
  return v as Record<string, string>;
}

/** What the job's filter lets through for one line (over `over`, for `subject`), with the line's filterValues. */
export function lineAllowed(filter: CompiledFilter, over: ItemAttributes, subject: Subject, input: Input): Uint32Array {
  try {
    return filter.allowed(over, subject, filterValuesOf(input));
  } catch (e) {
    // A missing or malformed parameter value fails this line, as it fails a runtime call.
    if (e instanceof AwsError) throw new LineError(e.message);
    throw e;
  }
}

/** The users a segment job's filter lets through for one line (indexes of the model's users), or undefined without a filter. */
export type UserFilter = (input: Input) => Uint32Array | undefined;

/** A segment job's filter (a UserID filter) over the model's users. */
export function segmentFilter(m: BatchModel, data: BatchData, parsed: ParsedFilter | undefined): UserFilter | undefined {
  if (!parsed || !m.engine?.userIds) return undefined;
  const filter = new CompiledFilter(parsed);
  const { attrs, subject } = data.userView(m.engine.userIds);
  return (input) => lineAllowed(filter, attrs, subject, input);
}

/**
 * How a batch segment job answers each line: an itemId (item affinity) or itemAttributes
 * (item-attribute affinity). With a filter, the model is asked for more users until `n` pass it.
 */
export function segmentAnswer(m: BatchModel, itemFields: string[], n: number, allowedUsers?: UserFilter): Answer {
  const e = m.engine;
  if (!e?.model.segment || !e.userIds) return () => { throw new LineError('The solution version\'s model does not make user segments. Create a new solution version.'); };
  const indexOf = (id: string) => e.indexOf.get(id);
  // Expressions name fields in any case; tokens carry the schema's spelling.
  const fieldName = new Map(itemFields.map((f) => [f.toUpperCase(), f]));
  const itemsOf = (input: Input): Set<number> => {
    if (input.itemAttributes === undefined) {
      const i = indexOf(text(input, 'itemId'));
      return new Set(i === undefined ? [] : [i]);
    }
    const { all, conditions } = parseAttributes(text(input, 'itemAttributes'));
    const sets = conditions.map(({ field, value }) => {
      const token = `${fieldName.get(field.toUpperCase()) ?? field}=${value}`;
      return new Set(e.model.itemsWithAttribute?.(token) ?? []);
    });
    if (!all) return new Set(sets.flatMap((s) => [...s]));
    return sets.reduce((a, b) => new Set([...a].filter((i) => b.has(i))));
  };
  return (input) => {
    const items = itemsOf(input);
    // No item matches: no one to segment (a model would rank every user at zero).
    if (!items.size) return { usersList: [] };
    const allowed = allowedUsers?.(input);
    const wanted = Int32Array.from(items);
    for (let k = n; ; k = Math.min(k * 2, e.userIds!.length)) {
      const { users } = e.model.segment!(wanted, k);
      const passed = allowed ? Array.from(users).filter((u) => hasBit(allowed, u)) : Array.from(users);
      if (passed.length >= n || users.length < k || k >= e.userIds!.length) return { usersList: passed.slice(0, n).map((u) => e.userIds![u]) };
    }
  };
}
