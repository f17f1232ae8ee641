import { AwsError } from '../../shared/aws-error.js';
import type { ProtocolName } from '../../protocol/types.js';
import type { AuthFailure, ScopeProblem } from './failure.js';
import { formatAmzDate, isoSeconds } from './time.js';

/**
 * The one table of authentication errors, per protocol family. The query (IAM, STS), JSON and
 * REST-JSON services share AWS's common front end and differ only in code names and statuses;
 * S3 has its own codes, messages and extra fields.
 */
export function authError(protocol: ProtocolName, f: AuthFailure): AwsError {
  return protocol === 'restXml' ? s3Error(f) : commonError(COMMON[protocol], f);
}

export const SKEW_MS = 15 * 60 * 1000;

type Code = readonly [code: string, status: number];
interface CommonCodes {
  missing: Code;
  missingMessage: string;
  incomplete: Code;
  signature: Code;
  unrecognized: Code;
  expired: Code;
}

const QUERY: CommonCodes = {
  missing: ['MissingAuthenticationToken', 403],
  missingMessage: 'Request is missing Authentication Token',
  incomplete: ['IncompleteSignature', 400],
  signature: ['SignatureDoesNotMatch', 403],
  unrecognized: ['InvalidClientTokenId', 403],
  expired: ['ExpiredToken', 403],
};
const JSON_RPC: CommonCodes = {
  missing: ['MissingAuthenticationTokenException', 400],
  missingMessage: 'Request is missing Authentication Token',
  incomplete: ['IncompleteSignatureException', 400],
  signature: ['InvalidSignatureException', 400],
  unrecognized: ['UnrecognizedClientException', 400],
  expired: ['ExpiredTokenException', 400],
};
/** REST-JSON services answer authentication errors with 403 throughout. */
const REST_JSON: CommonCodes = {
  missing: ['MissingAuthenticationTokenException', 403],
  missingMessage: 'Missing Authentication Token',
  incomplete: ['IncompleteSignatureException', 403],
  signature: ['InvalidSignatureException', 403],
  unrecognized: ['UnrecognizedClientException', 403],
  expired: ['ExpiredTokenException', 403],
};
const COMMON: Record<Exclude<ProtocolName, 'restXml'>, CommonCodes> = {
  awsQuery: QUERY,
  awsJson1_0: JSON_RPC,
  awsJson1_1: JSON_RPC,
  restJson1: REST_JSON,
};

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const TOKEN_INVALID = 'The security token included in the request is invalid.';
const TOKEN_EXPIRED = 'The security token included in the request is expired';

