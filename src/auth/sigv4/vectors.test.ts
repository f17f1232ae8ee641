// AWS's published SigV4 examples: the signature test suite (service "service") and the S3 API
// reference's worked examples. Each must verify as published.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authenticateRequest, type Authenticated } from '../authenticate.js';
import { decodeAwsChunked } from '../aws-chunked.js';
import type { CredentialSource } from '../../app.js';
import type { HttpRequest } from '../../protocol/types.js';
import { principal } from '../signing-fixture.js';

const SUITE_KEY = { id: 'AKIDEXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const S3_KEY = { id: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const source = (k: { id: string; secret: string }): CredentialSource => ({
  resolve: (id) => (id === k.id ? { secretAccessKey: k.secret, principal: principal(k.id) } : undefined),
});

function request(method: string, path: string, query: [string, string][], headers: Record<string, string>, body = ''): HttpRequest {
  return { method, path, rawQuery: '', query, headers, body: Buffer.from(body), sourceIp: '127.0.0.1', secure: true };
}

const SUITE_DATE = '20150830T123600Z';
const suiteAuth = (signed: string, signature: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signed}, Signature=${signature}`;

// [name, method, path, query, extra headers, body, signed headers, signature]
const SUITE: [string, string, string, [string, string][], Record<string, string>, string, string, string][] = [
  ['get-vanilla', 'GET', '/', [], {}, '', 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
  ['post-vanilla', 'POST', '/', [], {}, '', 'host;x-amz-date', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
  ['get-unreserved', 'GET', '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', [], {}, '', 'host;x-amz-date',
    '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f'],
  ['get-utf8', 'GET', '/ሴ', [], {}, '', 'host;x-amz-date', '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85'],
  ['get-vanilla-empty-query-key', 'GET', '/', [['Param1', 'value1']], {}, '', 'host;x-amz-date',
    'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb'],
  ['get-vanilla-query-order-key-case', 'GET', '/', [['Param2', 'value2'], ['Param1', 'value1']], {}, '', 'host;x-amz-date',
    'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
  ['get-vanilla-query-unreserved', 'GET', '/',
    [['-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz']],
    {}, '', 'host;x-amz-date', '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197'],
  ['get-vanilla-utf8-query', 'GET', '/', [['ሴ', 'bar']], {}, '', 'host;x-amz-date', '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04'],
  ['get-header-key-duplicate', 'GET', '/', [], { 'my-header1': 'value2,value2,value1' }, '', 'host;my-header1;x-amz-date',
    'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea'],
  ['get-header-value-order', 'GET', '/', [], { 'my-header1': 'value4,value1,value3,value2' }, '', 'host;my-header1;x-amz-date',
    '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01'],
  ['get-header-value-trim', 'GET', '/', [], { 'my-header1': 'value1', 'my-header2': '"a   b   c"' }, '', 'host;my-header1;my-header2;x-amz-date',
    'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736'],
  ['post-header-key-sort', 'POST', '/', [], { 'my-header1': 'value1' }, '', 'host;my-header1;x-amz-date',
    'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c'],
  ['post-header-value-case', 'POST', '/', [], { 'my-header1': 'VALUE1' }, '', 'host;my-header1;x-amz-date',
    'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d'],
  ['post-vanilla-query', 'POST', '/', [['Param1', 'value1']], {}, '', 'host;x-amz-date', '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11'],
  ['post-vanilla-query-nonunreserved', 'POST', '/', [['@#$%^', ''], ['+', '/,?><`";:\\|][{}']], {}, '', 'host;x-amz-date',
    '66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e'],
  ['post-x-www-form-urlencoded', 'POST', '/', [], { 'content-type': 'application/x-www-form-urlencoded' }, 'Param1=value1',
    'content-type;host;x-amz-date', 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a'],
  ['post-x-www-form-urlencoded-parameters', 'POST', '/', [], { 'content-type': 'application/x-www-form-urlencoded; charset=utf8' },
    'Param1=value1', 'content-type;host;x-amz-date', '1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe'],
  // normalize-path: these paths all sign as `/`, as get-vanilla does.
  ['get-relative', 'GET', '/example/..', [], {}, '', 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
  ['get-relative-relative', 'GET', '/example1/example2/../..', [], {}, '', 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
  ['get-slash', 'GET', '//', [], {}, '', 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
  ['get-slash-dot-slash', 'GET', '/./', [], {}, '', 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
];

for (const [name, method, path, query, extra, body, signedHeaders, signature] of SUITE) {
  test(`signature test suite: ${name}`, () => {
    const headers = { host: 'example.amazonaws.com', 'x-amz-date': SUITE_DATE, ...extra, authorization: suiteAuth(signedHeaders, signature) };
    const result = authenticateRequest(request(method, path, query, headers, body), [source(SUITE_KEY)],
      new Date('2015-08-30T12:36:00Z'), 'awsJson1_1', 'service') as Authenticated;
    assert.equal(result.principal.accessKeyId, 'AKIDEXAMPLE');
  });
}

test('signature test suite: post-sts-header-before (session token signed)', () => {
  const token = 'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';
  const src: CredentialSource = { resolve: () => ({ secretAccessKey: SUITE_KEY.secret, principal: principal('AKIDEXAMPLE'), sessionToken: token }) };
  const headers = {
    host: 'example.amazonaws.com', 'x-amz-date': SUITE_DATE, 'x-amz-security-token': token,
    authorization: suiteAuth('host;x-amz-date;x-amz-security-token', '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead'),
  };
  assert.equal(authenticateRequest(request('POST', '/', [], headers), [src], new Date('2015-08-30T12:40:00Z'), 'awsQuery', 'service').anonymous, false);
});

// The S3 API reference's examples ("Signature Calculations for the Authorization Header", "Authenticating
// Requests: Using Query Parameters", "Transferring Payload in Multiple Chunks"), all at 2013-05-24T00:00:00Z.
const S3_NOW = new Date('2013-05-24T00:00:00Z');
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const s3Auth = (signed: string, signature: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signed},Signature=${signature}`;
const s3Headers = (more: Record<string, string>) => ({ host: 'examplebucket.s3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-content-sha256': EMPTY, ...more });
const s3Verify = (req: HttpRequest) => authenticateRequest(req, [source(S3_KEY)], S3_NOW, 'restXml', 's3') as Authenticated;

test('S3 example: GET Object with a range', () => {
  const headers = s3Headers({ range: 'bytes=0-9', authorization: s3Auth('host;range;x-amz-content-sha256;x-amz-date', 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41') });
  assert.equal(s3Verify(request('GET', '/test.txt', [], headers)).principal.accessKeyId, S3_KEY.id);
});

test('S3 example: PUT Object (a key with $, a Date header)', () => {
  const headers = s3Headers({
    date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
    authorization: s3Auth('date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class', '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd'),
  });
  assert.equal(s3Verify(request('PUT', '/test%24file.text', [], headers, 'Welcome to Amazon S3.')).anonymous, false);
  assert.throws(() => s3Verify(request('PUT', '/test%24file.text', [], headers, 'Welcome to Amazon S4.')), { name: 'XAmzContentSHA256Mismatch' });
});

test('S3 example: GET Bucket lifecycle and List Objects', () => {
  const basic = 'host;x-amz-content-sha256;x-amz-date';
  s3Verify(request('GET', '/', [['lifecycle', '']], s3Headers({ authorization: s3Auth(basic, 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543') })));
  s3Verify(request('GET', '/', [['max-keys', '2'], ['prefix', 'J']], s3Headers({ authorization: s3Auth(basic, '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7') })));
});

test('S3 example: presigned GET Object', () => {
  const query: [string, string][] = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'], ['X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request'],
    ['X-Amz-Date', '20130524T000000Z'], ['X-Amz-Expires', '86400'], ['X-Amz-SignedHeaders', 'host'],
    ['X-Amz-Signature', 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404'],
  ];
  const req = request('GET', '/test.txt', query, { host: 'examplebucket.s3.amazonaws.com' });
  assert.equal(s3Verify(req).anonymous, false);
  // Valid to the end of its last second, then "Request has expired".
  assert.equal(authenticateRequest(req, [source(S3_KEY)], new Date(S3_NOW.getTime() + 86_400_000), 'restXml', 's3').anonymous, false);
  assert.throws(() => authenticateRequest(req, [source(S3_KEY)], new Date(S3_NOW.getTime() + 86_401_000), 'restXml', 's3'),
    { name: 'AccessDenied', message: 'Request has expired' });
});

const A = Buffer.alloc(65536 + 1024, 'a');
function chunkedBody(signatures: string[], trailers: string[] = []): Buffer {
  const [s1, s2, s3] = signatures.map((s) => `;chunk-signature=${s}`);
  return Buffer.concat([
    Buffer.from(`10000${s1}\r\n`), A.subarray(0, 65536), Buffer.from(`\r\n400${s2}\r\n`), A.subarray(0, 1024),
    Buffer.from(`\r\n0${s3}\r\n` + trailers.map((t) => t + '\r\n').join('') + '\r\n'),
  ]);
}

test('S3 example: PUT Object in signed chunks', () => {
  const body = chunkedBody(['ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497', 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9']);
  assert.equal(body.length, 66824);
  const headers = {
    host: 's3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-storage-class': 'REDUCED_REDUNDANCY', 'content-encoding': 'aws-chunked',
    'content-length': '66824', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': '66560',
    authorization: s3Auth('content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class',
      '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9'),
  };
  const auth = s3Verify(request('PUT', '/examplebucket/chunkObject.txt', [], headers, body.toString('latin1')));
  assert.equal(auth.chunked?.mode, 'signed');
  assert.equal(auth.chunked?.decodedLength, 66560);
  assert.deepEqual(decodeAwsChunked(body, auth.chunked!).body, A);
});

test('S3 example: PUT Object in signed chunks with a signed trailer', () => {
  const body = chunkedBody(['b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
    '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7', '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992'],
  ['x-amz-checksum-crc32c:sOO8/Q==', 'x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435']);
  const headers = {
    host: 's3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-storage-class': 'REDUCED_REDUNDANCY', 'content-encoding': 'aws-chunked',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': '66560', 'x-amz-trailer': 'x-amz-checksum-crc32c',
    authorization: s3Auth('content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer',
      '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e'),
  };
  const auth = s3Verify(request('PUT', '/examplebucket/chunkObject.txt', [], headers, body.toString('latin1')));
  const decoded = decodeAwsChunked(body, auth.chunked!);
  assert.deepEqual(decoded.body, A);
  assert.deepEqual(decoded.trailers, { 'x-amz-checksum-crc32c': 'sOO8/Q==' });
});
