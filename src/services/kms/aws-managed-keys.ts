// AWS managed keys (`alias/aws/<service>`): keys AWS creates in an account the first time a service
// needs one, usable by the account's principals only through that service. AWS reserves the alias
// prefix (CreateAlias refuses it), so Tailor creates the key and its alias together, on first use.
import { randomUUID } from 'node:crypto';
import type { App } from '../../app.js';
import { KIND, aliasArn, aliasStoreId, keyArn, keyStoreId, type AliasDoc, type KeyDoc } from './schema.js';
import { newSealedMaterial } from './cipher.js';

/** The services whose AWS managed key Tailor provides: the name AWS's policy and description give each. */
const SERVICES: Record<string, { label: string; description: string }> = {
  s3: { label: 'S3', description: 'Default key that protects my S3 objects when no other key is defined' },
  personalize: { label: 'Personalize', description: 'Default key that protects my Personalize data when no other key is defined' },
};

const MANAGED_ALIAS = /^(?:arn:aws:kms:([a-z0-9-]+):(\d{12}):)?alias\/aws\/([a-z0-9-]+)$/;

/**
 * The policy AWS gives an AWS managed key, in AWS's layout: every principal of the account may use
 * the key through the service (kms:ViaService and kms:CallerAccount), and the account may read its
 * metadata directly. Nothing else: no IAM delegation, so nobody can manage, disable or delete it.
 */
export function awsManagedKeyPolicy(account: string, region: string, service: string): string {
  const { label } = SERVICES[service];
  return `{
  "Version" : "2012-10-17",
  "Id" : "auto-${service}-2",
  "Statement" : [ {
    "Sid" : "Allow access through ${label} for all principals in the account that are authorized to use ${label}",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${account}",
        "kms:ViaService" : "${service}.${region}.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${account}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`;
}

/**
 * The alias `alias/aws/<service>` (name or alias ARN) of `account` in `region`, its key created on
 * first use as AWS does (DescribeKey, Encrypt, GenerateDataKey… all create it). Undefined for any
 * other alias, or one naming another account or region (AWS managed keys are never shared).
 */
export function awsManagedAlias(app: App, account: string, region: string, name: string, now: Date): AliasDoc | undefined {
  const m = MANAGED_ALIAS.exec(name);
  if (!m || (m[1] !== undefined && (m[1] !== region || m[2] !== account))) return undefined;
  const service = m[3];
  if (!Object.hasOwn(SERVICES, service)) return undefined;
  const aliasName = `alias/aws/${service}`;
  const id = aliasStoreId(account, region, aliasName);
  const found = app.store.get<AliasDoc>(KIND.alias, id);
  if (found) return found;
  // Checked again inside the transaction, so concurrent first uses agree on a single key.
  return app.store.transaction(() => {
    const existing = app.store.get<AliasDoc>(KIND.alias, id);
    if (existing) return existing;
    const keyId = randomUUID();
    const arn = keyArn(region, account, keyId);
    const created = now.toISOString();
    const key: KeyDoc = {
      KeyId: keyId, Arn: arn, AccountId: account, Region: region, CreationDate: created,
      Description: SERVICES[service].description, KeyState: 'Enabled', KeyManager: 'AWS',
      Policy: awsManagedKeyPolicy(account, region, service), Tags: [],
      SealedMaterial: newSealedMaterial(app.secrets, arn),
    };
    const alias: AliasDoc = {
      AliasName: aliasName, AliasArn: aliasArn(region, account, aliasName), AccountId: account, Region: region,
      TargetKeyId: keyId, CreationDate: created, LastUpdatedDate: created,
    };
    app.store.put(KIND.key, keyStoreId(account, region, keyId), key);
    app.store.put(KIND.alias, id, alias);
    return alias;
  });
}
