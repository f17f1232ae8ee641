// AWS's evaluation order (IAM User Guide, "Policy evaluation logic"): an explicit deny in any policy wins;
// within an account identity-based and resource-based allows are a union; a permissions boundary and
// session policies intersect, except where a resource-based policy names the caller directly (see
// Naming); across accounts both sides must allow; role trust policies and KMS key policies must
// themselves allow; the root user needs no identity policy.
import { normalizeContext, type NormalizedContext } from './context-keys.js';
import { Naming, type Caller } from './principal.js';
import type { Policy } from './compile.js';
import type { CompiledStatement } from './statement.js';
import type { Decision, EvaluationInput, MatchedStatement, PolicyType } from './types.js';

const ALLOW = 1;
const DENY = 2;

/** Per-decision scratch state; decisions are synchronous, so one instance is reused. */
const req = {
  action: '',
  resource: '',
  ctx: {} as NormalizedContext,
  caller: {} as Caller,
  /** Strongest principal naming among matching Allow statements of the policy being scanned. */
  naming: Naming.None,
  denies: [] as MatchedStatement[],
  allows: [] as MatchedStatement[],
};

export function evaluate(input: EvaluationInput): Decision {
  const action = input.action.toLowerCase();
  const service = action.slice(0, action.indexOf(':'));
  req.action = action;
  req.resource = input.resource;
  req.ctx = normalizeContext(input.context);
  req.caller = input;
  req.denies.length = 0;
  req.allows.length = 0;

  const p = input.principal;
  const root = p.type === 'root';
  const svc = p.type === 'service';
  const hasIdentity = !root && !svc;

  let identity = 0;
  let boundary = ALLOW;
  let session = ALLOW;
  if (hasIdentity) {
    for (const pol of input.identity) identity |= scan(pol as Policy, service);
    if (input.boundary) boundary = scan(input.boundary as Policy, service);
    if (input.session && input.session.length > 0) {
      session = 0;
      for (const pol of input.session) session |= scan(pol as Policy, service);
    }
  }
  const rp = input.resourcePolicy;
  const kind: PolicyType = rp ? rp.type : 'resource';
  let resource = 0;
  req.naming = Naming.None;
  if (rp) resource = scan(rp as Policy, service);
  // (scan() raised it; read it back through the wider type.)
  const naming = req.naming as Naming;

  if ((identity | boundary | session | resource) & DENY) {
    const by: PolicyType =
      identity & DENY ? 'identity' : resource & DENY ? kind : boundary & DENY ? 'boundary' : 'session';
    return { decision: 'explicitDeny', matched: req.denies.slice(), deniedBy: by };
  }

  const idAllow = root || (hasIdentity && (identity & ALLOW) !== 0);
  const bOk = (boundary & ALLOW) !== 0;
  const sOk = (session & ALLOW) !== 0;
  const same = p.accountId === input.resourceAccount;
  // Within the account a resource-side grant stands alone, limited as its naming says (see Naming).
  const resourceGrant =
    same && (naming === Naming.Direct || (naming === Naming.User && sOk) || (naming === Naming.Grant && bOk && sOk));
  const identitySide = idAllow && bOk && sOk;
  const mustAllow = kind === 'trust' || kind === 'key' || svc;

  let allowed: boolean;
  if (svc) allowed = naming >= Naming.Grant;
  else if (mustAllow && naming === Naming.None) allowed = false;
  else if (same) allowed = identitySide || resourceGrant;
  else allowed = identitySide && naming >= Naming.Account;
  if (allowed) return { decision: 'allowed', matched: req.allows.slice() };

  let by: PolicyType;
  if (svc || (mustAllow && naming === Naming.None)) by = kind;
  else if (!idAllow && !(same && naming >= Naming.Grant)) by = 'identity';
  else if (!bOk && (idAllow || naming === Naming.Grant)) by = 'boundary';
  else if (!sOk) by = 'session';
  else by = kind;
  return { decision: 'implicitDeny', matched: [], deniedBy: by };
}

/** Evaluates the statements of `pol` that can match the action; returns ALLOW/DENY flags. */
function scan(pol: Policy, service: string): number {
  let flags = 0;
  flags |= scanList(pol, pol.global, true);
  const idx = pol.service(service);
  if (idx) {
    if (idx.all.length) flags |= scanList(pol, idx.all, false);
    if (idx.scan.length) flags |= scanList(pol, idx.scan, true);
    const exact = idx.exact.get(req.action);
    if (exact) flags |= scanList(pol, exact, false);
  }
  return flags;
}

function scanList(pol: Policy, list: readonly CompiledStatement[], checkAction: boolean): number {
  let flags = 0;
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (checkAction && !s.actions.test(req.action)) continue;
    if (s.resources !== null && !s.resources.test(req.resource, req.ctx)) continue;
    let naming = Naming.None;
    if (s.principal !== null) {
      naming = s.principal.naming(req.caller);
      if (naming === Naming.None) continue;
    }
    if (!conditionsHold(s)) continue;
    if (s.deny) {
      flags |= DENY;
      req.denies.push(pol.explanations[s.index]);
    } else {
      flags |= ALLOW;
      req.allows.push(pol.explanations[s.index]);
      if (naming > req.naming) req.naming = naming;
    }
  }
  return flags;
}

function conditionsHold(s: CompiledStatement): boolean {
  const c = s.conditions;
  for (let i = 0; i < c.length; i++) if (!c[i].test(req.ctx)) return false;
  return true;
}
