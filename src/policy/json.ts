// A small JSON reader that remembers where each object starts and ends (the simulator reports statement
// positions) and never recurses deeper than a fixed limit, so hostile input cannot overflow the stack.

export interface Position {
  line: number;
  column: number;
}

/** Source span of an object value: 1-based line/column of `{` and of the character after `}`. */
export interface Span {
  start: Position;
  end: Position;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export class JsonSyntaxError extends Error {}

const MAX_DEPTH = 64;

/** Parses `text`; `spans` receives the span of every object. Duplicate keys keep the last value, as AWS does. */
export function parseJson(text: string, spans: WeakMap<object, Span>): JsonValue {
  const p = new Reader(text, spans);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i !== text.length) p.fail();
  return v;
}

class Reader {
  i = 0;
  line = 1;
  lineStart = 0;
  constructor(readonly s: string, readonly spans: WeakMap<object, Span>) {}

  fail(): never {
    throw new JsonSyntaxError(`Invalid JSON at ${this.line}:${this.i - this.lineStart + 1}`);
  }

  pos(): Position {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  ws(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 10) {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (c === 32 || c === 9 || c === 13) this.i++;
      else return;
    }
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail();
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    return this.number();
  }

  literal<T>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.i)) this.fail();
    this.i += word.length;
    return v;
  }

  number(): number {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const r = m.exec(this.s);
    if (!r) this.fail();
    this.i += r[0].length;
    return Number(r[0]);
  }

  string(): string {
    const s = this.s;
    let i = this.i + 1;
    let out = '';
    let from = i;
    for (;;) {
      if (i >= s.length) this.fail();
      const c = s.charCodeAt(i);
      if (c === 34) break;
      if (c < 32) this.fail();
      if (c === 92) {
        out += s.slice(from, i);
        const e = s[i + 1];
        const simple = ESCAPES[e];
        if (simple !== undefined) {
          out += simple;
          i += 2;
        } else if (e === 'u') {
          const hex = s.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail();
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else this.fail();
        from = i;
      } else i++;
    }
    out += s.slice(from, i);
    this.i = i + 1;
    return out;
  }

  array(depth: number): JsonValue[] {
    this.i++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      // The position reported on failure is the offending character's, so step past it only when it fits.
      const c = this.s[this.i];
      if (c !== ']' && c !== ',') this.fail();
      this.i++;
      if (c === ']') return out;
    }
  }

  object(depth: number): JsonObject {
    const start = this.pos();
    this.i++;
    // A null prototype keeps keys like "__proto__" ordinary data.
    const out = Object.create(null) as JsonObject;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      this.spans.set(out, { start, end: this.pos() });
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail();
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail();
      this.i++;
      this.ws();
      out[key] = this.value(depth + 1);
      this.ws();
      const c = this.s[this.i];
      if (c !== '}' && c !== ',') this.fail();
      this.i++;
      if (c === '}') {
        this.spans.set(out, { start, end: this.pos() });
        return out;
      }
    }
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export const isObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
