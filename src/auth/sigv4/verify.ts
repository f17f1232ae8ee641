import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HttpRequest } from '../../protocol/types.js';
import { canonicalPath, canonicalQuery, s3CanonicalPath } from './encode.js';
import { fail } from './failure.js';
import { sha256Hex } from './keys.js';
import { ALGORITHM, type SignedParts } from './parse.js';

// AWS writes signatures as lower-case hex and compares them as written: an upper-cased one does not match.
const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

/** `name:value\n` per signed header, values trimmed and inner runs of whitespace made one space. */
export function canonicalHeaders(req: HttpRequest, signedHeaders: string): string {
  let out = '';
  for (const raw of signedHeaders.split(';')) {
    const name = raw.toLowerCase();
    // Names come from the client: only the request's own headers count (not `constructor` and the like).
    out += name + ':' + (Object.hasOwn(req.headers, name) ? canonicalValue(req.headers[name]) : '') + '\n';
  }
  return out;
}

function canonicalValue(v: string): string {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13 || (c === 32 && (i === 0 || i === v.length - 1 || v.charCodeAt(i + 1) === 32))) {
      return v.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');
    }
  }
  return v;
}

/**
 * The canonical request as AWS computes it. S3 signs its path as sent (not normalised, encoded
 * once); every other service normalises it and encodes it again. A presigned URL's own signature
 * is no part of what it signs.
 */
export function canonicalRequest(req: HttpRequest, parts: SignedParts, s3: boolean, payloadHash: string): string {
  const uri = s3 ? s3CanonicalPath(req.path) : canonicalPath(req.path);
  const query = canonicalQuery(req.query, parts.presigned ? 'X-Amz-Signature' : undefined);
  return `${req.method}\n${uri}\n${query}\n${canonicalHeaders(req, parts.signedHeaders)}\n${parts.signedHeaders}\n${payloadHash}`;
}

export const stringToSign = (amzDate: string, scope: string, canonical: string) =>
  `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;

/** The signature of `text` under `key`, compared with `provided` in constant time; the computed hex, or undefined on mismatch. */
export function checkSignature(key: Buffer, text: string, provided: string): string | undefined {
  const computed = createHmac('sha256', key).update(text).digest();
  if (!HEX_SIGNATURE.test(provided) || !timingSafeEqual(computed, Buffer.from(provided, 'hex'))) return undefined;
  return computed.toString('hex');
}

export interface VerifiedSignature {
  /** The signature as computed (lower-case hex): the seed of an aws-chunked body's chain. */
  signature: string;
  scope: string;
}

/** Throws SigV4Failure `signatureMismatch` (with what the server signed) unless the request's signature is right. */
export function verifySignature(
  req: HttpRequest, parts: SignedParts, s3: boolean, key: Buffer, accessKeyId: string, amzDate: string, payloadHash: string,
): VerifiedSignature {
  const scope = parts.credential.slice(parts.credential.indexOf('/') + 1);
  const canonical = canonicalRequest(req, parts, s3, payloadHash);
  const text = stringToSign(amzDate, scope, canonical);
  const signature = checkSignature(key, text, parts.signature);
  if (signature === undefined) {
    fail({ kind: 'signatureMismatch', accessKeyId, provided: parts.signature, stringToSign: text, canonicalRequest: canonical });
  }
  return { signature, scope };
}
