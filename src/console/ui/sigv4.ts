import { hmacSha256, sha256 } from './sha256.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignableRequest {
  method: string;
  /** Host (with port when not the default), as the browser will send it. */
  host: string;
  /** Path exactly as sent (already percent-encoded). */
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  payloadHash: string;
}

const enc = new TextEncoder();
const subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle;

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? enc.encode(data) : data;
  return hex(subtle ? new Uint8Array(await subtle.digest('SHA-256', bytes as BufferSource)) : sha256(bytes));
}

async function hmac(key: Uint8Array, data: string): Promise<Uint8Array> {
  if (!subtle) return hmacSha256(key, enc.encode(data));
  const k = await subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', k, enc.encode(data)));
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export const uriEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Signs a request with SigV4 (header form) and returns the headers to add: x-amz-date,
 * x-amz-security-token for session credentials, and Authorization.
 */
export async function sign(
  req: SignableRequest, creds: Credentials, service: string, region: string, now = new Date(),
): Promise<Record<string, string>> {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const added: Record<string, string> = { 'x-amz-date': amzDate };
  if (creds.sessionToken) added['x-amz-security-token'] = creds.sessionToken;
  const all: Record<string, string> = { host: req.host };
  for (const [k, v] of Object.entries({ ...req.headers, ...added })) all[k.toLowerCase()] = String(v).trim().replace(/\s+/g, ' ');
  const names = Object.keys(all).sort();
  const signedHeaders = names.join(';');
  // S3 signs the path as sent; the other services encode each segment once more.
  const canonicalPath = service === 's3' ? req.path : req.path.split('/').map(uriEncode).join('/');
  const canonicalQuery = req.query
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    req.method, canonicalPath, canonicalQuery, names.map((n) => `${n}:${all[n]}\n`).join(''), signedHeaders, req.payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${await sha256Hex(canonical)}`;
  let key = await hmac(enc.encode(`AWS4${creds.secretAccessKey}`), day);
  for (const part of [region, service, 'aws4_request']) key = await hmac(key, part);
  const signature = hex(await hmac(key, toSign));
  added.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return added;
}
