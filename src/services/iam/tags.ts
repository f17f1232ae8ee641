import type { ContextValues, OperationHandler, RequestContext } from '../../gateway/context.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import { KIND, lower, type RoleDoc, type Tag, type UserDoc } from './schema.js';
import { iamArn, invalidInput, limitExceeded, noSuchEntity, pageList } from './common.js';
import { awsManagedDenied, findManagedPolicy, parsePolicyArn, type ManagedPolicy } from './aws-managed.js';

const MAX_TAGS = 50;

/**
 * Semantic tag checks beyond the model's lengths and patterns. Users and roles treat keys
 * case-insensitively (and AWS's message says so); customer managed policies compare them exactly.
 */
export function checkTags(tags: Tag[] | undefined, caseInsensitive = true): void {
  if (!tags) return;
  const seen = new Set<string>();
  for (const { Key } of tags) {
    if (Key.toLowerCase().startsWith('aws:')) throw invalidInput(`Tag keys beginning with 'aws:' are reserved for AWS use: ${Key}`);
    const k = caseInsensitive ? Key.toLowerCase() : Key;
    if (seen.has(k)) {
      throw invalidInput(caseInsensitive ? 'Duplicate tag keys found. Please note that Tag keys are case insensitive.' : 'Duplicate tag keys found.');
    }
    seen.add(k);
  }
}

/** aws:RequestTag/… and aws:TagKeys for a request carrying tags (empty when it carries none). */
export function requestTagContext(tags: Tag[] | undefined): ContextValues {
  if (!tags || tags.length === 0) return {};
  const out: ContextValues = { 'aws:TagKeys': tags.map((t) => t.Key) };
  for (const t of tags) out[`aws:RequestTag/${t.Key}`] = t.Value;
  return out;
}

/** A resource's tags as the authorizer's aws:ResourceTag/… source. */
export const tagRecord = (tags: Tag[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value]));

/** Existing tags with `add` applied (a matching key takes the new value); LimitExceeded past 50. */
function mergeTags(existing: Tag[], add: Tag[], caseInsensitive: boolean, quota: string): Tag[] {
  const norm = (k: string) => (caseInsensitive ? k.toLowerCase() : k);
  const out = existing.map((t) => ({ ...t }));
  for (const tag of add) {
    const i = out.findIndex((t) => norm(t.Key) === norm(tag.Key));
    if (i >= 0) out[i] = { Key: tag.Key, Value: tag.Value };
    else out.push({ Key: tag.Key, Value: tag.Value });
  }
  if (out.length > MAX_TAGS) throw limitExceeded(`Cannot exceed quota for ${quota}: ${MAX_TAGS}`);
  return out;
}

function removeTags(existing: Tag[], keys: string[], caseInsensitive: boolean): Tag[] {
  const drop = new Set(caseInsensitive ? keys.map(lower) : keys);
  return existing.filter((t) => !drop.has(caseInsensitive ? t.Key.toLowerCase() : t.Key));
}

/** AWS lists role and policy tags shortest key first, then by key. */
const byLengthThenKey = (a: Tag, b: Tag) => a.Key.length - b.Key.length || (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0);

/** One taggable kind: how its documents are read and written, and how AWS names it in messages and ARNs. */
interface Taggable<D extends { Tags: Tag[] }> {
  load(store: MetadataStore, name: string): D | undefined;
  save(store: MetadataStore, name: string, doc: D): void;
  arn(ctx: RequestContext, name: string, doc: D | undefined): string;
  missing(name: string): Error;
  /** Refuses changing the tags of this document (AWS managed policies belong to AWS). */
  readOnly?(ctx: RequestContext, action: string, doc: D): Error | undefined;
  caseInsensitive: boolean;
  quota: string;
  sort?: (a: Tag, b: Tag) => number;
}

