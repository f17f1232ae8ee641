// The IAM policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy): every action against every
// resource, decided by the engine and reported in the API's EvaluationResult shape. The simulator is
// a debugging tool, not a hot path: it favours complete answers (per-policy-type details) over speed.
import type { ContextValues, Principal } from '../gateway/context.js';
import type { Span } from './json.js';
import { compilePolicy, evaluate } from './index.js';
import type { CompiledPolicy, Decision, EvaluationInput, MatchedStatement } from './types.js';
import { simulatorPositions } from './statement-positions.js';

export type EvalDecision = Decision['decision'];

/** A policy taking part in a simulation, with what the simulator reports about where it came from. */
export interface SimulationPolicy {
  readonly policy: CompiledPolicy;
  readonly text: string;
  /** SourcePolicyId: `PolicyInputList.1`, `ResourcePolicy`, a managed policy's name, `user_alice_Inline`… */
  readonly sourceId: string;
  /** SourcePolicyType as AWS's simulator fills it in practice (`IAM Policy`, `Resource Policy`). */
  readonly sourceType: string;
}

export interface Simulation {
  /** The simulated caller; its account decides what is cross-account. */
  principal: Principal;
  identity: readonly SimulationPolicy[];
  boundary?: SimulationPolicy;
  resourcePolicy?: SimulationPolicy;
  /** Account owning resources whose ARN names none (ResourceOwner); defaults to the caller's. */
  resourceOwner?: string;
  /** Only what the request supplied (ContextEntries): the simulator gathers no keys of its own. */
  context: ContextValues;
  /** Context keys the policies refer to that the context lacks (MissingContextValues). */
  missing: string[];
}

export interface StatementRef {
  SourcePolicyId: string;
  SourcePolicyType: string;
  StartPosition?: { Line: number; Column: number };
  EndPosition?: { Line: number; Column: number };
}

interface Common {
  MatchedStatements: StatementRef[];
  MissingContextValues?: string[];
  EvalDecisionDetails?: Record<string, EvalDecision>;
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
}

export interface ResourceSpecificResult extends Common {
  EvalResourceName: string;
  EvalResourceDecision: EvalDecision;
}

export interface EvaluationResult extends Common {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: EvalDecision;
  ResourceSpecificResults?: ResourceSpecificResult[];
}

/** Identity side that allows everything: isolates what a boundary or a resource policy decides alone. */
const ALLOW_ALL = compilePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'simulator', 'identity');

const RANK: Record<EvalDecision, number> = { allowed: 0, implicitDeny: 1, explicitDeny: 2 };
const stricter = (a: EvalDecision, b: EvalDecision) => (RANK[b] > RANK[a] ? b : a);

/** A simulation ready to run: compiled lists and each policy's statement positions, built once. */
export class Simulator {
  private readonly identity: CompiledPolicy[];
  private readonly sources = new Map<string, { policy: SimulationPolicy; positions?: Span[] }>();

  constructor(private readonly sim: Simulation) {
    this.identity = sim.identity.map((p) => p.policy);
    for (const p of [...sim.identity, sim.boundary, sim.resourcePolicy]) {
      if (p) this.sources.set(sourceKey(p.policy), { policy: p });
    }
  }

  /**
   * One EvaluationResult for an action: the most restrictive decision over the resources (`*` when the
   * request named none), with a ResourceSpecificResult per named resource.
   */
  action(action: string, resourceArns: readonly string[] | undefined): EvaluationResult {
    const named = resourceArns !== undefined && resourceArns.length > 0;
    const per = (named ? resourceArns : ['*']).map((r) => this.resource(action, r));
    let decision: EvalDecision = 'allowed';
    for (const r of per) decision = stricter(decision, r.EvalResourceDecision);
    const deciding = per.filter((r) => r.EvalResourceDecision === decision);
    const result: EvaluationResult = {
      EvalActionName: action,
      EvalResourceName: deciding[0].EvalResourceName,
      EvalDecision: decision,
      MatchedStatements: unique(deciding.flatMap((r) => r.MatchedStatements)),
      MissingContextValues: this.sim.missing,
    };
    const details = per.filter((r) => r.EvalDecisionDetails).map((r) => r.EvalDecisionDetails!);
    // AWS: filled for cross-account simulations; empty for a same-account one naming resources; absent for `*`.
    if (details.length > 0) result.EvalDecisionDetails = mergeDetails(details);
    else if (named) result.EvalDecisionDetails = {};
    if (this.sim.boundary) {
      result.PermissionsBoundaryDecisionDetail = {
        AllowedByPermissionsBoundary: per.every((r) => r.PermissionsBoundaryDecisionDetail!.AllowedByPermissionsBoundary),
      };
    }
    if (named) result.ResourceSpecificResults = per;
    return result;
  }

  private resource(action: string, resource: string): ResourceSpecificResult {
    const { principal, context, boundary, resourcePolicy } = this.sim;
    const resourceAccount = accountOf(resource) ?? this.sim.resourceOwner ?? principal.accountId;
    const base = { principal, action, resource, context, resourceAccount };
    const run = (extra: Pick<EvaluationInput, 'identity' | 'boundary' | 'resourcePolicy'> & { resourceAccount?: string }) =>
      evaluate({ ...base, ...extra });
    const d = run({ identity: this.identity, boundary: boundary?.policy, resourcePolicy: resourcePolicy?.policy });
    const out: ResourceSpecificResult = {
      EvalResourceName: resource,
      EvalResourceDecision: d.decision,
      MatchedStatements: unique(d.matched.map((m) => this.ref(m))),
    };
    if (this.sim.missing.length > 0) out.MissingContextValues = this.sim.missing;
    if (resourceAccount !== principal.accountId) {
      out.EvalDecisionDetails = {
        'IAM Policy': run({ identity: this.identity, boundary: boundary?.policy, resourceAccount: principal.accountId }).decision,
        'Resource Policy': resourcePolicy ? run({ identity: [ALLOW_ALL], resourcePolicy: resourcePolicy.policy }).decision : 'implicitDeny',
      };
    }
    if (boundary) {
      const b = run({ identity: [ALLOW_ALL], boundary: boundary.policy, resourceAccount: principal.accountId });
      out.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: b.decision === 'allowed' };
    }
    return out;
  }

  private ref(m: MatchedStatement): StatementRef {
    const entry = this.sources.get(`${m.policyType}\n${m.policyId}`);
    if (!entry) return { SourcePolicyId: m.policyId, SourcePolicyType: 'IAM Policy' };
    entry.positions ??= simulatorPositions(entry.policy.text);
    const span = entry.positions[m.statementIndex];
    const ref: StatementRef = { SourcePolicyId: entry.policy.sourceId, SourcePolicyType: entry.policy.sourceType };
    if (span) {
      ref.StartPosition = { Line: span.start.line, Column: span.start.column };
      ref.EndPosition = { Line: span.end.line, Column: span.end.column };
    }
    return ref;
  }
}

const sourceKey = (p: CompiledPolicy) => `${p.type}\n${p.id}`;

/** The account field of an ARN, when it holds one (S3 ARNs, `*` and the like name none). */
function accountOf(resource: string): string | undefined {
  const account = resource.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/** The same statement matched twice (a policy attached to the user and to a group) is reported once. */
function unique(refs: StatementRef[]): StatementRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = JSON.stringify(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function mergeDetails(all: Record<string, EvalDecision>[]): Record<string, EvalDecision> {
  const out: Record<string, EvalDecision> = {};
  for (const d of all) for (const [k, v] of Object.entries(d)) out[k] = out[k] === undefined ? v : stricter(out[k], v);
  return out;
}
