// Numeric operators. A value that is not a number never matches.
import { plainMatcher, type OperatorDef } from './matcher.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
export const parseNumber = (s: string): number => (NUMBER.test(s.trim()) ? Number(s) : NaN);

function numeric(cmp: (a: number, b: number) => boolean): OperatorDef['factory'] {
  return (values) => plainMatcher(values, parseNumber, (req, p) => cmp(parseNumber(req), p));
}

const eq = numeric((a, b) => a === b);

export const numericOperators: Record<string, OperatorDef> = {
  NumericEquals: { factory: eq, negated: false },
  NumericNotEquals: { factory: eq, negated: true },
  NumericLessThan: { factory: numeric((a, b) => a < b), negated: false },
  NumericLessThanEquals: { factory: numeric((a, b) => a <= b), negated: false },
  NumericGreaterThan: { factory: numeric((a, b) => a > b), negated: false },
  NumericGreaterThanEquals: { factory: numeric((a, b) => a >= b), negated: false },
};
