import type { Provider } from '../../gateway/context.js';
import { handler } from './caller.js';
import { cancelKeyDeletion, createKey, describeKey, disableKey, enableKey, listKeys, scheduleKeyDeletion, updateKeyDescription } from './keys.js';
import { getKeyPolicy, listKeyPolicies, putKeyPolicy } from './key-policy.js';
import { createAlias, deleteAlias, listAliases, updateAlias } from './aliases.js';
import { createGrant, listGrants, listRetirableGrants, retireGrant, revokeGrant } from './grants.js';
import { listResourceTags, tagResource, untagResource } from './tags.js';
import { decrypt, encrypt, generateDataKey, generateDataKeyWithoutPlaintext, generateRandom, reEncrypt } from './crypto.js';

/** AWS KMS (awsJson1_1, TrentService): symmetric keys, key policies, aliases, grants, tags and envelope encryption. */
export const kmsProvider: Provider = {
  model: 'kms',
  operations: {
    CreateKey: handler(createKey),
    DescribeKey: handler(describeKey),
    ListKeys: handler(listKeys),
    EnableKey: handler(enableKey),
    DisableKey: handler(disableKey),
    UpdateKeyDescription: handler(updateKeyDescription),
    ScheduleKeyDeletion: handler(scheduleKeyDeletion),
    CancelKeyDeletion: handler(cancelKeyDeletion),
    GetKeyPolicy: handler(getKeyPolicy),
    PutKeyPolicy: handler(putKeyPolicy),
    ListKeyPolicies: handler(listKeyPolicies),
    CreateAlias: handler(createAlias),
    DeleteAlias: handler(deleteAlias),
    UpdateAlias: handler(updateAlias),
    ListAliases: handler(listAliases),
    CreateGrant: handler(createGrant),
    ListGrants: handler(listGrants),
    ListRetirableGrants: handler(listRetirableGrants),
    RetireGrant: handler(retireGrant),
    RevokeGrant: handler(revokeGrant),
    TagResource: handler(tagResource),
    UntagResource: handler(untagResource),
    ListResourceTags: handler(listResourceTags),
    Encrypt: handler(encrypt),
    Decrypt: handler(decrypt),
    GenerateDataKey: handler(generateDataKey),
    GenerateDataKeyWithoutPlaintext: handler(generateDataKeyWithoutPlaintext),
    ReEncrypt: handler(reEncrypt),
    GenerateRandom: handler(generateRandom),
  },
};
