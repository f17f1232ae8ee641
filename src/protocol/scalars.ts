import { INT_BOUNDS, isIntegral, type CShape } from './shapes.js';
import { formatTimestamp, parseTimestamp, type TimestampFormat } from './timestamps.js';

/** Returned by the text readers when the text is not a value of the kind; each protocol words its own error. */
export const INVALID: unique symbol = Symbol('invalid');

const INTEGER_TEXT = /^[+-]?\d{1,20}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/** Reads a scalar written as text (query strings, headers, labels, XML). */
export function scalarFromText(text: string, shape: CShape, format: TimestampFormat): unknown {
  const kind = shape.kind;
  switch (kind) {
    case 'string': return text;
    case 'boolean': {
      // xsd:boolean, which the query and XML protocols follow.
      const t = text.trim();
      return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : INVALID;
    }
    case 'timestamp': return parseTimestamp(text.trim(), format) ?? INVALID;
    case 'blob': return blobFromBase64(text);
    case 'float': case 'double': case 'bigDecimal': return floatFromText(text.trim());
    default:
      if (isIntegral(kind)) return integerFromNumber(INTEGER_TEXT.test(text.trim()) ? Number(text.trim()) : NaN, shape);
      return INVALID;
  }
}

export function blobFromBase64(text: string): Buffer | typeof INVALID {
  const t = text.replace(/[\r\n\t ]/g, '');
  return BASE64.test(t) ? Buffer.from(t, 'base64') : INVALID;
}

function floatFromText(t: string): number | typeof INVALID {
  if (t === 'NaN') return NaN;
  if (t === 'Infinity') return Infinity;
  if (t === '-Infinity') return -Infinity;
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
  return Number.isFinite(n) ? n : INVALID;
}

/** An integral value within the bounds of the shape's kind. */
export function integerFromNumber(n: number, shape: CShape): number | typeof INVALID {
  const [lo, hi] = INT_BOUNDS[shape.kind]!;
  return Number.isInteger(n) && n >= lo && n <= hi ? n : INVALID;
}

/** A handler's blob value as bytes (strings are taken as UTF-8 text). */
export function toBytes(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new Error(`not a blob: ${typeof value}`);
}

/** Writes a scalar as text (XML, headers, query). */
export function scalarToText(value: unknown, shape: CShape, format: TimestampFormat, millis = false): string {
  switch (shape.kind) {
    case 'timestamp': return String(formatTimestamp(value, format, millis));
    case 'blob': return toBytes(value).toString('base64');
    case 'boolean': return value ? 'true' : 'false';
    default: return String(value);
  }
}

/** The timestamp format of a member, falling back to the binding's default. */
export const timestampFormat = (traits: Record<string, any>, fallback: TimestampFormat): TimestampFormat =>
  traits['smithy.api#timestampFormat'] ?? fallback;
