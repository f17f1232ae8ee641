import { AwsError } from '../../shared/aws-error.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import { KIND, type PolicyDoc, type PolicyVersionDoc } from '../iam/schema.js';
import { MalformedPolicyError, validatePolicy } from '../../policy/index.js';

/** STS packs session policies and tags into the token; AWS reports the result as a share of this budget. */
const PACKED_BUDGET = 2048;

/**
 * The session policies of AssumeRole / GetFederationToken: the inline `Policy` and the managed
 * policies named by `PolicyArns`, as document texts, with PackedPolicySize as a percentage.
 */
export function sessionPolicyTexts(store: MetadataStore, inline: string | undefined, arns: { arn?: string }[] | undefined) {
  const texts: string[] = [];
  if (inline !== undefined) {
    try {
      validatePolicy(inline, 'session');
    } catch (e) {
      if (e instanceof MalformedPolicyError) throw new AwsError('MalformedPolicyDocument', e.message, 400);
      throw e;
    }
    texts.push(inline);
  }
  for (const { arn } of arns ?? []) {
    const policy = arn ? store.get<PolicyDoc>(KIND.policy, arn.toLowerCase()) : undefined;
    const version = policy && store.get<PolicyVersionDoc>(KIND.policyVersion, `${arn!.toLowerCase()}|${policy.DefaultVersionId}`);
    if (!version) throw new AwsError('InvalidParameterValue', `Policy ${arn} does not exist or is not attachable.`, 400);
    texts.push(version.Document);
  }
  const packed = (inline ?? '').replace(/\s+/g, '').length + (arns ?? []).reduce((n, a) => n + (a.arn?.length ?? 0), 0);
  const packedPercent = Math.ceil((packed / PACKED_BUDGET) * 100);
  if (packedPercent > 100) {
    throw new AwsError('PackedPolicyTooLarge', `Packed size of consumed sessions policies and session tags exceeds 2048 characters by ${packed - PACKED_BUDGET}.`, 400);
  }
  return { texts, packedPercent };
}
