// Requests signed by the AWS SDK's signer (and by real SDK clients) verify, in every mode Tailor serves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { authenticate, authenticateRequest, type Authenticated } from './authenticate.js';
import { readScope } from './sigv4/parse.js';
import type { ProtocolName, HttpRequest } from '../protocol/types.js';
import { escape, fixtureSource, KEY, NOW, signed, TEMP, toHttpRequest, type SignOptions } from './signing-fixture.js';

const verify = (req: HttpRequest, protocol: ProtocolName, service: string, now = NOW) =>
  authenticateRequest(req, [fixtureSource()], now, protocol, service) as Authenticated;

test('header auth for each protocol family', async () => {
  const cases: [ProtocolName, string, SignOptions][] = [
    ['awsQuery', 'iam', { body: 'Action=ListUsers&Version=2010-05-08', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } }],
    ['awsQuery', 'sts', { body: 'Action=GetCallerIdentity&Version=2011-06-15' }],
    ['awsJson1_1', 'kms', { body: '{"KeyId":"alias/x"}', headers: { 'x-amz-target': 'TrentService.DescribeKey', 'content-type': 'application/x-amz-json-1.1' } }],
    ['awsJson1_1', 'personalize', { body: '{}', headers: { 'x-amz-target': 'AmazonPersonalize.ListCampaigns' } }],
    ['restJson1', 'personalize', { path: '/recommendations', body: '{"campaignArn":"arn:aws:personalize:us-east-1:000000000000:campaign/c"}' }],
    ['restJson1', 'personalize', { path: '/events', body: '{"trackingId":"t","sessionId":"s","eventList":[]}' }],
  ];
  for (const [protocol, service, options] of cases) {
    const req = await signed({ service, ...options });
    const result = verify(req, protocol, service);
    assert.equal(result.principal.accessKeyId, KEY.accessKeyId, `${protocol} ${service}`);
    assert.deepEqual(result.scope, { accessKeyId: KEY.accessKeyId, date: '20260101', region: 'us-east-1', service });
    assert.equal(authenticate(req, [fixtureSource()], NOW, protocol, service).userName, 'alice');
  }
});

test('readScope reads the credential scope of header and presigned requests without verifying', async () => {
  const scope = { accessKeyId: KEY.accessKeyId, date: '20260101', region: 'eu-west-1', service: 'personalize' };
  assert.deepEqual(readScope(await signed({ service: 'personalize', region: 'eu-west-1' })), scope);
  assert.deepEqual(readScope(await signed({ service: 'personalize', region: 'eu-west-1', method: 'GET', presign: 60 })), scope);
  assert.equal(readScope(toHttpRequest({ method: 'GET', path: '/', query: {}, headers: {} }, Buffer.alloc(0))), undefined);
  assert.equal(readScope(toHttpRequest({ method: 'GET', path: '/', query: {}, headers: { authorization: 'Bearer x' } }, Buffer.alloc(0))), undefined);
});

test('temporary credentials with their session token', async () => {
  const req = await signed({ service: 'sts', credentials: TEMP, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
  assert.equal(req.headers['x-amz-security-token'], TEMP.sessionToken);
  assert.equal(verify(req, 'awsQuery', 'sts').principal.accessKeyId, TEMP.accessKeyId);
  const presigned = await signed({ service: 'sts', credentials: TEMP, method: 'GET', presign: 900, query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } });
  assert.equal(verify(presigned, 'awsQuery', 'sts').principal.accessKeyId, TEMP.accessKeyId);
});

test('presigned URLs of other services are valid for 15 minutes whatever X-Amz-Expires says', async () => {
  const req = await signed({ service: 'sts', method: 'GET', presign: 60, query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } });
  assert.equal(verify(req, 'awsQuery', 'sts', new Date(NOW.getTime() + 900_000)).anonymous, false);
  assert.throws(() => verify(req, 'awsQuery', 'sts', new Date(NOW.getTime() + 901_000)), { name: 'SignatureDoesNotMatch' });
});

const KEYS = ['a b', 'a+b', 'ü/中', '100%', "!*'()", 'a~b', 'a=b&c', 'a:b@c$d,e;f', 'a//b', 'a?b#c', 'dir/', ' lead', 'x%2Fy'];

test('S3 keys of every kind, signed with the path as sent (header auth, presigned)', async () => {
  for (const key of KEYS) {
    const path = '/bucket/' + key.split('/').map(escape).join('/');
    const put = await signed({ s3: true, method: 'PUT', path, body: 'content', headers: { 'content-type': 'text/plain' } });
    assert.equal(put.headers['x-amz-content-sha256'], createHash('sha256').update('content').digest('hex'));
    assert.equal(verify(put, 'restXml', 's3').anonymous, false, key);
    const get = await signed({ s3: true, method: 'GET', path, presign: 3600, query: { versionId: 'v+1', 'response-content-disposition': 'attachment; filename="a b.txt"' } });
    const result = verify(get, 'restXml', 's3');
    assert.equal(result.anonymous, false, key);
    assert.equal((result as Authenticated).chunked, undefined);
  }
});

