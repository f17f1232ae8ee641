import type { App } from '../../app.js';
import type { AuthzQuery, ContextValues, Principal } from '../../gateway/context.js';
import type { KmsCaller } from './caller.js';
import { KIND, type GrantConstraints, type GrantDoc, type KeyDoc } from './schema.js';
import { accountOf, tagMap } from './lookup.js';

export type EncryptionContext = Record<string, string>;

/** One permission an operation needs. */
export interface Check {
  action: string;
  /** The key acted on; its key policy governs the check. Absent for account-level actions. */
  key?: KeyDoc;
  /** Resource for checks without a key: `*` or an alias ARN (IAM policies only). */
  resource?: string;
  context?: ContextValues;
  /** Present when a grant can allow the action: the grant operation, and whether a grant listing it
   *  fits this request (its constraints against the request's encryption context). */
  grant?: { operation: string; fits: (g: GrantDoc) => boolean };
}

/** Condition keys every KMS request carries. */
function baseContext(caller: KmsCaller): ContextValues {
  return { 'kms:CallerAccount': accountOf(caller), 'kms:ViaService': caller.viaService };
}

/** kms:EncryptionContext:<k> for each pair and kms:EncryptionContextKeys, as AWS sets them (absent when there is no context). */
export function encryptionContextKeys(ec: EncryptionContext | undefined): ContextValues {
  const keys = ec ? Object.keys(ec) : [];
  if (!keys.length) return {};
  const out: ContextValues = { 'kms:EncryptionContextKeys': keys };
  for (const k of keys) out[`kms:EncryptionContext:${k}`] = ec![k];
  return out;
}

function query(caller: KmsCaller, c: Check): AuthzQuery {
  const context = { ...baseContext(caller), ...c.context };
  if (!c.key) return { action: c.action, resource: c.resource ?? '*', context };
  return {
    action: c.action,
    resource: c.key.Arn,
    context,
    resourcePolicy: { text: c.key.Policy, id: c.key.Arn, kind: 'key' },
    resourceTags: tagMap(c.key.Tags),
    resourceAccount: c.key.AccountId,
  };
}

/**
 * Asks the policy engine about every check. A grant is KMS's own, allow-only permission that lives
 * outside key and IAM policies: when one names the caller for the operation and its constraints fit
 * the request, the query carries the grant's id, so the policies can still stop it with an explicit
 * deny but need not allow it.
 */
export function authorizeChecks(app: App, caller: KmsCaller, ...checks: Check[]): void {
  caller.authorize(...checks.map((c) => {
    const grantedBy = c.key && c.grant ? grantAllowing(app, c.key, caller.principal, c.grant) : undefined;
    return grantedBy ? { ...query(caller, c), grantedBy } : query(caller, c);
  }));
}

/** A check on a key that only policies decide. */
export function keyCheck(key: KeyDoc, operation: string, context: ContextValues = {}): Check {
  return { action: `kms:${operation}`, key, context };
}

/** A check on a key that a grant listing `operation` may also allow, when its constraints fit the encryption context. */
export function grantableCheck(key: KeyDoc, operation: string, context: ContextValues = {}, encryptionContext?: EncryptionContext): Check {
  return {
    action: `kms:${operation}`,
    key,
    context: { ...encryptionContextKeys(encryptionContext), ...context },
    grant: { operation, fits: (g) => constraintsMatch(g.Constraints, encryptionContext) },
  };
}

/** Whether a grant entry names the principal: its ARN, for a role session also the role's ARN, for a service its name. */
export function namesPrincipal(entry: string | undefined, p: Principal): boolean {
  if (!entry) return false;
  return entry === p.arn || (p.roleArn !== undefined && entry === p.roleArn) || (p.service !== undefined && entry === p.service);
}

function constraintsMatch(c: GrantConstraints | undefined, ec: EncryptionContext = {}): boolean {
  if (c?.EncryptionContextEquals) {
    const want = c.EncryptionContextEquals;
    const keys = Object.keys(ec);
    if (keys.length !== Object.keys(want).length || keys.some((k) => want[k] !== ec[k])) return false;
  }
  if (c?.EncryptionContextSubset) {
    const want = c.EncryptionContextSubset;
    if (Object.keys(want).some((k) => ec[k] !== want[k])) return false;
  }
  return true;
}

/** The id of a grant that allows the operation for the principal, if any. */
function grantAllowing(app: App, key: KeyDoc, principal: Principal, g: NonNullable<Check['grant']>): string | undefined {
  return app.store.list<GrantDoc>(KIND.grant, { prefix: `${key.KeyId}/` }).find((grant) =>
    namesPrincipal(grant.GranteePrincipal, principal) &&
    grant.Operations.includes(g.operation) &&
    g.fits(grant))?.GrantId;
}
