// Why a document is rejected, and how the service that stores it words that. IAM (identity, boundary,
// session and trust policies), S3 (bucket policies, the `resource` type) and KMS (key policies) phrase
// the same problem differently.
import type { PolicyType } from './types.js';

/** Raised at write time for a document AWS would reject; message is AWS's MalformedPolicyDocument text. */
export class MalformedPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedPolicyDocument';
  }
}

export type Problem =
  | { kind: 'json' }
  | { kind: 'leadingSpace' }
  | { kind: 'syntax' }
  | { kind: 'unknownField'; field: string }
  | { kind: 'version' }
  | { kind: 'emptyStatement' }
  | { kind: 'missing'; field: 'Statement' | 'Effect' | 'Action' | 'Resource' | 'Principal' }
  | { kind: 'effect'; value: string }
  | { kind: 'sidChars' }
  | { kind: 'sidUnique' }
  | { kind: 'principalNotAllowed' }
  | { kind: 'prohibited'; field: string }
  | { kind: 'principal'; key: string; value: string }
  | { kind: 'actionVendor' }
  | { kind: 'conditionKey' }
  | { kind: 'actionColons' }
  | { kind: 'vendorWildcard' }
  | { kind: 'action' }
  | { kind: 'trustAction' }
  | { kind: 'resourceFormat'; value: string }
  | { kind: 'iamRegion'; value: string }
  | { kind: 'conditionType'; operator: string };

type Dialect = 'iam' | 's3' | 'kms';

const dialect = (type: PolicyType): Dialect => (type === 'resource' ? 's3' : type === 'key' ? 'kms' : 'iam');

const SYNTAX = 'Syntax errors in policy.';
const VENDOR = 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
const INVALID_ACTION = 'Policy has invalid action';

export function problemMessage(p: Problem, type: PolicyType): string {
  const d = dialect(type);
  switch (p.kind) {
    case 'json':
      return d === 's3' ? "Policies must be valid JSON and the first byte must be '{'" : 'This policy contains invalid Json';
    case 'leadingSpace':
      return d === 's3' ? "Policies must be valid JSON and the first byte must be '{'" : 'The policy failed legacy parsing';
    case 'syntax':
      return SYNTAX;
    case 'unknownField':
      return d === 's3' ? `Unknown field ${p.field}` : SYNTAX;
    case 'version':
      return 'The policy must contain a valid version string';
    case 'emptyStatement':
      return d === 's3' ? 'Could not parse the policy: Statement is empty!' : SYNTAX;
    case 'missing':
      if (p.field === 'Resource' && d !== 's3') return 'Policy statement must contain resources.';
      if (p.field === 'Action' && d !== 's3') return 'Policy statement must contain actions.';
      return `Missing required field ${p.field}`;
    case 'effect':
      return d === 's3' ? `Invalid effect: ${p.value}` : SYNTAX;
    case 'sidChars':
      return 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*';
    case 'sidUnique':
      return 'Statement IDs (SID) in a single policy must be unique.';
    case 'principalNotAllowed':
      return 'Policy document should not specify a principal.';
    case 'prohibited':
      return `Has prohibited field ${p.field}`;
    case 'principal':
      if (d === 's3') return 'Invalid principal in policy';
      if (d === 'kms') return 'Policy contains a statement with one or more invalid principals.';
      return `Invalid principal in policy: "${p.key}":"${p.value}"`;
    case 'conditionKey':
      return d === 's3' ? 'Policy has an invalid condition key' : VENDOR;
    case 'actionVendor':
      return d === 's3' ? INVALID_ACTION : VENDOR;
    case 'actionColons':
      return d === 's3' ? INVALID_ACTION : 'Actions/Condition can contain only one colon.';
    case 'vendorWildcard':
      return d === 's3' ? INVALID_ACTION : 'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards.';
    case 'action':
      return INVALID_ACTION;
    case 'trustAction':
      return 'AssumeRole policy may only specify STS AssumeRole actions.';
    case 'resourceFormat':
      return d === 's3' ? 'Policy has invalid resource' : `Resource ${p.value} must be in ARN format or "*".`;
    case 'iamRegion':
      return `IAM resource ${p.value} cannot contain region information.`;
    case 'conditionType':
      return `Invalid Condition type : ${p.operator}`;
  }
}

/** Throws the MalformedPolicyError for `p` in the wording of the service that stores a `type` policy. */
export function reject(p: Problem, type: PolicyType): never {
  throw new MalformedPolicyError(problemMessage(p, type));
}
