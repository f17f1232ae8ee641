import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { AwsError } from '../shared/aws-error.js';
import { bodyShape, readBindings, writeBindings, type InvalidBinding } from './http-bindings.js';
import { cachedRoute, matchRoute, type RouteMatch } from './http-routes.js';
import type { ServiceModel } from './model.js';
import { ioShape, isIntegral, type CMember, type CShape } from './shapes.js';
import { toBytes } from './scalars.js';
import type { Codec, HttpRequest, HttpResponse } from './types.js';
import { readXml, writeMember, writeXml, xmlName, type XmlOptions } from './xml-shapes.js';
import { parseXml, XmlError, XmlWriter } from './xml.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

const malformedXml = () =>
  new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

/** S3 prints every date-time with milliseconds; a body value of the wrong kind is malformed XML. */
const XML: XmlOptions = { millis: true, invalid: () => { throw malformedXml(); } };

const invalidBinding: InvalidBinding = (_where, name, text, shape) => {
  const message = isIntegral(shape.kind) ? `Provided ${name} not an integer or within integer range` : `Invalid argument: ${name}`;
  throw new AwsError('InvalidArgument', message, 400, 'client', { ArgumentName: name, ArgumentValue: text });
};

/**
 * The bucket a virtual-hosted-style Host header names (`bucket.localhost:4599` → `bucket`), given the
 * host names the server answers to; undefined for path-style requests.
 */
export function bucketFromHost(host: string | undefined, endpointHosts: readonly string[]): string | undefined {
  if (!host) return undefined;
  const h = host.toLowerCase();
  const bare = h.replace(/:\d+$/, '');
  for (const e of endpointHosts) {
    const endpoint = e.toLowerCase();
    const candidate = endpoint.includes(':') ? h : bare;
    if (candidate.length > endpoint.length + 1 && candidate.endsWith(`.${endpoint}`)) return candidate.slice(0, -endpoint.length - 1);
  }
  return undefined;
}

/** The request path as path-style addressing would have written it. */
function pathStyle(req: HttpRequest): string {
  const b = req.virtualHostBucket;
  return b === undefined ? req.path : `/${encodeURIComponent(b)}${req.path === '/' ? '' : req.path}`;
}

function route(req: HttpRequest, model: ServiceModel): RouteMatch | undefined {
  return cachedRoute(req, model, () => matchRoute(req, model, pathStyle(req)));
}

function readPayload(body: Buffer, m: CMember): unknown {
  if (m.shape.kind === 'blob') return body;
  if (m.shape.kind === 'string') return body.toString('utf8');
  if (!body.length) return undefined;
  return readXml(parseBody(body), m.shape, XML);
}

function parseBody(body: Buffer) {
  try {
    return parseXml(body);
  } catch (e) {
    if (e instanceof XmlError) throw malformedXml();
    throw e;
  }
}

/** The document element's name for a structure written as a whole body. */
const rootName = (shape: CShape, member?: CMember): string =>
  member?.own['smithy.api#xmlName'] ?? shape.traits['smithy.api#xmlName'] ?? shape.id.split('#')[1];

function xmlDocument(write: (w: XmlWriter) => void): string {
  const w = new XmlWriter();
  write(w);
  return DECLARATION + w.toString();
}

/** S3's extended request id (`x-amz-id-2`), derived from the request id so it is stable per request. */
const hostId = (requestId: string) => createHash('sha256').update(requestId).digest('base64');

function s3Headers(requestId: string, extra: Record<string, string>): Record<string, string> {
  return { ...extra, 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId) };
}

/** The restXml protocol (S3): HTTP bindings plus XML or raw payloads. */
export const restXmlCodec: Codec = {
  protocol: 'restXml',

  resolveOperation(req, model) {
    return route(req, model)?.op;
  },

  unknownOperation(req) {
    const segments = pathStyle(req).split('/').filter(Boolean).length;
    return new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, 'client', {
      Method: req.method, ResourceType: segments === 0 ? 'SERVICE' : segments === 1 ? 'BUCKET' : 'OBJECT',
    });
  },

  parse(req, op, model) {
    const shape = ioShape(model, op.input);
    const match = route(req, model);
    const bound = readBindings(req, shape, match?.op === op ? match.labels : {}, invalidBinding);
    if (bound.payload) {
      // A streamed PUT reaches only operations whose payload is a streaming blob (see the gateway).
      const v = req.stream && bound.payload.shape.kind === 'blob' ? req.stream : readPayload(req.body, bound.payload);
      if (v !== undefined) bound.input[bound.payload.name] = v;
    } else if (bound.body.length && req.body.length) {
      Object.assign(bound.input, readXml(parseBody(req.body), bodyShape(shape, bound.body), XML));
    }
    return bound.input;
  },

  serialize(output, op, model, requestId) {
    const shape = ioShape(model, op.output);
    const b = writeBindings(output, shape);
    const headers = s3Headers(requestId, b.headers);
    const ns = model.xmlNamespace ? { xmlns: model.xmlNamespace } : undefined;
    let body: HttpResponse['body'] = '';
    const p = b.payload;
    if (p && output[p.name] != null) {
      const v = output[p.name];
      if (v instanceof Readable) body = v;
      else if (p.shape.kind === 'blob') body = toBytes(v);
      else if (p.shape.kind === 'string') body = String(v);
      else body = xmlDocument((w) => writeXml(w, rootName(p.shape, p), v, p.shape, undefined, XML, ns));
      headers['content-type'] ??= p.shape.kind === 'blob' ? 'application/octet-stream' : p.shape.kind === 'string' ? 'text/plain' : 'application/xml';
    } else if (!p && b.body.length) {
      if (op.traits['aws.customizations#s3UnwrappedXmlOutput'] !== undefined && b.body.length === 1) {
        // GetBucketLocation: the lone member is the document element itself.
        const m = b.body[0];
        body = xmlDocument((w) => {
          if (output[m.name] == null) w.open(xmlName(m), ns).close(xmlName(m));
          else writeXml(w, xmlName(m), output[m.name], m.shape, m, XML, ns);
        });
      } else {
        body = xmlDocument((w) => {
          const name = rootName(shape);
          w.open(name, ns);
          for (const m of b.body) writeMember(w, m, output[m.name], XML, 1);
          w.close(name);
        });
      }
      headers['content-type'] = 'application/xml';
    }
    // S3 answers a satisfied Range request with 206; GetObject's model has no member for the status.
    const partial = op.name === 'GetObject' && output.ContentRange !== undefined;
    return { status: b.status ?? (partial ? 206 : op.http?.code ?? 200), headers, body };
  },

  serializeError(err, _model, requestId): HttpResponse {
    const w = new XmlWriter();
    w.open('Error').leaf('Code', err.code).leaf('Message', err.message);
    for (const [k, v] of Object.entries(err.fields)) {
      if (v === undefined || v === null) continue;
      w.leaf(k, v instanceof Date ? v.toISOString() : String(v));
    }
    w.leaf('RequestId', requestId).leaf('HostId', hostId(requestId)).close('Error');
    return { status: err.status, headers: s3Headers(requestId, { 'content-type': 'application/xml' }), body: DECLARATION + w.toString() };
  },
};
