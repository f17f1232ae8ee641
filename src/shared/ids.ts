import { randomBytes, randomUUID } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** IAM unique ids and access key ids: a 4-letter prefix (AIDA, AGPA, ANPA, AROA, AKIA, ASIA…) and 16 base32 chars. */
export function iamId(prefix: string, length = 16): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (let i = 0; i < length; i++) out += BASE32[bytes[i] & 31];
  return out;
}

export const requestId = (): string => randomUUID();

/** A 40-character secret access key as AWS issues them. */
export function secretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/\+/g, 'a').replace(/\//g, 'b');
}
