// KMS for other Tailor services (S3 SSE-KMS, Personalize): plain function calls, no HTTP. Each runs the
// very operation the HTTP API runs, on behalf of the principal of the request being served: the caller
// passes that request's authorize (ctx.authorize) and its service name, which becomes kms:ViaService.
import type { App } from '../../app.js';
import type { RequestContext } from '../../gateway/context.js';
import { invoke, type KmsCaller } from './caller.js';
import type { EncryptionContext } from './authz.js';
import type { GrantConstraints } from './schema.js';
import * as crypto from './crypto.js';
import * as keys from './keys.js';
import * as grants from './grants.js';

export type { KmsCaller, EncryptionContext, GrantConstraints };

/** The caller for a service acting within a request: e.g. `viaCaller(ctx, 's3.us-east-1.amazonaws.com')`. */
export const viaCaller = (ctx: RequestContext, viaService: string): KmsCaller => ({
  principal: ctx.principal,
  region: ctx.region,
  now: ctx.now,
  authorize: (...queries) => ctx.authorize(...queries),
  viaService,
});

/** A data key for envelope encryption: use `plaintext`, store `ciphertextBlob` (it names its KMS key). */
export function generateDataKey(
  app: App,
  req: { keyId: string; encryptionContext?: EncryptionContext; numberOfBytes?: number; caller: KmsCaller },
): { keyArn: string; plaintext: Buffer; ciphertextBlob: Buffer } {
  const out = invoke(crypto.generateDataKey, app, req.caller, {
    KeyId: req.keyId,
    EncryptionContext: req.encryptionContext,
    NumberOfBytes: req.numberOfBytes,
    KeySpec: req.numberOfBytes === undefined ? 'AES_256' : undefined,
  });
  return { keyArn: out.KeyId, plaintext: out.Plaintext, ciphertextBlob: out.CiphertextBlob };
}

/** Decrypts a blob from generateDataKey/encrypt; `keyId`, when given, must name the blob's key. */
export function decrypt(
  app: App,
  req: { ciphertextBlob: Uint8Array; encryptionContext?: EncryptionContext; keyId?: string; caller: KmsCaller },
): { keyArn: string; plaintext: Buffer } {
  const out = invoke(crypto.decrypt, app, req.caller, { CiphertextBlob: req.ciphertextBlob, EncryptionContext: req.encryptionContext, KeyId: req.keyId });
  return { keyArn: out.KeyId, plaintext: out.Plaintext };
}

export function encrypt(
  app: App,
  req: { keyId: string; plaintext: Uint8Array; encryptionContext?: EncryptionContext; caller: KmsCaller },
): { keyArn: string; ciphertextBlob: Buffer } {
  const out = invoke(crypto.encrypt, app, req.caller, { KeyId: req.keyId, Plaintext: req.plaintext, EncryptionContext: req.encryptionContext });
  return { keyArn: out.KeyId, ciphertextBlob: out.CiphertextBlob };
}

/** A key's metadata by key id, key ARN, alias name or alias ARN (e.g. to validate a bucket's default key). */
export function describeKey(app: App, req: { keyId: string; caller: KmsCaller }) {
  return invoke(keys.describeKey, app, req.caller, { KeyId: req.keyId }).KeyMetadata;
}

/** A grant for a service role (Personalize creates grants for the role it works with). */
export function createGrant(
  app: App,
  req: {
    keyId: string;
    granteePrincipal: string;
    operations: string[];
    retiringPrincipal?: string;
    constraints?: GrantConstraints;
    name?: string;
    caller: KmsCaller;
  },
): { grantId: string; grantToken: string } {
  const out = invoke(grants.createGrant, app, req.caller, {
    KeyId: req.keyId,
    GranteePrincipal: req.granteePrincipal,
    Operations: req.operations,
    RetiringPrincipal: req.retiringPrincipal,
    Constraints: req.constraints,
    Name: req.name,
  });
  return { grantId: out.GrantId, grantToken: out.GrantToken };
}

/** Retires a grant by its token, or by key and grant id. */
export function retireGrant(app: App, req: { grantToken?: string; keyId?: string; grantId?: string; caller: KmsCaller }): void {
  invoke(grants.retireGrant, app, req.caller, { GrantToken: req.grantToken, KeyId: req.keyId, GrantId: req.grantId });
}
