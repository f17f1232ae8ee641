// What recipes learn from besides interactions, built from a group's Items (or Actions) and Users
// data and indexed like the interactions: categorical fields become "FIELD=value" tokens (a
// `|`-separated value gives one token per part), textual fields the item's text, and
// CREATION_TIMESTAMP its creation time. Items only the Items dataset knows join the catalogue, so
// cold items can be recommended.
import type { SideData } from '../../training/data.js';
import type { Field } from './avro.js';
import { NULL_CODE, type Column, type Table } from './table.js';
import { IdIndex } from './id-index.js';

const column = (t: Table, name: string): Column | undefined => t.columns.find((c) => c.name === name);

/** Per dictionary code, the tokens of a categorical column's value. */
function tokensOfDict(field: string, dict: string[]): string[][] {
  return dict.map((v) => v.split('|').filter((p) => p !== '').map((p) => `${field}=${p}`));
}

/** Per row, the index the row's id has (-1 for a null id). */
function rowIndexes(t: Table, idField: string, index: IdIndex, add: boolean): Int32Array {
  const ids = column(t, idField);
  const out = new Int32Array(t.rows).fill(-1);
  if (!ids?.codes) return out;
  const byCode = Int32Array.from(ids.dict!, (id) => (add ? index.add(id) : index.get(id) ?? -1));
  for (let r = 0; r < t.rows; r++) if (ids.codes[r] !== NULL_CODE) out[r] = byCode[ids.codes[r]];
  return out;
}

/** Each indexed id's categorical tokens (later rows of an id replace earlier ones). */
function tokensPerIndex(t: Table, fields: Field[], rows: Int32Array, size: number): string[][] | undefined {
  const categorical = fields.filter((f) => f.categorical && column(t, f.name)?.codes);
  if (!categorical.length) return undefined;
  const cols = categorical.map((f) => ({ col: column(t, f.name)!, tokens: tokensOfDict(f.name, column(t, f.name)!.dict!) }));
  const out: string[][] = Array.from({ length: size }, () => []);
  for (let r = 0; r < t.rows; r++) {
    const i = rows[r];
    if (i < 0) continue;
    const tokens: string[] = [];
    for (const { col, tokens: byCode } of cols) if (col.codes![r] !== NULL_CODE) tokens.push(...byCode[col.codes![r]]);
    out[i] = tokens;
  }
  return out;
}

export interface SideTables {
  /** Items (or Actions) data, its schema's fields and its id field. */
  items?: { table: Table; fields: Field[]; idField: string };
  users?: { table: Table; fields: Field[] };
}

/**
 * Side data over `itemIndex` (extended with the items only the Items data knows) and `userIndex`
 * (users only the Users data knows are left out: nothing scores a user without a history).
 */
export function buildSideData(tables: SideTables, itemIndex: IdIndex, userIndex: IdIndex): SideData {
  const side: SideData = {};
  const items = tables.items;
  if (items) {
    const rows = rowIndexes(items.table, items.idField, itemIndex, true);
    const n = itemIndex.size;
    const tokens = tokensPerIndex(items.table, items.fields, rows, n);
    if (tokens) side.itemTokens = tokens;
    const textual = items.fields.filter((f) => f.textual).map((f) => column(items.table, f.name)).filter((c): c is Column => !!c?.codes);
    if (textual.length) {
      const text = new Array<string>(n).fill('');
      for (let r = 0; r < items.table.rows; r++) {
        if (rows[r] < 0) continue;
        text[rows[r]] = textual.map((c) => (c.codes![r] === NULL_CODE ? '' : c.dict![c.codes![r]])).filter((s) => s !== '').join('\n');
      }
      side.itemText = text;
    }
    const created = column(items.table, 'CREATION_TIMESTAMP')?.numbers;
    if (created) {
      side.itemCreated = new Float64Array(n).fill(NaN);
      for (let r = 0; r < items.table.rows; r++) if (rows[r] >= 0) side.itemCreated[rows[r]] = created[r];
    }
  }
  if (tables.users) {
    const rows = rowIndexes(tables.users.table, 'USER_ID', userIndex, false);
    const tokens = tokensPerIndex(tables.users.table, tables.users.fields, rows, userIndex.size);
    if (tokens) side.userTokens = tokens;
  }
  return side;
}