test('S3 UNSIGNED-PAYLOAD and query parameters with special characters', async () => {
  const req = await signed({
    s3: true, method: 'PUT', path: '/bucket/k', body: 'anything', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    query: { partNumber: '1', uploadId: 'a/b+c=d&e', 'prefix': 'ü é', list: ['2', '1', ''] },
  });
  assert.equal(verify(req, 'restXml', 's3').anonymous, false);
  // The body is not signed: another body still verifies.
  assert.equal(verify({ ...req, body: Buffer.from('other') }, 'restXml', 's3').anonymous, false);
});

test('non-S3 paths are encoded twice, and query values of any character verify', async () => {
  const req = await signed({
    service: 'personalize', method: 'GET', path: '/recommendations/a%20b/%C3%BC', query: { 'a b': 'c+d/é', x: ['2', '1'], empty: '' },
  });
  assert.equal(verify(req, 'restJson1', 'personalize').anonymous, false);
});

test('S3 streaming uploads return what the aws-chunked decoder needs', async () => {
  const headers = { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '5', 'x-amz-trailer': 'x-amz-checksum-crc32' };
  const result = verify(await signed({ s3: true, method: 'PUT', path: '/b/k', headers, body: '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n' }), 'restXml', 's3');
  assert.deepEqual(result.chunked, { mode: 'unsigned-trailer', signing: undefined, decodedLength: 5 });
  const signedMode = verify(await signed({ s3: true, method: 'PUT', path: '/b/k', headers: { ...headers, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' } }), 'restXml', 's3');
  assert.equal(signedMode.chunked?.mode, 'signed');
  assert.equal(signedMode.chunked?.signing?.scope, '20260101/us-east-1/s3/aws4_request');
  assert.match(signedMode.chunked?.signing?.seed ?? '', /^[0-9a-f]{64}$/);
});

test('an unsigned S3 request is anonymous; authenticate() refuses it', async () => {
  const req = toHttpRequest({ method: 'GET', path: '/public/key', query: {}, headers: { host: 'localhost' } }, Buffer.alloc(0));
  assert.deepEqual(authenticateRequest(req, [fixtureSource()], NOW, 'restXml', 's3'), { anonymous: true });
  assert.throws(() => authenticate(req, [fixtureSource()], NOW, 'restXml', 's3'), { name: 'AccessDenied', message: 'Access Denied', status: 403 });
});

test('a key made inactive or deleted fails on the very next request', async () => {
  const source = fixtureSource();
  const req = await signed({ service: 'iam', body: 'Action=ListUsers&Version=2010-05-08' });
  assert.equal(authenticate(req, [source], NOW, 'awsQuery', 'iam').accessKeyId, KEY.accessKeyId);
  source.keys.delete(KEY.accessKeyId);
  assert.throws(() => authenticate(req, [source], NOW, 'awsQuery', 'iam'), { name: 'InvalidClientTokenId' });
});

test('sources are asked in order', async () => {
  const req = await signed({ service: 'iam' });
  const asked: string[] = [];
  const first = { resolve: (id: string) => void asked.push(`first:${id}`) };
  const result = authenticateRequest(req, [first, fixtureSource()], NOW, 'awsQuery', 'iam');
  assert.equal(result.anonymous, false);
  assert.deepEqual(asked, [`first:${KEY.accessKeyId}`]);
});

/** Captures what a real SDK client sends, as the server would read it. */
function capturing(): { handler: { handle: (r: any) => Promise<never> }; requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    handler: {
      handle: async (r: any) => {
        requests.push(toHttpRequest(r, Buffer.from(r.body ?? '')));
        throw new Error('captured');
      },
    },
  };
}

test('requests of the real IAM and STS clients verify', async () => {
  const iam = capturing();
  const sts = capturing();
  const config = { region: 'eu-west-1', endpoint: 'http://localhost:4566', credentials: TEMP, maxAttempts: 1 };
  await new IAMClient({ ...config, requestHandler: iam.handler }).send(new ListUsersCommand({ PathPrefix: '/a b/+é/' })).catch(() => {});
  await new STSClient({ ...config, requestHandler: sts.handler }).send(new GetCallerIdentityCommand({})).catch(() => {});
  const now = new Date();
  assert.equal(authenticate(iam.requests[0], [fixtureSource(new Date(now.getTime() + 3600_000))], now, 'awsQuery', 'iam').accessKeyId, TEMP.accessKeyId);
  assert.equal(authenticate(sts.requests[0], [fixtureSource(new Date(now.getTime() + 3600_000))], now, 'awsQuery', 'sts').accessKeyId, TEMP.accessKeyId);
});
