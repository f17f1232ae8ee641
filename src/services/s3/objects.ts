import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import { isAwsError } from '../../shared/aws-error.js';
import type { StoredObject } from '../../storage/objects/types.js';
import { ACTION, bucketQuery, sseKeys, type S3Caller } from './actions.js';
import { invalidArgument, invalidRequest, malformedXml, noSuchKey, notImplemented, preconditionFailed } from './errors.js';
import { newDataKey, openDataKey, sseOutput, type Sse } from './encryption.js';
import { checkConditions, matchesEtag, missingKey } from './object-read.js';
import {
  MAX_PUT, attributesFrom, bodyStream, checkKey, checksumAlgorithm, checksumOutput, digestCheck, payloadLength, sizeLimit,
} from './object-write.js';
import { objectStoreFor, requireBucket } from './state.js';

/** Conditional writes: If-None-Match `*` (create only) and If-Match (replace only that version). */
export function checkWriteConditions(input: { IfMatch?: string; IfNoneMatch?: string; Key: string }, previous: StoredObject | undefined): void {
  if (input.IfNoneMatch !== undefined && previous) throw preconditionFailed('If-None-Match');
  if (input.IfMatch !== undefined) {
    if (!previous) throw noSuchKey(input.Key);
    if (!matchesEtag(input.IfMatch, previous.etag)) throw preconditionFailed('If-Match');
  }
}

/** Condition keys of a request that writes an object. */
export function writeContext(input: any) {
  return { ...sseKeys(input), 's3:x-amz-acl': input.ACL, 's3:x-amz-storage-class': input.StorageClass };
}

/**
 * The one write path (PutObject, services writing output): authorise s3:PutObject with the bucket
 * policy, then stream the body in, encrypted under a fresh data key, verified before it is visible.
 */
export async function writeObject(caller: S3Caller, input: any): Promise<{ obj: StoredObject; sse: Sse }> {
  const bucket = requireBucket(caller.app, input.Bucket);
  const key: string = input.Key;
  checkKey(key);
  caller.authorize(bucketQuery(caller, bucket, ACTION.PutObject, key, writeContext(input)));
  if (input.WriteOffsetBytes !== undefined) throw notImplemented('x-amz-write-offset-bytes');
  const length = payloadLength(input, caller.request);
  const limit = sizeLimit(length);
  const algorithm = checksumAlgorithm(input, caller.request);
  const verify = digestCheck(input, algorithm, length);
  const objects = objectStoreFor(caller.app);
  checkWriteConditions(input, objects.head(bucket.Name, key));
  const attrs = attributesFrom(input);
  const { dataKey, sse } = newDataKey(caller, bucket, key, input);
  const obj = await objects.put(bucket.Name, key, bodyStream(input.Body), {
    attrs: { ...attrs, sse }, lastModified: caller.now, dataKey, checksum: algorithm, keepChecksum: true, limit,
    check: (previous, written) => {
      verify(written);
      checkWriteConditions(input, previous);
    },
  });
  return { obj, sse };
}

async function putObject(input: any, ctx: RequestContext) {
  const { obj, sse } = await writeObject(ctx, input);
  return {
    ETag: `"${obj.etag}"`,
    ...checksumOutput(obj.checksum),
    ChecksumType: obj.checksum ? 'FULL_OBJECT' : undefined,
    ...sseOutput(sse, true),
  };
}

function deleteObject(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.DeleteObject, input.Key));
  // Deleting a key that is not there succeeds, as in S3.
  objectStoreFor(ctx.app).remove(bucket.Name, input.Key);
}

const MAX_DELETE_KEYS = 1000;

