import { Readable } from 'node:stream';
import type { Principal } from '../../gateway/context.js';
import type { HttpRequest } from '../../protocol/types.js';
import { loadModel, type ServiceModel } from '../../protocol/model.js';
import type { Provider } from '../../gateway/context.js';
import { testEnv, type TestCtx, type TestEnv } from '../iam/test-support.js';
import { kmsProvider } from '../kms/index.js';
import { s3Provider } from './index.js';

export { TEST_ACCOUNT, rootPrincipal, userPrincipal } from '../iam/test-support.js';

interface CallOptions {
  principal?: Principal;
  headers?: Record<string, string>;
  /** The request's signing region (us-east-1 by default). */
  region?: string;
}

export interface S3Env extends TestEnv {
  /** Runs an S3 operation as the gateway would after parsing (root by default) and returns its output. */
  call(operation: string, input: Record<string, unknown>, opts?: CallOptions): Promise<any>;
  /** The same for KMS (to make keys for SSE-KMS). */
  kms(operation: string, input: Record<string, unknown>, opts?: CallOptions): Promise<any>;
  /** The context of the most recent call: its recorded queries. */
  readonly last: TestCtx;
  /** PutObject of bytes. */
  put(bucket: string, key: string, body: string | Buffer, input?: Record<string, unknown>): Promise<any>;
  /** GetObject, with the body read into memory (tests use small objects). */
  get(bucket: string, key: string, input?: Record<string, unknown>, principal?: Principal): Promise<{ out: any; body: Buffer }>;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Fails when an output holds a member its model shape does not have (a typo would silently vanish on the wire). */
function checkShape(model: ServiceModel, shapeId: string, value: unknown, path: string): void {
  if (value === undefined || value === null || value instanceof Readable) return;
  const shape = model.shape(shapeId);
  if (shape.type === 'structure') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const m = shape.members?.[k];
      if (!m) throw new Error(`${path}.${k} is not a member of ${shapeId}`);
      checkShape(model, m.target, v, `${path}.${k}`);
    }
  } else if (shape.type === 'list') {
    (value as unknown[]).forEach((v, i) => checkShape(model, shape.member!.target, v, `${path}[${i}]`));
  }
}

/** The IAM test environment (temp data dir and store, recording authorize) with contexts for S3 operations. */
export function s3Env(): S3Env {
  const env = testEnv() as S3Env;
  let last: TestCtx | undefined;
  Object.defineProperty(env, 'last', { get: () => last });
  const invoke = async (provider: Provider, operation: string, input: Record<string, unknown>, opts: CallOptions = {}) => {
    const model = loadModel(provider.model);
    const op = model.operations.get(operation);
    if (!op) throw new Error(`no ${provider.model} operation ${operation}`);
    const base = env.ctx('GetUser', opts.principal);
    const request: HttpRequest = { ...base.request, headers: { authorization: 'AWS4-HMAC-SHA256 …', host: 'localhost:4599', ...opts.headers } };
    // The IAM context with this model, operation and request in place; its authorize() and records carry over.
    const ctx = Object.create(base, { model: { value: model }, operation: { value: op }, request: { value: request },
      region: { value: opts.region ?? base.region } }) as TestCtx;
    last = ctx;
    const out = await provider.operations[operation](input, ctx);
    if (!ctx.authorized) throw new Error(`${operation} answered without authorising`);
    if (op.output && out) checkShape(model, op.output, out, operation);
    return out ?? {};
  };
  env.call = (operation, input, opts) => invoke(s3Provider, operation, input, opts);
  env.kms = (operation, input, opts) => invoke(kmsProvider, operation, input, opts);
  env.put = (bucket, key, body, input = {}) =>
    env.call('PutObject', { Bucket: bucket, Key: key, Body: Readable.from([Buffer.from(body)]), ...input });
  env.get = async (bucket, key, input = {}, principal) => {
    const out = await env.call('GetObject', { Bucket: bucket, Key: key, ...input }, { principal });
    return { out, body: await readAll(out.Body) };
  };
  return env;
}
