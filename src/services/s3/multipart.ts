import { createHash, randomBytes } from 'node:crypto';
import type { App } from '../../app.js';
import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { StoredPart } from '../../storage/objects/types.js';
import { ACTION, bucketQuery } from './actions.js';
import {
  entityTooSmall, invalidArgument, invalidPart, invalidPartOrder, malformedXml, noSuchUpload,
} from './errors.js';
import { newDataKey, openDataKey, sseOutput } from './encryption.js';
import { PAST, encoder, listContext, maxKeys, resumeAfter, walkKeys } from './listing.js';
import { checkWriteConditions, writeContext } from './objects.js';
import {
  attributesFrom, bodyStream, checkKey, checksumAlgorithm, checksumOutput, digestCheck, payloadLength, sizeLimit,
} from './object-write.js';
import { KIND, uploadDocId, type BucketDoc, type UploadDoc } from './schema.js';
import { canonicalId, objectStoreFor, requireBucket } from './state.js';

const MIN_PART = 5 * 1024 * 1024;
const MAX_PARTS = 10000;

/** Upload ids start with the time, so one key's uploads list in the order they began. */
const newUploadId = (now: Date): string => now.getTime().toString(36).padStart(10, '0') + randomBytes(36).toString('base64url');

function requireUpload(app: App, bucket: BucketDoc, key: string, uploadId: string): UploadDoc {
  const u = app.store.get<UploadDoc>(KIND.upload, uploadDocId(bucket.Name, key, uploadId));
  if (!u) throw noSuchUpload(uploadId);
  return u;
}

const stripQuotes = (etag: string | undefined): string => (etag ?? '').trim().replace(/^"(.*)"$/, '$1');

function createMultipartUpload(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  const key: string = input.Key;
  checkKey(key);
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.CreateMultipartUpload, key, writeContext(input)));
  const algorithm = checksumAlgorithm({ ChecksumAlgorithm: input.ChecksumAlgorithm });
  // The upload's data key encrypts every part and then the object; only its sealed form is kept.
  const { sse } = newDataKey(ctx, bucket, key, input);
  const doc: UploadDoc = {
    Bucket: bucket.Name, Key: key, UploadId: newUploadId(ctx.now), Initiated: ctx.now.toISOString(),
    InitiatorArn: ctx.principal.arn, InitiatorId: ctx.principal.userId, Owner: bucket.Owner,
    attrs: { ...attributesFrom(input), sse }, ChecksumAlgorithm: algorithm,
  };
  ctx.app.store.transaction(() => ctx.app.store.put(KIND.upload, uploadDocId(bucket.Name, key, doc.UploadId), doc));
  return {
    Bucket: bucket.Name, Key: key, UploadId: doc.UploadId, ...sseOutput(sse, true),
    ChecksumAlgorithm: algorithm, ChecksumType: algorithm ? 'COMPOSITE' : undefined,
  };
}

async function uploadPart(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  const key: string = input.Key;
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.UploadPart, key));
  const partNumber: number = input.PartNumber;
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', partNumber);
  }
  const upload = requireUpload(ctx.app, bucket, key, input.UploadId);
  const length = payloadLength(input, ctx.request);
  const limit = sizeLimit(length);
  const algorithm = checksumAlgorithm(input, ctx.request) ?? upload.ChecksumAlgorithm;
  const verify = digestCheck(input, algorithm, length);
  // As in AWS, writing a part of an SSE-KMS upload is a kms:Decrypt of the upload's data key.
  const dataKey = upload.attrs.sse ? openDataKey(ctx, upload.attrs.sse) : undefined;
  const part = await objectStoreFor(ctx.app).putPart(upload.UploadId, partNumber, bodyStream(input.Body), {
    dataKey, checksum: algorithm, limit, lastModified: ctx.now,
    check: (written) => {
      verify(written);
      // Aborted or completed while this part streamed in: the part has nowhere to go.
      requireUpload(ctx.app, bucket, key, upload.UploadId);
    },
  });
  return { ETag: `"${part.etag}"`, ...checksumOutput(part.checksum), ...sseOutput(upload.attrs.sse) };
}

/** S3's multipart ETag: MD5 of the parts' binary MD5s, then `-<number of parts>`. */
export function multipartEtag(parts: { etag: string }[]): string {
  const h = createHash('md5');
  for (const p of parts) h.update(Buffer.from(p.etag, 'hex'));
  return `${h.digest('hex')}-${parts.length}`;
}

