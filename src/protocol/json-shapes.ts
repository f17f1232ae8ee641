import { isIntegral, MAX_DEPTH, setOwn, type CShape } from './shapes.js';
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

/** Turns a handler's value of `shape` into plain JSON data. */
export function writeJson(value: unknown, shape: CShape, traits: Record<string, any>, opts: JsonOptions, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new Error(`output nested deeper than ${MAX_DEPTH} levels`);
  switch (shape.kind) {
    case 'structure': case 'union': {
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const m of shape.members) {
        const v = obj[m.name];
        if (v !== undefined && v !== null) out[keyOf(m, opts)] = writeJson(v, m.shape, m.traits, opts, depth + 1);
      }
      return out;
    }
    case 'list': {
      const m = shape.member!;
      return (value as unknown[]).map((v) => (v == null ? null : writeJson(v, m.shape, m.traits, opts, depth + 1)));
    }
    case 'map': {
      const v = shape.value!;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(value as Record<string, unknown>)) {
        if (x != null) setOwn(out, k, writeJson(x, v.shape, v.traits, opts, depth + 1));
      }
      return out;
    }
    case 'timestamp': return formatTimestamp(value, timestampFormat(traits, 'epoch-seconds'));
    case 'blob': return toBytes(value).toString('base64');
    case 'float': case 'double': case 'bigDecimal':
      return Number.isFinite(value) ? value : String(value);
    default: return value;
  }
}
