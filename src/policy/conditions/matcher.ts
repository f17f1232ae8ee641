// The contract between the condition evaluator and the operator families.
import type { NormalizedContext } from '../context-keys.js';

/** A compiled list of policy values for one operator. */
export interface ValueMatcher {
  /** Does the request value match at least one of the policy values? */
  test(value: string, ctx: NormalizedContext): boolean;
  /** False when a policy value holds a variable with no value; a negated operator then fails. */
  resolvable(ctx: NormalizedContext): boolean;
}

/** Builds a matcher from the policy values; `variables` is true for Version 2012-10-17 documents. */
export type MatcherFactory = (values: readonly string[], variables: boolean) => ValueMatcher;

/** One operator: its family's factory, and whether it is a negated (NOR) operator. */
export interface OperatorDef {
  readonly factory: MatcherFactory;
  readonly negated: boolean;
}

const always = () => true;

/** A matcher over values that never hold variables: a predicate on one parsed policy value. */
export function plainMatcher<T>(values: readonly string[], parse: (v: string) => T, eq: (req: string, p: T) => boolean): ValueMatcher {
  const parsed = values.map(parse);
  return {
    test(value) {
      for (let i = 0; i < parsed.length; i++) if (eq(value, parsed[i])) return true;
      return false;
    },
    resolvable: always,
  };
}
