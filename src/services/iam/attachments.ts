import type { ContextValues, OperationHandler, RequestContext } from '../../gateway/context.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import { KIND, lower, type AttachmentDoc, type EntityType, type PermissionsBoundary, type Tag } from './schema.js';
import { iamArn, limitExceeded, noSuchEntity, pageOf, validationError } from './common.js';
import { tagRecord } from './tags.js';
import { findManagedPolicy, parsePolicyArn } from './aws-managed.js';

/** What the policy operations need of a user, group or role document. */
export interface EntityDoc {
  UserName?: string;
  GroupName?: string;
  RoleName?: string;
  Arn: string;
  Path: string;
  Tags?: Tag[];
  PermissionsBoundary?: PermissionsBoundary;
}

const ENTITY_KIND: Readonly<Record<EntityType, string>> = { user: KIND.user, group: KIND.group, role: KIND.role };
const QUOTA_NAME: Readonly<Record<EntityType, string>> = { user: 'PoliciesPerUser', group: 'PoliciesPerGroup', role: 'PoliciesPerRole' };
/** Managed policies per user, group or role (IAM's default quota). */
export const ATTACHED_POLICIES_QUOTA = 10;

export const getEntity = <D extends EntityDoc = EntityDoc>(store: MetadataStore, type: EntityType, name: string) =>
  store.get<D>(ENTITY_KIND[type], lower(name));

export const saveEntity = (store: MetadataStore, type: EntityType, doc: EntityDoc) =>
  store.put(ENTITY_KIND[type], lower(entityName(doc)), doc);

/** The entity's name as created (requests may spell it in another case). */
export const entityName = (doc: EntityDoc) => (doc.UserName ?? doc.GroupName ?? doc.RoleName)!;

export const entityNotFound = (type: EntityType, name: string) => noSuchEntity(`The ${type} with name ${name} cannot be found.`);

/** Actions whose request context carries the entity's current boundary as iam:PermissionsBoundary (service authorization reference). */
const BOUNDARY_KEYED = new Set([
  'AttachRolePolicy', 'AttachUserPolicy', 'DeleteRole', 'DeleteRolePermissionsBoundary', 'DeleteRolePolicy', 'DeleteUserPermissionsBoundary',
  'DeleteUserPolicy', 'DetachRolePolicy', 'DetachUserPolicy', 'GetRole', 'PutRolePermissionsBoundary', 'PutRolePolicy',
  'PutUserPermissionsBoundary', 'PutUserPolicy', 'UpdateAssumeRolePolicy', 'UpdateRole', 'UpdateRoleDescription',
].map((a) => `iam:${a}`));

/** Asks authorisation for `action` on the entity (named at path `/` when it doesn't exist, as AWS's denials do) and returns it. */
export function authorizeOnEntity<D extends EntityDoc = EntityDoc>(
  ctx: RequestContext, action: string, type: EntityType, name: string, context: ContextValues = {},
): D | undefined {
  const doc = getEntity<D>(ctx.app.store, type, name);
  const boundary = doc?.PermissionsBoundary?.PermissionsBoundaryArn;
  ctx.authorize({
    action, resource: doc?.Arn ?? iamArn(ctx, type, '/', name), resourceTags: tagRecord(doc?.Tags),
    context: boundary && BOUNDARY_KEYED.has(action) ? { 'iam:PermissionsBoundary': boundary, ...context } : context,
  });
  return doc;
}

/** authorizeOnEntity for an entity that must exist. */
export function requireEntity<D extends EntityDoc = EntityDoc>(
  ctx: RequestContext, action: string, type: EntityType, name: string, context?: ContextValues,
): D {
  const doc = authorizeOnEntity<D>(ctx, action, type, name, context);
  if (!doc) throw entityNotFound(type, name);
  return doc;
}

const attachmentId = (type: EntityType, name: string, arn: string) => `${type}|${lower(name)}|${arn}`;
const reverseId = (type: EntityType, name: string, arn: string) => `${arn}|${type}|${lower(name)}`;

