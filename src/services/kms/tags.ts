import type { App } from '../../app.js';
import type { ContextValues } from '../../gateway/context.js';
import type { KmsCaller } from './caller.js';
import type { Tag } from './schema.js';
import { authorizeChecks, keyCheck } from './authz.js';
import { requireNotPendingDeletion, resolveKey, saveKey } from './lookup.js';
import { tagException } from './errors.js';
import { pageArray, type PageInput } from './paging.js';

/** The `aws:` prefix is AWS's own; KMS refuses it in tag keys. */
export function checkTags(tags: Tag[]): void {
  for (const t of tags) {
    if (t.TagKey.toLowerCase().startsWith('aws:')) throw tagException('Tags beginning with aws: are reserved.');
  }
}

/** aws:RequestTag/<key> for each tag and aws:TagKeys. */
export function tagContext(tags: Tag[]): ContextValues {
  if (!tags.length) return {};
  const ctx: ContextValues = { 'aws:TagKeys': tags.map((t) => t.TagKey) };
  for (const t of tags) ctx[`aws:RequestTag/${t.TagKey}`] = t.TagValue;
  return ctx;
}

export function tagResource(app: App, caller: KmsCaller, input: { KeyId: string; Tags: Tag[] }): void {
  const { key } = resolveKey(app, caller, input.KeyId, { aliases: false });
  authorizeChecks(app, caller, keyCheck(key, 'TagResource', tagContext(input.Tags)));
  requireNotPendingDeletion(key);
  checkTags(input.Tags);
  // A key already present takes the new value and keeps its place.
  const merged = new Map(key.Tags.map((t) => [t.TagKey, t.TagValue]));
  for (const t of input.Tags) merged.set(t.TagKey, t.TagValue);
  saveKey(app.store, key, { ...key, Tags: [...merged].map(([TagKey, TagValue]) => ({ TagKey, TagValue })) });
}

export function untagResource(app: App, caller: KmsCaller, input: { KeyId: string; TagKeys: string[] }): void {
  const { key } = resolveKey(app, caller, input.KeyId, { aliases: false });
  authorizeChecks(app, caller, keyCheck(key, 'UntagResource', input.TagKeys.length ? { 'aws:TagKeys': input.TagKeys } : {}));
  requireNotPendingDeletion(key);
  const drop = new Set(input.TagKeys);
  saveKey(app.store, key, { ...key, Tags: key.Tags.filter((t) => !drop.has(t.TagKey)) });
}

export function listResourceTags(app: App, caller: KmsCaller, input: PageInput & { KeyId: string }) {
  const { key } = resolveKey(app, caller, input.KeyId, { aliases: false });
  authorizeChecks(app, caller, keyCheck(key, 'ListResourceTags'));
  const page = pageArray(key.Tags, input, 50, (t) => t.TagKey);
  return { Tags: page.items, Truncated: page.Truncated, NextMarker: page.NextMarker };
}
