import { randomUUID } from 'node:crypto';
import type { App } from '../../app.js';
import type { ContextValues } from '../../gateway/context.js';
import type { KmsCaller } from './caller.js';
import { KIND, keyArn, type KeyDoc, type KeyState, type Tag } from './schema.js';
import { authorizeChecks, grantableCheck, keyCheck } from './authz.js';
import { accountOf, requireNotPendingDeletion, resolveKey, saveKey } from './lookup.js';
import { checkKeyPolicy, checkLockout, defaultKeyPolicy } from './key-policy.js';
import { newSealedMaterial } from './cipher.js';
import { checkTags, tagContext } from './tags.js';
import { checkGrantTokens } from './grants.js';
import { invalidState, pendingDeletion, unsupported, validation } from './errors.js';
import { pageStore, type PageInput } from './paging.js';

const SYMMETRIC = 'SYMMETRIC_DEFAULT';

/** KeyMetadata as DescribeKey and CreateKey return it. */
export function keyMetadata(key: KeyDoc) {
  return {
    AWSAccountId: key.AccountId,
    KeyId: key.KeyId,
    Arn: key.Arn,
    CreationDate: new Date(key.CreationDate),
    Enabled: key.KeyState === 'Enabled',
    Description: key.Description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: key.KeyState,
    DeletionDate: key.DeletionDate === undefined ? undefined : new Date(key.DeletionDate),
    Origin: 'AWS_KMS',
    KeyManager: key.KeyManager ?? 'CUSTOMER',
    CustomerMasterKeySpec: SYMMETRIC,
    KeySpec: SYMMETRIC,
    EncryptionAlgorithms: [SYMMETRIC],
    MultiRegion: false,
    PendingDeletionWindowInDays: key.PendingDeletionWindowInDays,
  };
}

interface CreateKeyInput {
  Policy?: string;
  Description?: string;
  KeyUsage?: string;
  CustomerMasterKeySpec?: string;
  KeySpec?: string;
  Origin?: string;
  CustomKeyStoreId?: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
  Tags?: Tag[];
  MultiRegion?: boolean;
  XksKeyId?: string;
}

/** Tailor makes symmetric encryption keys with key material of its own; anything else is refused up front. */
function checkKeyKind(input: CreateKeyInput): void {
  const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? SYMMETRIC;
  if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined) {
    throw validation('You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
  }
  if (spec !== SYMMETRIC) throw unsupported(`KeySpec ${spec} is not supported by this endpoint.`);
  if (input.KeyUsage !== undefined && input.KeyUsage !== 'ENCRYPT_DECRYPT') {
    throw validation(`KeyUsage ${input.KeyUsage} is not compatible with KeySpec ${SYMMETRIC}`);
  }
  if ((input.Origin ?? 'AWS_KMS') !== 'AWS_KMS' || input.CustomKeyStoreId !== undefined || input.XksKeyId !== undefined) {
    throw unsupported(`Origin ${input.Origin ?? 'AWS_KMS'} with a custom key store is not supported by this endpoint.`);
  }
  if (input.MultiRegion) throw unsupported('Multi-Region keys are not supported by this endpoint.');
}

export function createKey(app: App, caller: KmsCaller, input: CreateKeyInput) {
  checkKeyKind(input);
  const tags = input.Tags ?? [];
  checkTags(tags);
  const account = accountOf(caller);
  const keyId = randomUUID();
  const arn = keyArn(caller.region, account, keyId);
  const policy = input.Policy ?? defaultKeyPolicy(account);
  if (input.Policy !== undefined) checkKeyPolicy(input.Policy);
  const bypass = input.BypassPolicyLockoutSafetyCheck === true;
  const context: ContextValues = {
    'kms:KeySpec': SYMMETRIC,
    'kms:KeyUsage': 'ENCRYPT_DECRYPT',
    'kms:KeyOrigin': 'AWS_KMS',
    'kms:MultiRegion': false,
    'kms:BypassPolicyLockoutSafetyCheck': bypass,
    ...tagContext(tags),
  };
  // Tagging at creation also needs kms:TagResource (IAM policy), as AWS documents for the Tags parameter.
  authorizeChecks(app, caller, { action: 'kms:CreateKey', context }, ...(tags.length ? [{ action: 'kms:TagResource', context: tagContext(tags) }] : []));
  const key: KeyDoc = {
    KeyId: keyId,
    Arn: arn,
    AccountId: account,
    Region: caller.region,
    CreationDate: caller.now.toISOString(),
    Description: input.Description ?? '',
    KeyState: 'Enabled',
    Policy: policy,
    Tags: tags,
    SealedMaterial: newSealedMaterial(app.secrets, arn),
  };
  if (input.Policy !== undefined && !bypass) checkLockout(app, caller, key);
  saveKey(app.store, undefined, key);
  return { KeyMetadata: keyMetadata(key) };
}

