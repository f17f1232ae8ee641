// Property: any request the SDK signs verifies, and any single change to what it signed is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { authenticateRequest } from './authenticate.js';
import { isAwsError } from '../shared/aws-error.js';
import type { HttpRequest, ProtocolName } from '../protocol/types.js';
import { escape, fixtureSource, NOW, signed, TEMP, withHeader, withQuery } from './signing-fixture.js';

const FAMILY = fc.constantFrom<[ProtocolName, string]>(['awsQuery', 'iam'], ['awsJson1_1', 'personalize'], ['restJson1', 'personalize'], ['restXml', 's3']);
const SEGMENT = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((s) => s !== '.' && s !== '..' && !s.includes('/'));
const PRINTABLE = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 12 });
const HEADER_VALUE = fc.tuple(PRINTABLE, fc.option(PRINTABLE)).map(([a, b]) => (b ? `${a} ${b}` : a));
const QUERY_KEY = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((k) => !k.toLowerCase().startsWith('x-amz-'));

const REQUEST = fc.record({
  family: FAMILY,
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
  segments: fc.array(SEGMENT, { minLength: 1, maxLength: 3 }),
  query: fc.array(fc.tuple(QUERY_KEY, fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 4 }),
  headers: fc.dictionary(fc.stringMatching(/^[a-z0-9]{1,8}$/).map((n) => `x-amz-meta-${n}`), HEADER_VALUE, { maxKeys: 3 }),
  body: fc.uint8Array({ maxLength: 64 }),
  temporary: fc.boolean(),
});
type Shape = typeof REQUEST extends fc.Arbitrary<infer T> ? T : never;

async function sign(r: Shape): Promise<HttpRequest> {
  const [protocol, service] = r.family;
  const query: Record<string, string[]> = Object.create(null);
  for (const [k, v] of r.query) (query[k] ??= []).push(v);
  return signed({
    service, s3: protocol === 'restXml', method: r.method, path: '/' + r.segments.map(escape).join('/'), query,
    headers: r.headers, body: Buffer.from(r.body), credentials: r.temporary ? TEMP : undefined,
  });
}

const accepts = (req: HttpRequest, [protocol, service]: [ProtocolName, string]) =>
  authenticateRequest(req, [fixtureSource()], NOW, protocol, service).anonymous === false;

function refuses(req: HttpRequest, [protocol, service]: [ProtocolName, string]): boolean {
  try {
    authenticateRequest(req, [fixtureSource()], NOW, protocol, service);
    return false;
  } catch (e) {
    return isAwsError(e);
  }
}

/** A different printable, non-space character. */
const other = (c: string) => {
  const code = c.charCodeAt(0);
  for (const flip of [1, 2, 4, 8]) {
    const n = code ^ flip;
    if (n > 0x20 && n < 0x7f) return String.fromCharCode(n);
  }
  return c === 'a' ? 'b' : 'a';
};
const changeAt = (s: string, i: number) => s.slice(0, i) + other(s[i]) + s.slice(i + 1);

