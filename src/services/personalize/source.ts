// Reading import data from the embedded S3 as a principal of the service (the passed role's session,
// or the service itself): the same read path and permission checks as S3's GetObject and ListObjects.
import { Readable } from 'node:stream';
import type { AuthzQuery, Principal } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { listObjectsForService, openObjectForService, putObjectForService } from '../s3/index.js';
import { isAwsError } from '../../shared/aws-error.js';
import { WorkFailure } from './lifecycle.js';
import { isDenial } from './service-role.js';

export interface Reader {
  readonly app: App;
  readonly principal: Principal;
  readonly region: string;
  readonly now: Date;
  authorize(...queries: AuthzQuery[]): void;
}

/** `s3://bucket/key` → parts; a key that is empty or ends in `/` names a folder. */
export function parseS3Url(location: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

const insufficient = (what: string) =>
  new WorkFailure(`Insufficient privileges for ${what}. Please look at https://docs.aws.amazon.com/personalize/latest/dg/granting-personalize-s3-access.html and add a bucket policy to grant Amazon Personalize access to the data.`);

/** Maps S3's refusals to the job's failure reason. */
function failure(e: unknown, location: string, doing = 'accessing data in S3'): unknown {
  if (isDenial(e)) return insufficient(doing);
  if (isAwsError(e) && (e.code === 'NoSuchBucket' || e.code === 'NoSuchKey')) return new WorkFailure(`Input data location ${location} does not exist.`);
  return e;
}

/** Calls `each` with every file at `location` (one object, or each object under a folder), in key order. */
export async function eachFile(reader: Reader, location: string, each: (source: string, body: Readable) => Promise<void>): Promise<void> {
  const where = parseS3Url(location);
  if (!where) throw new WorkFailure(`Invalid data location ${location}.`);
  const { app } = reader;
  let keys: string[];
  try {
    if (where.key !== '' && !where.key.endsWith('/')) keys = [where.key];
    else keys = (await listObjectsForService(app, where.bucket, where.key, reader)).map((o) => o.key).filter((k) => !k.endsWith('/'));
    if (!keys.length) throw new WorkFailure(`No data files found at ${location}.`);
  } catch (e) {
    throw failure(e, location);
  }
  for (const key of keys) {
    const source = `s3://${where.bucket}/${key}`;
    let body: Readable;
    try {
      body = (await openObjectForService(app, where.bucket, key, reader)).body;
    } catch (e) {
      throw failure(e, source);
    }
    await each(source, body);
  }
}

/** Writes `body` to `s3://bucket/key` as the reader (SSE-KMS under `kmsKeyId` when given). */
export async function writeS3(reader: Reader, location: string, body: Buffer, kmsKeyId?: string): Promise<void> {
  const where = parseS3Url(location);
  if (!where || !where.key) throw new WorkFailure(`Invalid output location ${location}.`);
  try {
    await putObjectForService(reader.app, where.bucket, where.key, Readable.from([body]), { ...reader, kmsKeyId });
  } catch (e) {
    throw failure(e, location, 'writing data to S3');
  }
}
