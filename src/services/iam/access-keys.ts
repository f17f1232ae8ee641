import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import { iamId, secretAccessKey } from '../../shared/ids.js';
import { KIND, lower, type AccessKeyDoc } from './schema.js';
import { date, invalidInput, isoNow, limitExceeded, noSuchEntity, pageOf } from './common.js';
import { tagRecord } from './tags.js';
import { authorizedUser, getUser } from './users.js';

const KEYS_PER_USER = 2;
/** Binds a sealed secret to its key id, so a sealed value copied onto another key won't open. */
export const secretAad = (accessKeyId: string) => `${KIND.accessKey}/${accessKeyId}`;

const keyNotFound = (id: string) => noSuchEntity(`The Access Key with id ${id} cannot be found.`);
const userKeyId = (userName: string, akid: string) => `${lower(userName)}|${akid}`;
const metadata = (k: AccessKeyDoc) => ({ UserName: k.UserName, AccessKeyId: k.AccessKeyId, Status: k.Status, CreateDate: date(k.CreateDate) });

/** The target user (named, or the caller), authorised for `action` before anything else happens. */
function createAccessKey(input: { UserName?: string }, ctx: RequestContext) {
  const user = authorizedUser(ctx, 'iam:CreateAccessKey', input.UserName);
  const { store, secrets } = ctx.app;
  return store.transaction(() => {
    if (store.count(KIND.userAccessKey, `${lower(user.UserName)}|`) >= KEYS_PER_USER) {
      throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${KEYS_PER_USER}`);
    }
    let id = iamId('AKIA');
    while (store.get(KIND.accessKey, id)) id = iamId('AKIA');
    const secret = secretAccessKey();
    const key: AccessKeyDoc = {
      AccessKeyId: id, UserName: user.UserName, Status: 'Active', CreateDate: isoNow(ctx), SecretSealed: secrets.seal(secret, secretAad(id)),
    };
    store.put(KIND.accessKey, id, key);
    store.put(KIND.userAccessKey, userKeyId(user.UserName, id), { UserName: user.UserName, AccessKeyId: id });
    // The only time the secret leaves the server.
    return { AccessKey: { ...metadata(key), SecretAccessKey: secret } };
  });
}

function listAccessKeys(input: { UserName?: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  const user = authorizedUser(ctx, 'iam:ListAccessKeys', input.UserName);
  const { store } = ctx.app;
  const page = pageOf<{ UserName: string; AccessKeyId: string }>(store, KIND.userAccessKey, input, {
    prefix: `${lower(user.UserName)}|`, idOf: (k) => userKeyId(k.UserName, k.AccessKeyId),
  });
  const keys = page.items.map((k) => store.get<AccessKeyDoc>(KIND.accessKey, k.AccessKeyId)).filter((k): k is AccessKeyDoc => k !== undefined);
  return { AccessKeyMetadata: keys.map(metadata), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
}

/** The key, which must belong to the target user (a key of anyone else reads as missing). */
function ownedKey(store: MetadataStore, userName: string, id: string): AccessKeyDoc {
  const key = store.get<AccessKeyDoc>(KIND.accessKey, id);
  if (!key || lower(key.UserName) !== lower(userName)) throw keyNotFound(id);
  return key;
}

function updateAccessKey(input: { UserName?: string; AccessKeyId: string; Status: string }, ctx: RequestContext) {
  const user = authorizedUser(ctx, 'iam:UpdateAccessKey', input.UserName);
  if (input.Status !== 'Active' && input.Status !== 'Inactive') {
    throw invalidInput(`Invalid status: ${input.Status}. Access key status must be Active or Inactive.`);
  }
  const status = input.Status;
  const { store } = ctx.app;
  store.transaction(() => {
    const key = ownedKey(store, user.UserName, input.AccessKeyId);
    if (key.Status !== status) store.put(KIND.accessKey, key.AccessKeyId, { ...key, Status: status });
  });
}

function deleteAccessKey(input: { UserName?: string; AccessKeyId: string }, ctx: RequestContext) {
  const user = authorizedUser(ctx, 'iam:DeleteAccessKey', input.UserName);
  const { store } = ctx.app;
  store.transaction(() => {
    const key = ownedKey(store, user.UserName, input.AccessKeyId);
    store.delete(KIND.accessKey, key.AccessKeyId);
    store.delete(KIND.userAccessKey, userKeyId(key.UserName, key.AccessKeyId));
  });
}

function getAccessKeyLastUsed(input: { AccessKeyId: string }, ctx: RequestContext) {
  const { store } = ctx.app;
  const key = store.get<AccessKeyDoc>(KIND.accessKey, input.AccessKeyId);
  const user = key && getUser(store, key.UserName);
  // The resource is the key's owner; an unknown key has no owner to name.
  ctx.authorize({ action: 'iam:GetAccessKeyLastUsed', resource: user ? user.Arn : '*', resourceTags: tagRecord(user?.Tags) });
  if (!key) throw keyNotFound(input.AccessKeyId);
  const used = key.LastUsedDate
    ? { LastUsedDate: date(key.LastUsedDate), ServiceName: key.LastUsedService ?? 'N/A', Region: key.LastUsedRegion ?? 'N/A' }
    : { ServiceName: 'N/A', Region: 'N/A' };
  return { UserName: key.UserName, AccessKeyLastUsed: used };
}

const RECORD_INTERVAL_MS = 60_000;
const MAX_TRACKED_KEYS = 100_000;
/** When each key's use was last written, per store, so a busy key costs one write a minute. */
const lastRecorded = new WeakMap<MetadataStore, Map<string, number>>();

/** Notes that `accessKeyId` signed a request (for GetAccessKeyLastUsed); cheap enough to call on every request. */
export function recordAccessKeyUse(store: MetadataStore, accessKeyId: string, service: string, region: string, when: Date): void {
  let seen = lastRecorded.get(store);
  if (!seen) lastRecorded.set(store, (seen = new Map()));
  const t = when.getTime();
  const prev = seen.get(accessKeyId);
  if (prev !== undefined && t - prev < RECORD_INTERVAL_MS) return;
  if (seen.size >= MAX_TRACKED_KEYS) seen.clear();
  seen.set(accessKeyId, t);
  // Read outside a transaction: one that writes nothing would still bump the store's generation.
  const key = store.get<AccessKeyDoc>(KIND.accessKey, accessKeyId);
  if (!key) return;
  const iso = new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  store.transaction(() => store.put(KIND.accessKey, accessKeyId, { ...key, LastUsedDate: iso, LastUsedService: service, LastUsedRegion: region }));
}

export const operations: Record<string, OperationHandler> = {
  CreateAccessKey: createAccessKey,
  ListAccessKeys: listAccessKeys,
  UpdateAccessKey: updateAccessKey,
  DeleteAccessKey: deleteAccessKey,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
};
