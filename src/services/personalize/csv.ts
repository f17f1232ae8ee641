// Streaming CSV (RFC 4180: quoted fields, "" escapes, CRLF or LF) into a TableBuilder. The first
// record of each file is its header, mapped to the schema's fields by name; every later record is
// type-checked as it is stored. Errors name the file, the row (the header is row 1) and the column.
import { TableBuilder, ValueError } from './table.js';

export class CsvError extends Error {}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

const enum State { Start, Unquoted, Quoted, QuoteSeen }

export class CsvReader {
  private state = State.Start;
  private piece = '';
  private record: string[] = [];
  private row = 0;
  private skipLf = false;
  /** Schema column of each CSV column (from the header). */
  private map: number[] | undefined;

  constructor(private readonly builder: TableBuilder, private readonly source: string) {}

  feed(chunk: string): void {
    const n = chunk.length;
    let i = 0;
    let start = 0;
    while (i < n) {
      let c = chunk.charCodeAt(i);
      if (this.skipLf) {
        this.skipLf = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      switch (this.state) {
        case State.Start:
          if (c === QUOTE) {
            this.state = State.Quoted;
            start = ++i;
            continue;
          }
          this.state = State.Unquoted;
          start = i;
        // falls through
        case State.Unquoted:
          while (c !== COMMA && c !== LF && c !== CR) {
            if (c === QUOTE) throw this.error('a quote inside an unquoted value');
            if (++i === n) break;
            c = chunk.charCodeAt(i);
          }
          if (i === n) {
            this.piece += chunk.slice(start, n);
            continue;
          }
          this.endField(this.piece + chunk.slice(start, i));
          this.separator(c);
          i++;
          continue;
        case State.Quoted: {
          const q = chunk.indexOf('"', i);
          if (q < 0) {
            this.piece += chunk.slice(start, n);
            i = n;
            continue;
          }
          this.piece += chunk.slice(start, q);
          this.state = State.QuoteSeen;
          i = q + 1;
          continue;
        }
        case State.QuoteSeen:
          if (c === QUOTE) {
            this.piece += '"';
            this.state = State.Quoted;
            start = ++i;
            continue;
          }
          if (c !== COMMA && c !== LF && c !== CR) throw this.error('a character after the closing quote of a value');
          this.endField(this.piece);
          this.separator(c);
          i++;
      }
    }
  }

  /** Finishes the file (a last record without a newline); fails when it ends inside a quoted value. */
  end(): void {
    if (this.state === State.Quoted) throw this.error('an unterminated quoted value');
    if (this.state !== State.Start || this.record.length) {
      this.endField(this.piece);
      this.endRecord();
    }
    if (!this.map) throw new CsvError(`${this.source} has no header row.`);
  }

  private separator(c: number): void {
    this.state = State.Start;
    if (c === COMMA) return;
    if (c === CR) this.skipLf = true;
    this.endRecord();
  }

  private endField(text: string): void {
    this.record.push(text);
    this.piece = '';
  }

  private error(what: string): CsvError {
    return new CsvError(`Row ${this.row + 1} of ${this.source} has ${what}.`);
  }

  private endRecord(): void {
    const rec = this.record;
    this.record = [];
    this.state = State.Start;
    this.row++;
    if (rec.length === 1 && rec[0] === '') return; // blank line
    if (!this.map) return this.header(rec);
    const map = this.map;
    if (rec.length !== map.length) {
      throw new CsvError(`Row ${this.row} of ${this.source} has ${rec.length} values, but the header has ${map.length} columns.`);
    }
    let c = 0;
    try {
      for (; c < rec.length; c++) this.builder.value(map[c], rec[c]);
      c = -1;
      this.builder.endRow();
    } catch (e) {
      this.builder.abandonRow();
      if (!(e instanceof ValueError)) throw e;
      const column = c >= 0 ? ` column ${this.builder.fields[map[c]].name}` : '';
      throw new CsvError(`Row ${this.row} of ${this.source},${column}: ${e.message}.`);
    }
  }

  private header(names: string[]): void {
    const fields = this.builder.fields;
    const used = new Set<number>();
    this.map = names.map((raw) => {
      const name = raw.trim();
      const c = fields.findIndex((f) => f.name.toUpperCase() === name.toUpperCase());
      if (c < 0) throw new CsvError(`Column ${name} in the header of ${this.source} is not a field of the dataset's schema.`);
      if (used.has(c)) throw new CsvError(`Column ${name} appears twice in the header of ${this.source}.`);
      used.add(c);
      return c;
    });
    const missing = fields.find((f, c) => !used.has(c) && !f.nullable);
    if (missing) throw new CsvError(`The header of ${this.source} lacks the required field ${missing.name}.`);
  }
}
