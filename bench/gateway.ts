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
import { summarise, round } from './stats.js';

const ROOT = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: 'bench-root-secret-000000000000000000000' };
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

async function signedHeaders(host: string, port: number): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: ROOT, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: host, port, path: '/',
    headers: { host: `${host}:${port}`, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: BODY,
  });
  return signed.headers as Record<string, string>;
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
    const req: HttpRequest = {
      method: 'POST', path: '/', rawQuery: '', query: [], body: Buffer.from(BODY), sourceIp: '127.0.0.1', secure: false,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    };
    const check = await gateway.handle(req);
    if (check.status !== 200) throw new Error(`bench request failed: ${check.status} ${check.body}`);
    const pipeline = summarise(await timeLoop(n, () => gateway.handle(req)));

    await timeHttp(port, headers, 2000);
    await timeHttp(barePort, bareHeaders, 2000);
    const overHttp = summarise(await timeHttp(port, headers, n));
    const bareHttp = summarise(await timeHttp(barePort, bareHeaders, n));
    const result = {
      benchmark: 'gateway: signed sts:GetCallerIdentity (root), keep-alive loopback, sequential',
      requests: n,
      pipelineInProcess: { p50Us: round(pipeline.p50Us), p99Us: round(pipeline.p99Us) },
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
