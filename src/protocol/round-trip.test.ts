/**
 * Property tests over every input shape of every model: a value generated from the shape, written in a
 * protocol's wire form, reads back equal (JSON bodies, query forms, XML documents), and validation walks it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AwsError } from '../shared/aws-error.js';
import { awsJson11Codec } from './aws-json.js';
import { awsQueryCodec } from './aws-query.js';
import { jsonText } from './json-shapes.js';
import { loadModel, type ServiceModel } from './model.js';
import { restJson1Codec } from './rest-json.js';
import { INT_BOUNDS, ioShape, isIntegral, shapesOf, type CMember, type CShape } from './shapes.js';
import type { HttpRequest } from './types.js';
import { validateInput } from './validate.js';
import { readXml, writeXml, xmlName, type XmlOptions } from './xml-shapes.js';
import { parseXml, XmlWriter } from './xml.js';

// Text XML 1.0 can carry (and that survives XML whitespace handling unchanged).
const text = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));

/**
 * Values of a shape, within the kinds' natural bounds but ignoring model constraints. `flatMin` is the
 * least length of flattened lists and maps, `structMin` the least member count of nested structures
 * (an empty one has no wire form in XML or query respectively).
 */
function valueOf(shape: CShape, member: CMember | undefined, depth: number, flatMin: number, structMin = 0): fc.Arbitrary<unknown> {
  const flattened = member?.own['smithy.api#xmlFlattened'] !== undefined;
  switch (shape.kind) {
    case 'structure': {
      if (depth > 3) return fc.constant({});
      const fields: Record<string, fc.Arbitrary<unknown>> = {};
      for (const m of shape.members) fields[m.name] = valueOf(m.shape, m, depth + 1, flatMin, structMin);
      const record = fc.record(fields, { requiredKeys: [], noNullPrototype: true });
      return depth > 0 && structMin ? record.filter((r) => Object.keys(r).length >= structMin) : record;
    }
    case 'union': {
      if (depth > 3 || !shape.members.length) return fc.constant({});
      return fc.oneof(...shape.members.map((m) => valueOf(m.shape, m, depth + 1, flatMin, structMin).map((v) => ({ [m.name]: v }))));
    }
    case 'list':
      return depth > 3 ? fc.constant([]) : fc.array(valueOf(shape.member!.shape, shape.member, depth + 1, flatMin, structMin), { minLength: flattened ? flatMin : 0, maxLength: 3 });
    case 'map':
      return depth > 3 ? fc.constant({}) : fc.dictionary(text, valueOf(shape.value!.shape, shape.value, depth + 1, flatMin, structMin), { minKeys: flattened ? flatMin : 0, maxKeys: 3, noNullPrototype: true });
    case 'string': return shape.enumValues?.length ? fc.constantFrom(...shape.enumValues) : text;
    case 'boolean': return fc.boolean();
    case 'blob': return fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b));
    case 'timestamp': {
      // http-date carries whole seconds only.
      const unit = (member?.traits ?? shape.traits)['smithy.api#timestampFormat'] === 'http-date' ? 1000 : 1;
      return fc.integer({ min: -2e12, max: 4e12 }).map((ms) => new Date(Math.floor(ms / unit) * unit));
    }
    case 'float': case 'double': case 'bigDecimal': return fc.double().map((d) => (Object.is(d, -0) ? 0 : d));
    case 'document': return fc.jsonValue({ maxDepth: 2 });
    default: {
      const [min, max] = INT_BOUNDS[shape.kind]!;
      return isIntegral(shape.kind) ? fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }) : fc.constant(0);
    }
  }
}

/** Writes a value the way the SDKs' query serialiser does. */
function queryPairs(value: unknown, shape: CShape, member: CMember | undefined, key: string, out: [string, string][]): void {
  const flattened = member?.own['smithy.api#xmlFlattened'] !== undefined;
  switch (shape.kind) {
    case 'structure': case 'union':
      for (const m of shape.members) {
        const v = (value as Record<string, unknown>)[m.name];
        if (v !== undefined) queryPairs(v, m.shape, m, key ? `${key}.${xmlName(m)}` : xmlName(m), out);
      }
      return;
    case 'list': {
      const items = value as unknown[];
      if (!items.length) out.push([key, '']);
      items.forEach((v, i) => queryPairs(v, shape.member!.shape, shape.member, flattened ? `${key}.${i + 1}` : `${key}.${xmlName(shape.member!)}.${i + 1}`, out));
      return;
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>);
      if (!entries.length) out.push([key, '']);
      entries.forEach(([k, v], i) => {
        const base = flattened ? `${key}.${i + 1}` : `${key}.entry.${i + 1}`;
        out.push([`${base}.${xmlName(shape.key!)}`, k]);
        queryPairs(v, shape.value!.shape, shape.value, `${base}.${xmlName(shape.value!)}`, out);
      });
      return;
    }
    case 'timestamp': out.push([key, (value as Date).toISOString()]); return;
    case 'blob': out.push([key, (value as Buffer).toString('base64')]); return;
    default: out.push([key, String(value)]);
  }
}

const request = (body: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'POST', path: '/', rawQuery: '', query: [], headers: {}, body: Buffer.from(body), sourceIp: '', secure: false, ...extra,
});

const inputOps = (model: ServiceModel) => [...model.operations.values()].filter((op) => op.input);