const USER: Taggable<UserDoc> = {
  load: (store, name) => store.get<UserDoc>(KIND.user, lower(name)),
  save: (store, name, doc) => store.put(KIND.user, lower(name), doc),
  arn: (ctx, name, doc) => doc?.Arn ?? iamArn(ctx, 'user', '/', name),
  missing: (name) => noSuchEntity(`The user with name ${name} cannot be found.`),
  caseInsensitive: true, quota: 'TagsPerUser',
};
const ROLE: Taggable<RoleDoc> = {
  load: (store, name) => store.get<RoleDoc>(KIND.role, lower(name)),
  save: (store, name, doc) => store.put(KIND.role, lower(name), doc),
  arn: (ctx, name, doc) => doc?.Arn ?? iamArn(ctx, 'role', '/', name),
  missing: (name) => noSuchEntity(`The role with name ${name} cannot be found.`),
  caseInsensitive: true, quota: 'TagsPerRole', sort: byLengthThenKey,
};
const POLICY: Taggable<ManagedPolicy> = {
  load: findManagedPolicy,
  save: (store, arn, { awsManaged: _, ...doc }) => store.put(KIND.policy, lower(arn), doc),
  arn: (_ctx, arn) => arn,
  missing: (arn) => (parsePolicyArn(arn) ? noSuchEntity(`Policy ${arn} was not found.`) : invalidInput(`ARN ${arn} is not valid.`)),
  readOnly: (ctx, action, doc) => (doc.awsManaged ? awsManagedDenied(ctx, action, doc.Arn) : undefined),
  caseInsensitive: false, quota: 'TagsPerPolicy', sort: byLengthThenKey,
};

function tagOp<D extends { Tags: Tag[] }>(t: Taggable<D>, action: string, nameOf: (input: any) => string): OperationHandler {
  return (input: { Tags: Tag[] }, ctx) => {
    const name = nameOf(input);
    checkTags(input.Tags, t.caseInsensitive);
    const { store } = ctx.app;
    const doc = t.load(store, name);
    ctx.authorize({ action, resource: t.arn(ctx, name, doc), context: requestTagContext(input.Tags), resourceTags: tagRecord(doc?.Tags) });
    if (!doc) throw t.missing(name);
    const refused = t.readOnly?.(ctx, action, doc);
    if (refused) throw refused;
    store.transaction(() => t.save(store, name, { ...doc, Tags: mergeTags(doc.Tags ?? [], input.Tags, t.caseInsensitive, t.quota) }));
  };
}

function untagOp<D extends { Tags: Tag[] }>(t: Taggable<D>, action: string, nameOf: (input: any) => string): OperationHandler {
  return (input: { TagKeys: string[] }, ctx) => {
    const name = nameOf(input);
    const { store } = ctx.app;
    const doc = t.load(store, name);
    ctx.authorize({ action, resource: t.arn(ctx, name, doc), context: { 'aws:TagKeys': input.TagKeys }, resourceTags: tagRecord(doc?.Tags) });
    if (!doc) throw t.missing(name);
    const refused = t.readOnly?.(ctx, action, doc);
    if (refused) throw refused;
    store.transaction(() => t.save(store, name, { ...doc, Tags: removeTags(doc.Tags ?? [], input.TagKeys, t.caseInsensitive) }));
  };
}

function listOp<D extends { Tags: Tag[] }>(t: Taggable<D>, action: string, nameOf: (input: any) => string): OperationHandler {
  return (input: { Marker?: string; MaxItems?: number }, ctx) => {
    const name = nameOf(input);
    const doc = t.load(ctx.app.store, name);
    ctx.authorize({ action, resource: t.arn(ctx, name, doc), resourceTags: tagRecord(doc?.Tags) });
    if (!doc) throw t.missing(name);
    const tags = t.sort ? [...(doc.Tags ?? [])].sort(t.sort) : doc.Tags ?? [];
    const page = pageList(tags, input, (tag) => tag.Key);
    return { Tags: page.items, IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  };
}

const userName = (i: { UserName: string }) => i.UserName;
const roleName = (i: { RoleName: string }) => i.RoleName;
const policyArn = (i: { PolicyArn: string }) => i.PolicyArn;

export const operations: Record<string, OperationHandler> = {
  TagUser: tagOp(USER, 'iam:TagUser', userName),
  UntagUser: untagOp(USER, 'iam:UntagUser', userName),
  ListUserTags: listOp(USER, 'iam:ListUserTags', userName),
  TagRole: tagOp(ROLE, 'iam:TagRole', roleName),
  UntagRole: untagOp(ROLE, 'iam:UntagRole', roleName),
  ListRoleTags: listOp(ROLE, 'iam:ListRoleTags', roleName),
  TagPolicy: tagOp(POLICY, 'iam:TagPolicy', policyArn),
  UntagPolicy: untagOp(POLICY, 'iam:UntagPolicy', policyArn),
  ListPolicyTags: listOp(POLICY, 'iam:ListPolicyTags', policyArn),
};
