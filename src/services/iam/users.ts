import { statSync } from 'node:fs';
import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import { iamId } from '../../shared/ids.js';
import {
  KIND, lower, type AccessKeyDoc, type AttachmentDoc, type EntityType, type InlinePolicyDoc, type LoginProfileDoc, type MembershipDoc,
  type Tag, type UserDoc,
} from './schema.js';
import {
  checkPath, date, deleteConflict, entityAlreadyExists, iamArn, isoNow, limitExceeded, noSuchEntity, pageOf,
  targetUserName,
} from './common.js';
import { checkTags, requestTagContext, tagRecord } from './tags.js';
import { checkBoundaryArn, requireBoundaryPolicy } from './boundaries.js';

const USERS_QUOTA = 5000;

export const userNotFound = (name: string) => noSuchEntity(`The user with name ${name} cannot be found.`);
export const getUser = (store: MetadataStore, name: string) => store.get<UserDoc>(KIND.user, lower(name));
/** The user's ARN; a user that doesn't exist is named as if at path `/` (as AWS's denials do). */
export const userArn = (ctx: RequestContext, name: string, doc?: UserDoc) => doc?.Arn ?? iamArn(ctx, 'user', '/', name);

/** The target user (named, or the calling IAM user), authorised for `action` first; NoSuchEntity when absent. */
export function authorizedUser(ctx: RequestContext, action: string, userName: string | undefined): UserDoc {
  const name = targetUserName(ctx, userName);
  const user = getUser(ctx.app.store, name);
  ctx.authorize({ action, resource: userArn(ctx, name, user), resourceTags: tagRecord(user?.Tags) });
  if (!user) throw userNotFound(name);
  return user;
}

/** A user as IAM returns it: Get/Create carry tags and boundary; list-type answers leave them out. */
export function userOut(u: UserDoc, full: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Path: u.Path, UserName: u.UserName, UserId: u.UserId, Arn: u.Arn, CreateDate: date(u.CreateDate),
  };
  if (u.PasswordLastUsed) out.PasswordLastUsed = date(u.PasswordLastUsed);
  if (full && u.PermissionsBoundary) out.PermissionsBoundary = u.PermissionsBoundary;
  if (full && u.Tags.length > 0) out.Tags = u.Tags;
  return out;
}

function createUser(input: { UserName: string; Path?: string; PermissionsBoundary?: string; Tags?: Tag[] }, ctx: RequestContext) {
  const path = checkPath(input.Path);
  checkTags(input.Tags);
  if (input.PermissionsBoundary !== undefined) checkBoundaryArn(input.PermissionsBoundary);
  const arn = iamArn(ctx, 'user', path, input.UserName);
  const context = { ...requestTagContext(input.Tags), ...(input.PermissionsBoundary ? { 'iam:PermissionsBoundary': input.PermissionsBoundary } : {}) };
  ctx.authorize({ action: 'iam:CreateUser', resource: arn, context });
  const { store } = ctx.app;
  return store.transaction(() => {
    if (getUser(store, input.UserName)) throw entityAlreadyExists(`User with name ${input.UserName} already exists.`);
    const boundary = input.PermissionsBoundary === undefined ? undefined : requireBoundaryPolicy(store, input.PermissionsBoundary).Arn;
    if (store.count(KIND.user) >= USERS_QUOTA) throw limitExceeded(`Cannot exceed quota for UsersPerAccount: ${USERS_QUOTA}`);
    const user: UserDoc = {
      UserName: input.UserName, UserId: iamId('AIDA'), Arn: arn, Path: path, CreateDate: isoNow(ctx),
      Tags: (input.Tags ?? []).map(({ Key, Value }) => ({ Key, Value })),
      ...(boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary } } : {}),
    };
    store.put(KIND.user, lower(user.UserName), user);
    return { User: userOut(user, true) };
  });
}

/** When the account's root "user" came to be: the data dir's creation (it holds the root credentials). */
function accountCreateDate(ctx: RequestContext): Date {
  const st = statSync(ctx.app.config.dataDir);
  const born = st.birthtimeMs > 0 ? st.birthtime : st.mtime;
  return new Date(Math.floor(born.getTime() / 1000) * 1000);
}

function getUserOp(input: { UserName?: string }, ctx: RequestContext) {
  const p = ctx.principal;
  if (input.UserName === undefined && p.type === 'root') {
    ctx.authorize({ action: 'iam:GetUser', resource: p.arn });
    return { User: { UserId: p.accountId, Arn: p.arn, CreateDate: accountCreateDate(ctx) } };
  }
  return { User: userOut(authorizedUser(ctx, 'iam:GetUser', input.UserName), true) };
}

