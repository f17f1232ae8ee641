// The KMS document kinds in the metadata store and their shapes. Timestamps are ISO strings.

export const KIND = {
  /** id: `<account>:<region>:<key id>` (keyStoreId). */
  key: 'kms.key',
  /** id: `<account>:<region>:<alias name>`. */
  alias: 'kms.alias',
  /** id: `<key id>/<grant id>`, so a key's grants list by prefix. */
  grant: 'kms.grant',
  /** id: `<deletion date ISO>|<keyStoreId>`: keys pending deletion in due order, so a sweep reads only what is due. */
  deletion: 'kms.deletion',
} as const;

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

export interface Tag {
  TagKey: string;
  TagValue: string;
}

export interface KeyDoc {
  KeyId: string;
  Arn: string;
  AccountId: string;
  Region: string;
  CreationDate: string;
  Description: string;
  KeyState: KeyState;
  /** 'AWS' for AWS managed keys (alias/aws/<service>); customer managed keys leave it out. */
  KeyManager?: 'AWS';
  /** Set while PendingDeletion. */
  DeletionDate?: string;
  PendingDeletionWindowInDays?: number;
  Policy: string;
  Tags: Tag[];
  /** The 256-bit key material, sealed under the data dir's master key with the key ARN as AAD. */
  SealedMaterial: string;
}

export interface AliasDoc {
  AliasName: string;
  AliasArn: string;
  AccountId: string;
  Region: string;
  /** Key id (not ARN) of the target key. */
  TargetKeyId: string;
  CreationDate: string;
  LastUpdatedDate: string;
}

export interface GrantConstraints {
  EncryptionContextSubset?: Record<string, string>;
  EncryptionContextEquals?: Record<string, string>;
}

export interface GrantDoc {
  GrantId: string;
  /** Key ARN, as ListGrants reports it. */
  KeyId: string;
  Name?: string;
  CreationDate: string;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  IssuingAccount: string;
  Operations: string[];
  Constraints?: GrantConstraints;
  /** The token CreateGrant returned; RetireGrant may name the grant by it. */
  Token: string;
}

export const keyStoreId = (account: string, region: string, keyId: string) => `${account}:${region}:${keyId}`;
export const aliasStoreId = (account: string, region: string, aliasName: string) => `${account}:${region}:${aliasName}`;
export const grantStoreId = (keyId: string, grantId: string) => `${keyId}/${grantId}`;
export const keyArn = (region: string, account: string, keyId: string) => `arn:aws:kms:${region}:${account}:key/${keyId}`;
export const aliasArn = (region: string, account: string, aliasName: string) => `arn:aws:kms:${region}:${account}:${aliasName}`;
