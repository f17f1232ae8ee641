import { randomBytes } from 'node:crypto';
import type { App } from '../../app.js';
import type { KmsCaller } from './caller.js';
import type { KeyDoc } from './schema.js';
import { authorizeChecks, grantableCheck, type EncryptionContext } from './authz.js';
import { keyByArn, requireEnabled, resolveKey, type Resolved } from './lookup.js';
import { blobKeyArn, keyMaterial, openBlob, sealBlob } from './cipher.js';
import { checkGrantTokens } from './grants.js';
import { dryRun, incorrectKey, invalidKeyUsage, unsupported, validation } from './errors.js';

export const ALGORITHM = 'SYMMETRIC_DEFAULT';

/** Symmetric keys know one algorithm; naming another is an invalid use of the key. */
function checkAlgorithm(algorithm: string | undefined, key: KeyDoc): void {
  if (algorithm !== undefined && algorithm !== ALGORITHM) throw invalidKeyUsage(`${key.Arn} key usage is ENCRYPT_DECRYPT which is not valid for ${algorithm}.`);
}

/** Authorises one cryptographic use of a key, then checks its state (a caller without access learns nothing of it). */
function useKey(app: App, caller: KmsCaller, r: Resolved, operation: string, ec: EncryptionContext | undefined, dry: boolean | undefined): Buffer {
  authorizeChecks(app, caller, grantableCheck(r.key, operation, { 'kms:EncryptionAlgorithm': ALGORITHM, 'kms:RequestAlias': r.alias }, ec));
  requireEnabled(r.key);
  if (dry) throw dryRun();
  return keyMaterial(app.secrets, r.key);
}

interface EncryptInput {
  KeyId: string;
  Plaintext: Uint8Array;
  EncryptionContext?: EncryptionContext;
  GrantTokens?: string[];
  EncryptionAlgorithm?: string;
  DryRun?: boolean;
}

export function encrypt(app: App, caller: KmsCaller, input: EncryptInput) {
  const r = resolveKey(app, caller, input.KeyId, { aliases: true });
  checkGrantTokens(input.GrantTokens);
  checkAlgorithm(input.EncryptionAlgorithm, r.key);
  const material = useKey(app, caller, r, 'Encrypt', input.EncryptionContext, input.DryRun);
  return { CiphertextBlob: sealBlob(material, r.key.Arn, input.Plaintext, input.EncryptionContext), KeyId: r.key.Arn, EncryptionAlgorithm: ALGORITHM };
}

/** The key a ciphertext names; when the request also names one, it must be the same key. */
function blobKey(app: App, caller: KmsCaller, blob: Uint8Array, keyId: string | undefined): Resolved {
  const arn = blobKeyArn(blob);
  if (keyId !== undefined) {
    const named = resolveKey(app, caller, keyId, { aliases: true });
    if (named.key.Arn !== arn) throw incorrectKey();
    return named;
  }
  return { key: keyByArn(app, caller, arn) };
}

interface DecryptInput {
  CiphertextBlob: Uint8Array;
  EncryptionContext?: EncryptionContext;
  GrantTokens?: string[];
  KeyId?: string;
  EncryptionAlgorithm?: string;
  DryRun?: boolean;
}

export function decrypt(app: App, caller: KmsCaller, input: DecryptInput) {
  const r = blobKey(app, caller, input.CiphertextBlob, input.KeyId);
  checkGrantTokens(input.GrantTokens);
  checkAlgorithm(input.EncryptionAlgorithm, r.key);
  const material = useKey(app, caller, r, 'Decrypt', input.EncryptionContext, input.DryRun);
  return { KeyId: r.key.Arn, Plaintext: openBlob(material, input.CiphertextBlob, input.EncryptionContext), EncryptionAlgorithm: ALGORITHM };
}

interface DataKeyInput {
  KeyId: string;
  EncryptionContext?: EncryptionContext;
  NumberOfBytes?: number;
  KeySpec?: string;
  GrantTokens?: string[];
  DryRun?: boolean;
}

