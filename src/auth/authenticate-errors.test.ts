// Every way authentication fails, answered per protocol family with AWS's code, status and message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authenticate, authenticateRequest } from './authenticate.js';
import type { AwsError } from '../shared/aws-error.js';
import type { HttpRequest, ProtocolName } from '../protocol/types.js';
import { fixtureSource, KEY, NOW, signed, TEMP, toHttpRequest, withHeader, withQuery, type SignOptions } from './signing-fixture.js';

const FAMILIES = ['awsQuery', 'awsJson1_1', 'restJson1'] as const;
type Expect = { code: string; status: number; message?: string | RegExp; fields?: Record<string, unknown> };

function failure(req: HttpRequest, protocol: ProtocolName, service: string, now = NOW, region?: string): AwsError {
  try {
    authenticate(req, [fixtureSource()], now, protocol, service, region);
  } catch (e) {
    return e as AwsError;
  }
  assert.fail('authenticated');
}

function check(err: AwsError, want: Expect, label: string) {
  assert.equal(err.code, want.code, label);
  assert.equal(err.status, want.status, `${label}: status`);
  if (typeof want.message === 'string') assert.equal(err.message, want.message, `${label}: message`);
  else if (want.message) assert.match(err.message, want.message, label);
  for (const [k, v] of Object.entries(want.fields ?? {})) assert.equal(err.fields[k], v, `${label}: ${k}`);
}

/** One expectation per family: query (IAM/STS), JSON, REST-JSON. */
async function common(make: (service: string) => Promise<HttpRequest>, [query, json, rest]: [Expect, Expect, Expect], now = NOW, region?: string) {
  for (const [i, protocol] of FAMILIES.entries()) {
    const service = protocol === 'awsQuery' ? 'iam' : 'personalize';
    check(failure(await make(service), protocol, service, now, region), [query, json, rest][i], protocol);
  }
}

const sign = (service: string, o: SignOptions = {}) => signed({ service, body: service === 'iam' ? 'Action=ListUsers&Version=2010-05-08' : '{}', ...o });
const replaceAuth = (req: HttpRequest, from: string | RegExp, to: string) => withHeader(req, 'authorization', req.headers.authorization.replace(from, to));

const INVALID_TOKEN = 'The security token included in the request is invalid.';
const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const trio = (codes: [string, number][], message?: string | RegExp): [Expect, Expect, Expect] =>
  codes.map(([code, status]) => ({ code, status, message })) as [Expect, Expect, Expect];
const UNRECOGNIZED = (m = INVALID_TOKEN) => trio([['InvalidClientTokenId', 403], ['UnrecognizedClientException', 400], ['UnrecognizedClientException', 403]], m);
const SIGNATURE = (m: string | RegExp = MISMATCH) => trio([['SignatureDoesNotMatch', 403], ['InvalidSignatureException', 400], ['InvalidSignatureException', 403]], m);
const INCOMPLETE = (m: string | RegExp) => trio([['IncompleteSignature', 400], ['IncompleteSignatureException', 400], ['IncompleteSignatureException', 403]], m);
const MISSING: [Expect, Expect, Expect] = [
  { code: 'MissingAuthenticationToken', status: 403, message: 'Request is missing Authentication Token' },
  { code: 'MissingAuthenticationTokenException', status: 400, message: 'Request is missing Authentication Token' },
  { code: 'MissingAuthenticationTokenException', status: 403, message: 'Missing Authentication Token' },
];

test('no credentials at all', async () => {
  const bare = async () => toHttpRequest({ method: 'POST', path: '/', query: {}, headers: { host: 'localhost' } }, Buffer.from('{}'));
  await common(bare, MISSING);
  await common(async (s) => withHeader(await sign(s), 'authorization', 'Bearer abc'), MISSING);
  await common(async (s) => withHeader(await sign(s), 'authorization', 'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg='), MISSING);
});

test('an unknown access key', async () => {
  await common((s) => sign(s, { credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } }), UNRECOGNIZED());
});

test('a wrong secret, and any change to what was signed', async () => {
  await common((s) => sign(s, { credentials: { ...KEY, secretAccessKey: 'wrong' } }), SIGNATURE());
  await common(async (s) => ({ ...(await sign(s)), body: Buffer.from('{"changed":1}') }), SIGNATURE());
  await common(async (s) => replaceAuth(await sign(s), /Signature=\w+/, 'Signature=' + '0'.repeat(64)), SIGNATURE());
  await common(async (s) => replaceAuth(await sign(s), /Signature=\w+/, 'Signature=zz'), SIGNATURE());
});

