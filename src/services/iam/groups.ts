import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import { iamId } from '../../shared/ids.js';
import { KIND, lower, type GroupDoc, type MembershipDoc, type UserDoc } from './schema.js';
import {
  checkPath, date, deleteConflict, entityAlreadyExists, iamArn, isoNow, limitExceeded, noSuchEntity, pageOf,
} from './common.js';
import { authorizedUser, getUser, moveEntityPolicies, userNotFound, userOut } from './users.js';

const GROUPS_QUOTA = 300;
const GROUPS_PER_USER_QUOTA = 10;

const groupNotFound = (name: string) => noSuchEntity(`The group with name ${name} cannot be found.`);
const getGroup = (store: MetadataStore, name: string) => store.get<GroupDoc>(KIND.group, lower(name));
const groupArn = (ctx: RequestContext, name: string, doc?: GroupDoc) => doc?.Arn ?? iamArn(ctx, 'group', '/', name);
const groupOut = (g: GroupDoc) => ({ Path: g.Path, GroupName: g.GroupName, GroupId: g.GroupId, Arn: g.Arn, CreateDate: date(g.CreateDate) });
const memberId = (group: string, user: string) => `${lower(group)}|${lower(user)}`;
const withMarker = (m: string | undefined) => (m ? { Marker: m } : {});

function createGroup(input: { GroupName: string; Path?: string }, ctx: RequestContext) {
  const path = checkPath(input.Path);
  const arn = iamArn(ctx, 'group', path, input.GroupName);
  ctx.authorize({ action: 'iam:CreateGroup', resource: arn });
  const { store } = ctx.app;
  return store.transaction(() => {
    if (getGroup(store, input.GroupName)) throw entityAlreadyExists(`Group with name ${input.GroupName} already exists.`);
    if (store.count(KIND.group) >= GROUPS_QUOTA) throw limitExceeded(`Cannot exceed quota for GroupsPerAccount: ${GROUPS_QUOTA}`);
    const group: GroupDoc = { GroupName: input.GroupName, GroupId: iamId('AGPA'), Arn: arn, Path: path, CreateDate: isoNow(ctx) };
    store.put(KIND.group, lower(group.GroupName), group);
    return { Group: groupOut(group) };
  });
}

