import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import { iamId } from '../../shared/ids.js';
import { KIND, lower, type RoleDoc, type Tag } from './schema.js';
import { checkPath, date, deleteConflict, encodeDocument, entityAlreadyExists, iamArn, isoNow, limitExceeded, pageOf } from './common.js';
import { checkTags, requestTagContext } from './tags.js';
import { requireEntity } from './attachments.js';
import { checkBoundaryArn, requireBoundaryPolicy } from './boundaries.js';
import { trustDocument } from './policy-documents.js';

const ROLES_QUOTA = 1000;
const DEFAULT_MAX_SESSION_DURATION = 3600;

/**
 * A role as each answer carries it (recorded from AWS): Create and UpdateRoleDescription leave out
 * MaxSessionDuration and RoleLastUsed; List leaves out RoleLastUsed, boundary and tags; Get has all.
 */
function roleOut(r: RoleDoc, view: 'create' | 'describe' | 'get' | 'list'): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Path: r.Path, RoleName: r.RoleName, RoleId: r.RoleId, Arn: r.Arn, CreateDate: date(r.CreateDate),
    AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicyDocument),
  };
  if (view !== 'create' && r.Description !== undefined) out.Description = r.Description;
  if (view === 'get' || view === 'list') out.MaxSessionDuration = r.MaxSessionDuration;
  if (view !== 'list') {
    if (r.PermissionsBoundary) out.PermissionsBoundary = r.PermissionsBoundary;
    if (r.Tags.length > 0) out.Tags = r.Tags;
  }
  if (view === 'get') {
    const used = r.RoleLastUsed ?? {};
    out.RoleLastUsed = { ...(used.LastUsedDate ? { LastUsedDate: date(used.LastUsedDate) } : {}), ...(used.Region ? { Region: used.Region } : {}) };
  }
  return out;
}

interface CreateRoleInput {
  RoleName: string;
  Path?: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

function createRole(input: CreateRoleInput, ctx: RequestContext) {
  const path = checkPath(input.Path);
  checkTags(input.Tags);
  if (input.PermissionsBoundary !== undefined) checkBoundaryArn(input.PermissionsBoundary);
  const arn = iamArn(ctx, 'role', path, input.RoleName);
  const boundaryKey = input.PermissionsBoundary !== undefined ? { 'iam:PermissionsBoundary': input.PermissionsBoundary } : {};
  ctx.authorize({ action: 'iam:CreateRole', resource: arn, context: { ...requestTagContext(input.Tags), ...boundaryKey } });
  const trust = trustDocument(input.AssumeRolePolicyDocument);
  const { store } = ctx.app;
  return store.transaction(() => {
    if (store.get(KIND.role, lower(input.RoleName))) throw entityAlreadyExists(`Role with name ${input.RoleName} already exists.`);
    const boundary = input.PermissionsBoundary !== undefined ? requireBoundaryPolicy(store, input.PermissionsBoundary) : undefined;
    if (store.count(KIND.role) >= ROLES_QUOTA) throw limitExceeded(`Cannot exceed quota for RolesPerAccount: ${ROLES_QUOTA}`);
    const role: RoleDoc = {
      RoleName: input.RoleName, RoleId: iamId('AROA', 17), Arn: arn, Path: path, CreateDate: isoNow(ctx), AssumeRolePolicyDocument: trust,
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      MaxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
      ...(boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary.Arn } } : {}),
      Tags: (input.Tags ?? []).map(({ Key, Value }) => ({ Key, Value })),
    };
    store.put(KIND.role, lower(role.RoleName), role);
    return { Role: roleOut(role, 'create') };
  });
}

function getRole(input: { RoleName: string }, ctx: RequestContext) {
  return { Role: roleOut(requireEntity<RoleDoc>(ctx, 'iam:GetRole', 'role', input.RoleName), 'get') };
}

function listRoles(input: { PathPrefix?: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  ctx.authorize({ action: 'iam:ListRoles', resource: '*' });
  const prefix = input.PathPrefix;
  const page = pageOf<RoleDoc>(ctx.app.store, KIND.role, input, {
    filter: prefix ? (r) => r.Path.startsWith(prefix) : undefined, idOf: (r) => lower(r.RoleName),
  });
  return { Roles: page.items.map((r) => roleOut(r, 'list')), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
}

/** Loads the role (authorising `action` on it), applies `change` and stores the result in one transaction. */
function updateRoleDoc(ctx: RequestContext, action: string, name: string, change: (r: RoleDoc) => RoleDoc): RoleDoc {
  const role = requireEntity<RoleDoc>(ctx, action, 'role', name);
  const updated = change(role);
  ctx.app.store.transaction(() => ctx.app.store.put(KIND.role, lower(role.RoleName), updated));
  return updated;
}

function updateRole(input: { RoleName: string; Description?: string; MaxSessionDuration?: number }, ctx: RequestContext) {
  updateRoleDoc(ctx, 'iam:UpdateRole', input.RoleName, (r) => ({
    ...r,
    ...(input.Description !== undefined ? { Description: input.Description } : {}),
    ...(input.MaxSessionDuration !== undefined ? { MaxSessionDuration: input.MaxSessionDuration } : {}),
  }));
  return {};
}

function updateRoleDescription(input: { RoleName: string; Description: string }, ctx: RequestContext) {
  const role = updateRoleDoc(ctx, 'iam:UpdateRoleDescription', input.RoleName, (r) => ({ ...r, Description: input.Description }));
  return { Role: roleOut(role, 'describe') };
}

function updateAssumeRolePolicy(input: { RoleName: string; PolicyDocument: string }, ctx: RequestContext) {
  const role = requireEntity<RoleDoc>(ctx, 'iam:UpdateAssumeRolePolicy', 'role', input.RoleName);
  const trust = trustDocument(input.PolicyDocument);
  ctx.app.store.transaction(() => ctx.app.store.put(KIND.role, lower(role.RoleName), { ...role, AssumeRolePolicyDocument: trust }));
}

function deleteRole(input: { RoleName: string }, ctx: RequestContext) {
  const role = requireEntity<RoleDoc>(ctx, 'iam:DeleteRole', 'role', input.RoleName);
  const { store } = ctx.app;
  const id = lower(role.RoleName);
  store.transaction(() => {
    if (store.count(KIND.attachment, `role|${id}|`) > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (store.count(KIND.inlinePolicy, `role|${id}|`) > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    store.delete(KIND.role, id);
  });
}

export const operations: Record<string, OperationHandler> = {
  CreateRole: createRole,
  GetRole: getRole,
  ListRoles: listRoles,
  UpdateRole: updateRole,
  UpdateRoleDescription: updateRoleDescription,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  DeleteRole: deleteRole,
};
