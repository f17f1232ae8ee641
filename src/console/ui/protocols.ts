import { shapeOf, type ModelView } from './model.js';
import { children, childText, fromXml, parseXml, toXml } from './xml.js';
import { uriEncode } from './sigv4.js';

/** An HTTP request ready to sign and send. */
export interface WireRequest {
  method: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  body?: string | Blob;
}

/** An answer as the transport received it. */
export interface WireResponse {
  status: number;
  headers: (name: string) => string | null;
  text: string;
}

/** What an error answer says, in the protocol's own terms. */
export interface WireError {
  code: string;
  message: string;
}

/** awsQuery form parameters: lists as `X.member.N`, structures as `X.Field`. */
function flatten(prefix: string, value: unknown, out: [string, string][]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    if (value.length === 0) out.push([prefix, '']);
    value.forEach((v, i) => flatten(`${prefix}.member.${i + 1}`, v, out));
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
  } else out.push([prefix, String(value)]);
}

/** Fills `{Label}` and `{Label+}` in a REST URI (greedy labels keep their slashes). */
function expandUri(uri: string, input: Record<string, unknown>): { path: string; query: [string, string][] } {
  const [pathPart, queryPart] = uri.split('?');
  const path = pathPart.replace(/\{(\w+)(\+?)\}/g, (_, name: string, greedy: string) => {
    const v = String(input[name] ?? '');
    return greedy ? v.split('/').map(uriEncode).join('/') : uriEncode(v);
  });
  const query: [string, string][] = [];
  for (const pair of (queryPart ?? '').split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    query.push(eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)]);
  }
  return { path, query };
}

export function buildRequest(model: ModelView, operation: string, input: Record<string, unknown>): WireRequest {
  const op = model.operations[operation];
  if (!op) throw new Error(`unknown operation ${operation}`);
  switch (model.protocol) {
    case 'awsQuery': {
      const params: [string, string][] = [['Action', operation], ['Version', model.version]];
      flatten('', input, params);
      return {
        method: 'POST', path: '/', query: [],
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: params.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join('&'),
      };
    }
    case 'awsJson1_0': case 'awsJson1_1':
      return {
        method: 'POST', path: '/', query: [],
        headers: {
          'content-type': `application/x-amz-json-${model.protocol === 'awsJson1_0' ? '1.0' : '1.1'}`,
          'x-amz-target': `${model.targetPrefix}.${operation}`,
        },
        body: JSON.stringify(input),
      };
    default:
      return restRequest(model, op.http!, op.input, input);
  }
}

function restRequest(model: ModelView, http: { method: string; uri: string }, inputId: string | undefined, input: Record<string, unknown>): WireRequest {
  const { path, query } = expandUri(http.uri, input);
  const req: WireRequest = { method: http.method, path, query, headers: {} };
  const unbound: Record<string, unknown> = {};
  const members = inputId ? shapeOf(model, inputId).members ?? {} : {};
  for (const [name, m] of Object.entries(members)) {
    const v = input[name];
    if (v === undefined) continue;
    const t = m.traits ?? {};
    if (t.httpLabel !== undefined) continue;
    if (t.httpQuery !== undefined) query.push([t.httpQuery, String(v)]);
    else if (t.httpHeader !== undefined) req.headers[String(t.httpHeader).toLowerCase()] = String(v);
    else if (t.httpPayload !== undefined) {
      const target = shapeOf(model, m.target);
      if (v instanceof Blob || typeof v === 'string') req.body = v;
      else if (model.protocol === 'restXml') req.body = toXml(target.traits?.xmlName ?? name, v, m.target, model, model.xmlNamespace);
      else req.body = JSON.stringify(v);
    } else unbound[name] = v;
  }
  if (Object.keys(unbound).length && model.protocol === 'restJson1') {
    req.body = JSON.stringify(unbound);
    req.headers['content-type'] = 'application/json';
  }
  return req;
}

/** An error answer of any protocol: XML (awsQuery, restXml) or JSON (the JSON protocols). */
export function parseError(res: WireResponse): WireError {
  const xml = parseXml(res.text);
  if (xml) {
    // awsQuery wraps <Error> in <ErrorResponse>; restXml answers <Error> itself.
    const err = xml.localName === 'Error' ? xml : children(xml, 'Error')[0] ?? xml;
    return { code: childText(err, 'Code') ?? `HTTP ${res.status}`, message: childText(err, 'Message') ?? '' };
  }
  let body: Record<string, any> = {};
  try {
    body = res.text ? JSON.parse(res.text) : {};
  } catch { /* not JSON: the status line is all there is */ }
  const type = res.headers('x-amzn-errortype') ?? body.__type ?? body.code ?? `HTTP ${res.status}`;
  const code = String(type).split(':')[0].split('#').pop()!;
  return { code, message: body.message ?? body.Message ?? '' };
}

export function parseOutput(model: ModelView, operation: string, res: WireResponse): Record<string, unknown> {
  const outputId = model.operations[operation].output;
  if (!outputId) return {};
  switch (model.protocol) {
    case 'awsQuery': {
      const root = parseXml(res.text);
      const result = root && children(root, `${operation}Result`)[0];
      return result ? (fromXml(result, outputId, model) as Record<string, unknown>) : {};
    }
    case 'awsJson1_0': case 'awsJson1_1':
      return res.text ? JSON.parse(res.text) : {};
    default:
      return restOutput(model, outputId, res);
  }
}

function restOutput(model: ModelView, outputId: string, res: WireResponse): Record<string, unknown> {
  const shape = shapeOf(model, outputId);
  const out: Record<string, unknown> = {};
  let bodyMembers = false;
  for (const [name, m] of Object.entries(shape.members ?? {})) {
    const t = m.traits ?? {};
    if (t.httpHeader !== undefined) {
      const v = res.headers(String(t.httpHeader));
      if (v !== null) out[name] = v;
    } else if (t.httpResponseCode !== undefined) out[name] = res.status;
    else if (t.httpPayload !== undefined) {
      const target = shapeOf(model, m.target);
      if (target.type === 'structure' && model.protocol === 'restXml') {
        const root = parseXml(res.text);
        if (root) out[name] = fromXml(root, m.target, model);
      } else if (target.type === 'structure') out[name] = res.text ? JSON.parse(res.text) : undefined;
      else out[name] = res.text;
    } else bodyMembers = true;
  }
  if (bodyMembers && res.text) {
    if (model.protocol === 'restXml') {
      const root = parseXml(res.text);
      if (root) Object.assign(out, fromXml(root, outputId, model));
    } else Object.assign(out, JSON.parse(res.text));
  }
  return out;
}
