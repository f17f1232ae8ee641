import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { Creds } from './support.js';

/** Sends a SigV4-signed request built by hand, for the inputs no SDK would send. */
export async function signedRequest(
  url: string,
  creds: Creds,
  opts: { service: string; method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; text: string; headers: Headers }> {
  const u = new URL(url);
  const signer = new SignatureV4({ service: opts.service, region: 'us-east-1', credentials: creds, sha256: Sha256 });
  const body = opts.body ?? '';
  const signed = await signer.sign({
    method: opts.method ?? 'POST',
    protocol: 'http:',
    hostname: u.hostname,
    port: Number(u.port),
    path: opts.path ?? '/',
    headers: { host: u.host, ...(opts.headers ?? {}) },
    body,
  });
  const res = await fetch(`${url}${opts.path ?? '/'}`, {
    method: signed.method,
    headers: Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k !== 'host')),
    body: signed.method === 'GET' ? undefined : typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

export const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
export const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
