import { createHmac, hash } from 'node:crypto';

export const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
// The one-shot hash skips a Hash object per call (it is on every request's path).
export const sha256Hex = (data: string | Buffer): string => hash('sha256', data, 'hex');
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Derived signing keys by (secret, date, region, service). Deriving costs four HMACs and a key serves
 * a whole day, so nearly every request hits. The map is a memo of a pure function (a revoked key
 * never reaches it: its secret is only known after the credential source resolves it), bounded so
 * that many keys or days cannot grow it: at the bound the oldest entry goes.
 */
const MAX_KEYS = 1024;
const derived = new Map<string, Buffer>();

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${date}/${region}/${service}/${secret}`;
  let key = derived.get(id);
  if (key) return key;
  key = hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
  if (derived.size >= MAX_KEYS) derived.delete(derived.keys().next().value!);
  derived.set(id, key);
  return key;
}
