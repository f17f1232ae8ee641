import type { App } from '../../app.js';
import { isAwsError } from '../../shared/aws-error.js';
import { MalformedPolicyError, validatePolicy } from '../../policy/index.js';
import type { KmsCaller } from './caller.js';
import type { KeyDoc } from './schema.js';
import { authorizeChecks, keyCheck } from './authz.js';
import { resolveKey, saveKey } from './lookup.js';
import { malformedPolicy, notFound } from './errors.js';
import { pageArray, type PageInput } from './paging.js';

/** KMS keys have one policy, and it is called `default`. */
const POLICY_NAME = 'default';

/** The policy AWS gives a key created without one, in AWS's own layout (GetKeyPolicy returns it byte for byte). */
export function defaultKeyPolicy(account: string): string {
  return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${account}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;
}

/** Validates a key policy as AWS does on CreateKey and PutKeyPolicy. */
export function checkKeyPolicy(text: string): void {
  try {
    validatePolicy(text, 'key');
  } catch (e) {
    if (e instanceof MalformedPolicyError) throw malformedPolicy(e.message);
    throw e;
  }
}

/**
 * The policy lockout safety check: the caller must still be allowed kms:PutKeyPolicy under the new
 * policy (`key` carries it), or nobody could change it again. Asked of the same authorisation as
 * every call; its denial becomes AWS's MalformedPolicyDocumentException.
 */
export function checkLockout(app: App, caller: KmsCaller, key: KeyDoc): void {
  try {
    authorizeChecks(app, caller, keyCheck(key, 'PutKeyPolicy', { 'kms:BypassPolicyLockoutSafetyCheck': false }));
  } catch (e) {
    if (isAwsError(e) && e.code.startsWith('AccessDenied')) {
      throw malformedPolicy('The new key policy will not allow you to update the key policy in the future.');
    }
    throw e;
  }
}

function checkPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== POLICY_NAME) throw notFound('No such policy exists');
}

export function getKeyPolicy(app: App, caller: KmsCaller, input: { KeyId: string; PolicyName?: string }) {
  const { key } = resolveKey(app, caller, input.KeyId, { aliases: false });
  authorizeChecks(app, caller, keyCheck(key, 'GetKeyPolicy'));
  checkPolicyName(input.PolicyName);
  return { Policy: key.Policy, PolicyName: POLICY_NAME };
}

export function putKeyPolicy(
  app: App,
  caller: KmsCaller,
  input: { KeyId: string; PolicyName?: string; Policy: string; BypassPolicyLockoutSafetyCheck?: boolean },
): void {
  const { key } = resolveKey(app, caller, input.KeyId, { aliases: false });
  const bypass = input.BypassPolicyLockoutSafetyCheck === true;
  authorizeChecks(app, caller, keyCheck(key, 'PutKeyPolicy', { 'kms:BypassPolicyLockoutSafetyCheck': bypass }));
  checkPolicyName(input.PolicyName);
  checkKeyPolicy(input.Policy);
  const updated: KeyDoc = { ...key, Policy: input.Policy };
  if (!bypass) checkLockout(app, caller, updated);
  saveKey(app.store, key, updated);
}

export function listKeyPolicies(app: App, caller: KmsCaller, input: PageInput & { KeyId: string }) {
  const { key } = resolveKey(app, caller, input.KeyId, { aliases: false });
  authorizeChecks(app, caller, keyCheck(key, 'ListKeyPolicies'));
  const page = pageArray([POLICY_NAME], input, 100, (n) => n);
  return { PolicyNames: page.items, Truncated: page.Truncated, NextMarker: page.NextMarker };
}
