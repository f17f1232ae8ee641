import { AwsError } from '../shared/aws-error.js';
import type { App, PrincipalPolicies } from '../app.js';
import type { AuthzQuery, Principal } from './context.js';
import type { HttpRequest, ProtocolName } from '../protocol/types.js';
import { compilePolicy, denialMessage, evaluate, type CompiledPolicy, type Decision } from '../policy/index.js';
import { buildRequestContext } from '../policy/request-context.js';

/** The AccessDenied error each protocol family answers with (no AWS model declares it). */
export function accessDenied(protocol: ProtocolName, message: string): AwsError {
  return protocol === 'awsQuery' || protocol === 'restXml'
    ? new AwsError('AccessDenied', message, 403)
    : new AwsError('AccessDeniedException', message, 400);
}

/** Resource policies (trust, key, bucket) are compiled once per text and reused. */
const resourcePolicies = new Map<string, CompiledPolicy>();
const MAX_CACHED_RESOURCE_POLICIES = 10_000;

function compiledResourcePolicy(p: NonNullable<AuthzQuery['resourcePolicy']>): CompiledPolicy {
  const key = `${p.kind}\u0000${p.id}\u0000${p.text}`;
  let c = resourcePolicies.get(key);
  if (!c) {
    if (resourcePolicies.size >= MAX_CACHED_RESOURCE_POLICIES) resourcePolicies.clear();
    c = compilePolicy(p.text, p.id, p.kind);
    resourcePolicies.set(key, c);
  }
  return c;
}

/** Where and when a request was made: what policies may test besides the query itself. */
export interface RequestTraits {
  sourceIp?: string;
  secure?: boolean;
  region: string;
  now: Date;
}

/** The engine's decision on one query for a principal with the given policies. */
export function decideQuery(principal: Principal, policies: PrincipalPolicies, traits: RequestTraits, q: AuthzQuery): Decision {
  const context = buildRequestContext({
    principal,
    principalTags: policies.tags,
    sourceIp: traits.sourceIp,
    secureTransport: traits.secure,
    region: traits.region,
    now: traits.now,
    resourceTags: q.resourceTags,
    extra: q.context,
  });
  return evaluate({
    principal,
    action: q.action,
    resource: q.resource,
    context,
    identity: policies.identity,
    boundary: policies.boundary,
    session: policies.session,
    resourcePolicy: q.resourcePolicy ? compiledResourcePolicy(q.resourcePolicy) : undefined,
    resourceAccount: q.resourceAccount ?? principal.accountId,
  });
}

/** Decides each query with the policy engine; the first denial throws the service's AccessDenied. */
export function authorizeQueries(
  app: App,
  principal: Principal,
  req: HttpRequest,
  protocol: ProtocolName,
  region: string,
  now: Date,
  queries: AuthzQuery[],
): void {
  const policies = app.principalPolicies(principal);
  const traits = { sourceIp: req.sourceIp, secure: req.secure, region, now };
  for (const q of queries) {
    const decision = decideQuery(principal, policies, traits, q);
    if (decision.decision === 'implicitDeny' && q.grantedBy) continue;
    if (decision.decision !== 'allowed') {
      throw accessDenied(protocol, denialMessage(principal.arn, q.action, q.resource === '*' ? undefined : q.resource, decision));
    }
  }
}
