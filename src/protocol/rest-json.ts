import { AwsError } from '../shared/aws-error.js';
import { errorText, jsonOptions, parseJsonBody, serializationError } from './aws-json.js';
import { bodyShape, readBindings, writeBindings, type InvalidBinding } from './http-bindings.js';
import { cachedRoute, matchRoute, type RouteMatch } from './http-routes.js';
import { jsonText, readJson } from './json-shapes.js';
import type { ServiceModel } from './model.js';
import { ioShape, type CMember } from './shapes.js';
import type { Codec, HttpRequest } from './types.js';

const JSON_OPTS = jsonOptions(true);

const invalidBinding: InvalidBinding = (where, name, text) => {
  throw serializationError(`Invalid value '${text}' for ${where} parameter ${name}`);
};

// resolveOperation and parse both need the route; match once per request.
function route(req: HttpRequest, model: ServiceModel): RouteMatch | undefined {
  return cachedRoute(req, model, () => matchRoute(req, model));
}

/** Reads a JSON-protocol payload member from the raw body. */
function readPayload(body: Buffer, m: CMember): unknown {
  switch (m.shape.kind) {
    case 'blob': return body;
    case 'string': return body.toString('utf8');
    case 'structure': case 'union': return body.length ? parseJsonBody(body, m.shape, JSON_OPTS) : undefined;
    default: {
      if (!body.length) return undefined;
      let data: unknown;
      try { data = JSON.parse(body.toString('utf8')); } catch { throw serializationError(); }
      return readJson(data, m.shape, m.traits, JSON_OPTS, m.name);
    }
  }
}

/** The restJson1 protocol (Personalize Runtime and Events): HTTP bindings plus a JSON document body. */
export const restJson1Codec: Codec = {
  protocol: 'restJson1',

  resolveOperation(req, model) {
    return route(req, model)?.op;
  },

  unknownOperation() {
    return new AwsError('UnknownOperationException', '', 404);
  },

  parse(req, op, model) {
    const shape = ioShape(model, op.input);
    const match = route(req, model);
    const bound = readBindings(req, shape, match?.op === op ? match.labels : {}, invalidBinding);
    if (bound.payload) {
      const v = readPayload(req.body, bound.payload);
      if (v !== undefined) bound.input[bound.payload.name] = v;
    } else if (bound.body.length) {
      Object.assign(bound.input, parseJsonBody(req.body, bodyShape(shape, bound.body), JSON_OPTS));
    }
    return bound.input;
  },

  serialize(output, op, model, requestId) {
    const shape = ioShape(model, op.output);
    const b = writeBindings(output, shape);
    const headers: Record<string, string> = { ...b.headers, 'x-amzn-requestid': requestId };
    let body: Buffer | string = '';
    const p = b.payload;
    if (p && output[p.name] != null) {
      const v = output[p.name];
      if (p.shape.kind === 'blob') body = Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array | string);
      else if (p.shape.kind === 'string') body = String(v);
      else body = jsonText(v, p.shape, p.traits, JSON_OPTS, p);
      headers['content-type'] ??= p.shape.kind === 'blob' ? 'application/octet-stream' : p.shape.kind === 'string' ? 'text/plain' : 'application/json';
    } else if (op.output && b.body.length) {
      const s = bodyShape(shape, b.body);
      body = jsonText(output, s, s.traits, JSON_OPTS);
      headers['content-type'] = 'application/json';
    }
    return { status: b.status ?? op.http?.code ?? 200, headers, body };
  },

  serializeError(err, model, requestId) {
    return {
      status: err.status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code, 'x-amzn-requestid': requestId },
      body: errorText(err, model, JSON_OPTS, false),
    };
  },
};