test('the clock: 15 minutes either way, then AWS\'s "Signature expired" / "not yet current"', async () => {
  const old = new Date(NOW.getTime() - 16 * 60_000);
  await common((s) => sign(s, { date: old }),
    SIGNATURE('Signature expired: 20251231T234400Z is now earlier than 20251231T234500Z (20260101T000000Z - 15 min.)'));
  await common((s) => sign(s, { date: new Date(NOW.getTime() + 16 * 60_000) }),
    SIGNATURE('Signature not yet current: 20260101T001600Z is still later than 20260101T001500Z (20260101T000000Z + 15 min.)'));
  // Exactly 15 minutes is still accepted.
  const req = await sign('iam', { date: new Date(NOW.getTime() - 15 * 60_000) });
  assert.equal(authenticate(req, [fixtureSource()], NOW, 'awsQuery', 'iam').accessKeyId, KEY.accessKeyId);
});

test('session tokens: missing, wrong, on a permanent key, expired', async () => {
  await common(async (s) => withHeader(await sign(s, { credentials: { ...TEMP, sessionToken: undefined } }), 'x-amz-security-token', undefined), UNRECOGNIZED());
  await common((s) => sign(s, { credentials: { ...TEMP, sessionToken: 'other' } }), UNRECOGNIZED());
  await common((s) => sign(s, { credentials: { ...KEY, sessionToken: 'stale' } }), UNRECOGNIZED());
  const expired = trio([['ExpiredToken', 403], ['ExpiredTokenException', 400], ['ExpiredTokenException', 403]], 'The security token included in the request is expired');
  const later = new Date(NOW.getTime() + 3600_000);
  await common((s) => sign(s, { credentials: TEMP, date: later }), expired, later);
});

