/**
 * How IAM entities are kept in the metadata store. Document kinds and ids are shared by every IAM
 * module (and by authentication and authorisation), so they are defined once here.
 * Names are unique case-insensitively in IAM, so ids use the lower-cased name; documents keep the
 * name as created. Dates are ISO-8601 strings.
 */
export const KIND = {
  user: 'iam.user', // id: lower(UserName)
  group: 'iam.group', // id: lower(GroupName)
  /** id: `${lower(GroupName)}|${lower(UserName)}` */
  groupMember: 'iam.group-member',
  /** id: `${lower(UserName)}|${lower(GroupName)}` (reverse index of groupMember, written in the same transaction) */
  userGroup: 'iam.user-group',
  accessKey: 'iam.access-key', // id: AccessKeyId
  /** id: `${lower(UserName)}|${AccessKeyId}` (index for ListAccessKeys) */
  userAccessKey: 'iam.user-access-key',
  loginProfile: 'iam.login-profile', // id: lower(UserName)
  role: 'iam.role', // id: lower(RoleName)
  /** Customer managed policies; id: lower(policy ARN). AWS managed policies are static data, not stored. */
  policy: 'iam.policy',
  /** id: `${lower(policy ARN)}|${VersionId}` */
  policyVersion: 'iam.policy-version',
  /** id: `${entityType}|${lower(entity name)}|${policy ARN}`; entityType is user | group | role */
  attachment: 'iam.attachment',
  /** id: `${policy ARN}|${entityType}|${lower(entity name)}` (reverse index of attachment) */
  policyAttachment: 'iam.policy-attachment',
  /** id: `${entityType}|${lower(entity name)}|${PolicyName}` */
  inlinePolicy: 'iam.inline-policy',
  accountAlias: 'iam.account-alias', // id: the alias
  /** STS temporary credentials; id: AccessKeyId (ASIA…) */
  session: 'sts.session',
} as const;

export type EntityType = 'user' | 'group' | 'role';

export interface Tag {
  Key: string;
  Value: string;
}

export interface PermissionsBoundary {
  PermissionsBoundaryType: 'Policy';
  PermissionsBoundaryArn: string;
}

export interface UserDoc {
  UserName: string;
  UserId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
  PermissionsBoundary?: PermissionsBoundary;
  Tags: Tag[];
  PasswordLastUsed?: string;
}

export interface GroupDoc {
  GroupName: string;
  GroupId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
}

export interface MembershipDoc {
  GroupName: string;
  UserName: string;
}

export interface AccessKeyDoc {
  AccessKeyId: string;
  UserName: string;
  Status: 'Active' | 'Inactive';
  CreateDate: string;
  /** The secret, sealed by App.secrets (SigV4 needs it back). */
  SecretSealed: string;
  LastUsedDate?: string;
  LastUsedService?: string;
  LastUsedRegion?: string;
}

export interface LoginProfileDoc {
  UserName: string;
  CreateDate: string;
  PasswordResetRequired: boolean;
  /** scrypt: `scrypt$<salt b64>$<hash b64>` — never the password. */
  PasswordHash: string;
}

export interface RoleDoc {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
  /** Decoded JSON text of the trust policy, as submitted. */
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  PermissionsBoundary?: PermissionsBoundary;
  Tags: Tag[];
  RoleLastUsed?: { LastUsedDate?: string; Region?: string };
}

export interface PolicyDoc {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  Description?: string;
  IsAttachable: boolean;
  CreateDate: string;
  UpdateDate: string;
  Tags: Tag[];
}

export interface PolicyVersionDoc {
  PolicyArn: string;
  VersionId: string;
  /** Decoded JSON text, as submitted. */
  Document: string;
  IsDefaultVersion: boolean;
  CreateDate: string;
}

export interface AttachmentDoc {
  EntityType: EntityType;
  EntityName: string;
  PolicyArn: string;
  PolicyName: string;
}

export interface InlinePolicyDoc {
  EntityType: EntityType;
  EntityName: string;
  PolicyName: string;
  /** Decoded JSON text, as submitted. */
  PolicyDocument: string;
}

export interface SessionDoc {
  AccessKeyId: string;
  SecretSealed: string;
  /** The session token, sealed like the secret (the request must present it verbatim). */
  SessionTokenSealed: string;
  Expiration: string;
  /** The principal the credentials act as (gateway/context.ts Principal). */
  Principal: import('../../gateway/context.js').Principal;
}

export const lower = (s: string) => s.toLowerCase();
