// Test support: requests signed by the AWS SDK's own signer, turned into the server's HttpRequest.
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { CredentialSource, ResolvedCredential } from '../app.js';
import type { Principal } from '../gateway/context.js';
import type { HttpRequest } from '../protocol/types.js';

export const NOW = new Date('2026-01-01T00:00:00Z');
export const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
export const TEMP = { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: 'temporary/secret+key', sessionToken: 'FwoGZXIvYXdzEXAMPLE/token+with=chars' };

export const principal = (accessKeyId: string): Principal => ({
  type: 'user', arn: 'arn:aws:iam::000000000000:user/alice', accountId: '000000000000', userId: 'AIDAEXAMPLE', userName: 'alice', accessKeyId,
});

/** A source holding the two fixture keys; `keys` may be edited between requests (revocation tests). */
export function fixtureSource(expiration = new Date(NOW.getTime() + 3600_000)): CredentialSource & { keys: Map<string, ResolvedCredential> } {
  const keys = new Map<string, ResolvedCredential>([
    [KEY.accessKeyId, { secretAccessKey: KEY.secretAccessKey, principal: principal(KEY.accessKeyId) }],
    [TEMP.accessKeyId, { secretAccessKey: TEMP.secretAccessKey, principal: principal(TEMP.accessKeyId), sessionToken: TEMP.sessionToken, expiration }],
  ]);
  return { keys, resolve: (id) => keys.get(id) };
}

/** What the SDK escapes: everything but RFC 3986's unreserved characters. */
export const escape = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

export interface SignOptions {
  service?: string;
  region?: string;
  method?: string;
  /** The path as sent (already encoded). */
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  date?: Date;
  /** Sign as S3 does: path not re-encoded, x-amz-content-sha256 sent. */
  s3?: boolean;
  /** Presign for this many seconds instead of signing the headers. */
  presign?: number;
}

export async function signed(o: SignOptions = {}): Promise<HttpRequest> {
  const s3 = o.s3 ?? o.service === 's3';
  const signer = new SignatureV4({
    service: o.service ?? (s3 ? 's3' : 'iam'), region: o.region ?? 'us-east-1', credentials: o.credentials ?? KEY, sha256: Sha256,
    uriEscapePath: !s3, applyChecksum: s3,
  });
  const body = o.body ?? '';
  // As the S3 presigner does: the payload is unsigned, said in the query.
  const presignS3: Record<string, string> = s3 && o.presign !== undefined ? { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } : {};
  const request = {
    method: o.method ?? 'POST', protocol: 'http:', hostname: 'localhost', port: 4566, path: o.path ?? '/',
    query: o.query ?? {}, headers: { host: 'localhost:4566', ...presignS3, ...o.headers }, body,
  };
  const date = o.date ?? NOW;
  const out = o.presign !== undefined
    ? await signer.presign(request, { signingDate: date, expiresIn: o.presign })
    : await signer.sign(request, { signingDate: date });
  return toHttpRequest(out as typeof request, Buffer.from(body));
}

/** The signed request as the server reads it off the wire. */
export function toHttpRequest(r: { method: string; path: string; query: Record<string, string | string[]>; headers: Record<string, string> }, body: Buffer): HttpRequest {
  const query: [string, string][] = [];
  for (const [k, v] of Object.entries(r.query)) for (const value of Array.isArray(v) ? v : [v]) query.push([k, value]);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = String(v);
  return {
    method: r.method,
    path: r.path,
    rawQuery: query.map(([k, v]) => `${escape(k)}=${escape(v)}`).join('&'),
    query,
    headers,
    body,
    sourceIp: '127.0.0.1',
    secure: false,
  };
}

/** `req` with one header changed (or removed, for undefined). */
export const withHeader = (req: HttpRequest, name: string, value: string | undefined): HttpRequest => {
  const headers = { ...req.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...req, headers };
};

/** `req` with one query parameter's value changed (or removed). */
export const withQuery = (req: HttpRequest, name: string, value: string | undefined): HttpRequest => {
  const query = req.query.filter(([k]) => k !== name);
  if (value !== undefined) query.push([name, value]);
  return { ...req, query };
};
