// SigV4 verification cost per request (µs, p50/p99): a typical IAM POST, a Personalize JSON POST and
// an S3 presigned GET, each signed once by the AWS SDK's signer and verified many times.
import { pathToFileURL } from 'node:url';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { authenticate } from '../src/auth/authenticate.js';
import type { CredentialSource } from '../src/app.js';
import type { HttpRequest, ProtocolName } from '../src/protocol/types.js';
import { summarise, round, writeResult } from './stats.js';

const KEY = { accessKeyId: 'AKIABENCH00000000001', secretAccessKey: 'bench-secret-0000000000000000000000000000' };
const SIGNED_AT = new Date('2026-01-01T00:00:00Z');
const source: CredentialSource = {
  resolve: (id) => (id === KEY.accessKeyId
    ? { secretAccessKey: KEY.secretAccessKey, principal: { type: 'root', arn: 'arn:aws:iam::000000000000:root', accountId: '000000000000', userId: '000000000000', accessKeyId: id } }
    : undefined),
};

/** The headers the SDK v3 sends besides its signature. */
const SDK_HEADERS = {
  'user-agent': 'aws-sdk-js/3.1169.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2 api/iam#3.1169.0',
  'x-amz-user-agent': 'aws-sdk-js/3.1169.0',
  'amz-sdk-invocation-id': '27846c62-7898-456d-920e-f23b5a90d0ac',
  'amz-sdk-request': 'attempt=1; max=3',
};

interface Case {
  name: string;
  protocol: ProtocolName;
  service: string;
  method: string;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  presign?: number;
}

const CASES: Case[] = [
  {
    name: 'iamPost', protocol: 'awsQuery', service: 'iam', method: 'POST', path: '/',
    headers: { ...SDK_HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Fteam%2F&Tags.member.1.Key=team&Tags.member.1.Value=recs',
  },
  {
    name: 'personalizeJsonPost', protocol: 'awsJson1_1', service: 'personalize', method: 'POST', path: '/',
    headers: { ...SDK_HEADERS, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonPersonalize.CreateCampaign' },
    body: JSON.stringify({
      name: 'movie-recs', solutionVersionArn: 'arn:aws:personalize:us-east-1:000000000000:solution/movies/1a2b3c4d',
      minProvisionedTPS: 1, campaignConfig: { itemExplorationConfig: { explorationWeight: '0.3', explorationItemAgeCutOff: '30' } },
    }),
  },
  {
    name: 's3PresignedGet', protocol: 'restXml', service: 's3', method: 'GET', path: '/bucket/photos/2026/a%20b.jpg',
    query: { 'response-content-type': 'image/jpeg' }, headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' }, body: '', presign: 3600,
  },
];

async function signedRequest(c: Case): Promise<HttpRequest> {
  const s3 = c.service === 's3';
  const signer = new SignatureV4({ service: c.service, region: 'us-east-1', credentials: KEY, sha256: Sha256, uriEscapePath: !s3, applyChecksum: true });
  const request = { method: c.method, protocol: 'http:', hostname: 'localhost', port: 4566, path: c.path, query: c.query ?? {}, headers: { host: 'localhost:4566', ...c.headers }, body: c.body };
  const out = c.presign ? await signer.presign(request, { signingDate: SIGNED_AT, expiresIn: c.presign }) : await signer.sign(request, { signingDate: SIGNED_AT });
  const query = Object.entries(out.query ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
  const headers = Object.fromEntries(Object.entries(out.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return { method: out.method, path: out.path, rawQuery: '', query, headers, body: Buffer.from(c.body), sourceIp: '127.0.0.1', secure: false };
}

function measure(req: HttpRequest, c: Case, n: number): Float64Array {
  const now = new Date(SIGNED_AT.getTime() + 60_000);
  const verify = () => authenticate(req, [source], now, c.protocol, c.service);
  for (let i = 0; i < Math.min(n, 2000); i++) verify();
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    verify();
    out[i] = Number(process.hrtime.bigint() - t);
  }
  return out;
}

export async function run(opts: { n?: number; write?: boolean } = {}) {
  const n = opts.n ?? 20_000;
  const results: Record<string, { n: number; p50Us: number; p99Us: number; meanUs: number }> = {};
  for (const c of CASES) {
    const s = summarise(measure(await signedRequest(c), c, n));
    results[c.name] = { n: s.n, p50Us: round(s.p50Us), p99Us: round(s.p99Us), meanUs: round(s.meanUs) };
  }
  const result = { benchmark: 'sigv4-verification', node: process.version, results };
  if (opts.write ?? true) writeResult('sigv4', result);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await run(), null, 2));
}
