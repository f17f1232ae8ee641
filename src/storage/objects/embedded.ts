import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { MetadataStore } from '../metadata/store.js';
import { BlobFiles, type TempBlob } from './blobs.js';
import type { ObjectStore, PutOptions, StoredObject, StoredPart, WriteOptions, Written } from './types.js';

/** Metadata kinds of the embedded store. */
export const OBJECT_KIND = {
  /** id: `${bucket}/${key}` — bucket names hold no `/`, so a bucket's objects are one id range in key order. */
  object: 's3.object',
  /** id: `${uploadId}/${partNumber padded to 5 digits}` */
  part: 's3.part',
} as const;

const objectId = (bucket: string, key: string): string => `${bucket}/${key}`;
const partId = (uploadId: string, n: number): string => `${uploadId}/${String(n).padStart(5, '0')}`;
const PAGE = 1000;

/**
 * Objects as files in `<dataDir>/objects` with their records in the metadata store. Every change
 * goes through `swap`, which renames files and commits records synchronously, so no other request
 * can observe (and no crash can leave) a record without its file or a file nothing will clean up.
 */
export class EmbeddedObjectStore implements ObjectStore {
  private readonly files: BlobFiles;

  constructor(dataDir: string, private readonly meta: MetadataStore) {
    this.files = new BlobFiles(join(dataDir, 'objects'));
    this.files.recover(() => this.referencedBlobs());
  }

  async put(bucket: string, key: string, body: Readable, opts: PutOptions): Promise<StoredObject> {
    const temp = await this.files.write(body, opts);
    return this.commitObject(bucket, key, temp, opts, []);
  }

  head(bucket: string, key: string): StoredObject | undefined {
    return this.meta.get<StoredObject>(OBJECT_KIND.object, objectId(bucket, key));
  }

  read(obj: StoredObject | StoredPart, opts: { range?: { start: number; end: number }; dataKey?: Buffer } = {}): Readable {
    return this.files.read(obj.blob, obj.encrypted, obj.size, opts.range, opts.dataKey);
  }

  remove(bucket: string, key: string, alsoInTransaction?: () => void): StoredObject | undefined {
    const id = objectId(bucket, key);
    const previous = this.meta.get<StoredObject>(OBJECT_KIND.object, id);
    this.swap(undefined, previous ? [previous.blob] : [], () => {
      if (previous) this.meta.delete(OBJECT_KIND.object, id);
      alsoInTransaction?.();
    });
    return previous;
  }

  copy(source: StoredObject, sourceKey: Buffer | undefined, bucket: string, key: string, opts: PutOptions): Promise<StoredObject> {
    return this.put(bucket, key, this.read(source, { dataKey: sourceKey }), opts);
  }

  list(bucket: string, opts: { prefix?: string; after?: string; limit: number }): StoredObject[] {
    return this.meta.list<StoredObject>(OBJECT_KIND.object, {
      prefix: objectId(bucket, opts.prefix ?? ''),
      after: opts.after === undefined ? undefined : objectId(bucket, opts.after),
      limit: opts.limit,
    });
  }

  hasObjects(bucket: string): boolean {
    return this.list(bucket, { limit: 1 }).length > 0;
  }

  async putPart(uploadId: string, partNumber: number, body: Readable,
    opts: WriteOptions & { lastModified: Date; check?: (w: Written) => void }): Promise<StoredPart> {
    const temp = await this.files.write(body, opts);
    const id = partId(uploadId, partNumber);
    const previous = this.meta.get<StoredPart>(OBJECT_KIND.part, id);
    const part: StoredPart = {
      uploadId, partNumber, size: temp.written.size, etag: temp.written.md5.toString('hex'),
      lastModified: opts.lastModified.toISOString(), blob: temp.id, encrypted: !!opts.dataKey,
    };
    if (opts.checksum && temp.written.checksum) part.checksum = { algorithm: opts.checksum, value: temp.written.checksum };
    this.swap(temp.id, previous ? [previous.blob] : [], () => {
      opts.check?.(temp.written);
      this.meta.put(OBJECT_KIND.part, id, part);
    });
    return part;
  }

