// Shared by the operator-family tests: decide one Condition block against a context.
import { compileConditions } from './condition.js';
import { normalizeContext } from '../context-keys.js';
import { MalformedPolicyError } from '../errors.js';
import type { ContextValues } from '../../gateway/context.js';
import type { JsonValue } from '../json.js';

export function holds(block: JsonValue, ctx: ContextValues, variables = true): boolean {
  const tests = compileConditions(block, variables, (p) => {
    throw new MalformedPolicyError(p.kind);
  });
  const n = normalizeContext(ctx);
  return tests.every((t) => t.test(n));
}

/** A row: operator, policy value(s), request value (undefined: key absent), expected result. */
export type Row = [string, string | string[], ContextValues[string], boolean];

export function rowName([op, pv, rv]: Row): string {
  return `${op} ${JSON.stringify(pv)} vs ${rv === undefined ? '(absent)' : JSON.stringify(rv)}`;
}
