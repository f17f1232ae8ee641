import { AwsError } from '../shared/aws-error.js';
import { MAX_DEPTH, setOwn, type CMember, type CShape } from './shapes.js';
import { INVALID, scalarFromText, timestampFormat } from './scalars.js';
import { xmlName } from './xml-shapes.js';

/** Percent-decodes; malformed escapes stay as text and invalid UTF-8 becomes U+FFFD, rather than failing. */
export function percentDecode(t: string): string {
  if (!t.includes('%')) return t;
  try {
    return decodeURIComponent(t);
  } catch {
    return t.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
  }
}

/** Decodes one form-urlencoded component (`+` is a space there, unlike in paths). */
const decodeFormComponent = (s: string): string => percentDecode(s.includes('+') ? s.replace(/\+/g, ' ') : s);

export function parseForm(text: string): [string, string][] {
  const out: [string, string][] = [];
  if (!text) return out;
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    out.push(eq < 0 ? [decodeFormComponent(part), ''] : [decodeFormComponent(part.slice(0, eq)), decodeFormComponent(part.slice(eq + 1))]);
  }
  return out;
}

/**
 * The flat `A.B.member.1.C=v` parameters of an awsQuery request, indexed by dotted prefix so that
 * lists and maps find their entries without scanning every key.
 */
export class QueryParams {
  readonly values = new Map<string, string>();
  private readonly children = new Map<string, Set<string>>();

  constructor(pairs: Iterable<[string, string]>) {
    for (const [k, v] of pairs) {
      if (this.values.has(k)) continue; // the first occurrence wins
      this.values.set(k, v);
      let start = 0;
      let prefix = '';
      for (;;) {
        const dot = k.indexOf('.', start);
        const seg = dot < 0 ? k.slice(start) : k.slice(start, dot);
        let set = this.children.get(prefix);
        if (!set) this.children.set(prefix, (set = new Set()));
        set.add(seg);
        if (dot < 0) break;
        prefix = k.slice(0, dot);
        start = dot + 1;
      }
    }
  }

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.values.has(key) || this.children.has(key);
  }

  /** The 1-based positions present under `prefix` (`prefix.1`, `prefix.2`, …), in numeric order. */
  indices(prefix: string): number[] {
    const set = this.children.get(prefix);
    if (!set) return [];
    const out: number[] = [];
    for (const s of set) if (/^[1-9]\d{0,8}$/.test(s)) out.push(Number(s));
    return out.sort((a, b) => a - b);
  }
}

/** The awsQuery deserialisation failure (Coral's code for query input it cannot read). */
function malformed(message: string): AwsError {
  return new AwsError('MalformedInput', message, 400);
}

function invalidScalar(key: string, text: string, shape: CShape): never {
  if (shape.kind === 'boolean') throw malformed('boolean must follow xsd1.1 definition');
  if (shape.kind === 'timestamp') throw malformed(`Unable to parse timestamp '${text}' for parameter ${key}`);
  if (shape.kind === 'blob') throw malformed(`Invalid base64 value for parameter ${key}`);
  throw malformed(`For input string: "${text}"`);
}

/** Reads the structure whose members sit under `prefix` ('' for the request itself). */
export function readQueryStructure(params: QueryParams, prefix: string, shape: CShape, depth = 0): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw malformed('Request nested too deeply');
  const out: Record<string, unknown> = {};
  for (const m of shape.members) {
    const key = prefix ? `${prefix}.${xmlName(m)}` : xmlName(m);
    if (!params.has(key)) continue;
    const v = readQueryValue(params, key, m, m.shape, depth + 1);
    if (v !== undefined) out[m.name] = v;
  }
  return out;
}

function readQueryValue(params: QueryParams, key: string, m: CMember, shape: CShape, depth: number): unknown {
  switch (shape.kind) {
    case 'structure': case 'union': return readQueryStructure(params, key, shape, depth);
    case 'list': {
      const item = shape.member!;
      const flat = m.own['smithy.api#xmlFlattened'] !== undefined;
      const base = flat ? key : `${key}.${xmlName(item)}`;
      // `Tags=` (an empty value) is how the SDKs send an empty list.
      return params.indices(base).map((i) => readQueryValue(params, `${base}.${i}`, item, item.shape, depth + 1));
    }
    case 'map': {
      const flat = m.own['smithy.api#xmlFlattened'] !== undefined;
      const base = flat ? key : `${key}.entry`;
      const out: Record<string, unknown> = {};
      const k = shape.key!;
      const v = shape.value!;
      for (const i of params.indices(base)) {
        const name = params.get(`${base}.${i}.${xmlName(k)}`);
        const valueKey = `${base}.${i}.${xmlName(v)}`;
        if (name === undefined || !params.has(valueKey)) continue;
        setOwn(out, name, readQueryValue(params, valueKey, v, v.shape, depth + 1));
      }
      return out;
    }
    default: {
      const text = params.get(key);
      // An empty value names no value for a non-string scalar (`MaxItems=`).
      if (text === undefined || (text === '' && shape.kind !== 'string')) return undefined;
      const value = scalarFromText(text, shape, timestampFormat(m.traits, 'date-time'));
      return value === INVALID ? invalidScalar(key, text, shape) : value;
    }
  }
}
