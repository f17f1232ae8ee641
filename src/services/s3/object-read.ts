import type { Readable } from 'node:stream';
import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { ByteRange, StoredObject } from '../../storage/objects/types.js';
import { ACTION, bucketQuery, type S3Caller } from './actions.js';
import { invalidArgument, invalidRange, noSuchKey, notModified, preconditionFailed } from './errors.js';
import { openDataKey, rejectCustomerKeys, sseOutput } from './encryption.js';
import { checksumOutput } from './object-write.js';
import type { BucketDoc } from './schema.js';
import { objectStoreFor, requireBucket } from './state.js';

/** What S3 answers for an object stored without a Content-Type. */
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/**
 * A missing key reads as NoSuchKey only to callers who may list the bucket; others get AccessDenied,
 * so a key's absence is not revealed (AWS's rule).
 */
export function missingKey(caller: S3Caller, bucket: BucketDoc, key: string): never {
  caller.authorize(bucketQuery(caller, bucket, ACTION.ListObjects));
  throw noSuchKey(key);
}

/**
 * `bytes=a-b`, `bytes=a-` or `bytes=-n` clipped to the object; undefined (whole object) for
 * anything S3 ignores (malformed, several ranges); InvalidRange when nothing of the object is in it.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) throw invalidRange(header, size);
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? Infinity : Number(m[2]);
  if (last < start) return undefined;
  if (start >= size) throw invalidRange(header, size);
  return { start, end: Math.min(last, size - 1) };
}

export const matchesEtag = (header: string, etag: string): boolean =>
  header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
    return tag === '*' || tag === etag;
  });

const seconds = (d: Date | string): number => Math.floor(new Date(d).getTime() / 1000);

/** HTTP conditional GET/HEAD (RFC 7232 precedence: If-Match over If-Unmodified-Since, If-None-Match over If-Modified-Since). */
export function checkConditions(obj: StoredObject, c: { IfMatch?: string; IfNoneMatch?: string; IfModifiedSince?: Date; IfUnmodifiedSince?: Date },
  names = { match: 'If-Match', unmodified: 'If-Unmodified-Since' }, modified: () => Error = notModified): void {
  if (c.IfMatch !== undefined) {
    if (!matchesEtag(c.IfMatch, obj.etag)) throw preconditionFailed(names.match);
  } else if (c.IfUnmodifiedSince !== undefined && seconds(obj.lastModified) > seconds(c.IfUnmodifiedSince)) {
    throw preconditionFailed(names.unmodified);
  }
  if (c.IfNoneMatch !== undefined) {
    if (matchesEtag(c.IfNoneMatch, obj.etag)) throw modified();
  } else if (c.IfModifiedSince !== undefined && seconds(obj.lastModified) <= seconds(c.IfModifiedSince)) {
    throw modified();
  }
}

export interface ReadResult {
  obj: StoredObject;
  range?: ByteRange;
  body?: Readable;
}

/**
 * The one read path (GetObject, HeadObject, services reading import data): authorise s3:GetObject
 * against the caller's policies and the bucket policy, find the object, apply conditions and
 * range, and (for a body) unseal the data key — a kms:Decrypt by the same caller — and open it.
 */
export function readObject(caller: S3Caller, input: any, withBody: boolean): ReadResult {
  const bucket = requireBucket(caller.app, input.Bucket);
  const key: string = input.Key;
  caller.authorize(bucketQuery(caller, bucket, ACTION.GetObject, key));
  rejectCustomerKeys(input);
  if (input.PartNumber !== undefined) throw invalidArgument('Part number is not supported by this endpoint', 'partNumber', input.PartNumber);
  const objects = objectStoreFor(caller.app);
  const obj = objects.head(bucket.Name, key) ?? missingKey(caller, bucket, key);
  checkConditions(obj, input);
  const range = parseRange(input.Range, obj.size);
  if (!withBody) return { obj, range };
  const dataKey = obj.encrypted && obj.attrs.sse ? openDataKey(caller, obj.attrs.sse) : undefined;
  return { obj, range, body: objects.read(obj, { range, dataKey }) };
}

/** The response headers of an object (GetObject and HeadObject). */
function describe(input: any, { obj, range }: ReadResult) {
  const a = obj.attrs;
  return {
    AcceptRanges: 'bytes',
    LastModified: new Date(obj.lastModified),
    ContentLength: range ? range.end - range.start + 1 : obj.size,
    ContentRange: range ? `bytes ${range.start}-${range.end}/${obj.size}` : undefined,
    ETag: `"${obj.etag}"`,
    ...(input.ChecksumMode === 'ENABLED' && !range ? checksumOutput(obj.checksum) : {}),
    ChecksumType: input.ChecksumMode === 'ENABLED' && obj.checksum && !range ? 'FULL_OBJECT' : undefined,
    CacheControl: input.ResponseCacheControl ?? a.cacheControl,
    ContentDisposition: input.ResponseContentDisposition ?? a.contentDisposition,
    ContentEncoding: input.ResponseContentEncoding ?? a.contentEncoding,
    ContentLanguage: input.ResponseContentLanguage ?? a.contentLanguage,
    ContentType: input.ResponseContentType ?? a.contentType ?? DEFAULT_CONTENT_TYPE,
    Expires: input.ResponseExpires ?? (a.expires ? new Date(a.expires) : undefined),
    WebsiteRedirectLocation: a.websiteRedirectLocation,
    Metadata: a.metadata,
    ...sseOutput(a.sse),
  };
}

function getObject(input: any, ctx: RequestContext) {
  const read = readObject(ctx, input, true);
  return { ...describe(input, read), Body: read.body };
}

function headObject(input: any, ctx: RequestContext) {
  return describe(input, readObject(ctx, input, false));
}

export const operations: Record<string, OperationHandler> = {
  GetObject: getObject,
  HeadObject: headObject,
};