function dataKeyLength(input: DataKeyInput): number {
  if ((input.NumberOfBytes === undefined) === (input.KeySpec === undefined)) throw validation('Please specify either number of bytes or key spec.');
  return input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32);
}

/** A fresh data key and its copy encrypted under the KMS key; `operation` is the one authorised. */
function dataKey(app: App, caller: KmsCaller, input: DataKeyInput, operation: string) {
  const r = resolveKey(app, caller, input.KeyId, { aliases: true });
  const length = dataKeyLength(input);
  checkGrantTokens(input.GrantTokens);
  const material = useKey(app, caller, r, operation, input.EncryptionContext, input.DryRun);
  const plaintext = randomBytes(length);
  return { KeyId: r.key.Arn, Plaintext: plaintext, CiphertextBlob: sealBlob(material, r.key.Arn, plaintext, input.EncryptionContext) };
}

export function generateDataKey(app: App, caller: KmsCaller, input: DataKeyInput) {
  const { KeyId, Plaintext, CiphertextBlob } = dataKey(app, caller, input, 'GenerateDataKey');
  return { CiphertextBlob, Plaintext, KeyId };
}

export function generateDataKeyWithoutPlaintext(app: App, caller: KmsCaller, input: DataKeyInput) {
  const { KeyId, CiphertextBlob } = dataKey(app, caller, input, 'GenerateDataKeyWithoutPlaintext');
  return { CiphertextBlob, KeyId };
}

interface ReEncryptInput {
  CiphertextBlob: Uint8Array;
  SourceEncryptionContext?: EncryptionContext;
  SourceKeyId?: string;
  DestinationKeyId: string;
  DestinationEncryptionContext?: EncryptionContext;
  SourceEncryptionAlgorithm?: string;
  DestinationEncryptionAlgorithm?: string;
  GrantTokens?: string[];
  DryRun?: boolean;
}

export function reEncrypt(app: App, caller: KmsCaller, input: ReEncryptInput) {
  const source = blobKey(app, caller, input.CiphertextBlob, input.SourceKeyId);
  const dest = resolveKey(app, caller, input.DestinationKeyId, { aliases: true });
  checkGrantTokens(input.GrantTokens);
  checkAlgorithm(input.SourceEncryptionAlgorithm, source.key);
  checkAlgorithm(input.DestinationEncryptionAlgorithm, dest.key);
  const same = source.key.Arn === dest.key.Arn;
  const common = { 'kms:EncryptionAlgorithm': ALGORITHM, 'kms:ReEncryptOnSameKey': same };
  authorizeChecks(
    app,
    caller,
    grantableCheck(source.key, 'ReEncryptFrom', { ...common, 'kms:RequestAlias': source.alias }, input.SourceEncryptionContext),
    grantableCheck(dest.key, 'ReEncryptTo', { ...common, 'kms:RequestAlias': dest.alias }, input.DestinationEncryptionContext),
  );
  requireEnabled(source.key);
  requireEnabled(dest.key);
  if (input.DryRun) throw dryRun();
  const plaintext = openBlob(keyMaterial(app.secrets, source.key), input.CiphertextBlob, input.SourceEncryptionContext);
  return {
    CiphertextBlob: sealBlob(keyMaterial(app.secrets, dest.key), dest.key.Arn, plaintext, input.DestinationEncryptionContext),
    SourceKeyId: source.key.Arn,
    KeyId: dest.key.Arn,
    SourceEncryptionAlgorithm: ALGORITHM,
    DestinationEncryptionAlgorithm: ALGORITHM,
  };
}

export function generateRandom(app: App, caller: KmsCaller, input: { NumberOfBytes?: number; CustomKeyStoreId?: string }) {
  authorizeChecks(app, caller, { action: 'kms:GenerateRandom' });
  if (input.CustomKeyStoreId !== undefined) throw unsupported('Custom key stores are not supported by this endpoint.');
  if (input.NumberOfBytes === undefined) throw validation('Please specify number of bytes.');
  return { Plaintext: randomBytes(input.NumberOfBytes) };
}
