import type { MetadataStore } from '../../storage/metadata/store.js';
import { invalidMarker } from './errors.js';

export interface PageInput {
  Limit?: number;
  Marker?: string;
}

export interface Page<T> {
  items: T[];
  Truncated: boolean;
  NextMarker?: string;
}

const encode = (id: string) => Buffer.from(id).toString('base64url');

function decode(marker: string): string {
  const id = Buffer.from(marker, 'base64url').toString('utf8');
  if (!id || encode(id) !== marker) throw invalidMarker();
  return id;
}

/** KMS's Marker/Limit paging over store ids; the marker is the last id returned, base64url-encoded. */
export function pageStore<T>(
  store: MetadataStore,
  kind: string,
  input: PageInput,
  opts: { defaultLimit: number; prefix?: string; filter?: (doc: T) => boolean; idOf: (doc: T) => string },
): Page<T> {
  const limit = input.Limit ?? opts.defaultLimit;
  let after = input.Marker === undefined ? undefined : decode(input.Marker);
  if (after !== undefined && opts.prefix && !after.startsWith(opts.prefix)) throw invalidMarker();
  const items: T[] = [];
  // Read in batches so a filter that rejects most documents still fills the page.
  for (;;) {
    const batch = store.list<T>(kind, { prefix: opts.prefix, after, limit: limit + 1 });
    for (const doc of batch) {
      after = opts.idOf(doc);
      if (opts.filter && !opts.filter(doc)) continue;
      if (items.length === limit) return { items, Truncated: true, NextMarker: encode(opts.idOf(items[limit - 1])) };
      items.push(doc);
    }
    if (batch.length < limit + 1) return { items, Truncated: false };
  }
}

/** The same paging over a small list already in memory (tags); `keyOf` must be unique. */
export function pageArray<T>(all: T[], input: PageInput, defaultLimit: number, keyOf: (item: T) => string): Page<T> {
  const limit = input.Limit ?? defaultLimit;
  let start = 0;
  if (input.Marker !== undefined) {
    const after = decode(input.Marker);
    start = all.findIndex((x) => keyOf(x) === after) + 1;
    if (start === 0) throw invalidMarker();
  }
  const items = all.slice(start, start + limit);
  if (start + limit >= all.length) return { items, Truncated: false };
  return { items, Truncated: true, NextMarker: encode(keyOf(items[limit - 1])) };
}
