// Answers to batch jobs' input lines, from a solution version's trained model. Inference: a userId
// gets recommendations (the items the user has not interacted with, scored as GetRecommendations
// scores them), a userId with an itemList gets the list ranked, an itemId gets related items. Segments: an itemId,
// or an item-attribute expression, gets the users most likely to interact with those items.
// Each input line gives one output line; a line that cannot be answered carries its error.
import { catalogueScores, loadModel, rankingScores, type Model } from '../../training/index.js';
import { decodeModelFile } from './model-file.js';
import { NULL_CODE, type Table } from './table.js';

/** Why one input line has no answer (written into that line's output). */
export class LineError extends Error {}

type Input = Record<string, unknown>;
type Answer = (input: Input) => Record<string, unknown>;

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
  /** Item ids, most popular first. */
  popular: string[];
  engine?: { model: Model; itemIds: string[]; userIds?: string[]; indexOf: Map<string, number> };
}

export function batchModel(file: Buffer): BatchModel {
  const { popular, engine } = decodeModelFile(file);
  if (!engine) return { popular: popular.items };
  const { itemIds, userIds } = engine.header;
  return { popular: popular.items, engine: { model: loadModel(engine.artifact), itemIds, userIds, indexOf: new Map(itemIds.map((id, i) => [id, i])) } };
}

/** Each user's imported interactions, oldest first, as the model's item indexes. */
export class Histories {
  private readonly byUser = new Map<string, number[]>();

  constructor(private readonly table: Table | undefined) {
    const users = table?.columns.find((c) => c.name === 'USER_ID');
    if (!table || !users?.codes) return;
    for (let r = 0; r < table.rows; r++) {
      if (users.codes[r] === NULL_CODE) continue;
      const id = users.dict![users.codes[r]];
      let rows = this.byUser.get(id);
      if (!rows) this.byUser.set(id, (rows = []));
      rows.push(r);
    }
  }

  of(userId: string, indexOf: (id: string) => number | undefined): Int32Array {
    const rows = this.byUser.get(userId);
    if (!rows || !this.table) return new Int32Array(0);
    const col = (n: string) => this.table!.columns.find((c) => c.name === n)!;
    const items = col('ITEM_ID');
    const times = col('TIMESTAMP').numbers!;
    const out: number[] = [];
    for (const r of [...rows].sort((a, b) => times[a] - times[b] || a - b)) {
      const i = items.codes![r] === NULL_CODE ? undefined : indexOf(items.dict![items.codes![r]]);
      if (i !== undefined) out.push(i);
    }
    return Int32Array.from(out);
  }
}

/** The `n` best of `scores` (not in `skip`), best first; ties keep index order. */
function best(scores: Float32Array, n: number, skip: Set<number>): number[] {
  const top: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (skip.has(i) || (top.length === n && scores[i] <= scores[top[n - 1]])) continue;
    let p = top.length === n ? n - 1 : top.length;
    while (p > 0 && scores[top[p - 1]] < scores[i]) p--;
    top.splice(p, 0, i);
    if (top.length > n) top.pop();
  }
  return top;
}

const text = (input: Input, member: string): string => {
  const v = input[member];
  if (typeof v !== 'string' || v === '') throw new LineError(`Invalid input: ${member} is required.`);
  return v;
};

/** How a batch inference job answers each line, by the solution's recipe type. */
export function inferenceAnswer(m: BatchModel, histories: Histories, recipe: string, recipeType: string | undefined, n: number): Answer {
  const e = m.engine;
  const indexOf = (id: string) => e?.indexOf.get(id);
  if (recipeType === 'RELATED_ITEMS') {
    return (input) => {
      const itemId = text(input, 'itemId');
      const i = indexOf(itemId);
      if (!e?.model.similar || i === undefined) return { recommendedItems: m.popular.filter((id) => id !== itemId).slice(0, n) };
      const scores = new Float32Array(e.model.nItems);
      e.model.similar(i, scores);
      return { recommendedItems: best(scores, n, new Set([i])).map((j) => e.itemIds[j]) };
    };
  }
  if (recipeType === 'PERSONALIZED_RANKING') {
    return (input) => {
      const userId = text(input, 'userId');
      const list = input.itemList;
      if (!Array.isArray(list) || !list.length || !list.every((x) => typeof x === 'string')) throw new LineError('Invalid input: itemList must be a non-empty list of item IDs.');
      const ids = list as string[];
      const scores = new Float32Array(e?.model.nItems ?? 0);
      e?.model.score(histories.of(userId, indexOf), scores);
      // Items the model does not know come last, with no share of the scores.
      const indexes = ids.map((id) => indexOf(id) ?? -1);
      const shares = rankingScores(scores, indexes);
      const order = ids.map((_, p) => p).sort((a, b) => (indexes[b] < 0 ? -Infinity : scores[indexes[b]]) - (indexes[a] < 0 ? -Infinity : scores[indexes[a]]) || a - b);
      return { recommendedItems: order.map((p) => ids[p]), scores: order.map((p) => shares[p]) };
    };
  }
  // Popularity-count recommends the same popular items to everyone.
  if (recipe === 'aws-popularity-count' || !e) return (input) => (text(input, 'userId'), { recommendedItems: m.popular.slice(0, n) });
  return (input) => {
    const history = histories.of(text(input, 'userId'), indexOf);
    const scores = new Float32Array(e.model.nItems);
    e.model.score(history, scores);
    const seen = new Set(history);
    const picked = best(scores, n, seen);
    return { recommendedItems: picked.map((i) => e.itemIds[i]), scores: catalogueScores(scores, picked) };
  };
}

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

/** How a batch segment job answers each line: an itemId (item affinity) or itemAttributes (item-attribute affinity). */
export function segmentAnswer(m: BatchModel, itemFields: string[], n: number): Answer {
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
    const { users } = e.model.segment!(Int32Array.from(items), n);
    return { usersList: Array.from(users, (u) => e.userIds![u]) };
  };
}
