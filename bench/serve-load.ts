// The serving benchmark's load generator: SigV4-signed requests prepared before the run (signing
// is the client's cost, not the server's), sent over several keep-alive connections on loopback,
// each connection one request at a time. A minimal HTTP/1.1 client over raw sockets keeps the
// generator's own cost per request well below the server's.
import { connect, type Socket } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { summarise } from './stats.js';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A signed POST of a JSON body, as the bytes that go on the wire. */
export async function signedRequest(port: number, creds: Creds, path: string, body: string): Promise<Buffer> {
  const host = `127.0.0.1:${port}`;
  const signer = new SignatureV4({ service: 'personalize', region: 'us-east-1', credentials: creds, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path,
    headers: { host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, body,
  });
  const head = Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');
  return Buffer.from(`POST ${path} HTTP/1.1\r\n${head}\r\n\r\n${body}`);
}

export interface LoadResult {
  requests: number;
  rps: number;
  errors: number;
  firstError?: string;
  p50Us: number;
  p99Us: number;
  p999Us: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Runs `requests` round robin over `connections` connections for `seconds` (after `warmup` seconds not counted). */
export async function runLoad(port: number, requests: Buffer[], opts: { connections: number; seconds: number; warmup: number }): Promise<LoadResult> {
  let next = 0;
  let samples = new Float64Array(1 << 20);
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const measureFrom = t0 + opts.warmup * 1000;
  const end = measureFrom + opts.seconds * 1000;
  const record = (sentAt: number, now: number) => {
    if (sentAt < measureFrom) return;
    if (count === samples.length) {
      const s = new Float64Array(samples.length * 2);
      s.set(samples);
      samples = s;
    }
    samples[count++] = (now - sentAt) * 1e6; // ns
  };
  const connection = () => new Promise<void>((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let buf = Buffer.alloc(0);
    let sentAt = 0;
    const send = () => {
      if (performance.now() >= end) {
        socket.end();
        return resolve();
      }
      sentAt = performance.now();
      socket.write(requests[next++ % requests.length]);
    };
    socket.on('connect', send);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      const h = buf.indexOf(HEADER_END);
      if (h < 0) return;
      const head = buf.toString('latin1', 0, h);
      const m = /content-length:\s*(\d+)/i.exec(head);
      if (!m) return reject(new Error(`response without content-length: ${head}`));
      const total = h + 4 + Number(m[1]);
      if (buf.length < total) return;
      const status = Number(head.slice(9, 12));
      if (status !== 200) {
        errors++;
        firstError ??= `${status} ${buf.toString('utf8', h + 4, total)}`;
      }
      record(sentAt, performance.now());
      buf = buf.subarray(total);
      send();
    });
  });
  await Promise.all(Array.from({ length: opts.connections }, connection));
  const s = summarise(samples.subarray(0, count));
  return { requests: count, rps: count / opts.seconds, errors, firstError, p50Us: s.p50Us, p99Us: s.p99Us, p999Us: s.p999Us };
}
