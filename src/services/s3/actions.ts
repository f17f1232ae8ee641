import type { App } from '../../app.js';
import type { AuthzQuery, ContextValues, Principal } from '../../gateway/context.js';
import type { HttpRequest } from '../../protocol/types.js';
import type { BucketDoc } from './schema.js';

/**
 * The IAM action each S3 operation is authorised as (AWS's mapping: several operations share one
 * action, and some actions are named differently from their operations).
 */
export const ACTION = {
  CreateBucket: 's3:CreateBucket',
  DeleteBucket: 's3:DeleteBucket',
  HeadBucket: 's3:ListBucket',
  ListBuckets: 's3:ListAllMyBuckets',
  GetBucketLocation: 's3:GetBucketLocation',
  PutObject: 's3:PutObject',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  DeleteObject: 's3:DeleteObject',
  DeleteObjects: 's3:DeleteObject',
  /** CopyObject also needs s3:GetObject on its source. */
  CopyObject: 's3:PutObject',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListParts: 's3:ListMultipartUploadParts',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  PutBucketPolicy: 's3:PutBucketPolicy',
  GetBucketPolicy: 's3:GetBucketPolicy',
  DeleteBucketPolicy: 's3:DeleteBucketPolicy',
  PutBucketEncryption: 's3:PutEncryptionConfiguration',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  DeleteBucketEncryption: 's3:PutEncryptionConfiguration',
} as const;

/**
 * Who is asking and how to ask the policies: a RequestContext for API calls, or a service acting
 * for a principal (Personalize reading import data), which supplies its own authorize.
 */
export interface S3Caller {
  readonly app: App;
  readonly region: string;
  readonly now: Date;
  readonly principal: Principal;
  readonly request?: HttpRequest;
  authorize(...queries: AuthzQuery[]): void;
}

export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;
export const objectArn = (bucket: string, key: string): string => `arn:aws:s3:::${bucket}/${key}`;

/** S3 condition keys every request carries, where Tailor knows them cheaply. */
function requestKeys(caller: S3Caller, owner: string): ContextValues {
  const req = caller.request;
  const keys: ContextValues = { 's3:ResourceAccount': owner };
  if (!req) return keys;
  keys['s3:authType'] = req.headers.authorization ? 'REST-HEADER' : 'REST-QUERY-STRING';
  keys['s3:signatureversion'] = 'AWS4-HMAC-SHA256';
  keys['s3:x-amz-content-sha256'] = req.headers['x-amz-content-sha256'];
  return keys;
}

/** One question about a bucket or an object in it, with the bucket's policy and owner. */
export function bucketQuery(caller: S3Caller, bucket: Pick<BucketDoc, 'Name' | 'Owner' | 'Policy'>, action: string, key?: string, context?: ContextValues): AuthzQuery {
  const resource = key === undefined ? bucketArn(bucket.Name) : objectArn(bucket.Name, key);
  return {
    action,
    resource,
    context: { ...requestKeys(caller, bucket.Owner), ...context },
    resourcePolicy: bucket.Policy ? { text: bucket.Policy, id: bucketArn(bucket.Name), kind: 'resource' } : undefined,
    resourceAccount: bucket.Owner,
  };
}

/** s3:x-amz-server-side-encryption* keys of a write request. */
export function sseKeys(input: { ServerSideEncryption?: string; SSEKMSKeyId?: string }): ContextValues {
  return {
    's3:x-amz-server-side-encryption': input.ServerSideEncryption,
    's3:x-amz-server-side-encryption-aws-kms-key-id': input.SSEKMSKeyId,
  };
}
