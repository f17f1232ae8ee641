import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import { iamId } from '../../shared/ids.js';
import {
  KIND, lower, type AttachmentDoc, type EntityType, type PolicyDoc, type PolicyVersionDoc, type RoleDoc, type Tag, type UserDoc,
} from './schema.js';
import {
  checkPath, date, deleteConflict, encodeDocument, entityAlreadyExists, iamArn, invalidInput, isoNow, limitExceeded, noSuchEntity, pageList,
} from './common.js';
import { checkTags, requestTagContext, tagRecord } from './tags.js';
import {
  awsManagedDenied, awsManagedPolicies, findManagedPolicy, findPolicyVersion, isAwsManagedArn, parsePolicyArn, type ManagedPolicy,
} from './aws-managed.js';
import { entityName, getEntity, type EntityDoc } from './attachments.js';
import { managedDocument } from './policy-documents.js';

const CUSTOMER_POLICIES_QUOTA = 1500;
const VERSIONS_QUOTA = 5;

const versionNumber = (id: string) => Number.parseInt(id.slice(1), 10);
const notFound = (arn: string) => noSuchEntity(`Policy ${arn} was not found.`);
const versionNotFound = (arn: string, versionId: string) => noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);

export const attachmentCount = (store: MetadataStore, arn: string) => store.count(KIND.policyAttachment, `${arn}|`);

/**
 * Users and roles that have each policy as their permissions boundary, by lower-cased policy ARN.
 * The store keeps no reverse index for boundaries, so this reads every user and role once.
 */
export function boundaryHolders(store: MetadataStore): Map<string, { type: EntityType; doc: EntityDoc }[]> {
  const out = new Map<string, { type: EntityType; doc: EntityDoc }[]>();
  const add = (type: EntityType, doc: EntityDoc) => {
    const arn = doc.PermissionsBoundary?.PermissionsBoundaryArn;
    if (!arn) return;
    const key = lower(arn);
    out.set(key, [...(out.get(key) ?? []), { type, doc }]);
  };
  for (const u of store.list<UserDoc>(KIND.user)) add('user', u);
  for (const r of store.list<RoleDoc>(KIND.role)) add('role', r);
  return out;
}

type View = 'create' | 'get' | 'list';

/** A policy as IAM answers it: Create adds Tags when there are some, Get adds Description and Tags, List neither. */
function policyOut(p: ManagedPolicy, attached: number, bounded: number, view: View): Record<string, unknown> {
  const out: Record<string, unknown> = {
    PolicyName: p.PolicyName, PolicyId: p.PolicyId, Arn: p.Arn, Path: p.Path, DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: attached, PermissionsBoundaryUsageCount: bounded, IsAttachable: p.IsAttachable,
    CreateDate: date(p.CreateDate), UpdateDate: date(p.UpdateDate),
  };
  if (view === 'get' && p.Description !== undefined) out.Description = p.Description;
  if (view === 'get' || (view === 'create' && p.Tags.length > 0)) out.Tags = p.Tags;
  return out;
}

const versionOut = (v: PolicyVersionDoc, withDocument: boolean) => ({
  ...(withDocument ? { Document: encodeDocument(v.Document) } : {}),
  VersionId: v.VersionId, IsDefaultVersion: v.IsDefaultVersion, CreateDate: date(v.CreateDate),
});

/** A policy's versions, newest first (as ListPolicyVersions orders them). */
function versionsOf(store: MetadataStore, p: ManagedPolicy): PolicyVersionDoc[] {
  if (p.awsManaged) return [findPolicyVersion(store, p, p.DefaultVersionId)!];
  return store.list<PolicyVersionDoc>(KIND.policyVersion, { prefix: `${lower(p.Arn)}|` })
    .sort((a, b) => versionNumber(b.VersionId) - versionNumber(a.VersionId));
}

