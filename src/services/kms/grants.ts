import { randomBytes } from 'node:crypto';
import type { App } from '../../app.js';
import type { ContextValues } from '../../gateway/context.js';
import type { KmsCaller } from './caller.js';
import { KIND, grantStoreId, type GrantConstraints, type GrantDoc, type KeyDoc } from './schema.js';
import { authorizeChecks, encryptionContextKeys, keyCheck, namesPrincipal, type Check } from './authz.js';
import { accountOf, requireEnabled, resolveKey } from './lookup.js';
import { canonicalContext } from './cipher.js';
import { dryRun, invalidGrantId, invalidGrantToken, validation } from './errors.js';
import { pageStore, type PageInput } from './paging.js';

/** Grant operations that make sense on a symmetric encryption key (the only kind Tailor makes). */
const SYMMETRIC_OPERATIONS = new Set([
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
  'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
]);

const STORE_ID = /^[0-9a-f-]{36}\/[0-9a-f]{64}$/;

/** Grant tokens carry the grant's store id (so RetireGrant can find the grant) and a random part that must match. */
function newGrantToken(keyId: string, grantId: string): string {
  return `${Buffer.from(grantStoreId(keyId, grantId)).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
}

/** The store id a grant token names; InvalidGrantTokenException when it is not a token Tailor issued. */
function tokenStoreId(token: string): string {
  const dot = token.indexOf('.');
  const id = dot > 0 ? Buffer.from(token.slice(0, dot), 'base64url').toString('utf8') : '';
  if (!STORE_ID.test(id)) throw invalidGrantToken();
  return id;
}

/** Grants take effect at once here, so tokens are only checked for form. */
export function checkGrantTokens(tokens: string[] | undefined): void {
  for (const t of tokens ?? []) tokenStoreId(t);
}

const constraintText = (c: GrantConstraints | undefined) =>
  c ? `${canonicalContext(c.EncryptionContextEquals)}|${canonicalContext(c.EncryptionContextSubset)}|${!!c.EncryptionContextEquals}|${!!c.EncryptionContextSubset}` : '';

const sameGrant = (a: GrantDoc, b: Omit<GrantDoc, 'GrantId' | 'CreationDate' | 'Token'>) =>
  a.Name === b.Name && a.GranteePrincipal === b.GranteePrincipal && a.RetiringPrincipal === b.RetiringPrincipal &&
  [...a.Operations].sort().join() === [...b.Operations].sort().join() && constraintText(a.Constraints) === constraintText(b.Constraints);

interface CreateGrantInput {
  KeyId: string;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  Operations: string[];
  Constraints?: GrantConstraints;
  GrantTokens?: string[];
  Name?: string;
  DryRun?: boolean;
}

function createGrantContext(caller: KmsCaller, input: CreateGrantInput): ContextValues {
  const c = input.Constraints;
  const type = c?.EncryptionContextEquals ? 'EncryptionContextEquals' : c?.EncryptionContextSubset ? 'EncryptionContextSubset' : undefined;
  return {
    ...encryptionContextKeys({ ...c?.EncryptionContextSubset, ...c?.EncryptionContextEquals }),
    'kms:GrantOperations': input.Operations,
    'kms:GranteePrincipal': input.GranteePrincipal,
    'kms:RetiringPrincipal': input.RetiringPrincipal,
    'kms:GrantConstraintType': type,
    'kms:GrantIsForAWSResource': caller.viaService !== undefined,
  };
}

export function createGrant(app: App, caller: KmsCaller, input: CreateGrantInput) {
  const { key } = resolveKey(app, caller, input.KeyId, { aliases: false });
  checkGrantTokens(input.GrantTokens);
  const bad = input.Operations.filter((op) => !SYMMETRIC_OPERATIONS.has(op));
  if (!input.Operations.length || bad.length) {
    throw validation(`Grant operations [${bad.join(', ')}] are not valid for a symmetric encryption KMS key.`);
  }
  // A grant that allows CreateGrant lets its grantee pass on a subset of its operations, under the same constraints.
  const check: Check = {
    ...keyCheck(key, 'CreateGrant', createGrantContext(caller, input)),
    grant: {
      operation: 'CreateGrant',
      fits: (g) => input.Operations.every((op) => g.Operations.includes(op)) &&
        (!g.Constraints || constraintText(g.Constraints) === constraintText(input.Constraints)),
    },
  };
  authorizeChecks(app, caller, check);
  requireEnabled(key);
  if (input.DryRun) throw dryRun();
  const grant = {
    KeyId: key.Arn,
    Name: input.Name,
    GranteePrincipal: input.GranteePrincipal,
    RetiringPrincipal: input.RetiringPrincipal,
    IssuingAccount: `arn:aws:iam::${accountOf(caller)}:root`,
    Operations: input.Operations,
    Constraints: input.Constraints,
  };
  return app.store.transaction(() => {
    // Creating a named grant again with the same properties returns the existing grant, as AWS does.
    const existing = input.Name === undefined ? undefined : grantsOf(app, key).find((g) => sameGrant(g, grant));
    if (existing) return { GrantToken: existing.Token, GrantId: existing.GrantId };
    const grantId = randomBytes(32).toString('hex');
    const token = newGrantToken(key.KeyId, grantId);
    const doc: GrantDoc = { ...grant, GrantId: grantId, CreationDate: caller.now.toISOString(), Token: token };
    app.store.put(KIND.grant, grantStoreId(key.KeyId, grantId), doc);
    return { GrantToken: token, GrantId: grantId };
  });
}

const grantsOf = (app: App, key: KeyDoc) => app.store.list<GrantDoc>(KIND.grant, { prefix: `${key.KeyId}/` });

function grantEntry(g: GrantDoc) {
  return {
    KeyId: g.KeyId, GrantId: g.GrantId, Name: g.Name, CreationDate: new Date(g.CreationDate), GranteePrincipal: g.GranteePrincipal,
    RetiringPrincipal: g.RetiringPrincipal, IssuingAccount: g.IssuingAccount, Operations: g.Operations, Constraints: g.Constraints,
  };
}

const grantIdOf = (g: GrantDoc) => grantStoreId(g.KeyId.slice(g.KeyId.lastIndexOf('/') + 1), g.GrantId);

export function listGrants(app: App, caller: KmsCaller, input: PageInput & { KeyId: string; GrantId?: string; GranteePrincipal?: string }) {
  const { key } = resolveKey(app, caller, input.KeyId, { aliases: false });
  authorizeChecks(app, caller, keyCheck(key, 'ListGrants', { 'kms:GrantIsForAWSResource': caller.viaService !== undefined }));
  const page = pageStore<GrantDoc>(app.store, KIND.grant, input, {
    defaultLimit: 50,
    prefix: `${key.KeyId}/`,
    filter: (g) => (input.GrantId === undefined || g.GrantId === input.GrantId) &&
      (input.GranteePrincipal === undefined || g.GranteePrincipal === input.GranteePrincipal),
    idOf: grantIdOf,
  });
  return { Grants: page.items.map(grantEntry), Truncated: page.Truncated, NextMarker: page.NextMarker };
}

export function listRetirableGrants(app: App, caller: KmsCaller, input: PageInput & { RetiringPrincipal: string }) {
  authorizeChecks(app, caller, { action: 'kms:ListRetirableGrants' });
  const page = pageStore<GrantDoc>(app.store, KIND.grant, input, {
    defaultLimit: 50,
    // Grants are regional, like their keys.
    filter: (g) => g.RetiringPrincipal === input.RetiringPrincipal && g.KeyId.startsWith(`arn:aws:kms:${caller.region}:`),
    idOf: grantIdOf,
  });
  return { Grants: page.items.map(grantEntry), Truncated: page.Truncated, NextMarker: page.NextMarker };
}

/** A grant on a key by id; InvalidGrantIdException when the key has no such grant. */
function grantById(app: App, key: KeyDoc, grantId: string): GrantDoc {
  const g = app.store.get<GrantDoc>(KIND.grant, grantStoreId(key.KeyId, grantId));
  if (!g) throw invalidGrantId('Grant ID not found');
  return g;
}

export function retireGrant(app: App, caller: KmsCaller, input: { GrantToken?: string; KeyId?: string; GrantId?: string; DryRun?: boolean }): void {
  let grant: GrantDoc;
  let key: KeyDoc;
  if (input.GrantToken !== undefined) {
    const found = app.store.get<GrantDoc>(KIND.grant, tokenStoreId(input.GrantToken));
    if (!found || found.Token !== input.GrantToken) throw invalidGrantToken();
    grant = found;
    key = resolveKey(app, caller, grant.KeyId, { aliases: false }).key;
  } else if (input.KeyId !== undefined && input.GrantId !== undefined) {
    key = resolveKey(app, caller, input.KeyId, { aliases: false }).key;
    grant = grantById(app, key, input.GrantId);
  } else {
    throw validation('Either GrantToken or both KeyId and GrantId must be specified.');
  }
  const p = caller.principal;
  if (namesPrincipal(grant.RetiringPrincipal, p) || (grant.Operations.includes('RetireGrant') && namesPrincipal(grant.GranteePrincipal, p))) {
    // The grant itself names who may retire it; no policy is involved (AWS: "permission to retire a grant is specified in the grant").
    caller.authorize();
  } else {
    authorizeChecks(app, caller, keyCheck(key, 'RetireGrant'));
  }
  if (input.DryRun) throw dryRun();
  app.store.delete(KIND.grant, grantStoreId(key.KeyId, grant.GrantId));
}

export function revokeGrant(app: App, caller: KmsCaller, input: { KeyId: string; GrantId: string; DryRun?: boolean }): void {
  const { key } = resolveKey(app, caller, input.KeyId, { aliases: false });
  authorizeChecks(app, caller, keyCheck(key, 'RevokeGrant', { 'kms:GrantIsForAWSResource': caller.viaService !== undefined }));
  const grant = grantById(app, key, input.GrantId);
  if (input.DryRun) throw dryRun();
  app.store.delete(KIND.grant, grantStoreId(key.KeyId, grant.GrantId));
}
