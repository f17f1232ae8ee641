// S3 for other Tailor services (Personalize import jobs read training data, batch and export jobs write
// results): plain function calls through the same code paths as GetObject, ListObjectsV2 and PutObject.
// The caller acts as a principal (e.g. personalize.amazonaws.com for a role) and supplies authorize,
// which evaluates that principal's policies together with the bucket policy each query carries.
// With an external S3-compatible service configured (`--s3-endpoint`), reads go there instead.
import type { Readable } from 'node:stream';
import type { App } from '../../app.js';
import type { AuthzQuery, Principal } from '../../gateway/context.js';
import type { ByteRange } from '../../storage/objects/types.js';
import type { ExternalObjectStore } from '../../storage/objects/external.js';
import { ACTION, bucketQuery, type S3Caller } from './actions.js';
import { noSuchBucket, noSuchKey } from './errors.js';
import { walkKeys } from './listing.js';
import { parseRange, readObject } from './object-read.js';
import { writeObject } from './objects.js';
import { objectStoreFor, requireBucket } from './state.js';

export interface ServiceCaller {
  principal: Principal;
  authorize(...queries: AuthzQuery[]): void;
  /** Region the service runs in (kms:ViaService is `s3.<region>.amazonaws.com`); us-east-1 by default. */
  region?: string;
}

const s3Caller = (app: App, c: ServiceCaller): S3Caller =>
  ({ app, principal: c.principal, authorize: c.authorize, region: c.region ?? 'us-east-1', now: app.now() });

const externals = new WeakMap<App, ExternalObjectStore>();

/** Makes services read `s3://` locations from an external S3-compatible service instead of the embedded store (`--s3-endpoint`). */
export function readServiceDataFrom(app: App, store: ExternalObjectStore): void {
  externals.set(app, store);
}

/**
 * Tailor knows no bucket policy for a bucket of the external service (that service keeps its own and
 * applies it to Tailor's credentials), so only the principal's identity policies decide, as for a
 * bucket of the principal's own account without a policy.
 */
const externalBucket = (c: S3Caller, name: string) => ({ Name: name, Owner: c.principal.accountId });

type Opened = { body: Readable; size: number; etag: string; contentType?: string };

/** Opens `s3://bucket/key` (or a byte range of it) for reading: s3:GetObject, and kms:Decrypt for SSE-KMS objects. */
export async function openObjectForService(app: App, bucket: string, key: string, caller: ServiceCaller & { range?: ByteRange }): Promise<Opened> {
  const range = caller.range ? `bytes=${caller.range.start}-${caller.range.end}` : undefined;
  const external = externals.get(app);
  if (external) return openExternal(external, s3Caller(app, caller), bucket, key, range);
  const { obj, body } = readObject(s3Caller(app, caller), { Bucket: bucket, Key: key, Range: range }, true);
  return { body: body!, size: obj.size, etag: obj.etag, contentType: obj.attrs.contentType };
}

/** The external read path, with S3's answers: NoSuchBucket, and NoSuchKey only for callers who may list. */
async function openExternal(store: ExternalObjectStore, c: S3Caller, bucket: string, key: string, range: string | undefined): Promise<Opened> {
  const b = externalBucket(c, bucket);
  c.authorize(bucketQuery(c, b, ACTION.GetObject, key));
  const obj = await store.head(bucket, key);
  if (!obj) {
    if (!(await store.hasBucket(bucket))) throw noSuchBucket(bucket);
    c.authorize(bucketQuery(c, b, ACTION.ListObjects));
    throw noSuchKey(key);
  }
  const body = store.read(obj, { range: parseRange(range, obj.size) });
  return { body, size: obj.size, etag: obj.etag, contentType: obj.attrs.contentType };
}

/** Every object under `s3://bucket/prefix` (an import job's folder): s3:ListBucket with s3:prefix. */
export async function listObjectsForService(app: App, bucket: string, prefix: string, caller: ServiceCaller):
  Promise<{ key: string; size: number; etag: string }[]> {
  const c = s3Caller(app, caller);
  const external = externals.get(app);
  if (external) {
    c.authorize(bucketQuery(c, externalBucket(c, bucket), ACTION.ListObjectsV2, undefined, { 's3:prefix': prefix }));
    if (!(await external.hasBucket(bucket))) throw noSuchBucket(bucket);
    return (await external.list(bucket, { prefix, limit: Number.MAX_SAFE_INTEGER })).map((o) => ({ key: o.key, size: o.size, etag: o.etag }));
  }
  const b = requireBucket(app, bucket);
  c.authorize(bucketQuery(c, b, ACTION.ListObjectsV2, undefined, { 's3:prefix': prefix }));
  const objects = objectStoreFor(app);
  const page = walkKeys((after, limit) => objects.list(b.Name, { prefix, after, limit }), (o) => o.key,
    { prefix, max: Number.MAX_SAFE_INTEGER });
  return page.items.map((o) => ({ key: o.key, size: o.size, etag: o.etag }));
}

/** Writes `s3://bucket/key` from a stream (s3:PutObject; with `kmsKeyId`, SSE-KMS under that key via kms:GenerateDataKey). */
export async function putObjectForService(app: App, bucket: string, key: string, body: Readable,
  caller: ServiceCaller & { contentType?: string; kmsKeyId?: string }): Promise<{ etag: string; size: number }> {
  const { obj } = await writeObject(s3Caller(app, caller), {
    Bucket: bucket, Key: key, Body: body, ContentType: caller.contentType,
    ...(caller.kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: caller.kmsKeyId } : {}),
  });
  return { etag: obj.etag, size: obj.size };
}
