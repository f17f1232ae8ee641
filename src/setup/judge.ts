// Asks the policy engine the questions a live request would ask, for one principal, and keeps the
// decisions (with the statements that made them) instead of throwing AccessDenied as the gateway does:
// the setup assistant shows what decided, not just that something was refused.
import type { App, PrincipalPolicies } from '../app.js';
import type { AuthzQuery, ContextValues, Principal } from '../gateway/context.js';
import { decideQuery } from '../gateway/authorize.js';
import { denialMessage, type Decision, type MatchedStatement } from '../policy/index.js';
import { statementText } from '../policy/statement-positions.js';
import { policySources } from '../services/iam/simulate.js';

export interface Deciding {
  policy: string;
  statement?: string;
  json?: string;
}

export interface Verdict {
  readonly query: AuthzQuery;
  readonly decision: Decision;
  /** Allowed by the policies, or (implicitly denied and) allowed by a KMS grant, as the authoriser treats grants. */
  readonly allowed: boolean;
}

/** What a request carries that policies may test; services' own calls carry no source address and use TLS. */
export interface RequestTraits {
  sourceIp?: string;
  secure?: boolean;
  /** Keys every request of this principal carries (a service's aws:SourceAccount and aws:SourceArn). */
  context?: ContextValues;
}

export class Judge {
  private readonly policies: PrincipalPolicies;
  private texts?: Map<string, string>;
  readonly verdicts: Verdict[] = [];

  constructor(
    private readonly app: App,
    readonly principal: Principal,
    readonly region: string,
    readonly now: Date,
    private readonly traits: RequestTraits = {},
  ) {
    this.policies = app.principalPolicies(principal);
  }

  /** Decides one query as the gateway's authoriser does (same context keys, same policies). */
  decide(asked: AuthzQuery): Verdict {
    const { principal, policies } = this;
    const q = this.traits.context ? { ...asked, context: { ...asked.context, ...this.traits.context } } : asked;
    const decision = decideQuery(principal, policies, { ...this.traits, region: this.region, now: this.now }, q);
    const verdict = { query: q, decision, allowed: decision.decision === 'allowed' || (decision.decision === 'implicitDeny' && !!q.grantedBy) };
    this.verdicts.push(verdict);
    return verdict;
  }

  /** An authorize() for code that asks through one (S3's bucketQuery callers, KMS's authorizeChecks): records, never throws. */
  readonly authorize = (...queries: AuthzQuery[]): void => {
    for (const q of queries) this.decide(q);
  };

  /** AWS's wording of a refusal. */
  message(v: Verdict): string {
    return denialMessage(this.principal.arn, v.query.action, v.query.resource === '*' ? undefined : v.query.resource, v.decision);
  }

  /**
   * The statement that decided: the first denying one, or of the allowing ones the first that allows by
   * itself (a resource policy naming only an account delegates to IAM, which another statement then decides).
   */
  deciding(v: Verdict): Deciding | undefined {
    const shown = v.decision.matched.map((m) => this.describe(m, v.query));
    if (!shown.length) return v.allowed && v.query.grantedBy ? { policy: `KMS grant ${v.query.grantedBy}` } : undefined;
    return shown.find((d, i) => v.decision.decision !== 'allowed' || !namesAccountOnly(v.decision.matched[i], d)) ?? shown[0];
  }

  private describe(m: MatchedStatement, q: AuthzQuery): Deciding {
    const rp = q.resourcePolicy;
    const text = rp && m.policyType === rp.kind ? rp.text : this.identityText(m.policyId);
    const out: Deciding = { policy: policyLabel(m, q) };
    if (m.sid) out.statement = m.sid;
    if (text !== undefined) out.json = pretty(statementText(text, m));
    return out;
  }

  private identityText(id: string): string | undefined {
    if (!this.texts) {
      const s = policySources(this.app.store, this.principal);
      this.texts = new Map([...s.identity, ...(s.boundary ? [s.boundary] : []), ...(s.session ?? [])].map((p) => [p.policy.id, p.text]));
    }
    return this.texts.get(id);
  }
}

/** An allow added to some policy can turn a refusal around only when nothing denied explicitly and no boundary is in the way. */
export const fixable = (v: Verdict) => v.decision.decision === 'implicitDeny' && v.decision.deniedBy !== 'boundary';

/** Where a statement lives, as a person would look for it. */
function policyLabel(m: MatchedStatement, q: AuthzQuery): string {
  switch (m.policyType) {
    case 'trust': return `trust policy of role ${m.policyId.slice(m.policyId.lastIndexOf('/') + 1)}`;
    case 'key': return `key policy of ${m.policyId}`;
    case 'resource': return `bucket policy of s3://${q.resource.slice('arn:aws:s3:::'.length).split('/')[0]}`;
    case 'boundary': return `permissions boundary ${m.policyId}`;
    case 'session': return `session policy ${m.policyId}`;
    default: {
      if (m.policyId.startsWith('arn:')) return `managed policy ${m.policyId}`;
      const [type, entity, name] = m.policyId.split('/');
      return `inline policy ${name} of ${type} ${entity}`;
    }
  }
}

/** A resource policy statement whose principals are accounts only (`123456789012`, `arn:aws:iam::123456789012:root`). */
function namesAccountOnly(m: MatchedStatement, d: Deciding): boolean {
  if (m.policyType === 'identity' || m.policyType === 'boundary' || m.policyType === 'session' || !d.json) return false;
  let principal: unknown;
  try {
    principal = (JSON.parse(d.json) as { Principal?: unknown }).Principal;
  } catch {
    return false;
  }
  if (typeof principal !== 'object' || principal === null) return false;
  const entries = Object.entries(principal as Record<string, unknown>);
  return entries.length === 1 && entries[0][0] === 'AWS' &&
    [entries[0][1]].flat().every((a) => typeof a === 'string' && /^(\d{12}|arn:aws:iam::\d{12}:root)$/.test(a));
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
