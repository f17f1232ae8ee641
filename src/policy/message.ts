// AWS's AccessDenied wording (IAM User Guide, "Troubleshoot access denied error messages"):
// `User: <arn> is not authorized to perform: <action> on resource: <arn> <reason>`.
import type { Decision, PolicyType } from './types.js';

const NOUN: Record<PolicyType, { implicit: string; explicit: string }> = {
  identity: { implicit: 'identity-based policy', explicit: 'an identity-based policy' },
  resource: { implicit: 'resource-based policy', explicit: 'a resource-based policy' },
  key: { implicit: 'resource-based policy', explicit: 'a resource-based policy' },
  boundary: { implicit: 'permissions boundary', explicit: 'a permissions boundary' },
  // "sessions policy" is AWS's own spelling in the explicit form.
  session: { implicit: 'session policy', explicit: 'a sessions policy' },
  trust: { implicit: 'role trust policy', explicit: 'the role trust policy' },
};

export function denialMessage(principalArn: string, action: string, resource: string | undefined, d: Decision): string {
  const head = `User: ${principalArn} is not authorized to perform: ${action}${resource === undefined ? '' : ` on resource: ${resource}`}`;
  if (d.decision === 'allowed' || !d.deniedBy) return head;
  const noun = NOUN[d.deniedBy];
  return d.decision === 'explicitDeny'
    ? `${head} with an explicit deny in ${noun.explicit}`
    : `${head} because no ${noun.implicit} allows the ${action} action`;
}
