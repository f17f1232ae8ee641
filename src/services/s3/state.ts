import { createHash } from 'node:crypto';
import type { App } from '../../app.js';
import { EmbeddedObjectStore } from '../../storage/objects/embedded.js';
import type { ObjectStore } from '../../storage/objects/types.js';
import { noSuchBucket } from './errors.js';
import { KIND, type BucketDoc } from './schema.js';

const stores = new WeakMap<App, ObjectStore>();

/**
 * The object store of an App, opened (and recovered after a crash) on first use. Call it at
 * startup so recovery happens before the first request rather than during it.
 */
export function objectStoreFor(app: App): ObjectStore {
  let s = stores.get(app);
  if (!s) {
    s = new EmbeddedObjectStore(app.config.dataDir, app.store);
    stores.set(app, s);
  }
  return s;
}

export function findBucket(app: App, name: string): BucketDoc | undefined {
  return app.store.get<BucketDoc>(KIND.bucket, name);
}

/** S3 answers NoSuchBucket before looking at permissions. */
export function requireBucket(app: App, name: string): BucketDoc {
  const b = findBucket(app, name);
  if (!b) throw noSuchBucket(name);
  return b;
}

/** S3's canonical user id for an account (64 hex digits, stable per account). */
export const canonicalId = (accountId: string): string => createHash('sha256').update(`tailor:${accountId}`).digest('hex');
