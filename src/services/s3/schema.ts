import type { ChecksumAlgorithm, ObjectAttributes } from '../../storage/objects/types.js';

/**
 * How S3's buckets and multipart uploads are kept in the metadata store (objects and parts are
 * the object store's: src/storage/objects/embedded.ts). Dates are ISO-8601 strings.
 */
export const KIND = {
  /** id: bucket name (names are global, as in AWS) */
  bucket: 's3.bucket',
  /** id: `${bucket}/${key}\u0000${uploadId}` — in key order, then initiation order (upload ids start with the time). */
  upload: 's3.upload',
} as const;

export interface EncryptionRule {
  SSEAlgorithm: 'AES256' | 'aws:kms';
  KMSMasterKeyID?: string;
  BucketKeyEnabled?: boolean;
}

export interface BucketDoc {
  Name: string;
  /** Owning account id. */
  Owner: string;
  CreationDate: string;
  Region: string;
  /** Bucket policy text, kept on the bucket so every request reads one document. */
  Policy?: string;
  /** Default encryption (PutBucketEncryption). */
  Encryption?: EncryptionRule;
}

export interface UploadDoc {
  Bucket: string;
  Key: string;
  UploadId: string;
  Initiated: string;
  /** ARN and id of who started it (ListParts/ListMultipartUploads report them). */
  InitiatorArn: string;
  InitiatorId: string;
  Owner: string;
  /** Attributes the completed object gets, including its sealed data key when encrypted. */
  attrs: ObjectAttributes;
  ChecksumAlgorithm?: ChecksumAlgorithm;
}

export const uploadDocId = (bucket: string, key: string, uploadId: string): string => `${bucket}/${key}\u0000${uploadId}`;
