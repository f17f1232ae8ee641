import { regionalPrefix, type Scope } from './arns.js';
import { invalidNextToken } from './errors.js';

const DEFAULT_MAX_RESULTS = 100;

const encode = (id: string) => Buffer.from(id).toString('base64url');

function decode(token: string, prefix: string): string {
  const id = Buffer.from(token, 'base64url').toString('utf8');
  if (!id || encode(id) !== token || !id.startsWith(prefix)) throw invalidNextToken();
  return id;
}

/**
 * Personalize's nextToken/maxResults paging over store ids (ARNs; the token is the last one,
 * base64url), limited to the caller's region and account unless `prefix` narrows it further.
 */
export function page<T>(
  ctx: Scope,
  kind: string,
  input: { nextToken?: string; maxResults?: number },
  opts: { prefix?: string; filter?: (doc: T) => boolean; idOf: (doc: T) => string },
): { items: T[]; nextToken?: string } {
  const store = ctx.app.store;
  const limit = input.maxResults ?? DEFAULT_MAX_RESULTS;
  const prefix = opts.prefix ?? regionalPrefix(ctx);
  let after = input.nextToken === undefined ? undefined : decode(input.nextToken, prefix);
  const items: T[] = [];
  // Read in batches so a filter that rejects most documents still fills the page.
  for (;;) {
    const batch = store.list<T>(kind, { prefix, after, limit: limit + 1 });
    for (const doc of batch) {
      after = opts.idOf(doc);
      if (opts.filter && !opts.filter(doc)) continue;
      if (items.length === limit) return { items, nextToken: encode(opts.idOf(items[limit - 1])) };
      items.push(doc);
    }
    if (batch.length < limit + 1) return { items };
  }
}

/** The same paging over a list already in memory (static recipes); `keyOf` must be unique. */
export function pageArray<T>(all: T[], input: { nextToken?: string; maxResults?: number }, keyOf: (item: T) => string): { items: T[]; nextToken?: string } {
  const limit = input.maxResults ?? DEFAULT_MAX_RESULTS;
  let start = 0;
  if (input.nextToken !== undefined) {
    const after = decode(input.nextToken, '');
    start = all.findIndex((x) => keyOf(x) === after) + 1;
    if (start === 0) throw invalidNextToken();
  }
  const items = all.slice(start, start + limit);
  return start + limit >= all.length ? { items } : { items, nextToken: encode(keyOf(items[limit - 1])) };
}