test('awsQuery: every IAM and STS input survives the SDK form encoding', () => {
  for (const model of [loadModel('iam'), loadModel('sts')]) {
    const ops = inputOps(model);
    fc.assert(fc.property(fc.constantFrom(...ops.map((o) => o.name)).chain((n) => valueOf(ioShape(model, model.operations.get(n)!.input), undefined, 0, 0, 1).map((v) => [n, v] as const)), ([name, value]) => {
      const op = model.operations.get(name)!;
      const pairs: [string, string][] = [['Action', op.name], ['Version', model.version]];
      queryPairs(value, ioShape(model, op.input), undefined, '', pairs);
      const req = request(pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
      assert.equal(awsQueryCodec.resolveOperation(req, model), op);
      const parsed = awsQueryCodec.parse(req, op, model);
      assert.deepEqual(parsed, value);
      validateInput(model, op, parsed);
    }), { numRuns: 400 });
  }
});

test('JSON protocols: every KMS and Personalize input survives a JSON body', () => {
  for (const name of ['kms', 'personalize', 'personalize-runtime', 'personalize-events']) {
    const model = loadModel(name);
    const codec = model.protocol === 'restJson1' ? restJson1Codec : awsJson11Codec;
    const opts = { jsonName: model.protocol === 'restJson1', invalid: () => { throw new Error('unreachable'); } };
    fc.assert(fc.property(fc.constantFrom(...inputOps(model).map((o) => o.name)).chain((n) => valueOf(ioShape(model, model.operations.get(n)!.input), undefined, 0, 0).map((v) => [n, v] as const)), ([name, value]) => {
      const op = model.operations.get(name)!;
      const shape = ioShape(model, op.input);
      const body = jsonText(value, shape, shape.traits, opts);
      const req = request(body, { path: op.http?.uri ?? '/', headers: { 'x-amz-target': `${model.targetPrefix}.${op.name}` } });
      assert.equal(codec.resolveOperation(req, model), op);
      const parsed = codec.parse(req, op, model);
      assert.deepEqual(parsed, value);
      validateInput(model, op, parsed);
    }), { numRuns: 400 });
  }
});

test('JSON writer: any string, control characters and lone surrogates included, is written as JSON.stringify writes it', () => {
  const model = loadModel('personalize-runtime');
  const shape = ioShape(model, model.operations.get('GetRecommendations')!.output).memberByName.get('recommendationId')!.shape;
  const opts = { jsonName: true, invalid: () => { throw new Error('unreachable'); } };
  fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u0000', '\u001f', '\u2028', '\ud800', '\udc00', '\u00e9') })), (v) => {
    assert.equal(jsonText(v, shape, shape.traits, opts), JSON.stringify(v));
  }), { numRuns: 2000 });
});

/** Every place in a JSON document a value could be swapped: [container, key] pairs. */
function slots(doc: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []) {
  if (Array.isArray(doc)) doc.forEach((v, i) => { out.push([doc, i]); slots(v, out); });
  else if (typeof doc === 'object' && doc !== null) for (const k of Object.keys(doc)) { out.push([doc as Record<string, unknown>, k]); slots((doc as Record<string, unknown>)[k], out); }
  return out;
}

test('JSON protocols: a valid body with one value swapped for any JSON parses or is a SerializationException', () => {
  for (const name of ['kms', 'personalize', 'personalize-events']) {
    const model = loadModel(name);
    const codec = model.protocol === 'restJson1' ? restJson1Codec : awsJson11Codec;
    const opts = { jsonName: false, invalid: () => { throw new Error('unreachable'); } };
    const arb = fc.constantFrom(...inputOps(model).map((o) => o.name))
      .chain((n) => fc.tuple(fc.constant(n), valueOf(ioShape(model, model.operations.get(n)!.input), undefined, 0, 0), fc.nat(), fc.jsonValue({ maxDepth: 3 })));
    fc.assert(fc.property(arb, ([opName, value, pick, replacement]) => {
      const op = model.operations.get(opName)!;
      const shape = ioShape(model, op.input);
      const doc = JSON.parse(jsonText(value, shape, shape.traits, opts)) as Record<string, unknown>;
      const all = slots(doc);
      if (all.length) {
        const [container, key] = all[pick % all.length];
        (container as Record<string, unknown>)[key as string] = replacement;
      }
      const req = request(JSON.stringify(doc), { path: op.http?.uri ?? '/', headers: { 'x-amz-target': `${model.targetPrefix}.${op.name}` } });
      try {
        validateInput(model, op, codec.parse(req, op, model));
      } catch (e) {
        assert.ok(e instanceof AwsError && e.code === 'SerializationException', String(e));
      }
    }), { numRuns: 500 });
  }
});

test('restXml: every S3 payload structure survives an XML document', () => {
  const s3 = loadModel('s3');
  const opts: XmlOptions = { millis: true, invalid: () => { throw new Error('unreachable'); } };
  const payloads = [...s3.operations.values()].flatMap((op) => ioShape(s3, op.input).members)
    .filter((m) => m.own['smithy.api#httpPayload'] !== undefined && m.shape.kind === 'structure');
  assert.ok(payloads.length > 20);
  fc.assert(fc.property(fc.nat(payloads.length - 1).chain((i) => valueOf(payloads[i].shape, undefined, 0, 1).map((v) => [i, v] as const)), ([i, value]) => {
    const m = payloads[i];
    const w = new XmlWriter();
    writeXml(w, xmlName(m), value, m.shape, undefined, opts);
    assert.deepEqual(readXml(parseXml(w.toString()), shapesOf(s3).get(m.target), opts), value);
  }), { numRuns: 600 });
});
