import { randomBytes } from 'node:crypto';
import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import { AwsError, isAwsError } from '../../shared/aws-error.js';
import type { ObjectAttributes } from '../../storage/objects/types.js';
import * as kms from '../kms/service-api.js';
import { ACTION, bucketQuery, objectArn, type S3Caller } from './actions.js';
import { invalidArgument, invalidEncryptionAlgorithm, malformedXml, notImplemented } from './errors.js';
import { KIND, type BucketDoc, type EncryptionRule } from './schema.js';
import { requireBucket } from './state.js';

export type Sse = NonNullable<ObjectAttributes['sse']>;

/** The encryption headers of a write request. */
export interface SseRequest {
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  SSEKMSEncryptionContext?: string;
  SSECustomerAlgorithm?: string;
  SSECustomerKey?: string;
}

/** What SSE-S3 data keys are sealed as under the master key (AAD), so no other secret can pose as one. */
const SSE_S3_AAD = 's3 object data key';
/** AWS's managed key for S3, used for aws:kms without a key id. */
const AWS_MANAGED_KEY = 'alias/aws/s3';
/** S3's default encryption context for an object's data key. */
const ARN_CONTEXT = 'aws:s3:arn';

/** SSE-C (customer-provided keys) is not offered. */
export function rejectCustomerKeys(input: SseRequest & { CopySourceSSECustomerAlgorithm?: string }): void {
  if (input.SSECustomerAlgorithm || input.SSECustomerKey) throw notImplemented('x-amz-server-side-encryption-customer-algorithm');
  if (input.CopySourceSSECustomerAlgorithm) throw notImplemented('x-amz-copy-source-server-side-encryption-customer-algorithm');
}

/** S3 names KMS's refusals with a `KMS.` prefix; a policy denial stays S3's own AccessDenied. */
function viaKms<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isAwsError(e) && e.code !== 'AccessDenied') throw new AwsError(`KMS.${e.code}`, e.message, 400);
    throw e;
  }
}

const kmsCaller = (caller: S3Caller): kms.KmsCaller => ({
  principal: caller.principal,
  region: caller.region,
  now: caller.now,
  authorize: (...q) => caller.authorize(...q),
  viaService: `s3.${caller.region}.amazonaws.com`,
});

function userContext(header: string | undefined): Record<string, string> {
  if (header === undefined) return {};
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === 'string')) return parsed;
  } catch { /* answered below */ }
  throw invalidArgument('The header \'x-amz-server-side-encryption-context\' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map',
    'x-amz-server-side-encryption-context', header);
}

/**
 * A data key for a new object and how it is sealed: the request's encryption, else the bucket's
 * default, else SSE-S3 (AWS encrypts every new object since 2023). SSE-S3 keys are sealed under
 * the master key; SSE-KMS keys come from KMS GenerateDataKey, authorised for the caller via S3.
 */
export function newDataKey(caller: S3Caller, bucket: BucketDoc, key: string, input: SseRequest): { dataKey: Buffer; sse: Sse } {
  rejectCustomerKeys(input);
  const requested = input.ServerSideEncryption;
  if (requested !== undefined && requested !== 'AES256' && requested !== 'aws:kms') {
    if (requested === 'aws:kms:dsse') throw notImplemented('x-amz-server-side-encryption');
    throw invalidEncryptionAlgorithm(requested);
  }
  if (input.SSEKMSKeyId !== undefined && requested !== 'aws:kms') {
    throw invalidArgument('Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id', input.SSEKMSKeyId);
  }
  const algorithm = requested ?? bucket.Encryption?.SSEAlgorithm ?? 'AES256';
  if (algorithm === 'AES256') {
    const dataKey = randomBytes(32);
    return { dataKey, sse: { algorithm, sealedKey: caller.app.secrets.seal(dataKey.toString('base64'), SSE_S3_AAD) } };
  }
  const keyId = input.SSEKMSKeyId ?? (requested ? undefined : bucket.Encryption?.KMSMasterKeyID) ?? AWS_MANAGED_KEY;
  const context = { ...userContext(input.SSEKMSEncryptionContext), [ARN_CONTEXT]: objectArn(bucket.Name, key) };
  const out = viaKms(() => kms.generateDataKey(caller.app, { keyId, encryptionContext: context, caller: kmsCaller(caller) }));
  return {
    dataKey: out.plaintext,
    sse: { algorithm, kmsKeyId: out.keyArn, sealedKey: out.ciphertextBlob.toString('base64'), encryptionContext: JSON.stringify(context) },
  };
}

