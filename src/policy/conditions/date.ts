// Date operators. Values are ISO 8601 dates/times or epoch seconds (aws:EpochTime), compared as instants.
import { plainMatcher, type OperatorDef } from './matcher.js';

const EPOCH = /^\d+$/;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch, or NaN for text that is not a date. */
export function parseDate(s: string): number {
  const t = s.trim();
  if (EPOCH.test(t)) return Number(t) * 1000;
  if (!ISO.test(t)) return NaN;
  // A date or time without a zone is UTC in AWS.
  const zoned = t.length > 10 && !/(?:Z|[+-]\d{2}:?\d{2})$/.test(t) ? `${t}Z` : t;
  return Date.parse(zoned.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

function date(cmp: (a: number, b: number) => boolean): OperatorDef['factory'] {
  return (values) => plainMatcher(values, parseDate, (req, p) => cmp(parseDate(req), p));
}

const eq = date((a, b) => a === b);

export const dateOperators: Record<string, OperatorDef> = {
  DateEquals: { factory: eq, negated: false },
  DateNotEquals: { factory: eq, negated: true },
  DateLessThan: { factory: date((a, b) => a < b), negated: false },
  DateLessThanEquals: { factory: date((a, b) => a <= b), negated: false },
  DateGreaterThan: { factory: date((a, b) => a > b), negated: false },
  DateGreaterThanEquals: { factory: date((a, b) => a >= b), negated: false },
};