async function completeMultipartUpload(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  const key: string = input.Key;
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.CompleteMultipartUpload, key));
  const upload = requireUpload(ctx.app, bucket, key, input.UploadId);
  const listed: { PartNumber?: number; ETag?: string }[] = input.MultipartUpload?.Parts ?? [];
  if (listed.length === 0 || listed.length > MAX_PARTS) throw malformedXml();
  for (let i = 1; i < listed.length; i++) {
    if ((listed[i].PartNumber ?? 0) <= (listed[i - 1].PartNumber ?? 0)) throw invalidPartOrder(upload.UploadId);
  }
  const objects = objectStoreFor(ctx.app);
  const stored = new Map(objects.parts(upload.UploadId).map((p) => [p.partNumber, p]));
  const parts: StoredPart[] = listed.map((l) => {
    const p = stored.get(l.PartNumber ?? 0);
    if (!p || stripQuotes(l.ETag) !== p.etag) throw invalidPart(upload.UploadId, l.PartNumber ?? 0, l.ETag);
    return p;
  });
  parts.forEach((p, i) => {
    if (i < parts.length - 1 && p.size < MIN_PART) throw entityTooSmall(p.size, p.partNumber, `"${p.etag}"`);
  });
  checkWriteConditions(input, objects.head(bucket.Name, key));
  const etag = multipartEtag(parts);
  const dataKey = upload.attrs.sse ? openDataKey(ctx, upload.attrs.sse) : undefined;
  const id = uploadDocId(bucket.Name, key, upload.UploadId);
  await objects.assemble(bucket.Name, key, parts, {
    uploadId: upload.UploadId, attrs: upload.attrs, etag, lastModified: ctx.now, dataKey,
    check: (previous) => checkWriteConditions(input, previous),
    alsoInTransaction: () => {
      // A concurrent complete or abort got there first.
      if (!ctx.app.store.delete(KIND.upload, id)) throw noSuchUpload(upload.UploadId);
    },
  });
  const host = ctx.request?.headers.host;
  return {
    Location: host ? `${ctx.request.secure ? 'https' : 'http'}://${host}/${bucket.Name}/${encodeURIComponent(key).replace(/%2F/g, '/')}` : undefined,
    Bucket: bucket.Name, Key: key, ETag: `"${etag}"`, ...sseOutput(upload.attrs.sse),
  };
}

function abortMultipartUpload(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.AbortMultipartUpload, input.Key));
  const upload = requireUpload(ctx.app, bucket, input.Key, input.UploadId);
  objectStoreFor(ctx.app).dropParts(upload.UploadId, () => ctx.app.store.delete(KIND.upload, uploadDocId(bucket.Name, upload.Key, upload.UploadId)));
}

function listParts(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.ListParts, input.Key));
  const upload = requireUpload(ctx.app, bucket, input.Key, input.UploadId);
  const max = maxKeys(input.MaxParts, 'max-parts');
  const page = objectStoreFor(ctx.app).parts(upload.UploadId, { after: input.PartNumberMarker, limit: max + 1 });
  const truncated = page.length > max;
  const shown = page.slice(0, max);
  return {
    Bucket: bucket.Name, Key: upload.Key, UploadId: upload.UploadId,
    PartNumberMarker: input.PartNumberMarker ?? 0,
    NextPartNumberMarker: shown.length ? shown[shown.length - 1].partNumber : undefined,
    MaxParts: input.MaxParts ?? 1000,
    IsTruncated: truncated,
    Parts: shown.map((p) => ({
      PartNumber: p.partNumber, LastModified: new Date(p.lastModified), ETag: `"${p.etag}"`, Size: p.size, ...checksumOutput(p.checksum),
    })),
    Initiator: { ID: upload.InitiatorArn },
    Owner: { ID: canonicalId(upload.Owner) },
    StorageClass: 'STANDARD',
    ChecksumAlgorithm: upload.ChecksumAlgorithm,
    ChecksumType: upload.ChecksumAlgorithm ? 'COMPOSITE' : undefined,
  };
}

function listMultipartUploads(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.ListMultipartUploads, undefined, listContext({ ...input, MaxKeys: input.MaxUploads })));
  const enc = encoder(input.EncodingType);
  const prefix: string = input.Prefix ?? '';
  const delimiter: string | undefined = input.Delimiter || undefined;
  // key-marker alone resumes after every upload of that key; with upload-id-marker, after that upload.
  const keyMarker = resumeAfter(input.KeyMarker, prefix, delimiter);
  const after = keyMarker === undefined ? undefined
    : keyMarker !== input.KeyMarker ? keyMarker
      : `${keyMarker}\u0000${input.UploadIdMarker ?? PAST}`;
  const store = ctx.app.store;
  const page = walkKeys(
    (a, limit) => store.list<UploadDoc>(KIND.upload, { prefix: `${bucket.Name}/${prefix}`, after: a === undefined ? undefined : `${bucket.Name}/${a}`, limit }),
    (u) => u.Key,
    { prefix, delimiter, max: maxKeys(input.MaxUploads, 'max-uploads'), after },
    (u) => `${u.Key}\u0000${u.UploadId}`,
  );
  const last = page.items[page.items.length - 1];
  // A common prefix holds the delimiter past the prefix, so it never equals an upload's key.
  const lastIsUpload = last !== undefined && page.last !== page.prefixes[page.prefixes.length - 1];
  return {
    Bucket: bucket.Name,
    KeyMarker: enc(input.KeyMarker ?? ''),
    UploadIdMarker: input.UploadIdMarker ?? '',
    NextKeyMarker: page.truncated ? enc(page.last) : undefined,
    NextUploadIdMarker: page.truncated && lastIsUpload ? last.UploadId : undefined,
    Prefix: enc(prefix),
    Delimiter: enc(input.Delimiter),
    MaxUploads: input.MaxUploads ?? 1000,
    IsTruncated: page.truncated,
    Uploads: page.items.map((u) => ({
      UploadId: u.UploadId, Key: enc(u.Key), Initiated: new Date(u.Initiated), StorageClass: 'STANDARD',
      Owner: { ID: canonicalId(u.Owner) }, Initiator: { ID: u.InitiatorArn }, ChecksumAlgorithm: u.ChecksumAlgorithm,
    })),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
    EncodingType: input.EncodingType,
  };
}

export const operations: Record<string, OperationHandler> = {
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
};
