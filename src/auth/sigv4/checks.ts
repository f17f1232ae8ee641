import { timingSafeEqual } from 'node:crypto';
import type { HttpRequest } from '../../protocol/types.js';
import type { ResolvedCredential } from '../../app.js';
import type { ChunkedMode } from '../aws-chunked.js';
import { fail, type ScopeProblem } from './failure.js';
import { SKEW_MS } from './errors.js';
import { queryParam, type CredentialScope, type SignedParts } from './parse.js';
import { formatAmzDate, parseAmzDate, parseHttpDate } from './time.js';

/** The request's timestamp: as signed (`amzDate`) and in epoch milliseconds. */
export interface RequestTime {
  amzDate: string;
  ms: number;
}

export function requestTime(parts: SignedParts): RequestTime {
  const ms = parts.httpDate ? parseHttpDate(parts.date) : parseAmzDate(parts.date);
  if (ms === undefined) fail({ kind: 'malformedDate', presigned: parts.presigned, value: parts.date });
  return { amzDate: parts.httpDate ? formatAmzDate(ms) : parts.date, ms };
}

/** A signature more than 15 minutes from the server's clock is refused, either way. */
export function checkSkew(time: RequestTime, now: number): void {
  if (Math.abs(now - time.ms) > SKEW_MS) fail({ kind: 'skewed', amzDate: time.amzDate, now, future: time.ms > now });
}

const MAX_PRESIGN_SECONDS = 604_800;

/** S3's X-Amz-Expires: whole seconds, 1 to a week (0 is accepted as a URL that never works). */
export function presignLifetime(parts: SignedParts): number {
  const raw = parts.expires;
  if (raw === undefined || raw === '') {
    fail({ kind: 'incomplete', presigned: true, missing: ['X-Amz-Expires'], noDate: false, authorization: '' });
  }
  if (!/^-?\d+$/.test(raw)) fail({ kind: 'badExpires', reason: 'notNumber' });
  const seconds = Number(raw);
  if (seconds < 0) fail({ kind: 'badExpires', reason: 'negative' });
  if (seconds > MAX_PRESIGN_SECONDS) fail({ kind: 'badExpires', reason: 'tooLarge' });
  return seconds;
}

/** An S3 presigned URL works from 15 minutes before X-Amz-Date to X-Amz-Expires after it, inclusive. */
export function checkPresignWindow(time: RequestTime, expires: number, now: number): void {
  if (time.ms - now > SKEW_MS) fail({ kind: 'presignNotYetValid', amzDate: time.amzDate, now });
  const expiresAt = time.ms + expires * 1000;
  if (expires === 0 || now > expiresAt) fail({ kind: 'presignExpired', expires, expiresAt, now });
}

/** Region names as AWS spells them; without a configured region any such name is accepted. */
const REGION = /^[a-z0-9](?:[a-z0-9-]{0,62})$/;

export function checkScope(
  scope: CredentialScope & { terminator: string }, time: RequestTime, service: string, region: string | undefined, presigned: boolean,
): void {
  const problems: ScopeProblem[] = [];
  const day = time.amzDate.slice(0, 8);
  const add = (part: ScopeProblem['part'], value: string, expected: string) => problems.push({ part, value, expected, amzDate: time.amzDate });
  if (!/^\d{8}$/.test(scope.date)) add('dateFormat', scope.date, day);
  if (region ? scope.region !== region : !REGION.test(scope.region)) add('region', scope.region, region ?? '');
  if (scope.service !== service) add('service', scope.service, service);
  if (scope.terminator !== 'aws4_request') add('terminator', scope.terminator, 'aws4_request');
  if (scope.date !== day) add('dateMismatch', scope.date, day);
  if (problems.length > 0) fail({ kind: 'badScope', presigned, problems });
}

/** `host` must be signed everywhere; S3 also wants every `x-amz-*` header it receives signed. */
export function checkSignedHeaders(req: HttpRequest, parts: SignedParts, s3: boolean): void {
  const list = ';' + parts.signedHeaders.toLowerCase() + ';';
  if (!s3) {
    if (!list.includes(';host;')) fail({ kind: 'unsignedHeaders', names: ['host'] });
    return;
  }
  const signed = new Set(list.split(';'));
  const names = signed.has('host') ? [] : ['host'];
  for (const name in req.headers) if (name.startsWith('x-amz-') && !signed.has(name)) names.push(name);
  if (names.length > 0) fail({ kind: 'unsignedHeaders', names });
}

/** Temporary credentials need their own session token; permanent ones take none. */
export function checkSessionToken(credential: ResolvedCredential, accessKeyId: string, token: string | undefined): void {
  const expected = credential.sessionToken;
  if (expected === undefined) {
    if (token !== undefined) fail({ kind: 'badToken', token });
    return;
  }
  if (token === undefined) fail({ kind: 'missingToken', accessKeyId });
  const a = Buffer.from(token);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) fail({ kind: 'badToken', token });
}

export function checkExpiry(credential: ResolvedCredential, token: string | undefined, now: number): void {
  if (credential.expiration && credential.expiration.getTime() <= now) fail({ kind: 'expiredToken', token: token ?? '' });
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_MODES: Readonly<Record<string, ChunkedMode>> = {
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': 'signed',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': 'signed-trailer',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER': 'unsigned-trailer',
};

/**
 * What S3 signs for the payload: `x-amz-content-sha256` (required with header auth: a hash, or one
 * of the unsigned and streaming keywords). A presigned URL may carry it as a query parameter (the
 * SDK's presigner sends `X-Amz-Content-Sha256=UNSIGNED-PAYLOAD`) and is `UNSIGNED-PAYLOAD` without it.
 */
export function s3PayloadHash(req: HttpRequest, presigned: boolean): string {
  const value = (presigned ? queryParam(req, 'X-Amz-Content-Sha256') : undefined) ?? req.headers['x-amz-content-sha256'];
  if (value === undefined) {
    if (presigned) return UNSIGNED_PAYLOAD;
    fail({ kind: 'missingContentSha256' });
  }
  if (value === UNSIGNED_PAYLOAD || SHA256_HEX.test(value) || Object.hasOwn(STREAMING_MODES, value)) return value;
  if (value.startsWith('STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD')) fail({ kind: 'unsupportedPayload', value });
  fail({ kind: 'badContentSha256', value });
}

export const isSha256Hex = (value: string) => SHA256_HEX.test(value);