/** Checks the ARN's form, then asks authorisation for `action` on the policy, which it returns if it exists. */
function authorizeOnPolicy(ctx: RequestContext, action: string, arn: string): ManagedPolicy | undefined {
  if (!parsePolicyArn(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  const policy = findManagedPolicy(ctx.app.store, arn);
  ctx.authorize({ action, resource: arn, resourceTags: tagRecord(policy?.Tags) });
  return policy;
}

/** authorizeOnPolicy for changes, which only customer managed policies take. */
function authorizeChange(ctx: RequestContext, action: string, arn: string, missing: Error): ManagedPolicy {
  const policy = authorizeOnPolicy(ctx, action, arn);
  if (isAwsManagedArn(arn)) throw awsManagedDenied(ctx, action, arn);
  if (!policy) throw missing;
  return policy;
}

function createPolicy(input: { PolicyName: string; Path?: string; PolicyDocument: string; Description?: string; Tags?: Tag[] }, ctx: RequestContext) {
  const path = checkPath(input.Path);
  checkTags(input.Tags, false);
  const arn = iamArn(ctx, 'policy', path, input.PolicyName);
  ctx.authorize({ action: 'iam:CreatePolicy', resource: arn, context: requestTagContext(input.Tags) });
  const text = managedDocument(input.PolicyDocument);
  const { store } = ctx.app;
  return store.transaction(() => {
    const existing = store.list<PolicyDoc>(KIND.policy);
    if (existing.some((p) => lower(p.PolicyName) === lower(input.PolicyName))) {
      throw entityAlreadyExists(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
    }
    if (existing.length >= CUSTOMER_POLICIES_QUOTA) throw limitExceeded(`Cannot exceed quota for PoliciesPerAccount: ${CUSTOMER_POLICIES_QUOTA}`);
    const now = isoNow(ctx);
    const policy: PolicyDoc = {
      PolicyName: input.PolicyName, PolicyId: iamId('ANPA', 17), Arn: arn, Path: path, DefaultVersionId: 'v1',
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      IsAttachable: true, CreateDate: now, UpdateDate: now, Tags: (input.Tags ?? []).map(({ Key, Value }) => ({ Key, Value })),
    };
    const version: PolicyVersionDoc = { PolicyArn: arn, VersionId: 'v1', Document: text, IsDefaultVersion: true, CreateDate: now };
    store.put(KIND.policy, lower(arn), policy);
    store.put(KIND.policyVersion, `${lower(arn)}|v1`, version);
    return { Policy: policyOut({ ...policy, awsManaged: false }, 0, 0, 'create') };
  });
}

function getPolicy(input: { PolicyArn: string }, ctx: RequestContext) {
  const policy = authorizeOnPolicy(ctx, 'iam:GetPolicy', input.PolicyArn);
  if (!policy) throw notFound(input.PolicyArn);
  const { store } = ctx.app;
  const bounded = boundaryHolders(store).get(lower(policy.Arn))?.length ?? 0;
  return { Policy: policyOut(policy, attachmentCount(store, policy.Arn), bounded, 'get') };
}

function listPolicies(
  input: { Scope?: string; OnlyAttached?: boolean; PathPrefix?: string; PolicyUsageFilter?: string; Marker?: string; MaxItems?: number },
  ctx: RequestContext,
) {
  ctx.authorize({ action: 'iam:ListPolicies', resource: '*' });
  const { store } = ctx.app;
  const scope = input.Scope ?? 'All';
  const policies: ManagedPolicy[] = [];
  if (scope !== 'Local') policies.push(...awsManagedPolicies());
  if (scope !== 'AWS') policies.push(...store.list<PolicyDoc>(KIND.policy).map((p) => ({ ...p, awsManaged: false })));
  const holders = boundaryHolders(store);
  const counted = policies
    .filter((p) => !input.PathPrefix || p.Path.startsWith(input.PathPrefix))
    .map((p) => ({ p, attached: attachmentCount(store, p.Arn), bounded: holders.get(lower(p.Arn))?.length ?? 0 }))
    .filter((c) => !input.OnlyAttached || c.attached > 0)
    .filter((c) => input.PolicyUsageFilter !== 'PermissionsPolicy' || c.attached > 0)
    .filter((c) => input.PolicyUsageFilter !== 'PermissionsBoundary' || c.bounded > 0);
  const page = pageList(counted, input, (c) => c.p.Arn);
  return {
    Policies: page.items.map((c) => policyOut(c.p, c.attached, c.bounded, 'list')),
    IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}),
  };
}

function deletePolicy(input: { PolicyArn: string }, ctx: RequestContext) {
  const policy = authorizeChange(ctx, 'iam:DeletePolicy', input.PolicyArn, notFound(input.PolicyArn));
  const { store } = ctx.app;
  store.transaction(() => {
    if (attachmentCount(store, policy.Arn) > 0 || boundaryHolders(store).has(lower(policy.Arn))) {
      throw deleteConflict('Cannot delete a policy attached to entities.');
    }
    const versions = versionsOf(store, policy);
    if (versions.length > 1) {
      throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    }
    for (const v of versions) store.delete(KIND.policyVersion, `${lower(policy.Arn)}|${v.VersionId}`);
    store.delete(KIND.policy, lower(policy.Arn));
  });
}

function createPolicyVersion(input: { PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean }, ctx: RequestContext) {
  const policy = authorizeChange(ctx, 'iam:CreatePolicyVersion', input.PolicyArn, notFound(input.PolicyArn));
  const text = managedDocument(input.PolicyDocument);
  const { store } = ctx.app;
  return store.transaction(() => {
    const versions = versionsOf(store, policy);
    if (versions.length >= VERSIONS_QUOTA) {
      throw limitExceeded(`A managed policy can have up to ${VERSIONS_QUOTA} versions. Before you create a new version, you must delete an existing version.`);
    }
    const now = isoNow(ctx);
    const id = `v${Math.max(0, ...versions.map((v) => versionNumber(v.VersionId))) + 1}`;
    const version: PolicyVersionDoc = { PolicyArn: policy.Arn, VersionId: id, Document: text, IsDefaultVersion: input.SetAsDefault === true, CreateDate: now };
    store.put(KIND.policyVersion, `${lower(policy.Arn)}|${id}`, version);
    if (version.IsDefaultVersion) flipDefault(store, policy, versions, id);
    savePolicy(store, policy, { UpdateDate: now, ...(version.IsDefaultVersion ? { DefaultVersionId: id } : {}) });
    return { PolicyVersion: versionOut(version, false) };
  });
}

/** Moves the default flag onto version `id` among `versions`. */
function flipDefault(store: MetadataStore, policy: ManagedPolicy, versions: PolicyVersionDoc[], id: string): void {
  for (const v of versions) {
    const isDefault = v.VersionId === id;
    if (v.IsDefaultVersion !== isDefault) store.put(KIND.policyVersion, `${lower(policy.Arn)}|${v.VersionId}`, { ...v, IsDefaultVersion: isDefault });
  }
}

function savePolicy(store: MetadataStore, policy: ManagedPolicy, changes: Partial<PolicyDoc>): void {
  const { awsManaged: _, ...doc } = policy;
  store.put(KIND.policy, lower(policy.Arn), { ...doc, ...changes });
}

function getPolicyVersion(input: { PolicyArn: string; VersionId: string }, ctx: RequestContext) {
  const policy = authorizeOnPolicy(ctx, 'iam:GetPolicyVersion', input.PolicyArn);
  const version = policy && findPolicyVersion(ctx.app.store, policy, input.VersionId);
  if (!version) throw versionNotFound(input.PolicyArn, input.VersionId);
  return { PolicyVersion: versionOut(version, true) };
}

function listPolicyVersions(input: { PolicyArn: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  const policy = authorizeOnPolicy(ctx, 'iam:ListPolicyVersions', input.PolicyArn);
  if (!policy) throw notFound(input.PolicyArn);
  const page = pageList(versionsOf(ctx.app.store, policy), input, (v) => v.VersionId);
  return { Versions: page.items.map((v) => versionOut(v, false)), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
}

function deletePolicyVersion(input: { PolicyArn: string; VersionId: string }, ctx: RequestContext) {
  const missing = versionNotFound(input.PolicyArn, input.VersionId);
  const policy = authorizeChange(ctx, 'iam:DeletePolicyVersion', input.PolicyArn, missing);
  const { store } = ctx.app;
  store.transaction(() => {
    const version = findPolicyVersion(store, policy, input.VersionId);
    if (!version) throw missing;
    if (version.IsDefaultVersion) throw deleteConflict('Cannot delete the default version of a policy.');
    store.delete(KIND.policyVersion, `${lower(policy.Arn)}|${version.VersionId}`);
  });
}

function setDefaultPolicyVersion(input: { PolicyArn: string; VersionId: string }, ctx: RequestContext) {
  const missing = versionNotFound(input.PolicyArn, input.VersionId);
  const policy = authorizeChange(ctx, 'iam:SetDefaultPolicyVersion', input.PolicyArn, missing);
  const { store } = ctx.app;
  store.transaction(() => {
    if (!findPolicyVersion(store, policy, input.VersionId)) throw missing;
    flipDefault(store, policy, versionsOf(store, policy), input.VersionId);
    savePolicy(store, policy, { DefaultVersionId: input.VersionId });
  });
}

const ENTITY_FILTER: Readonly<Record<string, EntityType>> = { User: 'user', Group: 'group', Role: 'role' };

function listEntitiesForPolicy(
  input: { PolicyArn: string; EntityFilter?: string; PathPrefix?: string; PolicyUsageFilter?: string; Marker?: string; MaxItems?: number },
  ctx: RequestContext,
) {
  const policy = authorizeOnPolicy(ctx, 'iam:ListEntitiesForPolicy', input.PolicyArn);
  if (!policy) throw noSuchEntity(`Policy ${input.PolicyArn} does not exist or is not attachable.`);
  const { store } = ctx.app;
  const found = new Map<string, { type: EntityType; doc: EntityDoc }>();
  if (input.PolicyUsageFilter !== 'PermissionsBoundary') {
    for (const a of store.list<AttachmentDoc>(KIND.policyAttachment, { prefix: `${policy.Arn}|` })) {
      const doc = getEntity(store, a.EntityType, a.EntityName);
      if (doc) found.set(`${a.EntityType}|${lower(a.EntityName)}`, { type: a.EntityType, doc });
    }
  }
  if (input.PolicyUsageFilter !== 'PermissionsPolicy') {
    for (const h of boundaryHolders(store).get(lower(policy.Arn)) ?? []) found.set(`${h.type}|${lower(entityName(h.doc))}`, h);
  }
  // LocalManagedPolicy and AWSManagedPolicy name no entity type, so they match no user, group or role.
  const only = input.EntityFilter && ENTITY_FILTER[input.EntityFilter];
  const entries = [...found.entries()]
    .filter(([, e]) => (!input.EntityFilter || e.type === only) && (!input.PathPrefix || e.doc.Path.startsWith(input.PathPrefix)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const page = pageList(entries, input, ([key]) => key);
  const of = (type: EntityType) => page.items.filter(([, e]) => e.type === type).map(([, e]) => e.doc as EntityDoc & Record<string, string>);
  return {
    PolicyGroups: of('group').map((g) => ({ GroupName: g.GroupName, GroupId: g.GroupId })),
    PolicyUsers: of('user').map((u) => ({ UserName: u.UserName, UserId: u.UserId })),
    PolicyRoles: of('role').map((r) => ({ RoleName: r.RoleName, RoleId: r.RoleId })),
    IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}),
  };
}

export const operations: Record<string, OperationHandler> = {
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  ListPolicies: listPolicies,
  DeletePolicy: deletePolicy,
  CreatePolicyVersion: createPolicyVersion,
  GetPolicyVersion: getPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  DeletePolicyVersion: deletePolicyVersion,
  SetDefaultPolicyVersion: setDefaultPolicyVersion,
  ListEntitiesForPolicy: listEntitiesForPolicy,
};
