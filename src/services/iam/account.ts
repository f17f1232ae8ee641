import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import {
  KIND, lower, type AttachmentDoc, type EntityType, type GroupDoc, type InlinePolicyDoc, type MembershipDoc, type PolicyDoc,
  type PolicyVersionDoc, type RoleDoc, type UserDoc,
} from './schema.js';
import { date, encodeDocument, entityAlreadyExists, noSuchEntity, pageList } from './common.js';
import { awsManagedPolicies, findPolicyVersion, type ManagedPolicy } from './aws-managed.js';
import { attachmentCount, boundaryHolders } from './policies.js';

/** The account's alias (at most one); id: the alias. Not an entity other modules key by, so it lives here. */

/** AWS's default IAM quotas, as GetAccountSummary reports them. */
const QUOTAS = {
  UsersQuota: 5000, GroupsQuota: 300, RolesQuota: 1000, PoliciesQuota: 1500, InstanceProfilesQuota: 1000, ServerCertificatesQuota: 20,
  AccessKeysPerUserQuota: 2, SigningCertificatesPerUserQuota: 2, GroupsPerUserQuota: 10,
  AttachedPoliciesPerUserQuota: 10, AttachedPoliciesPerGroupQuota: 10, AttachedPoliciesPerRoleQuota: 10,
  UserPolicySizeQuota: 2048, GroupPolicySizeQuota: 5120, RolePolicySizeQuota: 10240, AssumeRolePolicySizeQuota: 2048,
  PolicySizeQuota: 6144, VersionsPerPolicyQuota: 5, PolicyVersionsInUseQuota: 10000, GlobalEndpointTokenVersion: 1,
} as const;

function getAccountSummary(_input: unknown, ctx: RequestContext) {
  ctx.authorize({ action: 'iam:GetAccountSummary', resource: '*' });
  const { store } = ctx.app;
  return {
    SummaryMap: {
      ...QUOTAS,
      Users: store.count(KIND.user),
      Groups: store.count(KIND.group),
      Roles: store.count(KIND.role),
      Policies: store.count(KIND.policy),
      PolicyVersionsInUse: store.count(KIND.attachment),
      InstanceProfiles: 0, Providers: 0, ServerCertificates: 0, MFADevices: 0, MFADevicesInUse: 0,
      AccountMFAEnabled: 0, AccountSigningCertificatesPresent: 0,
      // The root user always has the access key Tailor was started with.
      AccountAccessKeysPresent: 1,
    },
  };
}

function createAccountAlias(input: { AccountAlias: string }, ctx: RequestContext) {
  ctx.authorize({ action: 'iam:CreateAccountAlias', resource: '*' });
  const { store } = ctx.app;
  store.transaction(() => {
    const current = store.list<{ AccountAlias: string }>(KIND.accountAlias);
    if (current.some((a) => a.AccountAlias === input.AccountAlias)) throw entityAlreadyExists(`The account alias ${input.AccountAlias} already exists.`);
    // An account has one alias; a new one replaces it.
    for (const a of current) store.delete(KIND.accountAlias, a.AccountAlias);
    store.put(KIND.accountAlias, input.AccountAlias, { AccountAlias: input.AccountAlias });
  });
}

function deleteAccountAlias(input: { AccountAlias: string }, ctx: RequestContext) {
  ctx.authorize({ action: 'iam:DeleteAccountAlias', resource: '*' });
  const { store } = ctx.app;
  store.transaction(() => {
    if (!store.delete(KIND.accountAlias, input.AccountAlias)) throw noSuchEntity(`The account alias ${input.AccountAlias} cannot be found.`);
  });
}

