// Bool: "true"/"false", compared without regard to case.
import { plainMatcher, type OperatorDef } from './matcher.js';

const fold = (s: string) => s.toLowerCase();

export const boolOperators: Record<string, OperatorDef> = {
  Bool: { factory: (values) => plainMatcher(values, fold, (req, p) => fold(req) === p), negated: false },
};
