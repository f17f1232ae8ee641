import { AwsError } from '../../shared/aws-error.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import type { RequestContext } from '../../gateway/context.js';

/** IAM's modeled errors, with the HTTP status its model gives each. */
export const noSuchEntity = (message: string) => new AwsError('NoSuchEntity', message, 404);
export const entityAlreadyExists = (message: string) => new AwsError('EntityAlreadyExists', message, 409);
export const deleteConflict = (message: string) => new AwsError('DeleteConflict', message, 409);
export const limitExceeded = (message: string) => new AwsError('LimitExceeded', message, 409);
export const invalidInput = (message: string) => new AwsError('InvalidInput', message, 400);
export const malformedPolicy = (message: string) => new AwsError('MalformedPolicyDocument', message, 400);

/** `arn:aws:iam::<account>:<kind><path><name>`; path is `/` or `/a/b/`. */
export const iamArn = (ctx: RequestContext, kind: 'user' | 'group' | 'role' | 'policy', path: string, name: string) =>
  `arn:aws:iam::${ctx.accountId}:${kind}${path}${name}`;

/** Default and bounds of IAM's MaxItems (the model gives 1..1000). */
const DEFAULT_MAX_ITEMS = 100;

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

/**
 * IAM's Marker/MaxItems paging over store ids. The marker is opaque to clients; here it is the
 * last id returned, base64url-encoded, so a client can't forge one that escapes the listed kind.
 */
export function pageOf<T>(
  store: MetadataStore,
  kind: string,
  input: { Marker?: string; MaxItems?: number },
  opts: { prefix?: string; filter?: (doc: T) => boolean; idOf: (doc: T) => string },
): Page<T> {
  const max = input.MaxItems ?? DEFAULT_MAX_ITEMS;
  let after: string | undefined;
  if (input.Marker !== undefined) {
    after = Buffer.from(input.Marker, 'base64url').toString('utf8');
    if (!after) throw invalidInput('Invalid Marker.');
  }
  const items: T[] = [];
  let lastId = after;
  // Read in batches so a filter that rejects most documents still fills the page.
  for (;;) {
    const batch = store.list<T>(kind, { prefix: opts.prefix, after: lastId, limit: max + 1 });
    for (const doc of batch) {
      lastId = opts.idOf(doc);
      if (opts.filter && !opts.filter(doc)) continue;
      if (items.length === max) {
        return { items, IsTruncated: true, Marker: Buffer.from(opts.idOf(items[max - 1])).toString('base64url') };
      }
      items.push(doc);
    }
    if (batch.length < max + 1) return { items, IsTruncated: false };
  }
}

export const isoNow = (ctx: RequestContext) => ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Lifts stored ISO strings to Dates for the codec. */
export const date = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));

/** Policy documents travel URL-encoded in IAM responses (RFC 3986), as AWS returns them. */
export const encodeDocument = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** The generic awsQuery validation error IAM answers for semantic input checks (no modeled shape). */
export const validationError = (message: string) => new AwsError('ValidationError', message, 400);

/** An entity path as given, or `/`; AWS's check: `/`-delimited, no empty segment. */
export function checkPath(path: string | undefined): string {
  if (path === undefined) return '/';
  if (path === '/' || (path.startsWith('/') && path.endsWith('/') && !path.includes('//'))) return path;
  throw validationError('The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.');
}

/** Marker/MaxItems paging over a list already in memory (tags, small derived lists); `keyOf` must be unique. */
export function pageList<T>(all: T[], input: { Marker?: string; MaxItems?: number }, keyOf: (item: T) => string): Page<T> {
  const max = input.MaxItems ?? DEFAULT_MAX_ITEMS;
  let start = 0;
  if (input.Marker !== undefined) {
    const after = Buffer.from(input.Marker, 'base64url').toString('utf8');
    start = all.findIndex((x) => keyOf(x) === after) + 1;
    if (start === 0) throw invalidInput('Invalid Marker.');
  }
  const items = all.slice(start, start + max);
  if (start + max >= all.length) return { items, IsTruncated: false };
  return { items, IsTruncated: true, Marker: Buffer.from(keyOf(items[max - 1])).toString('base64url') };
}

/** The user an operation with an optional UserName acts on: the named one, else the calling IAM user. */
export function targetUserName(ctx: RequestContext, userName: string | undefined): string {
  if (userName !== undefined) return userName;
  if (ctx.principal.type === 'user' && ctx.principal.userName) return ctx.principal.userName;
  throw validationError('Must specify userName when calling with non-User credentials');
}
