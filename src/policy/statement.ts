// One statement, validated and compiled: action/resource matchers, principal matcher, condition tests.
import { compileGlob, type Glob } from './glob.js';
import type { JsonObject, JsonValue } from './json.js';
import { Template } from './variables.js';
import { arnParts } from './conditions/arn.js';
import { compileConditions, type ConditionTest } from './conditions/condition.js';
import { compilePrincipal, type PrincipalMatcher } from './principal.js';
import type { NormalizedContext } from './context-keys.js';
import type { Problem } from './errors.js';
import type { PolicyType } from './types.js';

/** Matches lower-case `service:name` action names. */
export class ActionMatcher {
  constructor(
    readonly not: boolean,
    readonly any: boolean,
    readonly exact: ReadonlySet<string>,
    readonly globs: readonly Glob[],
    /** Lower-case service prefixes of the other wildcard patterns (for the policy's action index). */
    readonly globServices: ReadonlySet<string>,
    /** Services named whole (`s3:*`). */
    readonly wholeServices: ReadonlySet<string>,
  ) {}

  test(action: string): boolean {
    let hit = this.any || this.exact.has(action);
    if (!hit && this.wholeServices.size > 0) hit = this.wholeServices.has(action.slice(0, action.indexOf(':')));
    for (let i = 0; !hit && i < this.globs.length; i++) hit = this.globs[i].test(action);
    return hit !== this.not;
  }
}

/** Matches resource ARNs (case-sensitive), with policy variables resolved per request. */
export class ResourceMatcher {
  constructor(
    readonly not: boolean,
    private readonly fixed: readonly Glob[],
    private readonly variable: readonly Template[],
  ) {}

  /** Context keys named by the element's policy variables. */
  get keys(): string[] {
    return this.variable.flatMap((t) => t.keys);
  }

  test(resource: string, ctx: NormalizedContext): boolean {
    const fixed = this.fixed;
    for (let i = 0; i < fixed.length; i++) if (fixed[i].test(resource)) return !this.not;
    for (const t of this.variable) {
      // A resource without the literal lead cannot match, whatever the variables hold.
      if (!this.not && !resource.startsWith(t.prefix)) continue;
      const g = t.resolveGlob(ctx);
      if (!g) {
        // A variable with no value and no default: this entry matches nothing, and a NotResource
        // element holding it does not match either.
        if (this.not) return false;
        continue;
      }
      if (g.test(resource)) return !this.not;
    }
    return this.not;
  }
}

export interface CompiledStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly deny: boolean;
  readonly actions: ActionMatcher;
  /** null: the statement has no Resource element (role trust policies). */
  readonly resources: ResourceMatcher | null;
  /** null: identity-side policies, which name no principal. */
  readonly principal: PrincipalMatcher | null;
  readonly conditions: readonly ConditionTest[];
}

const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const SID_CHARS = /^[0-9A-Za-z]*$/;
const SERVICE = /^[A-Za-z0-9-]+$/;
const ACTION_NAME = /^[A-Za-z0-9_*?-]+$/;

const identitySide = (t: PolicyType) => t === 'identity' || t === 'boundary' || t === 'session';
const iamDialect = (t: PolicyType) => identitySide(t) || t === 'trust';

