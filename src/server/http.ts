import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { HttpRequest, HttpResponse } from '../protocol/types.js';
import { MAX_BODY_BYTES } from '../shared/limits.js';


export type Handler = (req: HttpRequest) => Promise<HttpResponse>;

/** node:http adapter: reads the request, hands it on, writes the answer. Knows nothing of AWS. */
export function startServer(handler: Handler, routes: Record<string, () => HttpResponse>): Server {
  return createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const fixed = routes[path];
    if (fixed) return write(res, fixed());
    // PUT bodies (S3 objects and parts) may be gigabytes: they stay a stream for the gateway to route.
    const streamed = req.method === 'PUT';
    (streamed ? Promise.resolve(EMPTY) : readBody(req, res)).then(async (body) => {
      if (!body) return;
      const rawQuery = q < 0 ? '' : url.slice(q + 1);
      const headers: Record<string, string> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i].toLowerCase();
        // Repeated headers are joined with ',' (as SigV4's canonical form expects).
        headers[name] = name in headers ? `${headers[name]},${req.rawHeaders[i + 1]}` : req.rawHeaders[i + 1];
      }
      const request: HttpRequest = {
        method: req.method ?? 'GET',
        path,
        rawQuery,
        query: parseQuery(rawQuery),
        headers,
        body,
        stream: streamed ? req : undefined,
        sourceIp: normaliseIp(req.socket.remoteAddress ?? ''),
        secure: false,
      };
      write(res, await handler(request));
      // A streamed body the operation never read (an error, a non-streaming PUT) is drained, not left hanging.
      if (streamed && !req.readableEnded) req.resume();
    }).catch((e) => {
      res.destroy(e as Error);
    });
  });
}

function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    tooLarge(res);
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge(res);
        req.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tooLarge(res: ServerResponse) {
  if (res.headersSent) return;
  res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
  res.end('Request Entity Too Large');
}

const EMPTY = Buffer.alloc(0);

function write(res: ServerResponse, out: HttpResponse) {
  if (out.body instanceof Readable) {
    const body = out.body;
    res.writeHead(out.status, out.headers);
    body.on('error', (e) => res.destroy(e));
    res.on('close', () => body.destroy());
    body.pipe(res);
    return;
  }
  const body = out.body;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  // HEAD and 304 answers carry the entity's length with no body: keep the length the handler gave.
  const length = size === 0 && out.headers['content-length'] !== undefined ? out.headers['content-length'] : String(size);
  // Each answer's headers are its own object: set the length on it rather than copy it.
  out.headers['content-length'] = length;
  res.writeHead(out.status, out.headers);
  // A string body goes out in the same write as the headers (a Buffer would take a second one).
  res.end(body);
}

function parseQuery(raw: string): [string, string][] {
  if (!raw) return [];
  return raw.split('&').filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    const k = eq < 0 ? pair : pair.slice(0, eq);
    const v = eq < 0 ? '' : pair.slice(eq + 1);
    return [decode(k), decode(v)];
  });
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, so aws:SourceIp conditions on IPv4 ranges match. */
const normaliseIp = (ip: string) => (ip.startsWith('::ffff:') ? ip.slice(7) : ip);
