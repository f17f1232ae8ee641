import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import { ACTION, bucketQuery } from './actions.js';
import {
  bucketAlreadyExists, bucketAlreadyOwnedByYou, bucketNotEmpty, illegalLocationConstraint, invalidArgument,
  invalidBucketName, invalidLocationConstraint,
} from './errors.js';
import { KIND, uploadDocId, type BucketDoc, type UploadDoc } from './schema.js';
import { canonicalId, findBucket, objectStoreFor, requireBucket } from './state.js';

const US_EAST_1 = 'us-east-1';
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** General purpose bucket naming rules. */
export function isValidBucketName(name: string): boolean {
  return name.length >= 3 && name.length <= 63
    && /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)
    && !name.includes('..')
    && !/^\d+\.\d+\.\d+\.\d+$/.test(name)
    && !RESERVED_PREFIXES.some((p) => name.startsWith(p))
    && !RESERVED_SUFFIXES.some((s) => name.endsWith(s));
}

/** `EU` is the legacy name of eu-west-1. */
const regionOf = (constraint: string | undefined): string => (!constraint ? US_EAST_1 : constraint === 'EU' ? 'eu-west-1' : constraint);

function createBucket(input: any, ctx: RequestContext) {
  const name: string = input.Bucket;
  if (!isValidBucketName(name)) throw invalidBucketName(name);
  const constraint: string | undefined = input.CreateBucketConfiguration?.LocationConstraint || undefined;
  ctx.authorize(bucketQuery(ctx, { Name: name, Owner: ctx.accountId }, ACTION.CreateBucket, undefined, {
    's3:locationconstraint': constraint,
    's3:x-amz-acl': input.ACL,
    's3:x-amz-object-ownership': input.ObjectOwnership,
  }));
  if (constraint === US_EAST_1) throw invalidLocationConstraint(constraint);
  // The us-east-1 endpoint accepts any constraint; a regional endpoint only its own.
  if (ctx.region !== US_EAST_1 && regionOf(constraint) !== ctx.region) throw illegalLocationConstraint(constraint);
  const region = regionOf(constraint);
  const existing = findBucket(ctx.app, name);
  if (existing) {
    if (existing.Owner !== ctx.accountId) throw bucketAlreadyExists(name);
    // AWS's legacy: re-creating your own us-east-1 bucket through us-east-1 is a successful no-op.
    if (existing.Region === US_EAST_1 && region === US_EAST_1 && ctx.region === US_EAST_1) return { Location: `/${name}` };
    throw bucketAlreadyOwnedByYou(name);
  }
  const doc: BucketDoc = { Name: name, Owner: ctx.accountId, CreationDate: ctx.now.toISOString(), Region: region };
  ctx.app.store.transaction(() => ctx.app.store.put(KIND.bucket, name, doc));
  return { Location: `/${name}` };
}

function deleteBucket(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.DeleteBucket));
  const objects = objectStoreFor(ctx.app);
  if (objects.hasObjects(bucket.Name)) throw bucketNotEmpty(bucket.Name);
  // Unfinished multipart uploads do not keep a bucket alive: they go with it.
  const store = ctx.app.store;
  for (const u of store.list<UploadDoc>(KIND.upload, { prefix: `${bucket.Name}/` })) {
    objects.dropParts(u.UploadId, () => store.delete(KIND.upload, uploadDocId(u.Bucket, u.Key, u.UploadId)));
  }
  store.transaction(() => {
    // A write that raced in after the emptiness check keeps the bucket.
    if (objects.hasObjects(bucket.Name)) throw bucketNotEmpty(bucket.Name);
    store.delete(KIND.bucket, bucket.Name);
  });
}

function headBucket(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.HeadBucket));
  return { BucketRegion: bucket.Region, AccessPointAlias: false };
}

function listBuckets(input: any, ctx: RequestContext) {
  ctx.authorize({ action: ACTION.ListBuckets, resource: '*' });
  const max: number = input.MaxBuckets ?? 10000;
  if (max < 1 || max > 10000) {
    throw invalidArgument('Argument max-buckets must be an integer between 1 and 10000', 'max-buckets', max);
  }
  let after: string | undefined;
  if (input.ContinuationToken !== undefined) {
    after = Buffer.from(String(input.ContinuationToken), 'base64url').toString('utf8');
    if (!after) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', input.ContinuationToken);
  }
  const prefix: string = input.Prefix ?? '';
  const buckets: BucketDoc[] = [];
  let cursor = after;
  // Names are global; an account sees only its own, so skip others' page by page.
  while (buckets.length <= max) {
    const page = ctx.app.store.list<BucketDoc>(KIND.bucket, { prefix, after: cursor, limit: 1000 });
    for (const b of page) {
      if (b.Owner === ctx.accountId && (!input.BucketRegion || b.Region === input.BucketRegion)) buckets.push(b);
    }
    if (page.length < 1000) break;
    cursor = page[page.length - 1].Name;
  }
  const truncated = buckets.length > max;
  const shown = buckets.slice(0, max);
  return {
    Buckets: shown.map((b) => ({ Name: b.Name, CreationDate: new Date(b.CreationDate), BucketRegion: b.Region })),
    Owner: { ID: canonicalId(ctx.accountId) },
    ContinuationToken: truncated ? Buffer.from(shown[shown.length - 1].Name).toString('base64url') : undefined,
    Prefix: input.Prefix,
  };
}

function getBucketLocation(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.GetBucketLocation));
  // us-east-1 buckets answer an empty LocationConstraint.
  return { LocationConstraint: bucket.Region === US_EAST_1 ? undefined : bucket.Region };
}

export const operations: Record<string, OperationHandler> = {
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  ListBuckets: listBuckets,
  GetBucketLocation: getBucketLocation,
};
