import { isIntegral, MAX_DEPTH, setOwn, type CMember, type CShape } from './shapes.js';
import { blobFromBase64, integerFromNumber, INVALID, toBytes, timestampFormat } from './scalars.js';
import { formatTimestamp, parseTimestamp } from './timestamps.js';

export interface JsonOptions {
  /** restJson1 honours `smithy.api#jsonName`; the awsJson protocols ignore it. */
  jsonName: boolean;
  /** Called with the member path and value that do not fit the shape; must throw. */
  invalid(path: string, value: unknown, shape: CShape): never;
}

const keyOf = (m: { name: string; own: Record<string, any> }, opts: JsonOptions): string =>
  (opts.jsonName && m.own['smithy.api#jsonName']) || m.name;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a parsed JSON value as a value of `shape` (timestamps become Dates, blobs Buffers). */
export function readJson(value: unknown, shape: CShape, traits: Record<string, any>, opts: JsonOptions, path: string, depth = 0): unknown {
  if (depth > MAX_DEPTH) opts.invalid(path, value, shape);
  switch (shape.kind) {
    case 'structure': case 'union': {
      if (!isObject(value)) return opts.invalid(path, value, shape);
      const out: Record<string, unknown> = {};
      for (const m of shape.members) {
        const v = value[keyOf(m, opts)];
        if (v === undefined || v === null) continue;
        out[m.name] = readJson(v, m.shape, m.traits, opts, path ? `${path}.${m.name}` : m.name, depth + 1);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) return opts.invalid(path, value, shape);
      const m = shape.member!;
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        if (value[i] !== null) out.push(readJson(value[i], m.shape, m.traits, opts, `${path}.${i + 1}`, depth + 1));
      }
      return out;
    }
    case 'map': {
      if (!isObject(value)) return opts.invalid(path, value, shape);
      const v = shape.value!;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value)) {
        if (value[k] !== null) setOwn(out, k, readJson(value[k], v.shape, v.traits, opts, `${path}.${k}`, depth + 1));
      }
      return out;
    }
    case 'string': return typeof value === 'string' ? value : opts.invalid(path, value, shape);
    case 'boolean': return typeof value === 'boolean' ? value : opts.invalid(path, value, shape);
    case 'document': return value;
    case 'blob': {
      const b = typeof value === 'string' ? blobFromBase64(value) : INVALID;
      return b === INVALID ? opts.invalid(path, value, shape) : b;
    }
    case 'timestamp': {
      const format = timestampFormat(traits, 'epoch-seconds');
      const d = typeof value === 'number' || typeof value === 'string' ? parseTimestamp(value, format) : undefined;
      return d ?? opts.invalid(path, value, shape);
    }
    case 'float': case 'double': case 'bigDecimal':
      if (typeof value === 'number') return value;
      if (value === 'NaN') return NaN;
      if (value === 'Infinity') return Infinity;
      if (value === '-Infinity') return -Infinity;
      return opts.invalid(path, value, shape);
    default: {
      const n = isIntegral(shape.kind) && typeof value === 'number' ? integerFromNumber(value, shape) : INVALID;
      return n === INVALID ? opts.invalid(path, value, shape) : n;
    }
  }
}

type Writer = (value: unknown, depth: number) => string;

/** Compiled writers per options, by member (its traits matter) or by shape for a root value. */
const writers = new WeakMap<JsonOptions, WeakMap<object, Writer>>();

function writerFor(owner: object, shape: CShape, traits: Record<string, any>, opts: JsonOptions): Writer {
  let byOwner = writers.get(opts);
  if (!byOwner) writers.set(opts, (byOwner = new WeakMap()));
  let w = byOwner.get(owner);
  if (!w) byOwner.set(owner, (w = compileWriter(shape, traits, opts)));
  return w;
}

/**
 * The JSON text of a handler's value of `shape`: written by a writer compiled once per shape
 * (member or root), so a response builds no intermediate objects.
 */
export function jsonText(value: unknown, shape: CShape, traits: Record<string, any>, opts: JsonOptions, owner: object = shape): string {
  return writerFor(owner, shape, traits, opts)(value, 0);
}

function checkDepth(depth: number): void {
  if (depth > MAX_DEPTH) throw new Error(`output nested deeper than ${MAX_DEPTH} levels`);
}

/** What JSON.stringify would escape in a string: quotes, backslashes, control characters and (lone) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Lazily compiled writer of a member (shapes may be recursive). */
function memberWriter(m: CMember, opts: JsonOptions): () => Writer {
  let w: Writer | undefined;
  return () => (w ??= writerFor(m, m.shape, m.traits, opts));
}

function compileWriter(shape: CShape, traits: Record<string, any>, opts: JsonOptions): Writer {
  switch (shape.kind) {
    case 'structure': case 'union': {
      // Members compile on first use: shapes may be recursive.
      const parts = shape.members.map((m) => ({ name: m.name, key: `${JSON.stringify(keyOf(m, opts))}:`, w: memberWriter(m, opts) }));
      return (value, depth) => {
        checkDepth(depth);
        const obj = value as Record<string, unknown>;
        let out = '{';
        for (const p of parts) {
          const v = obj[p.name];
          if (v === undefined || v === null) continue;
          out += (out.length > 1 ? ',' : '') + p.key + p.w()(v, depth + 1);
        }
        return `${out}}`;
      };
    }
    case 'list': {
      const writer = memberWriter(shape.member!, opts);
      return (value, depth) => {
        checkDepth(depth);
        const w = writer();
        let out = '[';
        for (const v of value as unknown[]) out += (out.length > 1 ? ',' : '') + (v == null ? 'null' : w(v, depth + 1));
        return `${out}]`;
      };
    }
    case 'map': {
      const writer = memberWriter(shape.value!, opts);
      return (value, depth) => {
        checkDepth(depth);
        const w = writer();
        let out = '{';
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          if (v != null) out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${w(v, depth + 1)}`;
        }
        return `${out}}`;
      };
    }
    case 'timestamp': {
      const format = timestampFormat(traits, 'epoch-seconds');
      return (value) => JSON.stringify(formatTimestamp(value, format));
    }
    case 'blob': return (value) => JSON.stringify(toBytes(value).toString('base64'));
    // Most strings (ids, names, ARNs) need no escaping: quoting them is several times cheaper than JSON.stringify.
    case 'string': return (value) => (typeof value === 'string' && !NEEDS_ESCAPE.test(value) ? `"${value}"` : JSON.stringify(value));
    case 'float': case 'double': case 'bigDecimal':
      // A finite number's JSON text is its String() form; the others are written as strings ("NaN", "Infinity").
      return (value) => (Number.isFinite(value) ? String(value) : JSON.stringify(String(value)));
    default: return (value) => JSON.stringify(value);
  }
}