test('malformed Authorization headers', async () => {
  await common(async (s) => replaceAuth(await sign(s), /, Signature=\w+/, ''),
    INCOMPLETE(/^Authorization header requires 'Signature' parameter\. Authorization=AWS4-HMAC-SHA256 Credential=/));
  await common(async (s) => withHeader(replaceAuth(await sign(s), /Credential=\S+ /, ''), 'x-amz-date', undefined),
    INCOMPLETE(/^Authorization header requires 'Credential' parameter\. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=/));
  await common(async (s) => replaceAuth(await sign(s), '/us-east-1/', '/'),
    INCOMPLETE(/^Credential must have exactly 5 slash-delimited elements, e\.g\. keyid\/date\/region\/service\/term, got 'AKIAIOSFODNN7EXAMPLE\/20260101\/(iam|personalize)\/aws4_request'$/));
  await common(async (s) => replaceAuth(await sign(s), 'AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'),
    INCOMPLETE("Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). "));
  await common(async (s) => replaceAuth(await sign(s), 'SignedHeaders=', 'SignedHeaders '),
    INCOMPLETE(/^'SignedHeaders' not a valid key=value pair \(missing equal-sign\) in Authorization header: 'AWS4-HMAC-SHA256 /));
  await common(async (s) => withHeader(await sign(s), 'x-amz-date', '2026-01-01T00:00:00Z'),
    INCOMPLETE("Date must be in ISO-8601 'basic format'. Got '2026-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"));
});

test('a wrong credential scope', async () => {
  await common(() => sign('sts'), SIGNATURE(/^Credential should be scoped to correct service: '(iam|personalize)'\.$/));
  await common(async (s) => replaceAuth(await sign(s), '/20260101/', '/20251231/'),
    SIGNATURE("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20251231' != '20260101', from '20260101T000000Z'."));
  await common(async (s) => replaceAuth(await sign(s), 'aws4_request', 'aws5_request'),
    SIGNATURE("Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."));
  await common((s) => sign(s, { region: 'eu-west-1' }), SIGNATURE("Credential should be scoped to a valid region, not 'eu-west-1'."), NOW, 'us-east-1');
  await common((s) => sign(s, { region: 'Bad_Region' }), SIGNATURE("Credential should be scoped to a valid region, not 'Bad_Region'."));
});

test('host must be signed; both auth mechanisms at once', async () => {
  await common(async (s) => replaceAuth(await sign(s), /SignedHeaders=\S+,/, 'SignedHeaders=x-amz-date,'),
    SIGNATURE("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."));
  await common(async (s) => withQuery(await sign(s), 'X-Amz-Algorithm', 'AWS4-HMAC-SHA256'),
    SIGNATURE("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."));
});

test('presigned URLs missing parameters', async () => {
  await common(async (s) => withQuery(withQuery(await sign(s, { method: 'GET', presign: 60 }), 'X-Amz-Signature', undefined), 'X-Amz-Date', undefined),
    INCOMPLETE("AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters."));
});

// S3 answers in its own words, with its extra fields.
const s3 = (o: SignOptions = {}) => signed({ s3: true, method: 'PUT', path: '/bucket/key', body: 'data', ...o });
const s3Failure = (req: HttpRequest, now = NOW, region?: string) => failure(req, 'restXml', 's3', now, region);

test('S3: keys, signatures, tokens', async () => {
  check(s3Failure(await s3({ credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } })), {
    code: 'InvalidAccessKeyId', status: 403, message: 'The AWS Access Key Id you provided does not exist in our records.', fields: { AWSAccessKeyId: 'AKIAUNKNOWN000000000' },
  }, 'unknown key');
  const wrong = s3Failure(await s3({ credentials: { ...KEY, secretAccessKey: 'wrong' } }));
  check(wrong, { code: 'SignatureDoesNotMatch', status: 403, message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', fields: { AWSAccessKeyId: KEY.accessKeyId } }, 'signature');
  assert.match(String(wrong.fields.StringToSign), /^AWS4-HMAC-SHA256\n20260101T000000Z\n20260101\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/);
  assert.match(String(wrong.fields.CanonicalRequest), /^PUT\n\/bucket\/key\n\nhost:localhost:4566\n/);
  assert.equal(wrong.fields.StringToSignBytes, Buffer.from(String(wrong.fields.StringToSign)).toString('hex').match(/../g)!.join(' '));
  check(s3Failure(withHeader(await s3({ credentials: TEMP }), 'x-amz-security-token', undefined)), { code: 'InvalidAccessKeyId', status: 403 }, 'no token');
  check(s3Failure(await s3({ credentials: { ...TEMP, sessionToken: 'x' } })), { code: 'InvalidToken', status: 400, message: 'The provided token is malformed or otherwise invalid.', fields: { 'Token-0': 'x' } }, 'bad token');
  const later = new Date(NOW.getTime() + 3600_000);
  check(s3Failure(await s3({ credentials: TEMP, date: later }), later), { code: 'ExpiredToken', status: 400, message: 'The provided token has expired.', fields: { 'Token-0': TEMP.sessionToken } }, 'expired');
});

test('S3: the clock and presigned lifetimes', async () => {
  check(s3Failure(await s3({ date: new Date(NOW.getTime() - 901_000) })), {
    code: 'RequestTimeTooSkewed', status: 403, message: 'The difference between the request time and the current time is too large.',
    fields: { RequestTime: '20251231T234459Z', ServerTime: '2026-01-01T00:00:00Z', MaxAllowedSkewMilliseconds: '900000' },
  }, 'skew');
  const url = await s3({ method: 'GET', body: '', presign: 60 });
  assert.equal(authenticateRequest(url, [fixtureSource()], new Date(NOW.getTime() + 60_000), 'restXml', 's3').anonymous, false);
  check(s3Failure(url, new Date(NOW.getTime() + 60_001)), {
    code: 'AccessDenied', status: 403, message: 'Request has expired', fields: { 'X-Amz-Expires': '60', Expires: '2026-01-01T00:01:00Z', ServerTime: '2026-01-01T00:01:00Z' },
  }, 'expired');
  check(s3Failure(url, new Date(NOW.getTime() - 901_000)), { code: 'AccessDenied', status: 403, message: 'Request is not yet valid' }, 'early');
  const params = (message: string) => ({ code: 'AuthorizationQueryParametersError', status: 400, message });
  check(s3Failure(withQuery(url, 'X-Amz-Expires', undefined)), params('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.'), 'no expires');
  check(s3Failure(withQuery(url, 'X-Amz-Expires', '604801')), params('X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds'), 'week');
  check(s3Failure(withQuery(url, 'X-Amz-Expires', '-1')), params('X-Amz-Expires must be non-negative'), 'negative');
  check(s3Failure(withQuery(url, 'X-Amz-Expires', '1h')), params('X-Amz-Expires should be a number'), 'nan');
  check(s3Failure(withQuery(url, 'X-Amz-Date', '2026-01-01')), params(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`), 'date');
  check(s3Failure(withQuery(url, 'X-Amz-Algorithm', 'AWS4-HMAC-SHA1')), params('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"'), 'algorithm');
  check(s3Failure(withQuery(url, 'X-Amz-Credential', `${KEY.accessKeyId}/20260101/us-east-1/ec2/aws4_request`)),
    params('Error parsing the X-Amz-Credential parameter; incorrect service "ec2". This endpoint belongs to "s3".'), 'service');
  check(s3Failure(withQuery(url, 'versionId', 'null')), { code: 'SignatureDoesNotMatch', status: 403 }, 'extra parameter');
});

test('S3: malformed authorization and payload headers', async () => {
  const req = await s3();
  const malformed = (detail: string) => ({ code: 'AuthorizationHeaderMalformed', status: 400, message: 'The authorization header is malformed; ' + detail });
  check(s3Failure(replaceAuth(req, /, Signature=\w+/, '')), malformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.'), 'components');
  check(s3Failure(replaceAuth(req, '/us-east-1/', '/')), malformed('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'), 'credential');
  check(s3Failure(replaceAuth(req, '/20260101/', '/2026010/')), malformed('incorrect date format "2026010". This date in the credential must be in the format "yyyyMMdd".'), 'date format');
  check(s3Failure(replaceAuth(req, '/s3/', '/ec2/')), malformed('incorrect service "ec2". This endpoint belongs to "s3".'), 'service');
  check(s3Failure(replaceAuth(req, 'aws4_request', 'aws4_reques')), malformed('incorrect terminal "aws4_reques". This endpoint uses "aws4_request".'), 'terminal');
  check(s3Failure(replaceAuth(req, '/20260101/', '/20251231/')), malformed('Invalid credential date "20251231". This date is not the same as X-Amz-Date: "20260101".'), 'date');
  check(s3Failure(await s3({ region: 'eu-west-1' }), NOW, 'us-east-1'), { ...malformed("the region 'eu-west-1' is wrong; expecting 'us-east-1'"), fields: { Region: 'us-east-1' } }, 'region');
  check(s3Failure(withHeader(req, 'authorization', 'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=')),
    { code: 'InvalidRequest', status: 400, message: 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.' }, 'v2');
  check(s3Failure(withHeader(req, 'authorization', 'Bearer token')), { code: 'InvalidArgument', status: 400, message: 'Unsupported Authorization Type', fields: { ArgumentName: 'Authorization', ArgumentValue: 'Bearer token' } }, 'bearer');
  check(s3Failure(withQuery(req, 'X-Amz-Algorithm', 'AWS4-HMAC-SHA256')), { code: 'InvalidArgument', status: 400, fields: { ArgumentName: 'Authorization' } }, 'both');
  check(s3Failure(withHeader(req, 'x-amz-date', undefined)), { code: 'AccessDenied', status: 403, message: 'AWS authentication requires a valid Date or x-amz-date header' }, 'no date');
  check(s3Failure(withHeader(req, 'x-amz-content-sha256', undefined)), { code: 'InvalidRequest', status: 400, message: 'Missing required header for this request: x-amz-content-sha256' }, 'no sha');
  check(s3Failure(withHeader(req, 'x-amz-content-sha256', 'abc')), { code: 'InvalidArgument', status: 400, fields: { ArgumentName: 'x-amz-content-sha256', ArgumentValue: 'abc' } }, 'bad sha');
  check(s3Failure(withHeader(req, 'x-amz-content-sha256', 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD')), { code: 'NotImplemented', status: 501 }, 'sigv4a');
  check(s3Failure(withHeader(req, 'x-amz-meta-color', 'red')), { code: 'AccessDenied', status: 403, message: 'There were headers present in the request which were not signed', fields: { HeadersNotSigned: 'x-amz-meta-color' } }, 'unsigned');
  check(s3Failure({ ...req, body: Buffer.from('DATA') }), {
    code: 'XAmzContentSHA256Mismatch', status: 400, message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    fields: { ClientComputedContentSHA256: req.headers['x-amz-content-sha256'] },
  }, 'payload');
});