export function describeKey(app: App, caller: KmsCaller, input: { KeyId: string; GrantTokens?: string[] }) {
  const { key, alias } = resolveKey(app, caller, input.KeyId, { aliases: true });
  checkGrantTokens(input.GrantTokens);
  authorizeChecks(app, caller, grantableCheck(key, 'DescribeKey', { 'kms:RequestAlias': alias }));
  return { KeyMetadata: keyMetadata(key) };
}

export function listKeys(app: App, caller: KmsCaller, input: PageInput) {
  authorizeChecks(app, caller, { action: 'kms:ListKeys' });
  const page = pageStore<KeyDoc>(app.store, KIND.key, input, {
    defaultLimit: 100,
    prefix: `${accountOf(caller)}:${caller.region}:`,
    idOf: (k) => `${k.AccountId}:${k.Region}:${k.KeyId}`,
  });
  return { Keys: page.items.map((k) => ({ KeyId: k.KeyId, KeyArn: k.Arn })), Truncated: page.Truncated, NextMarker: page.NextMarker };
}

/** Loads, authorises and saves one key-state change; `change` returns the new key or throws the state error. */
function changeKey(app: App, caller: KmsCaller, keyId: string, operation: string, context: ContextValues, change: (k: KeyDoc) => KeyDoc): KeyDoc {
  const { key } = resolveKey(app, caller, keyId, { aliases: false });
  authorizeChecks(app, caller, keyCheck(key, operation, context));
  const updated = change(key);
  saveKey(app.store, key, updated);
  return updated;
}

const withState = (key: KeyDoc, state: KeyState): KeyDoc => {
  requireNotPendingDeletion(key);
  return { ...key, KeyState: state };
};

export function enableKey(app: App, caller: KmsCaller, input: { KeyId: string }): void {
  changeKey(app, caller, input.KeyId, 'EnableKey', {}, (k) => withState(k, 'Enabled'));
}

export function disableKey(app: App, caller: KmsCaller, input: { KeyId: string }): void {
  changeKey(app, caller, input.KeyId, 'DisableKey', {}, (k) => withState(k, 'Disabled'));
}

export function updateKeyDescription(app: App, caller: KmsCaller, input: { KeyId: string; Description: string }): void {
  changeKey(app, caller, input.KeyId, 'UpdateKeyDescription', {}, (k) => {
    requireNotPendingDeletion(k);
    return { ...k, Description: input.Description };
  });
}

const DAY_MS = 86_400_000;

export function scheduleKeyDeletion(app: App, caller: KmsCaller, input: { KeyId: string; PendingWindowInDays?: number }) {
  const days = input.PendingWindowInDays ?? 30;
  if (days < 7 || days > 30) {
    const bound = days < 7 ? 'greater than or equal to 7' : 'less than or equal to 30';
    throw validation(`1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value ${bound}`);
  }
  const key = changeKey(app, caller, input.KeyId, 'ScheduleKeyDeletion', { 'kms:ScheduleKeyDeletionPendingWindowInDays': days }, (k) => {
    if (k.KeyState === 'PendingDeletion') throw pendingDeletion(k.Arn);
    return {
      ...k,
      KeyState: 'PendingDeletion',
      DeletionDate: new Date(caller.now.getTime() + days * DAY_MS).toISOString(),
      PendingDeletionWindowInDays: days,
    };
  });
  return { KeyId: key.Arn, DeletionDate: new Date(key.DeletionDate!), KeyState: key.KeyState, PendingWindowInDays: days };
}

export function cancelKeyDeletion(app: App, caller: KmsCaller, input: { KeyId: string }) {
  const key = changeKey(app, caller, input.KeyId, 'CancelKeyDeletion', {}, (k) => {
    if (k.KeyState !== 'PendingDeletion') throw invalidState(`${k.Arn} is not pending deletion.`);
    // AWS leaves a key whose deletion was cancelled disabled.
    const { DeletionDate: _d, PendingDeletionWindowInDays: _w, ...rest } = k;
    return { ...rest, KeyState: 'Disabled' };
  });
  return { KeyId: key.Arn };
}