  parts(uploadId: string, opts: { after?: number; limit?: number } = {}): StoredPart[] {
    return this.meta.list<StoredPart>(OBJECT_KIND.part, {
      prefix: `${uploadId}/`,
      after: opts.after === undefined ? undefined : partId(uploadId, opts.after),
      limit: opts.limit,
    });
  }

  async assemble(bucket: string, key: string, parts: StoredPart[], opts: PutOptions & { uploadId: string }): Promise<StoredObject> {
    const self = this;
    // Each part is opened only when the previous one is done: a 10,000-part upload must not hold 10,000 descriptors.
    async function* concatenated() {
      for (const p of parts) yield* self.read(p, { dataKey: opts.dataKey });
    }
    const temp = await this.files.write(Readable.from(concatenated()), { dataKey: opts.dataKey, md5: false });
    const all = this.parts(opts.uploadId);
    const current = new Map(all.map((p) => [p.partNumber, p.blob]));
    return this.commitObject(bucket, key, temp, {
      ...opts,
      check: (previous, written) => {
        // A part re-uploaded or aborted while we were reading it: the object would not be what the client listed.
        if (parts.some((p) => current.get(p.partNumber) !== p.blob)) {
          throw new Error(`upload ${opts.uploadId} changed while it was being completed`);
        }
        opts.check?.(previous, written);
      },
      alsoInTransaction: () => {
        for (const p of all) this.meta.delete(OBJECT_KIND.part, partId(p.uploadId, p.partNumber));
        opts.alsoInTransaction?.();
      },
    }, all.map((p) => p.blob));
  }

  dropParts(uploadId: string, alsoInTransaction?: () => void): void {
    const all = this.parts(uploadId);
    this.swap(undefined, all.map((p) => p.blob), () => {
      for (const p of all) this.meta.delete(OBJECT_KIND.part, partId(uploadId, p.partNumber));
      alsoInTransaction?.();
    });
  }

  private commitObject(bucket: string, key: string, temp: TempBlob, opts: PutOptions, alsoRemoved: string[]): StoredObject {
    const id = objectId(bucket, key);
    const previous = this.meta.get<StoredObject>(OBJECT_KIND.object, id);
    const { written } = temp;
    // Only defined fields, so what put() returns equals what head() later reads back.
    const obj: StoredObject = {
      bucket, key, size: written.size, etag: opts.etag ?? written.md5.toString('hex'),
      lastModified: opts.lastModified.toISOString(), attrs: opts.attrs, blob: temp.id, encrypted: !!opts.dataKey,
    };
    if (opts.keepChecksum && opts.checksum && written.checksum) obj.checksum = { algorithm: opts.checksum, value: written.checksum };
    this.swap(temp.id, [...(previous ? [previous.blob] : []), ...alsoRemoved], () => {
      opts.check?.(previous, written);
      this.meta.put(OBJECT_KIND.object, id, obj);
      opts.alsoInTransaction?.();
    });
    return obj;
  }

  /**
   * The one way files and records change together, all synchronous: retire the files losing their
   * record (data → temp), commit, then publish the new file (temp → data) and delete the retired
   * ones. A failed commit puts everything back. See BlobFiles.recover for what a crash leaves.
   */
  private swap(added: string | undefined, removed: string[], txn: () => void): void {
    for (const b of removed) this.files.retire(b);
    try {
      this.meta.transaction(txn);
    } catch (e) {
      for (const b of removed) this.files.publish(b);
      if (added) this.files.discard(added);
      throw e;
    }
    if (added) this.files.publish(added);
    for (const b of removed) this.files.discard(b);
  }

  /** Every blob a record names (only needed after a crash left files in the temp dir). */
  private referencedBlobs(): Set<string> {
    const ids = new Set<string>();
    let after: string | undefined;
    for (;;) {
      const page = this.meta.list<StoredObject>(OBJECT_KIND.object, { after, limit: PAGE });
      for (const o of page) ids.add(o.blob);
      if (page.length < PAGE) break;
      after = objectId(page[page.length - 1].bucket, page[page.length - 1].key);
    }
    after = undefined;
    for (;;) {
      const page = this.meta.list<StoredPart>(OBJECT_KIND.part, { after, limit: PAGE });
      for (const p of page) ids.add(p.blob);
      if (page.length < PAGE) break;
      after = partId(page[page.length - 1].uploadId, page[page.length - 1].partNumber);
    }
    return ids;
  }
}