function getGroupOp(input: { GroupName: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  const { store } = ctx.app;
  const doc = getGroup(store, input.GroupName);
  ctx.authorize({ action: 'iam:GetGroup', resource: groupArn(ctx, input.GroupName, doc) });
  if (!doc) throw groupNotFound(input.GroupName);
  const page = pageOf<MembershipDoc>(store, KIND.groupMember, input, {
    prefix: `${lower(doc.GroupName)}|`, idOf: (m) => memberId(m.GroupName, m.UserName),
  });
  const users = page.items.map((m) => getUser(store, m.UserName)).filter((u): u is UserDoc => u !== undefined);
  return { Group: groupOut(doc), Users: users.map((u) => userOut(u, false)), IsTruncated: page.IsTruncated, ...withMarker(page.Marker) };
}

function listGroups(input: { PathPrefix?: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  ctx.authorize({ action: 'iam:ListGroups', resource: '*' });
  const prefix = input.PathPrefix;
  const page = pageOf<GroupDoc>(ctx.app.store, KIND.group, input, {
    idOf: (g) => lower(g.GroupName), filter: prefix ? (g) => g.Path.startsWith(prefix) : undefined,
  });
  return { Groups: page.items.map(groupOut), IsTruncated: page.IsTruncated, ...withMarker(page.Marker) };
}

function updateGroup(input: { GroupName: string; NewPath?: string; NewGroupName?: string }, ctx: RequestContext) {
  const { store } = ctx.app;
  const doc = getGroup(store, input.GroupName);
  const newName = input.NewGroupName ?? doc?.GroupName ?? input.GroupName;
  const newPath = input.NewPath === undefined ? doc?.Path ?? '/' : checkPath(input.NewPath);
  const source = groupArn(ctx, input.GroupName, doc);
  const target = iamArn(ctx, 'group', newPath, newName);
  // As for users, AWS requires permission on the group's old and new identity.
  ctx.authorize({ action: 'iam:UpdateGroup', resource: source }, ...(target !== source ? [{ action: 'iam:UpdateGroup', resource: target }] : []));
  if (!doc) throw groupNotFound(input.GroupName);
  store.transaction(() => {
    if (lower(newName) !== lower(doc.GroupName) && getGroup(store, newName)) throw entityAlreadyExists(`Group with name ${newName} already exists.`);
    const o = lower(doc.GroupName), n = lower(newName);
    store.delete(KIND.group, o);
    store.put(KIND.group, n, { ...doc, GroupName: newName, Path: newPath, Arn: target });
    for (const m of store.list<MembershipDoc>(KIND.groupMember, { prefix: `${o}|` })) {
      const u = lower(m.UserName);
      const moved = { ...m, GroupName: newName };
      store.delete(KIND.groupMember, `${o}|${u}`);
      store.put(KIND.groupMember, `${n}|${u}`, moved);
      store.delete(KIND.userGroup, `${u}|${o}`);
      store.put(KIND.userGroup, `${u}|${n}`, moved);
    }
    moveEntityPolicies(store, 'group', doc.GroupName, newName);
  });
}

function deleteGroup(input: { GroupName: string }, ctx: RequestContext) {
  const { store } = ctx.app;
  const doc = getGroup(store, input.GroupName);
  ctx.authorize({ action: 'iam:DeleteGroup', resource: groupArn(ctx, input.GroupName, doc) });
  if (!doc) throw groupNotFound(input.GroupName);
  const id = lower(doc.GroupName);
  store.transaction(() => {
    if (store.count(KIND.attachment, `group|${id}|`) > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (store.count(KIND.inlinePolicy, `group|${id}|`) > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (store.count(KIND.groupMember, `${id}|`) > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    store.delete(KIND.group, id);
  });
}

/** Shared by Add/RemoveUserFromGroup: authorises on the group, then requires both entities. */
function membershipCall(action: string, input: { GroupName: string; UserName: string }, ctx: RequestContext) {
  const { store } = ctx.app;
  const group = getGroup(store, input.GroupName);
  ctx.authorize({ action, resource: groupArn(ctx, input.GroupName, group) });
  if (!group) throw groupNotFound(input.GroupName);
  const user = getUser(store, input.UserName);
  if (!user) throw userNotFound(input.UserName);
  return { group, user, store };
}

function addUserToGroup(input: { GroupName: string; UserName: string }, ctx: RequestContext) {
  const { group, user, store } = membershipCall('iam:AddUserToGroup', input, ctx);
  store.transaction(() => {
    if (store.get(KIND.groupMember, memberId(group.GroupName, user.UserName))) return;
    if (store.count(KIND.userGroup, `${lower(user.UserName)}|`) >= GROUPS_PER_USER_QUOTA) {
      throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER_QUOTA}`);
    }
    const m: MembershipDoc = { GroupName: group.GroupName, UserName: user.UserName };
    store.put(KIND.groupMember, memberId(group.GroupName, user.UserName), m);
    store.put(KIND.userGroup, memberId(user.UserName, group.GroupName), m);
  });
}

function removeUserFromGroup(input: { GroupName: string; UserName: string }, ctx: RequestContext) {
  const { group, user, store } = membershipCall('iam:RemoveUserFromGroup', input, ctx);
  store.transaction(() => {
    if (!store.delete(KIND.groupMember, memberId(group.GroupName, user.UserName))) {
      throw noSuchEntity(`User ${user.UserName} not in group ${group.GroupName}`);
    }
    store.delete(KIND.userGroup, memberId(user.UserName, group.GroupName));
  });
}

function listGroupsForUser(input: { UserName: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  const { store } = ctx.app;
  const user = authorizedUser(ctx, 'iam:ListGroupsForUser', input.UserName);
  const page = pageOf<MembershipDoc>(store, KIND.userGroup, input, {
    prefix: `${lower(user.UserName)}|`, idOf: (m) => memberId(m.UserName, m.GroupName),
  });
  const groups = page.items.map((m) => getGroup(store, m.GroupName)).filter((g): g is GroupDoc => g !== undefined);
  return { Groups: groups.map(groupOut), IsTruncated: page.IsTruncated, ...withMarker(page.Marker) };
}

export const operations: Record<string, OperationHandler> = {
  CreateGroup: createGroup,
  GetGroup: getGroupOp,
  ListGroups: listGroups,
  UpdateGroup: updateGroup,
  DeleteGroup: deleteGroup,
  AddUserToGroup: addUserToGroup,
  RemoveUserFromGroup: removeUserFromGroup,
  ListGroupsForUser: listGroupsForUser,
};
