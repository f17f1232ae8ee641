import { sign, sha256Hex, uriEncode, type Credentials } from './sigv4.js';
import { loadModel } from './model.js';
import { buildRequest, parseError, parseOutput, type WireRequest, type WireResponse } from './protocols.js';

export type Service = 'iam' | 'sts' | 's3' | 'kms' | 'personalize' | 'personalize-runtime' | 'personalize-events';

/** A failed call, with AWS's error code, message and HTTP status exactly as the service answered. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
    this.name = 'ApiError';
  }
}

export const REGION = 'us-east-1';

/** The signed-in session's temporary credentials (set by the sign-in screen and after a reload). */
let current: (Credentials & { principalArn: string; accountId: string }) | undefined;

export function setSession(s: typeof current): void {
  current = s;
}

export function session(): Readonly<NonNullable<typeof current>> {
  if (!current) throw new ApiError('NotSignedIn', 'Sign in first.', 401);
  return current;
}

/** Calls one AWS operation as the signed-in principal; resolves with its output, or throws ApiError. */
export async function call<T = any>(service: Service, operation: string, input: Record<string, unknown>): Promise<T> {
  const model = await loadModel(service);
  const req = buildRequest(model, operation, input);
  const res = await send(req, model.signingName);
  if (res.status >= 300) {
    const e = parseError(res);
    throw new ApiError(e.code, e.message, res.status);
  }
  return parseOutput(model, operation, res) as T;
}

/** The headers a request needs to go out signed. */
async function signedHeaders(req: WireRequest, signingName: string): Promise<Record<string, string>> {
  const creds = session();
  // Large uploads are not hashed in the page: S3 accepts UNSIGNED-PAYLOAD over the same SigV4 signature.
  const payloadHash = req.body instanceof Blob ? 'UNSIGNED-PAYLOAD' : await sha256Hex(req.body ?? '');
  const headers: Record<string, string> = { ...req.headers };
  if (signingName === 's3') headers['x-amz-content-sha256'] = payloadHash;
  // Only host and x-amz-* are signed: the browser may rewrite content-type on the way out.
  const toSign = Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith('x-amz-')));
  const added = await sign({ method: req.method, host: location.host, path: req.path, query: req.query, headers: toSign, payloadHash }, creds, signingName, REGION);
  return { ...headers, ...added };
}

const urlOf = (req: WireRequest) =>
  req.path + (req.query.length ? '?' + req.query.map(([k, v]) => (v === '' ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(v)}`)).join('&') : '');

async function send(req: WireRequest, signingName: string): Promise<WireResponse> {
  const headers = await signedHeaders(req, signingName);
  const r = await fetch(urlOf(req), { method: req.method, headers, body: req.body, credentials: 'omit', cache: 'no-store' });
  return { status: r.status, headers: (n) => r.headers.get(n), text: await r.text() };
}

/** S3 PutObject through XMLHttpRequest, whose upload events report progress (fetch has none). */
export async function putObject(bucket: string, key: string, file: Blob, onProgress: (sent: number, total: number) => void): Promise<void> {
  const model = await loadModel('s3');
  const req = buildRequest(model, 'PutObject', { Bucket: bucket, Key: key, Body: file, ContentType: file.type || undefined });
  const headers = await signedHeaders(req, 's3');
  const res = await new Promise<WireResponse>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', urlOf(req));
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total || file.size);
    xhr.onload = () => resolve({ status: xhr.status, headers: (n) => xhr.getResponseHeader(n), text: xhr.responseText });
    xhr.onerror = () => reject(new ApiError('NetworkError', 'The upload did not reach the server.', 0));
    xhr.send(file);
  });
  if (res.status >= 300) {
    const e = parseError(res);
    throw new ApiError(e.code, e.message, res.status);
  }
  onProgress(file.size, file.size);
}

/** A list member as an array, whatever the protocol made of an absent one. */
export const list = <T = any>(v: unknown): T[] => (Array.isArray(v) ? v : []);
