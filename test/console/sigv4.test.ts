// The page's SigV4 signer against the AWS SDK's, and its SHA-256 fallback against node:crypto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { sign, sha256Hex } from '../../src/console/ui/sigv4.js';
import { hmacSha256, sha256 } from '../../src/console/ui/sha256.js';

const creds = { accessKeyId: 'ASIAEXAMPLE000000001', secretAccessKey: 'secret/with+chars', sessionToken: 'token==' };

test('signatures equal the AWS SDK\'s for query, JSON and S3 requests', async () => {
  const now = new Date('2026-11-27T12:34:56Z');
  const cases = [
    { service: 'iam', method: 'POST', path: '/', query: [] as [string, string][], body: 'Action=ListUsers&Version=2010-05-08', headers: {} as Record<string, string> },
    { service: 'personalize', method: 'POST', path: '/', query: [], body: '{"name":"x"}', headers: { 'x-amz-target': 'AmazonPersonalize.CreateDatasetGroup' } },
    { service: 's3', method: 'GET', path: '/my-bucket', query: [['list-type', '2'], ['prefix', 'a b/ü*']] as [string, string][], body: '', headers: {} },
    { service: 's3', method: 'PUT', path: '/my-bucket/dir/file%20name.csv', query: [], body: 'a,b\n', headers: {} },
  ];
  for (const c of cases) {
    const payloadHash = await sha256Hex(c.body);
    const headers: Record<string, string> = { ...c.headers, ...(c.service === 's3' ? { 'x-amz-content-sha256': payloadHash } : {}) };
    const mine = await sign({ method: c.method, host: '127.0.0.1:4566', path: c.path, query: c.query, headers, payloadHash }, creds, c.service, 'us-east-1', now);
    const signer = new SignatureV4({ service: c.service, region: 'us-east-1', credentials: creds, sha256: Sha256, uriEscapePath: c.service !== 's3', applyChecksum: false });
    const theirs = await signer.sign({
      method: c.method, protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: c.path,
      query: Object.fromEntries(c.query), headers: { host: '127.0.0.1:4566', ...headers }, body: c.body,
    }, { signingDate: now });
    assert.equal(mine.authorization, theirs.headers.authorization, `${c.service} ${c.method} ${c.path}`);
  }
});

test('the SHA-256 and HMAC fallback agree with node:crypto', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 100 }), (data, key) => {
    assert.equal(Buffer.from(sha256(data)).toString('hex'), createHash('sha256').update(data).digest('hex'));
    assert.equal(Buffer.from(hmacSha256(key, data)).toString('hex'), createHmac('sha256', key).update(data).digest('hex'));
  }));
});
