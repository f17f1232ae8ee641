import { setOwn, type CMember, type CShape } from './shapes.js';
import { INVALID, scalarFromText, scalarToText, timestampFormat } from './scalars.js';
import type { TimestampFormat } from './timestamps.js';
import type { HttpRequest } from './types.js';

/** Where a bound value came from, for the protocol's error wording. */
export type Location = 'label' | 'query' | 'header';

/** Called with a bound value that is not of its member's kind; must throw the protocol's error. */
export type InvalidBinding = (where: Location, wireName: string, text: string, shape: CShape) => never;

/** Input members split by where the HTTP binding traits put them. */
export interface BoundInput {
  input: Record<string, unknown>;
  /** The `httpPayload` member, if any: the whole body is its value. */
  payload?: CMember;
  /** Members carried in the body document (when there is no payload member). */
  body: CMember[];
}

const DEFAULT_FORMAT: Record<Location, TimestampFormat> = { label: 'date-time', query: 'date-time', header: 'http-date' };

function readText(text: string, m: CMember, shape: CShape, where: Location, wire: string, invalid: InvalidBinding): unknown {
  if (shape.kind === 'string') {
    // Headers with a media type carry base64 (Smithy: mediaType strings in headers).
    if (where === 'header' && m.traits['smithy.api#mediaType']) return Buffer.from(text, 'base64').toString('utf8');
    return text;
  }
  const v = scalarFromText(text, shape, timestampFormat(m.traits, DEFAULT_FORMAT[where]));
  return v === INVALID ? invalid(where, wire, text, shape) : v;
}

/** Splits a list-valued header; http-dates contain a comma of their own, so they split after "GMT". */
function splitHeader(value: string, item: CShape): string[] {
  if (item.kind === 'timestamp') return value.split(/(?<=GMT)\s*,\s*/);
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => (/^".*"$/.test(s) ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s));
}

/** Reads labels, query parameters and headers into the input; the protocol reads the body. */
export function readBindings(req: HttpRequest, shape: CShape, labels: Record<string, string>, invalid: InvalidBinding): BoundInput {
  const input: Record<string, unknown> = {};
  const body: CMember[] = [];
  let payload: CMember | undefined;
  let queryParams: CMember | undefined;
  const claimed = new Set<string>();
  for (const m of shape.members) {
    const own = m.own;
    if (own['smithy.api#httpLabel'] !== undefined) {
      if (labels[m.name] !== undefined) input[m.name] = readText(labels[m.name], m, m.shape, 'label', m.name, invalid);
    } else if (own['smithy.api#httpQuery'] !== undefined) {
      const name: string = own['smithy.api#httpQuery'];
      claimed.add(name);
      const values = req.query.filter(([k]) => k === name).map(([, v]) => v);
      if (!values.length) continue;
      input[m.name] = m.shape.kind === 'list'
        ? values.map((v) => readText(v, m.shape.member!, m.shape.member!.shape, 'query', name, invalid))
        : readText(values[0], m, m.shape, 'query', name, invalid);
    } else if (own['smithy.api#httpQueryParams'] !== undefined) {
      queryParams = m;
    } else if (own['smithy.api#httpHeader'] !== undefined) {
      const name = String(own['smithy.api#httpHeader']).toLowerCase();
      const value = req.headers[name];
      if (value === undefined) continue;
      input[m.name] = m.shape.kind === 'list'
        ? splitHeader(value, m.shape.member!.shape).map((v) => readText(v, m.shape.member!, m.shape.member!.shape, 'header', name, invalid))
        : readText(value, m, m.shape, 'header', name, invalid);
    } else if (own['smithy.api#httpPrefixHeaders'] !== undefined) {
      const prefix = String(own['smithy.api#httpPrefixHeaders']).toLowerCase();
      const map: Record<string, unknown> = {};
      let any = false;
      for (const [k, v] of Object.entries(req.headers)) {
        if (!k.startsWith(prefix) || k.length === prefix.length) continue;
        setOwn(map, k.slice(prefix.length), v);
        any = true;
      }
      if (any) input[m.name] = map;
    } else if (own['smithy.api#httpPayload'] !== undefined) {
      payload = m;
    } else if (own['smithy.api#httpResponseCode'] === undefined) {
      body.push(m);
    }
  }
  if (queryParams) {
    const map: Record<string, unknown> = {};
    const listValued = queryParams.shape.value!.shape.kind === 'list';
    for (const [k, v] of req.query) {
      if (claimed.has(k)) continue;
      if (!Object.hasOwn(map, k)) setOwn(map, k, listValued ? [v] : v);
      else if (listValued) (map[k] as string[]).push(v);
    }
    if (Object.keys(map).length) input[queryParams.name] = map;
  }
  return { input, payload, body };
}

/** The body members of a structure as a structure of their own, so one document walk reads or writes them. */
export function bodyShape(shape: CShape, members: CMember[]): CShape {
  if (members.length === shape.members.length) return shape;
  // The body members follow from the shape's bindings alone: one body shape per shape (compiled writers key on it).
  const hit = bodies.get(shape);
  if (hit && hit.members.length === members.length && hit.members.every((m, i) => m === members[i])) return hit;
  const body = { ...shape, members, memberByName: new Map(members.map((m) => [m.name, m])) };
  bodies.set(shape, body);
  return body;
}

const bodies = new WeakMap<CShape, CShape>();

/** Output members split by binding: status and headers are written here, the body by the protocol. */
export interface BoundOutput {
  status?: number;
  headers: Record<string, string>;
  payload?: CMember;
  body: CMember[];
}

function headerText(value: unknown, m: CMember, shape: CShape): string {
  if (shape.kind === 'string' && m.traits['smithy.api#mediaType']) return Buffer.from(String(value)).toString('base64');
  return scalarToText(value, shape, timestampFormat(m.traits, 'http-date'));
}

export function writeBindings(output: Record<string, unknown>, shape: CShape): BoundOutput {
  const out: BoundOutput = { headers: {}, body: [] };
  for (const m of shape.members) {
    const own = m.own;
    const value = output[m.name];
    if (own['smithy.api#httpHeader'] !== undefined) {
      if (value === undefined || value === null) continue;
      const name = String(own['smithy.api#httpHeader']).toLowerCase();
      out.headers[name] = m.shape.kind === 'list'
        ? (value as unknown[]).map((v) => headerText(v, m.shape.member!, m.shape.member!.shape)).join(', ')
        : headerText(value, m, m.shape);
    } else if (own['smithy.api#httpPrefixHeaders'] !== undefined) {
      const prefix = String(own['smithy.api#httpPrefixHeaders']).toLowerCase();
      for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
        if (v !== undefined && v !== null) out.headers[prefix + k.toLowerCase()] = String(v);
      }
    } else if (own['smithy.api#httpResponseCode'] !== undefined) {
      if (typeof value === 'number') out.status = value;
    } else if (own['smithy.api#httpPayload'] !== undefined) {
      out.payload = m;
    } else if (own['smithy.api#httpLabel'] === undefined && own['smithy.api#httpQuery'] === undefined) {
      out.body.push(m);
    }
  }
  return out;
}
