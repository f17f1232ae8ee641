// The engine's public data shapes (re-exported by index.ts).
import type { Principal, ContextValues } from '../gateway/context.js';
import type { Position } from './json.js';

/** Where a policy came from, for explanations and denial wording. */
export type PolicyType = 'identity' | 'resource' | 'boundary' | 'session' | 'trust' | 'key';

export interface CompiledPolicy {
  readonly id: string;
  readonly type: PolicyType;
  /** `2012-10-17`, `2008-10-17`, or undefined when the document has no Version (2008 semantics). */
  readonly version: string | undefined;
  /** Number of statements in the document. */
  readonly statementCount: number;
  /** Context keys the document uses (condition keys and policy variables), as first written. */
  readonly contextKeys: readonly string[];
}

export interface MatchedStatement {
  policyId: string;
  policyType: PolicyType;
  statementIndex: number;
  sid?: string;
  /** Position of the statement in the document text (1-based line/column), for the simulator. */
  start: Position;
  end: Position;
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
  /** The resource's own policy: a bucket policy (`resource`), a role trust policy (`trust`) or a key policy (`key`). */
  resourcePolicy?: CompiledPolicy;
  resourceAccount: string;
  /** For AssumeRoleWithWebIdentity/SAML: the identity provider a `Federated` principal names. */
  federatedProvider?: string;
  /** For S3 requests signed by a canonical user: the id a `CanonicalUser` principal names. */
  canonicalUser?: string;
}