function listAccountAliases(input: { Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  ctx.authorize({ action: 'iam:ListAccountAliases', resource: '*' });
  const aliases = ctx.app.store.list<{ AccountAlias: string }>(KIND.accountAlias).map((a) => a.AccountAlias);
  const page = pageList(aliases, input, (a) => a);
  return { AccountAliases: page.items, IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
}

// ---- GetAccountAuthorizationDetails ----

type DetailType = 'User' | 'Group' | 'Role' | 'LocalManagedPolicy' | 'AWSManagedPolicy';
interface Entry { type: DetailType; key: string; doc: UserDoc | GroupDoc | RoleDoc | ManagedPolicy }

function attachedPolicies(store: MetadataStore, type: EntityType, name: string) {
  return store.list<AttachmentDoc>(KIND.attachment, { prefix: `${type}|${lower(name)}|` }).map((a) => ({ PolicyName: a.PolicyName, PolicyArn: a.PolicyArn }));
}

function inlinePolicies(store: MetadataStore, type: EntityType, name: string) {
  return store.list<InlinePolicyDoc>(KIND.inlinePolicy, { prefix: `${type}|${lower(name)}|` })
    .map((p) => ({ PolicyName: p.PolicyName, PolicyDocument: encodeDocument(p.PolicyDocument) }));
}

function userDetail(store: MetadataStore, u: UserDoc) {
  return {
    Path: u.Path, UserName: u.UserName, UserId: u.UserId, Arn: u.Arn, CreateDate: date(u.CreateDate),
    UserPolicyList: inlinePolicies(store, 'user', u.UserName),
    GroupList: store.list<MembershipDoc>(KIND.userGroup, { prefix: `${lower(u.UserName)}|` }).map((m) => m.GroupName),
    AttachedManagedPolicies: attachedPolicies(store, 'user', u.UserName),
    ...(u.PermissionsBoundary ? { PermissionsBoundary: u.PermissionsBoundary } : {}),
    Tags: u.Tags,
  };
}

function groupDetail(store: MetadataStore, g: GroupDoc) {
  return {
    Path: g.Path, GroupName: g.GroupName, GroupId: g.GroupId, Arn: g.Arn, CreateDate: date(g.CreateDate),
    GroupPolicyList: inlinePolicies(store, 'group', g.GroupName),
    AttachedManagedPolicies: attachedPolicies(store, 'group', g.GroupName),
  };
}

function roleDetail(store: MetadataStore, r: RoleDoc) {
  const used = r.RoleLastUsed;
  return {
    Path: r.Path, RoleName: r.RoleName, RoleId: r.RoleId, Arn: r.Arn, CreateDate: date(r.CreateDate),
    AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicyDocument),
    InstanceProfileList: [],
    RolePolicyList: inlinePolicies(store, 'role', r.RoleName),
    AttachedManagedPolicies: attachedPolicies(store, 'role', r.RoleName),
    ...(r.PermissionsBoundary ? { PermissionsBoundary: r.PermissionsBoundary } : {}),
    Tags: r.Tags,
    RoleLastUsed: { ...(used?.LastUsedDate ? { LastUsedDate: date(used.LastUsedDate) } : {}), ...(used?.Region ? { Region: used.Region } : {}) },
  };
}

function policyDetail(store: MetadataStore, p: ManagedPolicy, boundaryUses: number) {
  // AWS managed policies are static data with only their default version.
  const versions = p.awsManaged
    ? [findPolicyVersion(store, p, p.DefaultVersionId)!]
    : store.list<PolicyVersionDoc>(KIND.policyVersion, { prefix: `${lower(p.Arn)}|` });
  return {
    PolicyName: p.PolicyName, PolicyId: p.PolicyId, Arn: p.Arn, Path: p.Path, DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: attachmentCount(store, p.Arn), PermissionsBoundaryUsageCount: boundaryUses, IsAttachable: p.IsAttachable,
    ...(p.Description ? { Description: p.Description } : {}),
    CreateDate: date(p.CreateDate), UpdateDate: date(p.UpdateDate),
    PolicyVersionList: versions.map((v) => ({
      Document: encodeDocument(v.Document), VersionId: v.VersionId, IsDefaultVersion: v.IsDefaultVersion, CreateDate: date(v.CreateDate),
    })),
  };
}

/** Every entity of the wanted types, in a stable order; AWS managed policies only when something uses them. */
function entries(store: MetadataStore, wanted: Set<string>, boundaries: Map<string, unknown[]>): Entry[] {
  const out: Entry[] = [];
  const add = (type: DetailType, docs: Entry['doc'][]) => {
    if (wanted.has(type)) for (const doc of docs) out.push({ type, key: `${type}|${doc.Arn}`, doc });
  };
  add('User', store.list<UserDoc>(KIND.user));
  add('Group', store.list<GroupDoc>(KIND.group));
  add('Role', store.list<RoleDoc>(KIND.role));
  add('LocalManagedPolicy', store.list<PolicyDoc>(KIND.policy).map((p) => ({ ...p, awsManaged: false })));
  add('AWSManagedPolicy', awsManagedPolicies().filter((p) => attachmentCount(store, p.Arn) > 0 || boundaries.has(lower(p.Arn))));
  return out;
}

const ALL_DETAIL_TYPES: DetailType[] = ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'];

function getAccountAuthorizationDetails(input: { Filter?: string[]; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  ctx.authorize({ action: 'iam:GetAccountAuthorizationDetails', resource: '*' });
  const { store } = ctx.app;
  const wanted = new Set<string>(input.Filter && input.Filter.length > 0 ? input.Filter : ALL_DETAIL_TYPES);
  const boundaries = boundaryHolders(store);
  const page = pageList(entries(store, wanted, boundaries), input, (e) => e.key);
  const of = (...types: DetailType[]) => page.items.filter((e) => types.includes(e.type));
  return {
    UserDetailList: of('User').map((e) => userDetail(store, e.doc as UserDoc)),
    GroupDetailList: of('Group').map((e) => groupDetail(store, e.doc as GroupDoc)),
    RoleDetailList: of('Role').map((e) => roleDetail(store, e.doc as RoleDoc)),
    Policies: of('LocalManagedPolicy', 'AWSManagedPolicy').map((e) => {
      const p = e.doc as ManagedPolicy;
      return policyDetail(store, p, boundaries.get(lower(p.Arn))?.length ?? 0);
    }),
    IsTruncated: page.IsTruncated,
    ...(page.Marker ? { Marker: page.Marker } : {}),
  };
}

export const operations: Record<string, OperationHandler> = {
  GetAccountSummary: getAccountSummary,
  CreateAccountAlias: createAccountAlias,
  DeleteAccountAlias: deleteAccountAlias,
  ListAccountAliases: listAccountAliases,
  GetAccountAuthorizationDetails: getAccountAuthorizationDetails,
};