function commonError(c: CommonCodes, f: AuthFailure): AwsError {
  const err = ([code, status]: Code, message: string) => new AwsError(code, message, status);
  switch (f.kind) {
    case 'missing':
    case 'signatureV2':
    case 'unsupportedScheme':
      return err(c.missing, c.missingMessage);
    case 'bothMechanisms':
      return err(c.signature, "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
    case 'notKeyValue':
      return err(c.incomplete, `'${f.component}' not a valid key=value pair (missing equal-sign) in Authorization header: '${f.authorization}'.`);
    case 'incomplete':
      return err(c.incomplete, f.presigned
        ? f.missing.map((p) => `AWS query-string parameters must include '${p}'. `).join('') + 'Re-examine the query-string parameters.'
        : f.missing.map((p) => `Authorization header requires '${p}' parameter. `).join('') +
          (f.noDate ? "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " : '') +
          `Authorization=${f.authorization}`);
    case 'unsupportedAlgorithm':
      return err(c.incomplete, `Unsupported AWS 'algorithm': '${f.algorithm}' (only AWS4-HMAC-SHA256 for now). `);
    case 'malformedCredential':
      return err(c.incomplete, `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${f.credential}'`);
    case 'malformedDate':
      return err(c.incomplete, `Date must be in ISO-8601 'basic format'. Got '${f.value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
    case 'badScope':
      return err(c.signature, f.problems.filter((p) => p.part !== 'dateFormat').map(commonScopeMessage).join(' '));
    case 'unsignedHeaders':
      return err(c.signature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    case 'skewed':
      return err(c.signature, skewMessage(f.amzDate, f.now, f.future));
    case 'unknownKey':
    case 'missingToken':
    case 'badToken':
      return err(c.unrecognized, TOKEN_INVALID);
    case 'expiredToken':
      return err(c.expired, TOKEN_EXPIRED);
    default:
      // signatureMismatch; the other kinds left are S3's own checks, which no other service makes.
      return err(c.signature, SIGNATURE_MISMATCH);
  }
}

function commonScopeMessage(p: ScopeProblem): string {
  switch (p.part) {
    case 'region':
      return `Credential should be scoped to a valid region, not '${p.value}'.`;
    case 'service':
      return `Credential should be scoped to correct service: '${p.expected}'.`;
    case 'terminator':
      return `Credential should be scoped with a valid terminator: 'aws4_request', not '${p.value}'.`;
    default:
      return `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${p.value}' != '${p.expected}', from '${p.amzDate}'.`;
  }
}

function skewMessage(amzDate: string, now: number, future: boolean): string {
  const at = formatAmzDate(now - (now % 1000));
  return future
    ? `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now - (now % 1000) + SKEW_MS)} (${at} + 15 min.)`
    : `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - (now % 1000) - SKEW_MS)} (${at} - 15 min.)`;
}

const S3_MALFORMED = 'The authorization header is malformed; ';
const S3_QUERY_CREDENTIAL = 'Error parsing the X-Amz-Credential parameter; ';
const S3_NO_DATE = 'AWS authentication requires a valid Date or x-amz-date header';
const S3_PAYLOAD_HASH =
  'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.';
const S3_CREDENTIAL_FORM = 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".';

const s3 = (code: string, message: string, status = 400, fields: Record<string, unknown> = {}) =>
  new AwsError(code, message, status, 'client', fields);
const queryParams = (message: string) => s3('AuthorizationQueryParametersError', message);
const malformed = (detail: string, fields?: Record<string, unknown>) => s3('AuthorizationHeaderMalformed', S3_MALFORMED + detail, 400, fields);
const denied = (message: string, fields?: Record<string, unknown>) => s3('AccessDenied', message, 403, fields);

function s3Error(f: AuthFailure): AwsError {
  switch (f.kind) {
    case 'missing':
      return denied('Access Denied');
    case 'bothMechanisms':
      return s3('InvalidArgument',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
        400, { ArgumentName: 'Authorization', ArgumentValue: f.authorization });
    case 'signatureV2':
      return s3('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
    case 'unsupportedScheme':
      return s3('InvalidArgument', 'Unsupported Authorization Type', 400, { ArgumentName: 'Authorization', ArgumentValue: f.authorization });
    case 'unsupportedAlgorithm':
      return f.presigned
        ? queryParams('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"')
        : s3('InvalidArgument', 'Unsupported Authorization Type', 400, { ArgumentName: 'Authorization', ArgumentValue: f.authorization });
    case 'notKeyValue':
      return malformed(`the authorization component "${f.component}" is malformed.`);
    case 'incomplete':
      if (f.presigned) {
        return queryParams('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
      }
      return f.missing.length > 0
        ? malformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.')
        : denied(S3_NO_DATE);
    case 'malformedCredential':
      return f.presigned ? queryParams(S3_QUERY_CREDENTIAL + S3_CREDENTIAL_FORM) : malformed(S3_CREDENTIAL_FORM);
    case 'malformedDate':
      return f.presigned ? queryParams(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`) : denied(S3_NO_DATE);
    case 'badExpires':
      return queryParams(f.reason === 'notNumber' ? 'X-Amz-Expires should be a number'
        : f.reason === 'negative' ? 'X-Amz-Expires must be non-negative'
        : 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds');
    case 'badScope':
      return s3ScopeError(f.problems[0], f.presigned);
    case 'unsignedHeaders':
      return denied('There were headers present in the request which were not signed', { HeadersNotSigned: f.names.join(', ') });
    case 'missingContentSha256':
      return s3('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    case 'badContentSha256':
      return s3('InvalidArgument', S3_PAYLOAD_HASH, 400, { ArgumentName: 'x-amz-content-sha256', ArgumentValue: f.value });
    case 'unsupportedPayload':
      return s3('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, { Header: 'x-amz-content-sha256' });
    case 'skewed':
      return s3('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403,
        { RequestTime: f.amzDate, ServerTime: isoSeconds(f.now), MaxAllowedSkewMilliseconds: String(SKEW_MS) });
    case 'presignExpired':
      return denied('Request has expired', { 'X-Amz-Expires': String(f.expires), Expires: isoSeconds(f.expiresAt), ServerTime: isoSeconds(f.now) });
    case 'presignNotYetValid':
      return denied('Request is not yet valid', { 'X-Amz-Date': f.amzDate, ServerTime: isoSeconds(f.now) });
    case 'unknownKey':
    case 'missingToken':
      return s3('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, { AWSAccessKeyId: f.accessKeyId });
    case 'badToken':
      return s3('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400, { 'Token-0': f.token });
    case 'expiredToken':
      return s3('ExpiredToken', 'The provided token has expired.', 400, { 'Token-0': f.token });
    case 'signatureMismatch':
      return s3SignatureMismatch(f);
    case 'contentSha256Mismatch':
      return s3('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400,
        { ClientComputedContentSHA256: f.client, S3ComputedContentSHA256: f.computed });
  }
}

function s3ScopeError(p: ScopeProblem, presigned: boolean): AwsError {
  if (p.part === 'dateMismatch') {
    const message = `Invalid credential date "${p.value}". This date is not the same as X-Amz-Date: "${p.expected}".`;
    return presigned ? queryParams(message) : malformed(message);
  }
  const detail = p.part === 'dateFormat' ? `incorrect date format "${p.value}". This date in the credential must be in the format "yyyyMMdd".`
    : p.part === 'region' ? `the region '${p.value}' is wrong; expecting '${p.expected}'`
    : p.part === 'service' ? `incorrect service "${p.value}". This endpoint belongs to "${p.expected}".`
    : `incorrect terminal "${p.value}". This endpoint uses "aws4_request".`;
  const fields = p.part === 'region' ? { Region: p.expected } : undefined;
  return presigned ? s3('AuthorizationQueryParametersError', S3_QUERY_CREDENTIAL + detail, 400, fields) : malformed(detail, fields);
}

/** S3's mismatch answer carries what it signed, so a client can find its mistake. */
export function s3SignatureMismatch(f: Extract<AuthFailure, { kind: 'signatureMismatch' }>): AwsError {
  const bytes = (s: string) => Buffer.from(s).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  const fields: Record<string, unknown> = {
    AWSAccessKeyId: f.accessKeyId,
    StringToSign: f.stringToSign,
    SignatureProvided: f.provided,
    StringToSignBytes: bytes(f.stringToSign),
  };
  if (f.canonicalRequest !== undefined) {
    fields.CanonicalRequest = f.canonicalRequest;
    fields.CanonicalRequestBytes = bytes(f.canonicalRequest);
  }
  return s3('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403, fields);
}