/** The data key of a stored object or upload; for SSE-KMS this is a kms:Decrypt by the caller via S3. */
export function openDataKey(caller: S3Caller, sse: Sse): Buffer {
  if (sse.algorithm === 'AES256') return Buffer.from(caller.app.secrets.unseal(sse.sealedKey, SSE_S3_AAD), 'base64');
  return viaKms(() => kms.decrypt(caller.app, {
    ciphertextBlob: Buffer.from(sse.sealedKey, 'base64'),
    encryptionContext: sse.encryptionContext ? JSON.parse(sse.encryptionContext) : undefined,
    caller: kmsCaller(caller),
  })).plaintext;
}

/** The encryption response headers of an object; writes also echo a caller-given encryption context. */
export function sseOutput(sse: Sse | undefined, withContext = false) {
  if (!sse) return {};
  const out: { ServerSideEncryption: string; SSEKMSKeyId?: string; SSEKMSEncryptionContext?: string } = { ServerSideEncryption: sse.algorithm };
  if (sse.kmsKeyId) out.SSEKMSKeyId = sse.kmsKeyId;
  if (withContext && sse.encryptionContext) {
    const { [ARN_CONTEXT]: _, ...own } = JSON.parse(sse.encryptionContext) as Record<string, string>;
    if (Object.keys(own).length) out.SSEKMSEncryptionContext = Buffer.from(JSON.stringify(own)).toString('base64');
  }
  return out;
}

function putBucketEncryption(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.PutBucketEncryption));
  const rules: any[] = input.ServerSideEncryptionConfiguration?.Rules ?? [];
  if (rules.length !== 1) throw malformedXml();
  const byDefault = rules[0].ApplyServerSideEncryptionByDefault;
  const algorithm = byDefault?.SSEAlgorithm;
  if (algorithm === 'aws:kms:dsse') throw notImplemented('SSEAlgorithm');
  if (algorithm !== 'AES256' && algorithm !== 'aws:kms') throw malformedXml();
  if (byDefault.KMSMasterKeyID !== undefined && algorithm !== 'aws:kms') {
    throw invalidArgument('a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
      'ApplyServerSideEncryptionByDefault', undefined);
  }
  const rule: EncryptionRule = { SSEAlgorithm: algorithm, KMSMasterKeyID: byDefault.KMSMasterKeyID, BucketKeyEnabled: rules[0].BucketKeyEnabled };
  ctx.app.store.transaction(() => ctx.app.store.put(KIND.bucket, bucket.Name, { ...requireBucket(ctx.app, bucket.Name), Encryption: rule }));
}

function getBucketEncryption(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.GetBucketEncryption));
  // Every bucket without its own configuration has AWS's default: SSE-S3.
  const rule = bucket.Encryption ?? { SSEAlgorithm: 'AES256', BucketKeyEnabled: false };
  return {
    ServerSideEncryptionConfiguration: {
      Rules: [{
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: rule.SSEAlgorithm, KMSMasterKeyID: rule.KMSMasterKeyID },
        BucketKeyEnabled: rule.BucketKeyEnabled ?? false,
      }],
    },
  };
}

function deleteBucketEncryption(input: any, ctx: RequestContext) {
  const bucket = requireBucket(ctx.app, input.Bucket);
  ctx.authorize(bucketQuery(ctx, bucket, ACTION.DeleteBucketEncryption));
  ctx.app.store.transaction(() => {
    const { Encryption: _, ...rest } = requireBucket(ctx.app, bucket.Name);
    ctx.app.store.put(KIND.bucket, bucket.Name, rest);
  });
}

export const operations: Record<string, OperationHandler> = {
  PutBucketEncryption: putBucketEncryption,
  GetBucketEncryption: getBucketEncryption,
  DeleteBucketEncryption: deleteBucketEncryption,
};
