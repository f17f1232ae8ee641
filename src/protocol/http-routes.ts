import type { OperationModel, ServiceModel } from './model.js';
import { percentDecode } from './query-params.js';
import { ioShape } from './shapes.js';
import type { HttpRequest } from './types.js';

type Segment = { literal: string } | { label: string; greedy: boolean };

/** One operation's `smithy.api#http` binding, compiled for matching. */
interface Route {
  op: OperationModel;
  method: string;
  segments: Segment[];
  literalSegments: number;
  /** Literal query keys of the uri (`?uploads`, `?list-type=2`), with the value when one is fixed. */
  literalQuery: [string, string | undefined][];
  /** S3's `x-id=Op` literal: a hint some SDKs send, so it may only disambiguate, never be required. */
  xId?: string;
  /** Query names and header names of required members: what tells apart routes of equal shape. */
  requiredQuery: string[];
  requiredHeaders: string[];
}

export interface RouteMatch {
  op: OperationModel;
  /** Decoded label values by member name. */
  labels: Record<string, string>;
}

function compile(op: OperationModel, model: ServiceModel): Route {
  const [path, query = ''] = op.http!.uri.split('?');
  const segments: Segment[] = path.split('/').slice(1).filter((s, i, all) => s !== '' || i < all.length - 1).map((s) => {
    const m = /^\{(\w+)(\+)?\}$/.exec(s);
    return m ? { label: m[1], greedy: !!m[2] } : { literal: s };
  });
  const literalQuery: [string, string | undefined][] = [];
  let xId: string | undefined;
  for (const part of query.split('&').filter(Boolean)) {
    const [k, v] = part.split('=');
    if (k === 'x-id') xId = v;
    else literalQuery.push([k, v]);
  }
  const requiredQuery: string[] = [];
  const requiredHeaders: string[] = [];
  for (const m of ioShape(model, op.input).members) {
    if (m.own['smithy.api#required'] === undefined) continue;
    if (m.own['smithy.api#httpQuery']) requiredQuery.push(m.own['smithy.api#httpQuery']);
    if (m.own['smithy.api#httpHeader']) requiredHeaders.push(String(m.own['smithy.api#httpHeader']).toLowerCase());
  }
  return {
    op, method: op.http!.method, segments, literalSegments: segments.filter((s) => 'literal' in s).length,
    literalQuery, xId, requiredQuery, requiredHeaders,
  };
}

const routeCache = new WeakMap<ServiceModel, Route[]>();

function routesOf(model: ServiceModel): Route[] {
  let routes = routeCache.get(model);
  if (!routes) {
    routes = [...model.operations.values()].filter((op) => op.http).map((op) => compile(op, model));
    routeCache.set(model, routes);
  }
  return routes;
}

/** Label values when `raw` (split on '/') fits the segments; a single trailing slash is tolerated. */
function matchPath(segments: Segment[], raw: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  let i = 0;
  for (const seg of segments) {
    if ('literal' in seg) {
      if (raw[i] === undefined || percentDecode(raw[i]) !== seg.literal) return undefined;
      i++;
    } else if (seg.greedy) {
      const rest = raw.slice(i).join('/');
      if (!rest) return undefined;
      labels[seg.label] = percentDecode(rest);
      i = raw.length;
    } else {
      if (!raw[i]) return undefined;
      labels[seg.label] = percentDecode(raw[i]);
      i++;
    }
  }
  return i === raw.length || (i === raw.length - 1 && raw[i] === '') ? labels : undefined;
}

/**
 * Picks the operation whose http binding fits the request best: more literal path segments first, then
 * more literal query keys, then the `x-id` hint, then the most required query/header members present
 * and the fewest missing (so `?uploadId` picks ListParts over GetObject, `x-amz-copy-source` CopyObject
 * over PutObject); remaining ties go to the first in model order.
 */
export function matchRoute(req: HttpRequest, model: ServiceModel, rawPath = req.path): RouteMatch | undefined {
  const raw = rawPath === '/' || rawPath === '' ? [] : rawPath.split('/').slice(1);
  const query = new Map<string, string>();
  for (const [k, v] of req.query) if (!query.has(k)) query.set(k, v);
  let best: RouteMatch | undefined;
  let bestScore: number[] = [];
  for (const r of routesOf(model)) {
    if (r.method !== req.method) continue;
    if (!r.literalQuery.every(([k, v]) => query.has(k) && (v === undefined || query.get(k) === v))) continue;
    const xId = query.get('x-id');
    if (xId !== undefined && r.xId !== undefined && xId !== r.xId) continue;
    const labels = matchPath(r.segments, raw);
    if (!labels) continue;
    const present = r.requiredQuery.filter((q) => query.has(q)).length + r.requiredHeaders.filter((h) => req.headers[h] !== undefined).length;
    const missing = r.requiredQuery.length + r.requiredHeaders.length - present;
    const score = [r.literalSegments, r.literalQuery.length, xId !== undefined && xId === r.xId ? 1 : 0, present, -missing];
    if (!best || greater(score, bestScore)) {
      best = { op: r.op, labels };
      bestScore = score;
    }
  }
  return best;
}

function greater(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

const matchCache = new WeakMap<HttpRequest, { model: ServiceModel; match: RouteMatch | undefined }>();

/** The route a request matches in a model, computed once per (request, model): the router may ask
 *  several models sharing a signing name about the same request. */
export function cachedRoute(req: HttpRequest, model: ServiceModel, compute: () => RouteMatch | undefined): RouteMatch | undefined {
  const hit = matchCache.get(req);
  if (hit && hit.model === model) return hit.match;
  const match = compute();
  matchCache.set(req, { model, match });
  return match;
}
