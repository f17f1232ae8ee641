// The one gate every submitted policy document passes: decoding, AWS's validation (by the policy
// engine) and AWS's size quotas for the use the document is put to.
import { MalformedPolicyError, policySize, validatePolicy, type PolicyType } from '../../policy/index.js';
import { limitExceeded, malformedPolicy } from './common.js';
import type { EntityType } from './schema.js';

/** Quotas in characters, white space not counted (as IAM counts them). */
export const MANAGED_POLICY_LIMIT = 6144;
export const TRUST_POLICY_LIMIT = 2048;
/** Inline policies: the sum over all of an entity's inline policies. */
export const INLINE_POLICY_LIMIT: Readonly<Record<EntityType, number>> = { user: 2048, group: 5120, role: 10240 };

/**
 * Documents may arrive URL-encoded (as IAM itself hands them out, e.g. pasted from GetPolicyVersion);
 * IAM accepts both forms and keeps the decoded JSON.
 */
export function decodeDocument(raw: string): string {
  if (!/^\s*%7b/i.test(raw)) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Decodes and validates a document for `type`, answering AWS's MalformedPolicyDocument when it is not one. */
export function readDocument(raw: string, type: PolicyType): string {
  const text = decodeDocument(raw);
  try {
    validatePolicy(text, type);
  } catch (e) {
    if (e instanceof MalformedPolicyError) throw malformedPolicy(e.message);
    throw e;
  }
  return text;
}

/** A customer managed policy version's document. */
export function managedDocument(raw: string): string {
  const text = readDocument(raw, 'identity');
  if (policySize(text) > MANAGED_POLICY_LIMIT) throw limitExceeded(`Cannot exceed quota for PolicySize: ${MANAGED_POLICY_LIMIT}`);
  return text;
}

/** A role's trust (assume-role) policy. */
export function trustDocument(raw: string): string {
  const text = readDocument(raw, 'trust');
  if (policySize(text) > TRUST_POLICY_LIMIT) throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_LIMIT}`);
  return text;
}

/**
 * An inline policy for an entity whose other inline policies already take `othersSize`; the quota
 * covers them all together.
 */
export function inlineDocument(raw: string, entityType: EntityType, entityName: string, othersSize: number): string {
  const text = readDocument(raw, 'identity');
  const limit = INLINE_POLICY_LIMIT[entityType];
  if (othersSize + policySize(text) > limit) throw limitExceeded(`Maximum policy size of ${limit} bytes exceeded for ${entityType} ${entityName}`);
  return text;
}