function listUsers(input: { PathPrefix?: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  ctx.authorize({ action: 'iam:ListUsers', resource: '*' });
  const prefix = input.PathPrefix;
  const page = pageOf<UserDoc>(ctx.app.store, KIND.user, input, {
    idOf: (u) => lower(u.UserName),
    filter: prefix ? (u) => u.Path.startsWith(prefix) : undefined,
  });
  return { Users: page.items.map((u) => userOut(u, false)), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
}

function updateUser(input: { UserName: string; NewPath?: string; NewUserName?: string }, ctx: RequestContext) {
  const { store } = ctx.app;
  const doc = getUser(store, input.UserName);
  const newName = input.NewUserName ?? doc?.UserName ?? input.UserName;
  const newPath = input.NewPath === undefined ? doc?.Path ?? '/' : checkPath(input.NewPath);
  const target = iamArn(ctx, 'user', newPath, newName);
  const source = userArn(ctx, input.UserName, doc);
  // AWS requires permission on both the old and the new identity of the user.
  const tags = tagRecord(doc?.Tags);
  ctx.authorize(
    { action: 'iam:UpdateUser', resource: source, resourceTags: tags },
    ...(target !== source ? [{ action: 'iam:UpdateUser', resource: target, resourceTags: tags }] : []),
  );
  if (!doc) throw userNotFound(input.UserName);
  store.transaction(() => {
    if (lower(newName) !== lower(doc.UserName) && getUser(store, newName)) throw entityAlreadyExists(`User with name ${newName} already exists.`);
    renameUser(store, doc, { ...doc, UserName: newName, Path: newPath, Arn: target });
  });
}

/** Moves every document keyed by the user's name to the new name; runs inside the caller's transaction. */
function renameUser(store: MetadataStore, from: UserDoc, to: UserDoc): void {
  const o = lower(from.UserName), n = lower(to.UserName);
  store.delete(KIND.user, o);
  store.put(KIND.user, n, to);
  for (const m of store.list<MembershipDoc>(KIND.userGroup, { prefix: `${o}|` })) {
    const g = lower(m.GroupName);
    const moved = { ...m, UserName: to.UserName };
    store.delete(KIND.userGroup, `${o}|${g}`);
    store.put(KIND.userGroup, `${n}|${g}`, moved);
    store.delete(KIND.groupMember, `${g}|${o}`);
    store.put(KIND.groupMember, `${g}|${n}`, moved);
  }
  for (const k of store.list<{ UserName: string; AccessKeyId: string }>(KIND.userAccessKey, { prefix: `${o}|` })) {
    store.delete(KIND.userAccessKey, `${o}|${k.AccessKeyId}`);
    store.put(KIND.userAccessKey, `${n}|${k.AccessKeyId}`, { ...k, UserName: to.UserName });
    const key = store.get<AccessKeyDoc>(KIND.accessKey, k.AccessKeyId);
    if (key) store.put(KIND.accessKey, k.AccessKeyId, { ...key, UserName: to.UserName });
  }
  const profile = store.get<LoginProfileDoc>(KIND.loginProfile, o);
  if (profile) {
    store.delete(KIND.loginProfile, o);
    store.put(KIND.loginProfile, n, { ...profile, UserName: to.UserName });
  }
  moveEntityPolicies(store, 'user', from.UserName, to.UserName);
}

/** Re-keys a user's or group's attached and inline policies to its new name (inside the caller's transaction). */
export function moveEntityPolicies(store: MetadataStore, type: EntityType, from: string, to: string): void {
  const o = lower(from), n = lower(to);
  for (const a of store.list<AttachmentDoc>(KIND.attachment, { prefix: `${type}|${o}|` })) {
    store.delete(KIND.attachment, `${type}|${o}|${a.PolicyArn}`);
    store.put(KIND.attachment, `${type}|${n}|${a.PolicyArn}`, { ...a, EntityName: to });
    const reverse = store.get<Record<string, unknown>>(KIND.policyAttachment, `${a.PolicyArn}|${type}|${o}`);
    store.delete(KIND.policyAttachment, `${a.PolicyArn}|${type}|${o}`);
    store.put(KIND.policyAttachment, `${a.PolicyArn}|${type}|${n}`, reverse && 'EntityName' in reverse ? { ...reverse, EntityName: to } : reverse ?? { ...a, EntityName: to });
  }
  for (const p of store.list<InlinePolicyDoc>(KIND.inlinePolicy, { prefix: `${type}|${o}|` })) {
    store.delete(KIND.inlinePolicy, `${type}|${o}|${p.PolicyName}`);
    store.put(KIND.inlinePolicy, `${type}|${n}|${p.PolicyName}`, { ...p, EntityName: to });
  }
}

function deleteUser(input: { UserName: string }, ctx: RequestContext) {
  const { store } = ctx.app;
  const doc = authorizedUser(ctx, 'iam:DeleteUser', input.UserName);
  const id = lower(doc.UserName);
  store.transaction(() => {
    // AWS's documented order of prerequisites for DeleteUser.
    if (store.get(KIND.loginProfile, id)) throw deleteConflict('Cannot delete entity, must delete login profile first.');
    if (store.count(KIND.userAccessKey, `${id}|`) > 0) throw deleteConflict('Cannot delete entity, must delete access keys first.');
    if (store.count(KIND.inlinePolicy, `user|${id}|`) > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (store.count(KIND.attachment, `user|${id}|`) > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (store.count(KIND.userGroup, `${id}|`) > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    store.delete(KIND.user, id);
  });
}

export const operations: Record<string, OperationHandler> = {
  CreateUser: createUser,
  GetUser: getUserOp,
  ListUsers: listUsers,
  UpdateUser: updateUser,
  DeleteUser: deleteUser,
};
