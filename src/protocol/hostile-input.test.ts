/**
 * Property tests: whatever bytes, forms, JSON, XML, paths and headers arrive, every codec answers with an
 * AwsError of status 4xx or a parsed input that validation can walk; never a TypeError or a 500.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AwsError } from '../shared/aws-error.js';
import { codecFor } from './codecs.js';
import { loadModel, type ServiceModel } from './model.js';
import { ioShape, type CShape } from './shapes.js';
import type { HttpRequest } from './types.js';
import { validateInput } from './validate.js';

const MODELS = ['iam', 'sts', 'kms', 'personalize', 'personalize-runtime', 'personalize-events', 's3'].map(loadModel);

/** Wire-level key paths of a shape as the query protocol writes them (`Tags.member.N.Key`), to aim the fuzzer. */
function queryKeys(shape: CShape, prefix: string, depth: number, out: string[]): string[] {
  if (depth > 4 || out.length > 300) return out;
  for (const m of shape.members) {
    const key = prefix ? `${prefix}.${m.name}` : m.name;
    out.push(key);
    const s = m.shape;
    if (s.kind === 'structure') queryKeys(s, key, depth + 1, out);
    else if (s.kind === 'list') {
      out.push(`${key}.member.1`, `${key}.member.2`, `${key}.1`);
      if (s.member!.shape.kind === 'structure') queryKeys(s.member!.shape, `${key}.member.1`, depth + 1, out);
    } else if (s.kind === 'map') out.push(`${key}.entry.1.key`, `${key}.entry.1.value`, `${key}.entry.2.key`);
  }
  return out;
}

/** Member names of a shape tree, to aim JSON and XML documents at real fields. */
function memberNames(shape: CShape, depth: number, out: Set<string>): Set<string> {
  if (depth > 4 || out.size > 200) return out;
  for (const m of shape.members) {
    out.add(m.name);
    const s = m.shape.kind === 'list' ? m.shape.member!.shape : m.shape.kind === 'map' ? m.shape.value!.shape : m.shape;
    if (s.kind === 'structure') memberNames(s, depth + 1, out);
  }
  return out;
}

function expectClientError(e: unknown) {
  assert.ok(e instanceof AwsError, `not an AwsError: ${e instanceof Error ? e.stack : String(e)}`);
  assert.ok(e.status >= 400 && e.status < 500, `status ${e.status} for ${e.code}`);
}

/** Runs a request through routing, parsing and validation, as the gateway will. */
function exercise(model: ServiceModel, req: HttpRequest, forcedOp?: string) {
  const codec = codecFor(model.protocol);
  try {
    const op = forcedOp ? model.operations.get(forcedOp) : codec.resolveOperation(req, model);
    if (!op) {
      const err = codec.unknownOperation(req, model);
      expectClientError(err);
      codec.serializeError(err, model, 'rid');
      return;
    }
    const input = codec.parse(req, op, model);
    validateInput(model, op, input);
  } catch (e) {
    expectClientError(e);
    codec.serializeError(e as AwsError, model, 'rid');
  }
}

const scalarText = fc.oneof(fc.string(), fc.constantFrom('', 'true', '1', '-1', '1.5', '1e400', 'NaN', '2024-01-01T00:00:00Z', 'AAAA', '%zz', '99999999999999999999'));
const anyModel = fc.constantFrom(...MODELS);

const requestFor = (model: ServiceModel) => {
  const ops = [...model.operations.values()];
  const names = ops.map((o) => o.name);
  const keys = [...new Set(ops.flatMap((o) => queryKeys(ioShape(model, o.input), '', 0, [])))];
  const members = [...new Set(ops.flatMap((o) => [...memberNames(ioShape(model, o.input), 0, new Set())]))];
  const jsonDoc = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), tie('object'), fc.array(tie('value'), { maxLength: 3 })),
    object: fc.dictionary(fc.oneof(fc.constantFrom(...members), fc.string()), tie('value'), { maxKeys: 5 }),
  })).object;
  const xmlDoc: fc.Arbitrary<string> = fc.letrec((tie) => ({
    node: fc.tuple(fc.constantFrom(...members, 'member', 'entry', 'key', 'value'), fc.oneof(scalarText.map((t) => t.replace(/[<&]/g, '')), fc.array(tie('node') as fc.Arbitrary<string>, { maxLength: 3 }).map((a) => a.join(''))))
      .map(([n, inner]) => `<${n}>${inner}</${n}>`),
  })).node as fc.Arbitrary<string>;
  const form = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...keys, 'Action', 'Version'), fc.string()), fc.oneof(scalarText, fc.constantFrom(...names))), { maxLength: 12 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
  const body = fc.oneof(form, jsonDoc.map((d) => JSON.stringify(d)), xmlDoc, fc.string(), fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')));
  const segment = fc.oneof(fc.constantFrom('b', 'k', 'events', 'recommendations', '%2F', '%', '..', ''), fc.string({ maxLength: 5 }).map(encodeURIComponent));
  return fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH'),
    path: fc.array(segment, { maxLength: 4 }).map((s) => `/${s.join('/')}`),
    query: fc.array(fc.tuple(fc.oneof(fc.constantFrom('Action', 'Version', 'uploads', 'uploadId', 'partNumber', 'list-type', 'max-keys', 'x-id', 'tagging', ...keys), fc.string()), fc.oneof(scalarText, fc.constantFrom(...names))), { maxLength: 5 }),
    headers: fc.dictionary(fc.constantFrom('x-amz-target', 'content-type', 'x-amz-copy-source', 'range', 'if-modified-since', 'x-amz-meta-a', 'content-length', 'expires', 'x-amz-object-lock-retain-until-date'),
      fc.oneof(scalarText, fc.constantFrom(...names.map((n) => `${model.targetPrefix}.${n}`), 'application/x-www-form-urlencoded'))),
    body,
    forced: fc.option(fc.constantFrom(...names), { nil: undefined }),
  }).map(({ method, path, query, headers, body, forced }) => ({
    req: { method, path, rawQuery: '', query, headers, body: Buffer.from(body), sourceIp: '', secure: false } as HttpRequest,
    forced,
  }));
};

for (const model of MODELS) {
  test(`${model.name} (${model.protocol}): hostile requests only ever produce 4xx AwsErrors`, () => {
    fc.assert(fc.property(requestFor(model), ({ req, forced }) => exercise(model, req, forced)), { numRuns: 1500 });
  });
}

test('every operation of every model parses an empty request and serialises an empty output', () => {
  fc.assert(fc.property(anyModel, (model) => {
    const codec = codecFor(model.protocol);
    for (const op of model.operations.values()) {
      const req: HttpRequest = { method: op.http?.method ?? 'POST', path: '/', rawQuery: '', query: [], headers: {}, body: Buffer.alloc(0), sourceIp: '', secure: false };
      exercise(model, req, op.name);
      const res = codec.serialize({}, op, model, 'rid');
      assert.ok(res.status >= 200 && res.status < 300);
    }
  }), { numRuns: 7 });
});