type Mutation = (req: HttpRequest, pick: number) => HttpRequest | undefined;
const MUTATIONS: Record<string, Mutation> = {
  signedHeaderValue: (req, pick) => {
    const names = req.headers.authorization.match(/SignedHeaders=([^,]+)/)![1].split(';').filter((n) => req.headers[n]);
    const name = names[pick % names.length];
    const value = req.headers[name];
    return withHeader(req, name, changeAt(value, pick % value.length));
  },
  droppedSignedHeader: (req, pick) => {
    const names = req.headers.authorization.match(/SignedHeaders=([^,]+)/)![1].split(';').filter((n) => n !== 'authorization');
    return withHeader(req, names[pick % names.length], undefined);
  },
  queryValue: (req, pick) => {
    if (req.query.length === 0) return undefined;
    const i = pick % req.query.length;
    const [k, v] = req.query[i];
    const query = req.query.slice();
    query[i] = [k, v.length ? changeAt(v, pick % v.length) : 'x'];
    return { ...req, query };
  },
  queryName: (req, pick) => {
    if (req.query.length === 0) return undefined;
    const i = pick % req.query.length;
    const query = req.query.slice();
    query[i] = [changeAt(query[i][0], pick % query[i][0].length), query[i][1]];
    return { ...req, query };
  },
  extraQuery: (req) => ({ ...req, query: [...req.query, ['added', '1']] }),
  droppedQuery: (req, pick) => (req.query.length === 0 ? undefined : { ...req, query: req.query.filter((_, i) => i !== pick % req.query.length) }),
  bodyByte: (req, pick) => {
    const body = req.body.length ? Buffer.from(req.body) : Buffer.from('x');
    if (req.body.length) body[pick % body.length] ^= 1 + (pick % 255);
    return { ...req, body };
  },
  pathCharacter: (req, pick) => {
    // An unescaped letter or digit of the path, so the change is not just another spelling of the same byte.
    const at = [...req.path.matchAll(/%[0-9A-F]{2}|[A-Za-z0-9]/g)].filter((m) => m[0].length === 1).map((m) => m.index!);
    if (at.length === 0) return undefined;
    const i = at[pick % at.length];
    const c = req.path[i];
    return { ...req, path: req.path.slice(0, i) + (c === 'a' ? 'b' : 'a') + req.path.slice(i + 1) };
  },
  method: (req) => ({ ...req, method: req.method === 'GET' ? 'HEAD' : 'GET' }),
  signature: (req, pick) => withHeader(req, 'authorization', changeAt(req.headers.authorization, req.headers.authorization.length - 1 - (pick % 64))),
};

test('every SDK-signed request verifies', async () => {
  await fc.assert(fc.asyncProperty(REQUEST, async (r) => {
    assert.ok(accepts(await sign(r), r.family));
  }), { numRuns: 150 });
});

test('any single change to what was signed is refused', async () => {
  await fc.assert(fc.asyncProperty(REQUEST, fc.constantFrom(...Object.keys(MUTATIONS)), fc.nat(), async (r, kind, pick) => {
    const mutated = MUTATIONS[kind](await sign(r), pick);
    fc.pre(mutated !== undefined);
    assert.ok(refuses(mutated!, r.family), kind);
  }), { numRuns: 400 });
});

test('hostile signing parameters give an AWS error, never a crash', async () => {
  const requests = { iam: await signed({ service: 'iam', body: 'x' }), s3: await signed({ s3: true, method: 'PUT', path: '/b/k', body: 'x' }) };
  const NAMES = fc.oneof(fc.string(), fc.constantFrom('constructor;host', '__proto__;host', 'host;valueof;x-amz-content-sha256;x-amz-date;constructor'));
  fc.assert(fc.property(FAMILY, NAMES, fc.string(), fc.string(), ([protocol, service], names, junk, credential) => {
    const req = protocol === 'restXml' ? requests.s3 : requests.iam;
    const auth = req.headers.authorization;
    const presigned = withHeader([['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'], ['X-Amz-Credential', credential], ['X-Amz-SignedHeaders', names],
      ['X-Amz-Date', junk], ['X-Amz-Signature', junk], ['X-Amz-Expires', junk]].reduce((r, [k, v]) => withQuery(r, k, v), req), 'authorization', undefined);
    for (const variant of [
      withHeader(req, 'authorization', auth.replace(/SignedHeaders=[^,]+/, `SignedHeaders=${names}`)),
      withHeader(req, 'authorization', auth.replace(/Credential=[^,]+/, `Credential=${credential}`)),
      withHeader(req, 'authorization', junk),
      withHeader(req, 'authorization', 'AWS4-HMAC-SHA256 ' + junk),
      withHeader(req, 'x-amz-date', junk),
      presigned,
    ]) {
      try {
        authenticateRequest(variant, [fixtureSource()], NOW, protocol, service);
      } catch (e) {
        assert.ok(isAwsError(e), String((e as Error)?.stack ?? e));
      }
    }
  }), { numRuns: 500 });
});
