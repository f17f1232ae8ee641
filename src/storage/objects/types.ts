import type { Readable } from 'node:stream';

/** Checksum algorithms S3 accepts (`x-amz-checksum-*`). */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

/** Inclusive byte range of an object's plaintext. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What the caller says about an object (HTTP headers, user metadata, how its data key is sealed);
 * the store keeps it verbatim and does not interpret it.
 */
export interface ObjectAttributes {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
  websiteRedirectLocation?: string;
  metadata?: Record<string, string>;
  /** Server-side encryption: the algorithm and the object's data key sealed by its keeper (KMS or the master key). */
  sse?: {
    algorithm: 'AES256' | 'aws:kms';
    kmsKeyId?: string;
    sealedKey: string;
    encryptionContext?: string;
  };
}

/** One object as the store records it. Dates are ISO-8601 strings. */
export interface StoredObject {
  bucket: string;
  key: string;
  size: number;
  /** Hex, without quotes; `<hex>-<parts>` for multipart objects. */
  etag: string;
  lastModified: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  attrs: ObjectAttributes;
  /** Where the bytes are: an id the backend gave them (never derived from the key). */
  blob: string;
  /** The blob holds ciphertext (chunked AES-256-GCM) and needs a data key to read. */
  encrypted: boolean;
}

/** One uploaded part of a multipart upload. */
export interface StoredPart {
  uploadId: string;
  partNumber: number;
  size: number;
  etag: string;
  lastModified: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  blob: string;
  encrypted: boolean;
}

/** What the write path measured while streaming the bytes in (before anything became visible). */
export interface Written {
  size: number;
  md5: Buffer;
  /** base64 of the requested checksum, computed over the plaintext. */
  checksum?: string;
}

export interface WriteOptions {
  /** 256-bit data key: the bytes are encrypted at rest with it. */
  dataKey?: Buffer;
  /** Also compute this checksum while writing. */
  checksum?: ChecksumAlgorithm;
  /** Refuse more than `bytes` bytes: the write fails with `error()` as soon as the stream passes it. */
  limit?: { bytes: number; error(): Error };
}

/**
 * Runs inside the metadata transaction that makes a write visible, with the object it replaces and
 * what was received. Throwing (bad digest, failed precondition) rolls the whole write back.
 */
export type CommitCheck = (previous: StoredObject | undefined, written: Written) => void;

export interface PutOptions extends WriteOptions {
  attrs: ObjectAttributes;
  lastModified: Date;
  /** Overrides the MD5 ETag (multipart ETags are computed by the caller). */
  etag?: string;
  /** Store the computed checksum with the object. */
  keepChecksum?: boolean;
  check?: CommitCheck;
  /** Metadata writes that must land in the same transaction (e.g. removing the finished upload). */
  alsoInTransaction?: () => void;
}

/**
 * An object store: what S3's handlers need from whatever keeps the bytes. The embedded one keeps
 * files in the data dir; an external S3-compatible backend can implement the same contract.
 * Writes stream (never buffer an object) and become visible atomically or not at all.
 */
export interface ObjectStore {
  put(bucket: string, key: string, body: Readable, opts: PutOptions): Promise<StoredObject>;
  head(bucket: string, key: string): StoredObject | undefined;
  /** A stream of the object's plaintext, or of `range` of it. Opened at once: a later delete does not cut it short. */
  read(obj: StoredObject | StoredPart, opts?: { range?: ByteRange; dataKey?: Buffer }): Readable;
  /** Removes the object; returns what was removed. `alsoInTransaction` lands atomically with it. */
  remove(bucket: string, key: string, alsoInTransaction?: () => void): StoredObject | undefined;
  copy(source: StoredObject, sourceKey: Buffer | undefined, bucket: string, key: string, opts: PutOptions): Promise<StoredObject>;
  /** Objects of a bucket in key order (UTF-8 binary), keys starting with `prefix`, after key `after`. */
  list(bucket: string, opts: { prefix?: string; after?: string; limit: number }): StoredObject[];
  hasObjects(bucket: string): boolean;

  putPart(uploadId: string, partNumber: number, body: Readable, opts: WriteOptions & { lastModified: Date; check?: (w: Written) => void }): Promise<StoredPart>;
  parts(uploadId: string, opts?: { after?: number; limit?: number }): StoredPart[];
  /** Concatenates `parts` (in the given order) into the object, streaming; the parts go away with the same commit. */
  assemble(bucket: string, key: string, parts: StoredPart[], opts: PutOptions & { uploadId: string }): Promise<StoredObject>;
  /** Drops every part of an upload. */
  dropParts(uploadId: string, alsoInTransaction?: () => void): void;
}
