// Public surface of the policy engine. PLACEHOLDER declarations until the engine lands; the engine
// owner replaces this file and keeps these names and signatures.
import type { Principal, ContextValues } from '../gateway/context.js';

/** Where a policy came from, for explanations and denial wording. */
export type PolicyType = 'identity' | 'resource' | 'boundary' | 'session' | 'trust' | 'key';

/** Raised at write time for a document AWS would reject; message is AWS's MalformedPolicyDocument text. */
export class MalformedPolicyError extends Error {}

export interface CompiledPolicy {
  readonly id: string;
  readonly type: PolicyType;
}

export interface MatchedStatement {
  policyId: string;
  policyType: PolicyType;
  statementIndex: number;
  sid?: string;
  /** Position of the statement in the document text (1-based line/column), for the simulator. */
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export interface Decision {
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  /** Statements that decided (the denying ones for explicitDeny, the allowing ones for allowed). */
  matched: MatchedStatement[];
  /** For a denial: the policy type AWS names in its message. */
  deniedBy?: PolicyType;
}

export interface EvaluationInput {
  principal: Principal;
  action: string;
  resource: string;
  context: ContextValues;
  identity: CompiledPolicy[];
  boundary?: CompiledPolicy;
  session?: CompiledPolicy[];
  resourcePolicy?: CompiledPolicy;
  resourceAccount: string;
}

export declare function validatePolicy(text: string, type: PolicyType): void;
export declare function compilePolicy(text: string, id: string, type: PolicyType): CompiledPolicy;
export declare function evaluate(input: EvaluationInput): Decision;
export declare function denialMessage(principalArn: string, action: string, resource: string | undefined, d: Decision): string;
