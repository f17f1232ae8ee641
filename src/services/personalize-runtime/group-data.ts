// A dataset group's bulk data as serving reads it: Items and Users metadata by id, and each user's
// interactions (item, event type, time). Decoded once per imported version (the data document
// names a new file on every import) and kept until that version is replaced.
import type { App } from '../../app.js';
import { KIND, type DatasetGroupDoc } from '../personalize/schema.js';
import { datasetArnOf } from '../personalize/arns.js';
import { dataOf, readData } from '../personalize/data-store.js';
import { groupKeys } from '../personalize/keys.js';
import { whereOf } from '../personalize/service-role.js';
import { NULL_CODE, type Column, type Table } from '../personalize/table.js';
import { memo } from '../personalize/store-memo.js';
import type { LiveEvent } from '../personalize-events/live.js';
import { cell, type KeyedRows } from '../personalize/filter-inputs.js';

export { cell };

/** A table with an index from its id column's values to row numbers (the last row of an id wins). */
export interface Keyed extends KeyedRows {
  table: Table;
}

/** Bulk interactions grouped by user: rows of user u are order[offsets[u]..offsets[u+1]). */
export interface UserRows {
  table: Table;
  userCode: Map<string, number>;
  offsets: Int32Array;
  order: Int32Array;
  items: Column;
  types: Column | undefined;
  times: Column;
}

const cache = new WeakMap<App, Map<string, unknown>>();

function cached<T>(app: App, datasetArn: string, build: (t: Table) => T): T | undefined {
  const doc = memo(app, `data ${datasetArn}`, () => dataOf(app, datasetArn));
  if (!doc) return undefined;
  let m = cache.get(app);
  if (!m) cache.set(app, (m = new Map()));
  const key = `${datasetArn}|${doc.file}`;
  let v = m.get(key) as T | undefined;
  if (v === undefined) {
    const groupArn = groupOfDataset(datasetArn);
    const group = app.store.get<DatasetGroupDoc>(KIND.datasetGroup, groupArn);
    const table = readData(app, datasetArn, group ? groupKeys(app, group) : undefined);
    if (!table) return undefined;
    for (const k of m.keys()) if (k.startsWith(`${datasetArn}|`)) m.delete(k);
    m.set(key, (v = build(table)));
  }
  return v;
}

/** `…:dataset/<group>/<TYPE>` → `…:dataset-group/<group>`. */
function groupOfDataset(datasetArn: string): string {
  const [prefix, rest] = [datasetArn.slice(0, datasetArn.indexOf(':dataset/')), datasetArn.slice(datasetArn.indexOf(':dataset/') + 9)];
  return `${prefix}:dataset-group/${rest.slice(0, rest.lastIndexOf('/'))}`;
}

/** Dataset ARNs by group ARN and type: asked on every request, so made once. */
const datasetArns = new Map<string, string>();

function datasetOf(groupArn: string, type: string): string {
  const key = `${type}|${groupArn}`;
  let arn = datasetArns.get(key);
  if (arn === undefined) {
    if (datasetArns.size >= 10_000) datasetArns.clear();
    datasetArns.set(key, (arn = datasetArnOf(whereOf(groupArn), groupArn.slice(groupArn.indexOf('/') + 1), type)));
  }
  return arn;
}

const col = (t: Table, name: string) => t.columns.find((c) => c.name === name);

export function keyedData(app: App, groupArn: string, type: 'Items' | 'Users' | 'Actions'): Keyed | undefined {
  const idField = type === 'Items' ? 'ITEM_ID' : type === 'Users' ? 'USER_ID' : 'ACTION_ID';
  return cached(app, datasetOf(groupArn, type), (table) => byId(table, idField));
}

/** A table indexed by its `idField` column (the last row of an id wins). */
export function byId(table: Table, idField: string): Keyed {
  const id = col(table, idField);
  const rowOf = new Map<string, number>();
  if (id?.codes) for (let r = 0; r < table.rows; r++) if (id.codes[r] !== NULL_CODE) rowOf.set(id.dict![id.codes[r]], r);
  return { table, rowOf, column: (name: string) => col(table, name) };
}

/** Each row's item as an index by `indexOf` (-1: no item, or one it does not know); each distinct id is looked up once. */
export function rowItems(rows: UserRows, indexOf: (id: string) => number | undefined): Int32Array {
  const { codes, dict } = rows.items;
  const out = new Int32Array(rows.table.rows).fill(-1);
  if (!codes || !dict) return out;
  const index = Int32Array.from(dict, (id) => indexOf(id) ?? -1);
  for (let r = 0; r < out.length; r++) if (codes[r] !== NULL_CODE) out[r] = index[codes[r]];
  return out;
}

export function interactionRows(app: App, groupArn: string, type: 'Interactions' | 'Action_Interactions' = 'Interactions'): UserRows | undefined {
  return cached(app, datasetOf(groupArn, type), (table) => byUser(table, type === 'Interactions' ? 'ITEM_ID' : 'ACTION_ID'));
}

/** An interactions table's rows grouped by user (`itemField` names the item or action column). */
export function byUser(table: Table, itemField: string): UserRows {
  const users = col(table, 'USER_ID')!;
  const n = users.dict!.length;
  const offsets = new Int32Array(n + 1);
  for (let r = 0; r < table.rows; r++) if (users.codes![r] !== NULL_CODE) offsets[users.codes![r] + 1]++;
  for (let u = 0; u < n; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, n);
  const order = new Int32Array(offsets[n]);
  for (let r = 0; r < table.rows; r++) if (users.codes![r] !== NULL_CODE) order[fill[users.codes![r]]++] = r;
  const userCode = new Map(users.dict!.map((d, i) => [d, i]));
  return { table, userCode, offsets, order, items: col(table, itemField)!, types: col(table, 'EVENT_TYPE'), times: col(table, 'TIMESTAMP')! };
}

/** A user's interactions, imported (in row order) then live, with event types lower-cased. */
export function eventsOf(rows: UserRows | undefined, userId: string, live: readonly LiveEvent[] | undefined): LiveEvent[] {
  const out: LiveEvent[] = [];
  const u = rows?.userCode.get(userId);
  if (rows && u !== undefined) {
    for (let p = rows.offsets[u]; p < rows.offsets[u + 1]; p++) {
      const r = rows.order[p];
      const item = cell(rows.items, r);
      if (item === undefined) continue;
      out.push({ itemId: String(item), type: String(cell(rows.types, r) ?? '').toLowerCase(), t: rows.times.numbers![r] });
    }
  }
  if (live) out.push(...live);
  return out;
}