/** AWS's answer to a PolicyArn that is no ARN of a policy. */
export function checkPolicyArn(arn: string): void {
  if (!parsePolicyArn(arn)) throw validationError(`ARN ${arn} is not valid.`);
}

type NamedInput = Record<string, string> & { PolicyArn: string };

function attach(type: EntityType, nameKey: string, action: string): OperationHandler {
  return (input: NamedInput, ctx) => {
    const name = input[nameKey];
    checkPolicyArn(input.PolicyArn);
    const { store } = ctx.app;
    const entity = requireEntity(ctx, action, type, name, { 'iam:PolicyARN': input.PolicyArn });
    store.transaction(() => {
      const policy = findManagedPolicy(store, input.PolicyArn);
      if (!policy) throw noSuchEntity(`Policy ${input.PolicyArn} does not exist or is not attachable.`);
      const id = attachmentId(type, name, policy.Arn);
      if (store.get(KIND.attachment, id)) return;
      if (store.count(KIND.attachment, `${type}|${lower(name)}|`) >= ATTACHED_POLICIES_QUOTA) {
        throw limitExceeded(`Cannot exceed quota for ${QUOTA_NAME[type]}: ${ATTACHED_POLICIES_QUOTA}`);
      }
      const doc: AttachmentDoc = { EntityType: type, EntityName: entityName(entity), PolicyArn: policy.Arn, PolicyName: policy.PolicyName };
      store.put(KIND.attachment, id, doc);
      store.put(KIND.policyAttachment, reverseId(type, name, policy.Arn), doc);
    });
  };
}

function detach(type: EntityType, nameKey: string, action: string): OperationHandler {
  return (input: NamedInput, ctx) => {
    const name = input[nameKey];
    checkPolicyArn(input.PolicyArn);
    const { store } = ctx.app;
    requireEntity(ctx, action, type, name, { 'iam:PolicyARN': input.PolicyArn });
    store.transaction(() => {
      const arn = findManagedPolicy(store, input.PolicyArn)?.Arn ?? input.PolicyArn;
      if (!store.delete(KIND.attachment, attachmentId(type, name, arn))) throw noSuchEntity(`Policy ${input.PolicyArn} was not found.`);
      store.delete(KIND.policyAttachment, reverseId(type, name, arn));
    });
  };
}

function listAttached(type: EntityType, nameKey: string, action: string): OperationHandler {
  return (input: Record<string, string> & { PathPrefix?: string; Marker?: string; MaxItems?: number }, ctx) => {
    const name = input[nameKey];
    requireEntity(ctx, action, type, name);
    const prefix = input.PathPrefix;
    const page = pageOf<AttachmentDoc>(ctx.app.store, KIND.attachment, input, {
      prefix: `${type}|${lower(name)}|`,
      filter: prefix ? (a) => (parsePolicyArn(a.PolicyArn)?.path ?? '').startsWith(prefix) : undefined,
      idOf: (a) => attachmentId(type, name, a.PolicyArn),
    });
    return {
      AttachedPolicies: page.items.map((a) => ({ PolicyName: a.PolicyName, PolicyArn: a.PolicyArn })),
      IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}),
    };
  };
}

export const operations: Record<string, OperationHandler> = {
  AttachUserPolicy: attach('user', 'UserName', 'iam:AttachUserPolicy'),
  DetachUserPolicy: detach('user', 'UserName', 'iam:DetachUserPolicy'),
  ListAttachedUserPolicies: listAttached('user', 'UserName', 'iam:ListAttachedUserPolicies'),
  AttachGroupPolicy: attach('group', 'GroupName', 'iam:AttachGroupPolicy'),
  DetachGroupPolicy: detach('group', 'GroupName', 'iam:DetachGroupPolicy'),
  ListAttachedGroupPolicies: listAttached('group', 'GroupName', 'iam:ListAttachedGroupPolicies'),
  AttachRolePolicy: attach('role', 'RoleName', 'iam:AttachRolePolicy'),
  DetachRolePolicy: detach('role', 'RoleName', 'iam:DetachRolePolicy'),
  ListAttachedRolePolicies: listAttached('role', 'RoleName', 'iam:ListAttachedRolePolicies'),
};
