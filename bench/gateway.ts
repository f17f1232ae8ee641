// SigV4 verification + routing + authorisation overhead per request, next to a bare Node HTTP handler in the same run.
import { createServer, request as httpRequest, Agent } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { start } from '../src/main.js';
import { Gateway } from '../src/gateway/pipeline.js';
import type { HttpRequest } from '../src/protocol/types.js';
import { IAMClient, CreateUserCommand, CreatePolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { summarise, round } from './stats.js';

const ROOT = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: 'bench-root-secret-000000000000000000000' };
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const USER_BODY = 'Action=GetUser&Version=2010-05-08';
type Creds = { accessKeyId: string; secretAccessKey: string };

async function signedHeaders(host: string, port: number, creds = ROOT, service = 'sts', body = BODY): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: creds, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: host, port, path: '/',
    headers: { host: `${host}:${port}`, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
  });
  return Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v as string]));
}

/** An IAM user with three attached policies of five statements (one with a condition), allowed iam:GetUser. */
async function benchUser(url: string): Promise<Creds> {
  const iam = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT });
  await iam.send(new CreateUserCommand({ UserName: 'bench' }));
  for (let p = 0; p < 3; p++) {
    const Statement = Array.from({ length: 5 }, (_, i) => ({
      Effect: 'Allow',
      Action: p === 2 && i === 4 ? 'iam:GetUser' : [`personalize:Describe${p}${i}*`, `s3:Get${p}${i}*`],
      Resource: '*',
      ...(p === 0 && i === 0 ? { Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } } : {}),
    }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `bench-${p}`, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement }) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'bench', PolicyArn: Policy!.Arn }));
  }
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'bench' }));
  iam.destroy();
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

async function timeLoop(n: number, fn: () => Promise<unknown>): Promise<Float64Array> {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn();
    out[i] = Number(process.hrtime.bigint() - t);
  }
  return out;
}

async function timeHttp(port: number, headers: Record<string, string>, n: number): Promise<Float64Array> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end(BODY);
    });
    out[i] = Number(process.hrtime.bigint() - t);
  }
  agent.destroy();
  return out;
}

export async function run(opts: { n?: number } = {}) {
  const n = opts.n ?? 20_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'tailor-bench-'));
  const tailor = await start({ dataDir, accountId: '000000000000', host: '127.0.0.1', port: 0 },
    { env: { TAILOR_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, TAILOR_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey }, log: () => {} });
  const port = (tailor.server.address() as AddressInfo).port;
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end('<GetCallerIdentityResponse/>');
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const barePort = (bare.address() as AddressInfo).port;
  try {
    const headers = await signedHeaders('127.0.0.1', port);
    const bareHeaders = await signedHeaders('127.0.0.1', barePort);

    // In process: the whole pipeline on an already-read request (route, SigV4, parse, authorise, serialise).
    const gateway = new Gateway(tailor.app);
    const inProcess = async (hdrs: Record<string, string>, body: string) => {
      const req: HttpRequest = { method: 'POST', path: '/', rawQuery: '', query: [], body: Buffer.from(body), sourceIp: '127.0.0.1', secure: false, headers: hdrs };
      const check = await gateway.handle(req);
      if (check.status !== 200) throw new Error(`bench request failed: ${check.status} ${check.body}`);
      return summarise(await timeLoop(n, () => gateway.handle(req)));
    };
    const pipeline = await inProcess(headers, BODY);
    const user = await benchUser(tailor.url);
    const userPipeline = await inProcess(await signedHeaders('127.0.0.1', port, user, 'iam', USER_BODY), USER_BODY);

    await timeHttp(port, headers, 2000);
    await timeHttp(barePort, bareHeaders, 2000);
    const overHttp = summarise(await timeHttp(port, headers, n));
    const bareHttp = summarise(await timeHttp(barePort, bareHeaders, n));
    const result = {
      benchmark: 'gateway: signed sts:GetCallerIdentity (root), keep-alive loopback, sequential',
      requests: n,
      pipelineInProcess: { p50Us: round(pipeline.p50Us), p99Us: round(pipeline.p99Us) },
      userWithPoliciesInProcess: { what: 'iam:GetUser by a user with 3 policies x 5 statements', p50Us: round(userPipeline.p50Us), p99Us: round(userPipeline.p99Us) },
      tailorHttp: { p50Us: round(overHttp.p50Us), p99Us: round(overHttp.p99Us) },
      bareNodeHttp: { p50Us: round(bareHttp.p50Us), p99Us: round(bareHttp.p99Us) },
      overheadVsBare: { p50Us: round(overHttp.p50Us - bareHttp.p50Us), p99Us: round(overHttp.p99Us - bareHttp.p99Us) },
    };
    return result;
  } finally {
    bare.close();
    await tailor.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
