// Imported data in columnar form: strings dictionary-encoded (codes into a per-column dictionary),
// numbers as Float64Array (NaN for null), booleans as bytes (2 for null). Training reads these
// arrays directly; the binary encoding is one header plus the arrays, copied without conversion.
import type { Field, FieldType } from './avro.js';

export const NULL_CODE = 0xffffffff;

export interface Column {
  name: string;
  type: FieldType;
  /** String columns: codes into dict (NULL_CODE for null). */
  codes?: Uint32Array;
  dict?: string[];
  /** Numeric columns (NaN for null). */
  numbers?: Float64Array;
  /** Boolean columns: 0, 1, 2 = null. */
  bools?: Uint8Array;
}

export interface Table {
  rows: number;
  columns: Column[];
}

/** Why a value does not fit its column (the parser adds where it is). */
export class ValueError extends Error {}

const isNumeric = (t: FieldType) => t !== 'string' && t !== 'boolean';
const INTEGER = /^-?\d+$/;

/** Collects rows column by column; values arrive as CSV text and are type-checked on the way in. */
export class TableBuilder {
  rows = 0;
  private capacity = 1024;
  private readonly codes: (Uint32Array | undefined)[];
  private readonly dicts: (Map<string, number> | undefined)[];
  private readonly numbers: (Float64Array | undefined)[];
  private readonly bools: (Uint8Array | undefined)[];
  private readonly set: Uint8Array;

  constructor(readonly fields: Field[]) {
    const n = fields.length;
    this.codes = fields.map((f) => (f.type === 'string' ? new Uint32Array(this.capacity) : undefined));
    this.dicts = fields.map((f) => (f.type === 'string' ? new Map() : undefined));
    this.numbers = fields.map((f) => (isNumeric(f.type) ? new Float64Array(this.capacity) : undefined));
    this.bools = fields.map((f) => (f.type === 'boolean' ? new Uint8Array(this.capacity) : undefined));
    this.set = new Uint8Array(n);
  }

  private grow(): void {
    this.capacity *= 2;
    const bigger = <T extends Uint32Array | Float64Array | Uint8Array>(a: T | undefined): T | undefined => {
      if (!a) return undefined;
      const b = new (a.constructor as new (n: number) => T)(this.capacity);
      b.set(a);
      return b;
    };
    for (let i = 0; i < this.fields.length; i++) {
      this.codes[i] = bigger(this.codes[i]);
      this.numbers[i] = bigger(this.numbers[i]);
      this.bools[i] = bigger(this.bools[i]);
    }
  }

  /** Sets column `c` of the current row from its text; '' is null. */
  value(c: number, text: string): void {
    const f = this.fields[c];
    const r = this.rows;
    if (r === this.capacity) this.grow();
    this.set[c] = 1;
    if (text === '') {
      if (!f.nullable) throw new ValueError(`missing value for non-nullable field ${f.name}`);
      this.setNull(c, r);
      return;
    }
    switch (f.type) {
      case 'string': {
        if (f.categorical && text.length > 1000) throw new ValueError(`categorical value longer than 1000 characters`);
        const dict = this.dicts[c]!;
        let code = dict.get(text);
        if (code === undefined) dict.set(text, (code = dict.size));
        this.codes[c]![r] = code;
        return;
      }
      case 'boolean':
        if (text !== 'true' && text !== 'false') throw new ValueError(`"${text}" is not a valid boolean (use true or false)`);
        this.bools[c]![r] = text === 'true' ? 1 : 0;
        return;
      default: {
        const integral = f.type === 'int' || f.type === 'long';
        const n = integral ? (INTEGER.test(text) ? Number(text) : NaN) : Number(text);
        if (!Number.isFinite(n) || (f.type === 'int' && (n < -2147483648 || n > 2147483647))) {
          throw new ValueError(`"${text}" is not a valid ${f.type}`);
        }
        this.numbers[c]![r] = n;
      }
    }
  }

  private setNull(c: number, r: number): void {
    const f = this.fields[c];
    if (f.type === 'string') this.codes[c]![r] = NULL_CODE;
    else if (f.type === 'boolean') this.bools[c]![r] = 2;
    else this.numbers[c]![r] = NaN;
  }

  /** Ends the current row: columns it did not set are null (which they must allow). */
  endRow(): void {
    if (this.rows === this.capacity) this.grow();
    for (let c = 0; c < this.fields.length; c++) {
      if (this.set[c]) {
        this.set[c] = 0;
        continue;
      }
      if (!this.fields[c].nullable) throw new ValueError(`missing value for non-nullable field ${this.fields[c].name}`);
      this.setNull(c, this.rows);
    }
    this.rows++;
  }

  /** Drops a row begun but not ended. */
  abandonRow(): void {
    this.set.fill(0);
  }

  table(): Table {
    const n = this.rows;
    return {
      rows: n,
      columns: this.fields.map((f, c) => ({
        name: f.name,
        type: f.type,
        codes: this.codes[c]?.slice(0, n),
        dict: this.dicts[c] ? [...this.dicts[c]!.keys()] : undefined,
        numbers: this.numbers[c]?.slice(0, n),
        bools: this.bools[c]?.slice(0, n),
      })),
    };
  }
}