/** Each key is authorised on its own; a refused or failed key becomes an entry in Errors, not a failed request. */
function deleteObjects(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  // The request itself needs no permission beyond those of each key (asked below).
  ctx.authorize();
  const listed: { Key: string }[] = input.Delete?.Objects ?? [];
  if (listed.length === 0 || listed.length > MAX_DELETE_KEYS) throw malformedXml();
  const objects = objectStoreFor(ctx.app);
  const deleted: { Key: string }[] = [];
  const errors: { Key: string; Code: string; Message: string }[] = [];
  for (const { Key } of listed) {
    try {
      ctx.authorize(bucketQuery(ctx, bucket, ACTION.DeleteObjects, Key));
      objects.remove(bucket.Name, Key);
      deleted.push({ Key });
    } catch (e) {
      if (!isAwsError(e)) throw e;
      errors.push({ Key, Code: e.code, Message: e.message });
    }
  }
  return { Deleted: input.Delete.Quiet ? undefined : deleted, Errors: errors };
}

/** `bucket/key` (URL-encoded, optionally with a leading `/` and `?versionId=`). */
function parseCopySource(value: string): { bucket: string; key: string } {
  const bad = () => invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', value);
  const q = value.indexOf('?');
  if (q >= 0) {
    const version = new URLSearchParams(value.slice(q + 1)).get('versionId');
    if (version !== null && version !== 'null') throw invalidArgument('Invalid version id specified', 'x-amz-copy-source', value);
  }
  let path: string;
  try {
    path = decodeURIComponent(q >= 0 ? value.slice(0, q) : value);
  } catch {
    throw bad();
  }
  if (path.startsWith('/')) path = path.slice(1);
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw bad();
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

async function copyObject(input: any, ctx: RequestContext) {
  const target = requireBucket(ctx.app, input.Bucket);
  const key: string = input.Key;
  checkKey(key);
  const from = parseCopySource(input.CopySource);
  const source = requireBucket(ctx.app, from.bucket);
  ctx.authorize(
    bucketQuery(ctx, source, ACTION.GetObject, from.key),
    bucketQuery(ctx, target, ACTION.CopyObject, key, {
      ...writeContext(input), 's3:x-amz-copy-source': input.CopySource, 's3:x-amz-metadata-directive': input.MetadataDirective,
    }),
  );
  const directive = input.MetadataDirective ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  const objects = objectStoreFor(ctx.app);
  const original = objects.head(source.Name, from.key) ?? missingKey(ctx, source, from.key);
  checkConditions(original, {
    IfMatch: input.CopySourceIfMatch, IfNoneMatch: input.CopySourceIfNoneMatch,
    IfModifiedSince: input.CopySourceIfModifiedSince, IfUnmodifiedSince: input.CopySourceIfUnmodifiedSince,
  }, { match: 'x-amz-copy-source-If-Match', unmodified: 'x-amz-copy-source-If-Unmodified-Since' },
  () => preconditionFailed('x-amz-copy-source-If-None-Match'));
  const toItself = source.Name === target.Name && from.key === key;
  if (toItself && directive === 'COPY' && input.ServerSideEncryption === undefined && input.StorageClass === undefined
    && input.WebsiteRedirectLocation === undefined) {
    throw invalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  if (original.size > MAX_PUT) {
    throw invalidRequest(`The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PUT}`);
  }
  const { sse: _, ...kept } = original.attrs;
  const attrs = directive === 'REPLACE' ? attributesFrom(input) : kept;
  const sourceKey = original.encrypted && original.attrs.sse ? openDataKey(ctx, original.attrs.sse) : undefined;
  const { dataKey, sse } = newDataKey(ctx, target, key, input);
  const algorithm = checksumAlgorithm(input) ?? original.checksum?.algorithm;
  const obj = await objects.copy(original, sourceKey, target.Name, key, {
    attrs: { ...attrs, sse }, lastModified: ctx.now, dataKey, checksum: algorithm, keepChecksum: true,
  });
  return {
    CopyObjectResult: { ETag: `"${obj.etag}"`, LastModified: new Date(obj.lastModified), ...checksumOutput(obj.checksum) },
    ...sseOutput(sse, true),
  };
}

export const operations: Record<string, OperationHandler> = {
  PutObject: putObject,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  CopyObject: copyObject,
};
