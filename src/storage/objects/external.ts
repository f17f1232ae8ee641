// The read side of an object store kept by an S3-compatible service (AWS S3, MinIO, Ceph…), for
// import data that lives outside Tailor. Every answer is a network round trip, so head and list are
// asynchronous here where the embedded store's are not; read keeps ObjectStore's shape.
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ByteRange, StoredObject } from './types.js';

type Sdk = typeof import('@aws-sdk/client-s3');

export interface ExternalS3Config {
  /** Base URL of the service, e.g. `http://127.0.0.1:9000`; buckets are addressed path-style under it. */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/**
 * The external service's settings from the command line (`--s3-endpoint`, `--s3-access-key-id`,
 * `--s3-secret-access-key`) or the environment (TAILOR_S3_*); undefined when no endpoint is set.
 */
export function externalS3Config(
  flags: { endpoint?: string; accessKeyId?: string; secretAccessKey?: string },
  env: NodeJS.ProcessEnv,
): ExternalS3Config | undefined {
  const endpoint = flags.endpoint ?? env.TAILOR_S3_ENDPOINT;
  if (!endpoint) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`--s3-endpoint: not a URL: ${endpoint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--s3-endpoint: not an http(s) URL: ${endpoint}`);
  const accessKeyId = flags.accessKeyId ?? env.TAILOR_S3_ACCESS_KEY_ID;
  const secretAccessKey = flags.secretAccessKey ?? env.TAILOR_S3_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error('--s3-endpoint needs --s3-access-key-id and --s3-secret-access-key');
  return { endpoint, accessKeyId, secretAccessKey, region: env.TAILOR_S3_REGION || 'us-east-1' };
}

const PAGE = 1000;
const unquote = (etag: string | undefined) => (etag ?? '').replace(/^"(.*)"$/, '$1');

export class ExternalObjectStore {
  private readonly client: S3Client;

  /** Loads the AWS SDK only when an external service is configured: most servers never need it. */
  static async connect(config: ExternalS3Config): Promise<ExternalObjectStore> {
    return new ExternalObjectStore(await import('@aws-sdk/client-s3'), config);
  }

  private constructor(private readonly sdk: Sdk, config: ExternalS3Config) {
    this.client = new sdk.S3Client({
      endpoint: config.endpoint,
      region: config.region,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      forcePathStyle: true,
      // Checksums of whole objects only where the service asks for them: S3-compatible services vary.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private isNotFound(e: unknown): boolean {
    return e instanceof this.sdk.S3ServiceException && e.$metadata.httpStatusCode === 404;
  }

  /** The object's record, or undefined when the bucket or the key does not exist (HEAD cannot tell which). */
  async head(bucket: string, key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
      return {
        bucket, key, size: out.ContentLength ?? 0, etag: unquote(out.ETag),
        lastModified: (out.LastModified ?? new Date(0)).toISOString(),
        attrs: { contentType: out.ContentType, metadata: out.Metadata },
        blob: key, encrypted: false,
      };
    } catch (e) {
      if (this.isNotFound(e)) return undefined;
      throw e;
    }
  }

  async hasBucket(bucket: string): Promise<boolean> {
    try {
      await this.client.send(new this.sdk.HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch (e) {
      if (this.isNotFound(e)) return false;
      throw e;
    }
  }

  /**
   * A stream of the object (or `range` of it), requested at once. The ETag from `head` is a condition
   * of the GET, so an object replaced in between fails the stream rather than mixing two versions.
   */
  read(obj: StoredObject, opts: { range?: ByteRange } = {}): Readable {
    const range = opts.range ? `bytes=${opts.range.start}-${opts.range.end}` : undefined;
    const response = this.client.send(new this.sdk.GetObjectCommand({ Bucket: obj.bucket, Key: obj.key, Range: range, IfMatch: `"${obj.etag}"` }));
    // Until the stream is read, a failure is held for it rather than reported as unhandled.
    response.catch(() => {});
    return Readable.from((async function* () {
      yield* (await response).Body as Readable;
    })(), { objectMode: false });
  }

  /** Objects of a bucket in key order, keys starting with `prefix`, after key `after`. */
  async list(bucket: string, opts: { prefix?: string; after?: string; limit: number }): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new this.sdk.ListObjectsV2Command({
        Bucket: bucket, Prefix: opts.prefix || undefined, StartAfter: token ? undefined : opts.after,
        ContinuationToken: token, MaxKeys: Math.min(PAGE, opts.limit - out.length),
      }));
      for (const o of page.Contents ?? []) {
        out.push({
          bucket, key: o.Key!, size: o.Size ?? 0, etag: unquote(o.ETag),
          lastModified: (o.LastModified ?? new Date(0)).toISOString(), attrs: {}, blob: o.Key!, encrypted: false,
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && out.length < opts.limit);
    return out;
  }

  close(): void {
    this.client.destroy();
  }
}
