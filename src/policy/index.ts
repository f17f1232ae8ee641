// Public surface of the policy engine: validate and compile documents when they are stored, evaluate
// requests against compiled policies, and word denials as AWS does.
import { Policy } from './compile.js';
import type { CompiledPolicy, PolicyType } from './types.js';

export type { PolicyType, CompiledPolicy, MatchedStatement, Decision, EvaluationInput } from './types.js';
export { MalformedPolicyError } from './errors.js';
export { evaluate } from './evaluate.js';
export { denialMessage } from './message.js';
export { policySize } from './document.js';
export { normalizeKey, normalizeContext } from './context-keys.js';
export { buildRequestContext, type RequestContextOptions } from './request-context.js';
export { actionExists, actionInfo, resourceArn, serviceExists, type ActionInfo } from './actions.js';

/** Throws MalformedPolicyError (AWS's MalformedPolicyDocument text) unless AWS would accept the document as a `type` policy. */
export function validatePolicy(text: string, type: PolicyType): void {
  compilePolicy(text, '', type);
}

/** Validates and compiles a document; do it once, when the policy is stored or attached. */
export function compilePolicy(text: string, id: string, type: PolicyType): CompiledPolicy {
  return new Policy(id, type, text);
}
