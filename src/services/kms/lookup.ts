import type { App } from '../../app.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import type { KmsCaller } from './caller.js';
import { KIND, aliasArn, aliasStoreId, grantStoreId, keyArn, keyStoreId, type AliasDoc, type GrantDoc, type KeyDoc, type Tag } from './schema.js';
import { awsManagedAlias } from './aws-managed-keys.js';
import { aliasNotFound, disabled, invalidArn, invalidKeyId, keyNotFound, pendingDeletion } from './errors.js';

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

/** A key found from what a request named, and the alias name when it was named through one (kms:RequestAlias). */
export interface Resolved {
  key: KeyDoc;
  alias?: string;
}

export const accountOf = (caller: KmsCaller) => caller.principal.accountId;

export function loadKey(app: App, account: string, region: string, keyId: string): KeyDoc | undefined {
  return app.store.get<KeyDoc>(KIND.key, keyStoreId(account, region, keyId));
}

/** An alias by name (`alias/x`) or alias ARN, in the caller's region; NotFound when missing. */
export function findAlias(app: App, caller: KmsCaller, name: string): AliasDoc {
  const arn = ALIAS_ARN.exec(name);
  const [region, account, aliasName] = arn ? [arn[1], arn[2], arn[3]] : [caller.region, accountOf(caller), name];
  const alias = region === caller.region ? app.store.get<AliasDoc>(KIND.alias, aliasStoreId(account, region, aliasName)) : undefined;
  if (!alias) throw aliasNotFound(aliasArn(region, account, aliasName));
  return alias;
}

/**
 * The key a KeyId parameter names: a key id or key ARN, and where the operation accepts them, an alias
 * name or alias ARN. Keys are regional: an ARN of another region names nothing here.
 */
export function resolveKey(app: App, caller: KmsCaller, id: string, opts: { aliases: boolean }): Resolved {
  const isAlias = id.startsWith('alias/') || ALIAS_ARN.test(id);
  if (isAlias) {
    if (!opts.aliases) throw invalidArn('Key Aliases are not supported for this operation');
    const alias = awsManagedAlias(app, accountOf(caller), caller.region, id, caller.now) ?? findAlias(app, caller, id);
    const key = loadKey(app, alias.AccountId, alias.Region, alias.TargetKeyId);
    if (!key) throw keyNotFound(keyArn(alias.Region, alias.AccountId, alias.TargetKeyId));
    return { key, alias: alias.AliasName };
  }
  const arn = KEY_ARN.exec(id);
  if (arn) {
    const key = arn[1] === caller.region ? loadKey(app, arn[2], arn[1], arn[3]) : undefined;
    if (!key) throw keyNotFound(id);
    return { key };
  }
  if (!KEY_ID.test(id)) throw invalidKeyId(id);
  const key = loadKey(app, accountOf(caller), caller.region, id);
  if (!key) throw keyNotFound(keyArn(caller.region, accountOf(caller), id));
  return { key };
}

/** The key a ciphertext names (by ARN), as Decrypt and ReEncrypt find it. */
export function keyByArn(app: App, caller: KmsCaller, arn: string): KeyDoc {
  const m = KEY_ARN.exec(arn);
  const key = m && m[1] === caller.region ? loadKey(app, m[2], m[1], m[3]) : undefined;
  if (!key) throw keyNotFound(arn);
  return key;
}

/** Cryptographic operations and grants need an enabled key. */
export function requireEnabled(key: KeyDoc): void {
  if (key.KeyState === 'PendingDeletion') throw pendingDeletion(key.Arn);
  if (key.KeyState === 'Disabled') throw disabled(key.Arn);
}

/** Management operations refuse only keys pending deletion. */
export function requireNotPendingDeletion(key: KeyDoc): void {
  if (key.KeyState === 'PendingDeletion') throw pendingDeletion(key.Arn);
}

export const tagMap = (tags: Tag[]): Record<string, string> => Object.fromEntries(tags.map((t) => [t.TagKey, t.TagValue]));

/** A deletion-schedule entry; its store id orders entries by due date. */
interface DeletionEntry {
  Due: string;
  Key: string;
}

const deletionId = (key: KeyDoc) => `${key.DeletionDate}|${keyStoreId(key.AccountId, key.Region, key.KeyId)}`;

/** Saves a key, keeping its deletion-schedule entry in step with its state. */
export function saveKey(store: MetadataStore, before: KeyDoc | undefined, key: KeyDoc): void {
  store.transaction(() => {
    if (before?.DeletionDate && before.DeletionDate !== key.DeletionDate) store.delete(KIND.deletion, deletionId(before));
    if (key.DeletionDate) {
      const entry: DeletionEntry = { Due: key.DeletionDate, Key: keyStoreId(key.AccountId, key.Region, key.KeyId) };
      store.put(KIND.deletion, deletionId(key), entry);
    }
    store.put(KIND.key, keyStoreId(key.AccountId, key.Region, key.KeyId), key);
  });
}

const SWEEP_BATCH = 16;

/** Deletes keys whose deletion date has passed, with their aliases and grants, as AWS does at the end of the window. */
export function sweepDeletions(store: MetadataStore, now: Date): void {
  const due = now.toISOString();
  for (;;) {
    // Entries sort by due date, so the first not-yet-due one ends the sweep: usually one indexed read.
    const batch = store.list<DeletionEntry>(KIND.deletion, { limit: SWEEP_BATCH }).filter((e) => e.Due <= due);
    if (!batch.length) return;
    store.transaction(() => {
      for (const e of batch) {
        store.delete(KIND.deletion, `${e.Due}|${e.Key}`);
        const key = store.get<KeyDoc>(KIND.key, e.Key);
        if (key) deleteKey(store, key);
      }
    });
    if (batch.length < SWEEP_BATCH) return;
  }
}

function deleteKey(store: MetadataStore, key: KeyDoc): void {
  store.delete(KIND.key, keyStoreId(key.AccountId, key.Region, key.KeyId));
  for (const a of store.list<AliasDoc>(KIND.alias, { prefix: `${key.AccountId}:${key.Region}:` })) {
    if (a.TargetKeyId === key.KeyId) store.delete(KIND.alias, aliasStoreId(a.AccountId, a.Region, a.AliasName));
  }
  for (const g of store.list<GrantDoc>(KIND.grant, { prefix: `${key.KeyId}/` })) store.delete(KIND.grant, grantStoreId(key.KeyId, g.GrantId));
}
