// String operators: exact, case-insensitive and wildcard comparisons; values may hold policy variables.
import { Template } from '../variables.js';
import type { NormalizedContext } from '../context-keys.js';
import type { OperatorDef, ValueMatcher } from './matcher.js';

function templates(values: readonly string[], variables: boolean, wildcards: boolean): Template[] {
  return values.map((v) => Template.compile(v, variables, wildcards));
}

function resolvable(ts: readonly Template[], ctx: NormalizedContext): boolean {
  for (const t of ts) if (t.hasVariables && t.resolveText(ctx) === undefined) return false;
  return true;
}

function equals(values: readonly string[], variables: boolean, fold: boolean): ValueMatcher {
  const ts = templates(values, variables, false);
  const fixed = ts.every((t) => !t.hasVariables);
  if (fixed) {
    // The common case (no variables): one Set lookup.
    const set = new Set(values.map((v) => (fold ? v.toLowerCase() : v)));
    return { test: (v) => set.has(fold ? v.toLowerCase() : v), resolvable: () => true };
  }
  return {
    test(v, ctx) {
      const req = fold ? v.toLowerCase() : v;
      for (const t of ts) {
        const p = t.resolveText(ctx);
        if (p !== undefined && (fold ? p.toLowerCase() : p) === req) return true;
      }
      return false;
    },
    resolvable: (ctx) => resolvable(ts, ctx),
  };
}

function like(values: readonly string[], variables: boolean): ValueMatcher {
  const ts = templates(values, variables, true);
  return {
    test(v, ctx) {
      for (const t of ts) {
        const g = t.resolveGlob(ctx);
        if (g && g.test(v)) return true;
      }
      return false;
    },
    resolvable: (ctx) => resolvable(ts, ctx),
  };
}

export const stringOperators: Record<string, OperatorDef> = {
  StringEquals: { factory: (v, x) => equals(v, x, false), negated: false },
  StringNotEquals: { factory: (v, x) => equals(v, x, false), negated: true },
  StringEqualsIgnoreCase: { factory: (v, x) => equals(v, x, true), negated: false },
  StringNotEqualsIgnoreCase: { factory: (v, x) => equals(v, x, true), negated: true },
  StringLike: { factory: like, negated: false },
  StringNotLike: { factory: like, negated: true },
};
