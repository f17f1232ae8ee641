import type { CredentialSource, ResolvedCredential } from '../app.js';
import type { Principal } from '../gateway/context.js';
import type { HttpRequest, ProtocolName } from '../protocol/types.js';
import type { AwsChunkedOptions } from './aws-chunked.js';
import {
  checkExpiry, checkPresignWindow, checkScope, checkSessionToken, checkSignedHeaders, checkSkew, isSha256Hex,
  presignLifetime, requestTime, s3PayloadHash, STREAMING_MODES,
} from './sigv4/checks.js';
import { authError } from './sigv4/errors.js';
import { fail, SigV4Failure } from './sigv4/failure.js';
import { sha256Hex, signingKey } from './sigv4/keys.js';
import { readSignedParts, splitCredential, type CredentialScope } from './sigv4/parse.js';
import { verifySignature } from './sigv4/verify.js';

/** A request whose SigV4 signature checked out. */
export interface Authenticated {
  anonymous: false;
  principal: Principal;
  credential: ResolvedCredential;
  scope: CredentialScope;
  /** Set when the body is aws-chunked (S3 streaming uploads): what AwsChunkedDecoder needs. */
  chunked?: AwsChunkedOptions;
  /** For a body still to be streamed: the SHA-256 (hex) it must have, checked as it is read. */
  payloadSha256?: string;
}

/** An S3 request that carries no credentials at all; only a public bucket policy can allow it. */
export interface Anonymous {
  anonymous: true;
}

export type AuthResult = Authenticated | Anonymous;

/**
 * Who signed the request. Throws the protocol's AwsError for every failure; a request without any
 * credentials fails too (S3's anonymous requests included, as AccessDenied: see authenticateRequest).
 */
export function authenticate(
  req: HttpRequest, sources: readonly CredentialSource[], now: Date, protocol: ProtocolName, signingName: string, region?: string,
): Principal {
  const result = authenticateRequest(req, sources, now, protocol, signingName, region);
  if (result.anonymous) throw authError(protocol, { kind: 'missing' });
  return result.principal;
}

/**
 * Verifies a request's SigV4 signature (Authorization header or presigned URL) against the access
 * key's secret, its session token and the clock, and says who signed it. The sources are asked on
 * every request, so a key made inactive or deleted stops working at once. `region`, when given,
 * is the only region a credential scope may name. Unsigned S3 requests come back as anonymous;
 * elsewhere they fail.
 */
export function authenticateRequest(
  req: HttpRequest, sources: readonly CredentialSource[], now: Date, protocol: ProtocolName, signingName: string, region?: string,
): AuthResult {
  try {
    return verify(req, sources, now.getTime(), protocol === 'restXml', signingName, region);
  } catch (e) {
    if (e instanceof SigV4Failure) throw authError(protocol, e.failure);
    throw e;
  }
}

/**
 * The checks in the order AWS makes them. The common front end (IAM, STS, JSON and REST-JSON
 * services) looks at the clock before the key; S3 looks at the key and signature first.
 */
function verify(req: HttpRequest, sources: readonly CredentialSource[], now: number, s3: boolean, service: string, region?: string): AuthResult {
  const parts = readSignedParts(req);
  if (!parts) {
    if (s3 && !req.headers.authorization) return { anonymous: true };
    fail({ kind: 'missing' });
  }
  const scope = splitCredential(parts.credential) ?? fail({ kind: 'malformedCredential', presigned: parts.presigned, credential: parts.credential });
  const expires = s3 && parts.presigned ? presignLifetime(parts) : 0;
  const signedPayload = s3 ? s3PayloadHash(req, parts.presigned) : undefined;
  const time = requestTime(parts);
  if (!s3) checkSkew(time, now);
  checkScope(scope, time, service, region, parts.presigned);
  checkSignedHeaders(req, parts, s3);

  const credential = resolve(sources, scope.accessKeyId) ?? fail({ kind: 'unknownKey', accessKeyId: scope.accessKeyId });
  checkSessionToken(credential, scope.accessKeyId, parts.securityToken);
  const key = signingKey(credential.secretAccessKey, scope.date, scope.region, scope.service);
  // Hashed only now: a request that fails the cheap checks costs no pass over its body.
  // A streamed body (S3 only, which always names its hash) is hashed as it is read instead.
  const payloadHash = signedPayload ?? sha256Hex(req.body);
  const signed = verifySignature(req, parts, s3, key, scope.accessKeyId, time.amzDate, payloadHash);
  if (s3) {
    if (parts.presigned) checkPresignWindow(time, expires, now);
    else checkSkew(time, now);
  }
  checkExpiry(credential, parts.securityToken, now);

  const result: Authenticated = {
    anonymous: false,
    principal: credential.principal,
    credential,
    scope: { accessKeyId: scope.accessKeyId, date: scope.date, region: scope.region, service: scope.service },
  };
  if (!s3) return result;
  if (isSha256Hex(payloadHash) && req.stream) {
    result.payloadSha256 = payloadHash.toLowerCase();
  } else if (isSha256Hex(payloadHash)) {
    const computed = sha256Hex(req.body);
    if (computed !== payloadHash.toLowerCase()) fail({ kind: 'contentSha256Mismatch', client: payloadHash, computed });
  }
  const mode = Object.hasOwn(STREAMING_MODES, payloadHash) ? STREAMING_MODES[payloadHash] : undefined;
  if (mode) {
    const declared = req.headers['x-amz-decoded-content-length'];
    result.chunked = {
      mode,
      signing: mode === 'unsigned-trailer' ? undefined
        : { key, amzDate: time.amzDate, scope: signed.scope, seed: signed.signature, accessKeyId: scope.accessKeyId },
      decodedLength: declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined,
    };
  }
  return result;
}

function resolve(sources: readonly CredentialSource[], accessKeyId: string): ResolvedCredential | undefined {
  for (const source of sources) {
    const found = source.resolve(accessKeyId);
    if (found) return found;
  }
  return undefined;
}
