import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import { MalformedPolicyError, validatePolicy } from '../../policy/index.js';
import { ACTION, bucketQuery } from './actions.js';
import { malformedPolicy, noSuchBucketPolicy } from './errors.js';
import { KIND, type BucketDoc } from './schema.js';
import { requireBucket } from './state.js';

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** A bucket policy may only name the bucket and its objects (`arn:aws:s3:::bucket` or `…:::bucket/…`, wildcards allowed). */
function checkResources(text: string, bucket: string): void {
  const doc = JSON.parse(text);
  for (const s of asList(doc.Statement) as Record<string, unknown>[]) {
    for (const r of [...asList(s.Resource), ...asList(s.NotResource)]) {
      const m = typeof r === 'string' ? /^arn:aws:s3:::([^/]*)(\/.*)?$/.exec(r) : null;
      if (!m || !globToRegExp(m[1]).test(bucket)) throw malformedPolicy('Policy has invalid resource');
    }
  }
}

/**
 * The bucket owner's root user may always read, replace and delete the bucket policy, even one that
 * denies it (AWS's lock-out escape); everyone else is asked like any request.
 */
function authorizePolicyAction(ctx: RequestContext, bucket: BucketDoc, action: string): void {
  if (ctx.principal.type === 'root' && ctx.principal.accountId === bucket.Owner) ctx.authorize();
  else ctx.authorize(bucketQuery(ctx, bucket, action));
}

function putBucketPolicy(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  authorizePolicyAction(ctx, bucket, ACTION.PutBucketPolicy);
  const text = typeof input.Policy === 'string' ? input.Policy : Buffer.isBuffer(input.Policy) ? input.Policy.toString('utf8') : '';
  try {
    validatePolicy(text, 'resource');
  } catch (e) {
    if (e instanceof MalformedPolicyError) throw malformedPolicy(e.message);
    throw e;
  }
  checkResources(text, bucket.Name);
  ctx.app.store.transaction(() => ctx.app.store.put(KIND.bucket, bucket.Name, { ...requireBucket(ctx.app, bucket.Name), Policy: text }));
}

function getBucketPolicy(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  authorizePolicyAction(ctx, bucket, ACTION.GetBucketPolicy);
  if (bucket.Policy === undefined) throw noSuchBucketPolicy(bucket.Name);
  return { Policy: bucket.Policy };
}

function deleteBucketPolicy(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  authorizePolicyAction(ctx, bucket, ACTION.DeleteBucketPolicy);
  ctx.app.store.transaction(() => {
    const { Policy: _, ...rest } = requireBucket(ctx.app, bucket.Name);
    ctx.app.store.put(KIND.bucket, bucket.Name, rest);
  });
}

export const operations: Record<string, OperationHandler> = {
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
};
