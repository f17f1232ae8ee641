// The AWS API request that applies a fix: what the console's "apply" sends through the SDK, and what
// a person types with the CLI. One place reads the targets the checks write.
import type { SetupCheck } from './check.js';

export interface FixRequest {
  service: 'iam' | 's3' | 'kms';
  /** The API operation (the SDK command without `Command`). */
  operation: string;
  input: Record<string, unknown>;
}

const ENTITY_KEY = { user: 'UserName', group: 'GroupName', role: 'RoleName' } as const;
const PUT_INLINE = { user: 'PutUserPolicy', group: 'PutGroupPolicy', role: 'PutRolePolicy' } as const;

/** The request a fix's target names, with the fix's JSON in it; undefined for a target this version does not write. */
export function fixRequest(fix: NonNullable<SetupCheck['fix']>): FixRequest | undefined {
  const { target, json } = fix;
  let m: RegExpExecArray | null;
  if ((m = /^inline policy (\S+) of (user|group|role) (\S+)$/.exec(target))) {
    const type = m[2] as keyof typeof ENTITY_KEY;
    return { service: 'iam', operation: PUT_INLINE[type], input: { [ENTITY_KEY[type]]: m[3], PolicyName: m[1], PolicyDocument: json } };
  }
  if ((m = /^managed policy (\S+) \(as its new default version\)$/.exec(target))) {
    return { service: 'iam', operation: 'CreatePolicyVersion', input: { PolicyArn: m[1], PolicyDocument: json, SetAsDefault: true } };
  }
  if ((m = /^trust policy of role (\S+)$/.exec(target))) {
    return { service: 'iam', operation: 'UpdateAssumeRolePolicy', input: { RoleName: m[1], PolicyDocument: json } };
  }
  if ((m = /^bucket policy of s3:\/\/(\S+)$/.exec(target))) {
    return { service: 's3', operation: 'PutBucketPolicy', input: { Bucket: m[1], Policy: json } };
  }
  if ((m = /^key policy of (\S+)$/.exec(target))) {
    return { service: 'kms', operation: 'PutKeyPolicy', input: { KeyId: m[1], PolicyName: 'default', Policy: json } };
  }
  if (/^EnableKey request for key \S+$/.test(target)) {
    return { service: 'kms', operation: 'EnableKey', input: JSON.parse(json) as Record<string, unknown> };
  }
  return undefined;
}
