import type { HttpRequest } from '../../protocol/types.js';
import { fail } from './failure.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** The credential scope a request claims: who signed, on which day, for which region and service. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/** The signing parameters of a request as sent, nothing verified. */
export interface SignedParts {
  presigned: boolean;
  /** The Authorization header ('' for a presigned URL), quoted in some error messages. */
  authorization: string;
  algorithm: string;
  credential: string;
  signedHeaders: string;
  signature: string;
  /** The request's timestamp as sent: X-Amz-Date (header or query), else the Date header; '' when none. */
  date: string;
  /** True when `date` came from the HTTP Date header (RFC 7231 form). */
  httpDate: boolean;
  expires?: string;
  securityToken?: string;
}

/** The value of the first query parameter named `name`. */
export function queryParam(req: HttpRequest, name: string): string | undefined {
  for (const [k, v] of req.query) if (k === name) return v;
  return undefined;
}

/**
 * The credential scope, read without verifying anything: the gateway routes on its service name
 * before it authenticates. Undefined when the request carries no well-formed SigV4 credential.
 */
export function readScope(req: HttpRequest): CredentialScope | undefined {
  const auth = req.headers.authorization;
  let credential: string | undefined;
  if (auth) {
    const at = auth.indexOf('Credential=');
    if (at < 0) return undefined;
    const end = auth.slice(at + 11).search(/[,\s]/);
    credential = end < 0 ? auth.slice(at + 11) : auth.slice(at + 11, at + 11 + end);
  } else {
    credential = queryParam(req, 'X-Amz-Credential');
  }
  const parts = credential === undefined ? undefined : splitCredential(credential);
  return parts && { accessKeyId: parts.accessKeyId, date: parts.date, region: parts.region, service: parts.service };
}

/** `AKID/20260101/us-east-1/iam/aws4_request` split in its five parts; undefined unless there are five. */
export function splitCredential(credential: string): (CredentialScope & { terminator: string }) | undefined {
  const p = credential.split('/');
  if (p.length !== 5) return undefined;
  return { accessKeyId: p[0], date: p[1], region: p[2], service: p[3], terminator: p[4] };
}

/**
 * Reads the SigV4 parts from the Authorization header or the presigned query parameters. Undefined
 * when the request carries neither (anonymous); throws SigV4Failure when what it carries is malformed.
 */
export function readSignedParts(req: HttpRequest): SignedParts | undefined {
  const authorization = req.headers.authorization?.trim() ?? '';
  const presigned = queryParam(req, 'X-Amz-Algorithm') !== undefined;
  if (authorization && presigned) fail({ kind: 'bothMechanisms', authorization });
  if (authorization) return fromHeader(req, authorization);
  if (presigned) return fromQuery(req);
  if (queryParam(req, 'AWSAccessKeyId') !== undefined && queryParam(req, 'Signature') !== undefined) fail({ kind: 'signatureV2' });
  return undefined;
}

function fromHeader(req: HttpRequest, authorization: string): SignedParts {
  const space = authorization.search(/\s/);
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm === 'AWS') fail({ kind: 'signatureV2' });
  if (!algorithm.startsWith('AWS4-')) fail({ kind: 'unsupportedScheme', authorization });
  const fields: Record<string, string> = Object.create(null);
  for (const component of (space < 0 ? '' : authorization.slice(space)).split(/[\s,]+/)) {
    if (!component) continue;
    const eq = component.indexOf('=');
    if (eq < 0) fail({ kind: 'notKeyValue', component, authorization });
    fields[component.slice(0, eq)] = component.slice(eq + 1);
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !fields[name]);
  const amzDate = req.headers['x-amz-date'];
  const date = amzDate ?? req.headers.date ?? '';
  if (missing.length > 0 || !date) fail({ kind: 'incomplete', presigned: false, missing, noDate: !date, authorization });
  if (algorithm !== ALGORITHM) fail({ kind: 'unsupportedAlgorithm', presigned: false, algorithm, authorization });
  return {
    presigned: false,
    authorization,
    algorithm,
    credential: fields.Credential,
    signedHeaders: fields.SignedHeaders,
    signature: fields.Signature,
    date,
    httpDate: amzDate === undefined,
    securityToken: req.headers['x-amz-security-token'],
  };
}

const QUERY_PARTS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'] as const;

function fromQuery(req: HttpRequest): SignedParts {
  const [algorithm, credential, signature, signedHeaders, date] = QUERY_PARTS.map((name) => queryParam(req, name) ?? '');
  const missing = QUERY_PARTS.filter((name) => !queryParam(req, name));
  if (missing.length > 0) fail({ kind: 'incomplete', presigned: true, missing, noDate: !date, authorization: '' });
  if (algorithm !== ALGORITHM) fail({ kind: 'unsupportedAlgorithm', presigned: true, algorithm, authorization: '' });
  return {
    presigned: true,
    authorization: '',
    algorithm,
    credential,
    signedHeaders,
    signature,
    date,
    httpDate: false,
    expires: queryParam(req, 'X-Amz-Expires'),
    securityToken: queryParam(req, 'X-Amz-Security-Token'),
  };
}
