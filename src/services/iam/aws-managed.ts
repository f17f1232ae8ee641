import type { MetadataStore } from '../../storage/metadata/store.js';
import type { RequestContext } from '../../gateway/context.js';
import { AwsError } from '../../shared/aws-error.js';
import { KIND, lower, type PolicyDoc, type PolicyVersionDoc } from './schema.js';
import { AWS_MANAGED_POLICIES } from './aws-managed-data.js';

/** A managed policy as IAM answers for it, whoever owns it; AWS managed ones are static data. */
export interface ManagedPolicy extends PolicyDoc {
  readonly awsManaged: boolean;
}

interface AwsEntry {
  policy: ManagedPolicy;
  /** The default version's document, as JSON text. */
  text: string;
}

const AWS_ARN_PREFIX = 'arn:aws:iam::aws:policy/';

/** AWS managed policies in the order ListPolicies gives them (by name). */
const AWS_ENTRIES: readonly AwsEntry[] = AWS_MANAGED_POLICIES.map((p) => ({
  policy: {
    PolicyName: p.PolicyName, PolicyId: p.PolicyId, Arn: `${AWS_ARN_PREFIX}${p.Path.slice(1)}${p.PolicyName}`, Path: p.Path,
    DefaultVersionId: p.DefaultVersionId, Description: p.Description, IsAttachable: true,
    CreateDate: p.CreateDate, UpdateDate: p.UpdateDate, Tags: [], awsManaged: true,
  },
  text: JSON.stringify(p.Document, null, 4),
})).sort((a, b) => (a.policy.PolicyName < b.policy.PolicyName ? -1 : 1));

const AWS_BY_ARN = new Map(AWS_ENTRIES.map((e) => [lower(e.policy.Arn), e]));

export const awsManagedPolicies = (): readonly ManagedPolicy[] => AWS_ENTRIES.map((e) => e.policy);

export const isAwsManagedArn = (arn: string) => arn.startsWith(AWS_ARN_PREFIX);

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[^/]+\/)*)([\w+=,.@-]+)$/;

/** Account, path and name of a managed policy ARN; undefined when the text is no policy ARN. */
export function parsePolicyArn(arn: string): { account: string; path: string; name: string } | undefined {
  const m = POLICY_ARN.exec(arn);
  return m ? { account: m[1], path: m[2], name: m[3] } : undefined;
}

/** The customer or AWS managed policy an ARN names, if it exists. */
export function findManagedPolicy(store: MetadataStore, arn: string): ManagedPolicy | undefined {
  const key = lower(arn);
  const aws = AWS_BY_ARN.get(key);
  if (aws) return aws.policy;
  const doc = store.get<PolicyDoc>(KIND.policy, key);
  return doc && { ...doc, awsManaged: false };
}

/** One version of a managed policy; AWS managed policies answer for their default version only. */
export function findPolicyVersion(store: MetadataStore, policy: ManagedPolicy, versionId: string): PolicyVersionDoc | undefined {
  if (!policy.awsManaged) return store.get<PolicyVersionDoc>(KIND.policyVersion, `${lower(policy.Arn)}|${versionId}`);
  if (versionId !== policy.DefaultVersionId) return undefined;
  const entry = AWS_BY_ARN.get(lower(policy.Arn))!;
  return { PolicyArn: policy.Arn, VersionId: versionId, Document: entry.text, IsDefaultVersion: true, CreateDate: policy.UpdateDate };
}

/** The document text of a policy's default version. */
export const defaultDocument = (store: MetadataStore, policy: ManagedPolicy): string | undefined =>
  findPolicyVersion(store, policy, policy.DefaultVersionId)?.Document;

/**
 * AWS managed policies belong to AWS's account: changing one is refused even to callers whose own
 * policies allow the action, because nothing on AWS's side grants it.
 */
export const awsManagedDenied = (ctx: RequestContext, action: string, arn: string) =>
  new AwsError('AccessDenied', `User: ${ctx.principal.arn} is not authorized to perform: ${action} on resource: policy ${arn} because no resource-based policy allows the ${action} action`, 403);