/** A cell as text ('' for null), the form the builder takes (used to merge tables). */
export function cellText(col: Column, r: number): string {
  if (col.codes) return col.codes[r] === NULL_CODE ? '' : col.dict![col.codes[r]];
  if (col.bools) return col.bools[r] === 2 ? '' : col.bools[r] ? 'true' : 'false';
  const v = col.numbers![r];
  return Number.isNaN(v) ? '' : String(v);
}

/**
 * INCREMENTAL import: the old rows then the new ones, in the new table's columns; for datasets
 * keyed by an id (`idField`), a new row replaces the old rows with the same id.
 */
export function mergeTables(old: Table, added: Table, fields: Field[], idField?: string): Table {
  // Both inputs were checked when imported; only columns the old data lacks (a schema replaced
  // since) need nulls, so the merge accepts them everywhere.
  const b = new TableBuilder(fields.map((f) => ({ ...f, nullable: true })));
  const copy = (t: Table, keep: (r: number) => boolean) => {
    const cols = fields.map((f) => t.columns.find((c) => c.name === f.name));
    for (let r = 0; r < t.rows; r++) {
      if (!keep(r)) continue;
      cols.forEach((col, c) => b.value(c, col ? cellText(col, r) : ''));
      b.endRow();
    }
  };
  let keepOld: (r: number) => boolean = () => true;
  const oldId = idField ? old.columns.find((c) => c.name === idField) : undefined;
  const newId = idField ? added.columns.find((c) => c.name === idField) : undefined;
  if (oldId && newId) {
    const replaced = new Set<string>();
    for (let r = 0; r < added.rows; r++) replaced.add(cellText(newId, r));
    keepOld = (r) => !replaced.has(cellText(oldId, r));
  }
  copy(old, keepOld);
  copy(added, () => true);
  return b.table();
}

const ALIGN = 8;

/** Binary form: "PZT1", header length, JSON header, then each array 8-byte aligned. */
export function encodeTable(t: Table): Buffer {
  const arrays: Uint8Array[] = [];
  const header = {
    rows: t.rows,
    columns: t.columns.map((c) => {
      const a = c.codes ?? c.numbers ?? c.bools!;
      arrays.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      return { name: c.name, type: c.type, dict: c.dict };
    }),
  };
  const head = Buffer.from(JSON.stringify(header));
  let offset = 8 + head.length;
  offset += (ALIGN - (offset % ALIGN)) % ALIGN;
  const parts: Buffer[] = [Buffer.from('PZT1'), Buffer.alloc(4), head, Buffer.alloc(offset - 8 - head.length)];
  parts[1].writeUInt32LE(head.length);
  for (const a of arrays) {
    parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    const pad = (ALIGN - (a.byteLength % ALIGN)) % ALIGN;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  return Buffer.concat(parts);
}

export function decodeTable(buf: Buffer): Table {
  if (buf.toString('latin1', 0, 4) !== 'PZT1') throw new Error('not a Personalize table file');
  const headLen = buf.readUInt32LE(4);
  const header = JSON.parse(buf.toString('utf8', 8, 8 + headLen)) as { rows: number; columns: { name: string; type: FieldType; dict?: string[] }[] };
  let offset = 8 + headLen;
  offset += (ALIGN - (offset % ALIGN)) % ALIGN;
  // Copy into a fresh aligned buffer so typed arrays can view it directly.
  const data = new Uint8Array(buf.length - offset);
  data.set(buf.subarray(offset));
  let at = 0;
  const n = header.rows;
  const columns = header.columns.map((c): Column => {
    const col: Column = { name: c.name, type: c.type };
    let bytes: number;
    if (c.type === 'string') {
      col.codes = new Uint32Array(data.buffer, at, n);
      col.dict = c.dict ?? [];
      bytes = n * 4;
    } else if (c.type === 'boolean') {
      col.bools = new Uint8Array(data.buffer, at, n);
      bytes = n;
    } else {
      col.numbers = new Float64Array(data.buffer, at, n);
      bytes = n * 8;
    }
    at += bytes + ((ALIGN - (bytes % ALIGN)) % ALIGN);
    return col;
  });
  return { rows: n, columns };
}

/** The rows of `t` that `keep` accepts, in order (dictionaries are kept whole). */
export function filterRows(t: Table, keep: (r: number) => boolean): Table {
  const idx: number[] = [];
  for (let r = 0; r < t.rows; r++) if (keep(r)) idx.push(r);
  const take = <A extends Uint32Array | Float64Array | Uint8Array>(a: A | undefined): A | undefined => {
    if (!a) return undefined;
    const out = new (a.constructor as new (n: number) => A)(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
    return out;
  };
  return { rows: idx.length, columns: t.columns.map((c) => ({ ...c, codes: take(c.codes), numbers: take(c.numbers), bools: take(c.bools) })) };
}

const QUOTED = /[",\r\n]/;
const csvCell = (s: string) => (QUOTED.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** A table as CSV with a header row (dataset exports). */
export function toCsv(t: Table): Buffer {
  const lines = [t.columns.map((c) => c.name).join(',')];
  for (let r = 0; r < t.rows; r++) lines.push(t.columns.map((c) => csvCell(cellText(c, r))).join(','));
  return Buffer.from(lines.join('\n') + '\n');
}
