import type { ContextValues, OperationHandler, RequestContext } from '../../gateway/context.js';
import type { StoredObject } from '../../storage/objects/types.js';
import { ACTION, bucketQuery } from './actions.js';
import { invalidArgument } from './errors.js';
import { canonicalId, objectStoreFor, requireBucket } from './state.js';

/** Greater than every key starting with a given common prefix (store order is UTF-8 binary). */
export const PAST = '\u{10FFFF}';
const MAX_KEYS = 1000;

export interface KeyPage<T> {
  items: T[];
  prefixes: string[];
  truncated: boolean;
  /** Key or common prefix of the last entry returned. */
  last?: string;
  /** Where the next page starts (exclusive): past the last entry, or past every key under the last common prefix. */
  cursor?: string;
}

/**
 * S3's listing walk, shared by objects and multipart uploads: keys under `prefix` after `after`,
 * keys holding `delimiter` past the prefix rolled into one common prefix each, at most `max`
 * entries (keys and prefixes count alike). `fetch(after, limit)` returns entries in cursor order;
 * `cursorOf` names an entry's place in it (its key, unless several entries share a key).
 */
export function walkKeys<T>(fetch: (after: string | undefined, limit: number) => T[], keyOf: (t: T) => string,
  opts: { prefix: string; delimiter?: string; max: number; after?: string }, cursorOf: (t: T) => string = keyOf): KeyPage<T> {
  const out: KeyPage<T> = { items: [], prefixes: [], truncated: false };
  if (opts.max === 0) return out;
  let cursor = opts.after;
  const delimiter = opts.delimiter || undefined;
  for (;;) {
    const limit = Math.min(MAX_KEYS, opts.max - out.items.length - out.prefixes.length + 1);
    const page = fetch(cursor, limit);
    let skipped = false;
    for (const t of page) {
      const key = keyOf(t);
      const at = delimiter ? key.indexOf(delimiter, opts.prefix.length) : -1;
      if (out.items.length + out.prefixes.length === opts.max) {
        out.truncated = true;
        return out;
      }
      if (at >= 0) {
        const common = key.slice(0, at + delimiter!.length);
        out.prefixes.push(common);
        out.last = common;
        cursor = out.cursor = common + PAST;
        skipped = true;
        break;
      }
      out.items.push(t);
      out.last = key;
      cursor = out.cursor = cursorOf(t);
    }
    if (!skipped && page.length < limit) return out;
  }
}

/** A V1 marker naming a common prefix resumes past everything under it, as a V2 token would. */
export function resumeAfter(marker: string | undefined, prefix: string, delimiter: string | undefined): string | undefined {
  if (!marker || !delimiter || !marker.startsWith(prefix) || !marker.endsWith(delimiter)) return marker;
  const rest = marker.slice(prefix.length, marker.length - delimiter.length);
  return rest.includes(delimiter) ? marker : marker + PAST;
}

/** `encoding-type=url`: keys and prefixes percent-encoded (slashes kept) so any byte survives XML. */
export function encoder(type: string | undefined): (s: string | undefined) => string | undefined {
  if (type === undefined) return (s) => s;
  if (type !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', type);
  return (s) => (s === undefined ? s : encodeURIComponent(s).replace(/%2F/g, '/'));
}

export function maxKeys(value: number | undefined, name = 'max-keys'): number {
  if (value === undefined) return MAX_KEYS;
  if (!Number.isInteger(value) || value < 0) throw invalidArgument('Provided max-keys not an integer or within integer range', name, value);
  return Math.min(value, MAX_KEYS);
}

/** s3:prefix, s3:delimiter and s3:max-keys, present only when the request carries them. */
export function listContext(input: { Prefix?: string; Delimiter?: string; MaxKeys?: number }): ContextValues {
  return { 's3:prefix': input.Prefix, 's3:delimiter': input.Delimiter, 's3:max-keys': input.MaxKeys };
}

const TOKEN_MARK = '\u0001';
const encodeToken = (cursor: string): string => Buffer.from(TOKEN_MARK + cursor).toString('base64');
function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith(TOKEN_MARK)) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  return text.slice(1);
}

function entry(o: StoredObject, enc: (s: string) => string | undefined, owner?: { ID: string }) {
  return {
    Key: enc(o.key),
    LastModified: new Date(o.lastModified),
    ETag: `"${o.etag}"`,
    ChecksumAlgorithm: o.checksum ? [o.checksum.algorithm] : undefined,
    ChecksumType: o.checksum ? 'FULL_OBJECT' : undefined,
    Size: o.size,
    StorageClass: 'STANDARD',
    Owner: owner,
  };
}

function listing(input: any, ctx: RequestContext, after: string | undefined) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.ListObjects, undefined, listContext(input)));
  const enc = encoder(input.EncodingType);
  const prefix: string = input.Prefix ?? '';
  const objects = objectStoreFor(ctx.app);
  const page = walkKeys((a, limit) => objects.list(bucket.Name, { prefix, after: a, limit }), (o) => o.key,
    { prefix, delimiter: input.Delimiter, max: maxKeys(input.MaxKeys), after });
  return { bucket, enc, page, prefix };
}

/** The members ListObjects and ListObjectsV2 answer alike. */
function pageFields(input: any, { bucket, enc, page, prefix }: ReturnType<typeof listing>, owner?: { ID: string }) {
  return {
    Contents: page.items.map((o) => entry(o, enc, owner)),
    Name: bucket.Name,
    Prefix: enc(prefix),
    Delimiter: enc(input.Delimiter),
    MaxKeys: input.MaxKeys ?? MAX_KEYS,
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
    EncodingType: input.EncodingType,
  };
}

function listObjectsV2(input: any, ctx: RequestContext) {
  const after = input.ContinuationToken !== undefined ? decodeToken(input.ContinuationToken) : input.StartAfter;
  const listed = listing(input, ctx, after);
  const { bucket, enc, page } = listed;
  const owner = input.FetchOwner ? { ID: canonicalId(bucket.Owner) } : undefined;
  return {
    IsTruncated: page.truncated,
    ...pageFields(input, listed, owner),
    KeyCount: page.items.length + page.prefixes.length,
    ContinuationToken: input.ContinuationToken,
    NextContinuationToken: page.truncated && page.cursor !== undefined ? encodeToken(page.cursor) : undefined,
    StartAfter: enc(input.StartAfter),
  };
}

function listObjects(input: any, ctx: RequestContext) {
  const listed = listing(input, ctx, resumeAfter(input.Marker, input.Prefix ?? '', input.Delimiter || undefined));
  const { bucket, enc, page } = listed;
  const owner = { ID: canonicalId(bucket.Owner) };
  return {
    IsTruncated: page.truncated,
    Marker: enc(input.Marker ?? ''),
    // V1 names the next marker only with a delimiter; otherwise clients resume from the last key.
    NextMarker: page.truncated && input.Delimiter ? enc(page.last) : undefined,
    ...pageFields(input, listed, owner),
  };
}

export const operations: Record<string, OperationHandler> = {
  ListObjectsV2: listObjectsV2,
  ListObjects: listObjects,
};