export function compileStatement(
  st: JsonObject,
  index: number,
  type: PolicyType,
  variables: boolean,
  fail: (p: Problem) => never,
): CompiledStatement {
  for (const k of Object.keys(st)) if (!STATEMENT_FIELDS.has(k)) fail({ kind: 'unknownField', field: k });
  const sid = st.Sid;
  if (sid !== undefined && typeof sid !== 'string') fail({ kind: 'syntax' });
  if (sid !== undefined && iamDialect(type) && !SID_CHARS.test(sid)) fail({ kind: 'sidChars' });
  const effect = st.Effect;
  if (effect === undefined) fail({ kind: 'missing', field: 'Effect' });
  if (typeof effect !== 'string') fail({ kind: 'syntax' });
  if (effect !== 'Allow' && effect !== 'Deny') fail({ kind: 'effect', value: effect });

  const principalValue = one(st, 'Principal', 'NotPrincipal', fail);
  let principal: PrincipalMatcher | null = null;
  if (identitySide(type)) {
    if (principalValue) fail({ kind: 'principalNotAllowed' });
  } else {
    if (!principalValue) fail({ kind: 'missing', field: 'Principal' });
    principal = compilePrincipal(principalValue.value, principalValue.not, fail);
  }

  const actionValue = one(st, 'Action', 'NotAction', fail);
  if (!actionValue) fail({ kind: 'missing', field: 'Action' });
  const actions = compileActions(strings(actionValue.value, fail), actionValue.not, type, fail);
  if (actions === null) fail({ kind: 'missing', field: 'Action' });

  const resourceValue = one(st, 'Resource', 'NotResource', fail);
  let resources: ResourceMatcher | null = null;
  if (type === 'trust') {
    if (resourceValue) fail({ kind: 'prohibited', field: resourceValue.not ? 'NotResource' : 'Resource' });
  } else {
    if (!resourceValue) fail({ kind: 'missing', field: 'Resource' });
    const list = strings(resourceValue.value, fail);
    if (list.length === 0) fail({ kind: 'missing', field: 'Resource' });
    resources = compileResources(list, resourceValue.not, type, variables, fail);
  }

  const conditions = st.Condition === undefined ? [] : compileConditions(st.Condition, variables, fail);
  return { index, sid, deny: effect === 'Deny', actions, resources, principal, conditions };
}

/** The element named `pos` or `neg` (never both). */
function one(st: JsonObject, pos: string, neg: string, fail: (p: Problem) => never): { value: JsonValue; not: boolean } | undefined {
  const a = st[pos];
  const b = st[neg];
  if (a !== undefined && b !== undefined) fail({ kind: 'syntax' });
  if (a !== undefined) return { value: a, not: false };
  if (b !== undefined) return { value: b, not: true };
  return undefined;
}

function strings(v: JsonValue, fail: (p: Problem) => never): string[] {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) fail({ kind: 'syntax' });
  return v.map((x) => (typeof x === 'string' ? x : fail({ kind: 'syntax' })));
}

function compileActions(list: string[], not: boolean, type: PolicyType, fail: (p: Problem) => never): ActionMatcher | null {
  if (list.length === 0) return null;
  let any = false;
  const exact = new Set<string>();
  const globs: Glob[] = [];
  const globServices = new Set<string>();
  const wholeServices = new Set<string>();
  for (const raw of list) {
    if (raw === '*') {
      any = true;
      continue;
    }
    const parts = raw.split(':');
    if (parts.length < 2) fail({ kind: 'actionVendor' });
    if (parts.length > 2) fail({ kind: 'actionColons' });
    const [service, name] = parts;
    if (/[*?]/.test(service)) fail({ kind: 'vendorWildcard' });
    if (!SERVICE.test(service) || !ACTION_NAME.test(name)) fail({ kind: 'action' });
    if (type === 'trust' && service.toLowerCase() !== 'sts') fail({ kind: 'trustAction' });
    const lower = raw.toLowerCase();
    if (name === '*') wholeServices.add(service.toLowerCase());
    else if (/[*?]/.test(name)) {
      globs.push(compileGlob(lower));
      globServices.add(service.toLowerCase());
    } else exact.add(lower);
  }
  return new ActionMatcher(not, any, exact, globs, globServices, wholeServices);
}

function compileResources(list: string[], not: boolean, type: PolicyType, variables: boolean, fail: (p: Problem) => never): ResourceMatcher {
  const fixed: Glob[] = [];
  const variable: Template[] = [];
  for (const r of list) {
    if (r !== '*') {
      const parts = arnParts(r);
      if (!parts) fail({ kind: 'resourceFormat', value: r });
      if (iamDialect(type) && parts[2] === 'iam' && parts[3] !== '') fail({ kind: 'iamRegion', value: r });
    }
    const t = Template.compile(r, variables, true);
    if (t.hasVariables) variable.push(t);
    else fixed.push(t.glob!);
  }
  return new ResourceMatcher(not, fixed, variable);
}
