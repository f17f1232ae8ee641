/**
 * Why a request failed authentication, independent of wire protocol. errors.ts turns each into the
 * code, status and message that the protocol family's AWS front end answers with.
 */
export type AuthFailure =
  /** No Authorization header and no presigned parameters. */
  | { kind: 'missing' }
  | { kind: 'bothMechanisms'; authorization: string }
  | { kind: 'signatureV2' }
  /** An Authorization header of another scheme (`Bearer …`). */
  | { kind: 'unsupportedScheme'; authorization: string }
  | { kind: 'notKeyValue'; component: string; authorization: string }
  /** Required parts absent: `missing` names them (header or query names); `noDate` for header auth. */
  | { kind: 'incomplete'; presigned: boolean; missing: string[]; noDate: boolean; authorization: string }
  | { kind: 'unsupportedAlgorithm'; presigned: boolean; algorithm: string; authorization: string }
  | { kind: 'malformedCredential'; presigned: boolean; credential: string }
  | { kind: 'malformedDate'; presigned: boolean; value: string }
  | { kind: 'badExpires'; reason: 'notNumber' | 'negative' | 'tooLarge' }
  | { kind: 'badScope'; presigned: boolean; problems: ScopeProblem[] }
  | { kind: 'unsignedHeaders'; names: string[] }
  | { kind: 'missingContentSha256' }
  | { kind: 'badContentSha256'; value: string }
  /** A payload mode Tailor does not verify (SigV4a streaming). */
  | { kind: 'unsupportedPayload'; value: string }
  | { kind: 'skewed'; amzDate: string; now: number; future: boolean }
  | { kind: 'presignExpired'; expires: number; expiresAt: number; now: number }
  | { kind: 'presignNotYetValid'; amzDate: string; now: number }
  | { kind: 'unknownKey'; accessKeyId: string }
  /** Temporary credentials used without their session token. */
  | { kind: 'missingToken'; accessKeyId: string }
  | { kind: 'badToken'; token: string }
  | { kind: 'expiredToken'; token: string }
  | { kind: 'signatureMismatch'; accessKeyId: string; provided: string; stringToSign: string; canonicalRequest?: string }
  | { kind: 'contentSha256Mismatch'; client: string; computed: string };

/** One wrong part of the credential scope; `expected` is what the server wanted there. */
export interface ScopeProblem {
  part: 'dateFormat' | 'region' | 'service' | 'terminator' | 'dateMismatch';
  value: string;
  expected: string;
  /** The request's timestamp, which dateMismatch messages quote. */
  amzDate: string;
}

/** Thrown inside the verifier; authenticate() maps it to the protocol's AwsError. */
export class SigV4Failure extends Error {
  constructor(readonly failure: AuthFailure) {
    super(failure.kind);
  }
}

export function fail(failure: AuthFailure): never {
  throw new SigV4Failure(failure);
}
