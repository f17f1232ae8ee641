/**
 * Test support: drives real AWS SDK v3 clients without a network. `capture` returns the HTTP request the
 * SDK would send, in the server's HttpRequest form; `replay` feeds a response to the SDK and returns what
 * the SDK makes of it (its output, or the error it throws).
 */
import { Readable } from 'node:stream';
import type { HttpRequest, HttpResponse } from './types.js';

interface SdkRequest {
  method: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

type Handler = (req: SdkRequest) => Promise<{ statusCode: number; headers: Record<string, string>; body: unknown }>;

/** Client options that make a client talk to `handler` instead of the network. */
export function offline(handler: Handler, extra: Record<string, unknown> = {}) {
  return {
    region: 'us-east-1',
    endpoint: 'http://localhost:4599',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (req: SdkRequest) => ({ response: await handler(req) }),
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
    ...extra,
  };
}

const escape = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  // Not Buffer.from(body): it calls valueOf(), which the SDK's JSON body adapter turns into a string.
  if (body instanceof Uint8Array) return Buffer.from(Uint8Array.prototype.slice.call(body).buffer);
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** The SDK's request as the server would read it off the wire. */
export async function toServerRequest(req: SdkRequest): Promise<HttpRequest> {
  const query: [string, string][] = [];
  const raw: string[] = [];
  for (const key of Object.keys(req.query ?? {}).sort()) {
    const v = req.query![key];
    for (const value of Array.isArray(v) ? v : [v]) {
      query.push([key, value ?? '']);
      raw.push(value === null ? escape(key) : `${escape(key)}=${escape(value)}`);
    }
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  headers.host ??= req.port ? `${req.hostname}:${req.port}` : req.hostname;
  return { method: req.method, path: req.path, rawQuery: raw.join('&'), query, headers, body: await bodyBytes(req.body), sourceIp: '127.0.0.1', secure: false };
}

class Captured extends Error {
  constructor(readonly request: HttpRequest) { super('captured'); }
}

type AnyClient = { send(command: unknown): Promise<unknown> };
type ClientCtor = new (config: any) => AnyClient;

/** The request the SDK builds for `command`. */
export async function capture(Client: ClientCtor, command: unknown, extra?: Record<string, unknown>): Promise<HttpRequest> {
  const client = new Client(offline(async (req) => { throw new Captured(await toServerRequest(req)); }, extra));
  try {
    await client.send(command);
  } catch (e) {
    if (e instanceof Captured) return e.request;
    throw e;
  }
  throw new Error('the SDK sent no request');
}

/** What the SDK makes of `response` to `command`: `{ output }` or `{ error }`. */
export async function replay(Client: ClientCtor, command: unknown, response: HttpResponse, extra?: Record<string, unknown>) {
  const client = new Client(offline(async () => {
    const bytes = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
    return { statusCode: response.status, headers: { ...response.headers }, body: Readable.from([bytes]) };
  }, extra));
  try {
    return { output: (await client.send(command)) as Record<string, any>, error: undefined };
  } catch (error) {
    return { output: undefined, error: error as Error & Record<string, any> };
  }
}
