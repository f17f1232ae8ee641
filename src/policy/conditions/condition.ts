// A statement's Condition block compiled into tests: operators AND, keys AND, values OR (NOR when
// negated), with AWS's rules for absent keys, `…IfExists`, `ForAllValues:` and `ForAnyValue:`.
import { isObject, type JsonValue } from '../json.js';
import { normalizeKey, valueText, type NormalizedContext } from '../context-keys.js';
import type { OperatorDef, ValueMatcher } from './matcher.js';
import type { Problem } from '../errors.js';
import { Template } from '../variables.js';
import { stringOperators } from './string.js';
import { numericOperators } from './numeric.js';
import { dateOperators } from './date.js';
import { boolOperators } from './bool.js';
import { binaryOperators } from './binary.js';
import { ipOperators } from './ip.js';
import { arnOperators } from './arn.js';

const OPERATORS: Record<string, OperatorDef> = {
  ...stringOperators,
  ...numericOperators,
  ...dateOperators,
  ...boolOperators,
  ...binaryOperators,
  ...ipOperators,
  ...arnOperators,
};

type SetOp = 'all' | 'any' | null;

/** One (operator, key) pair of a Condition block. */
export interface ConditionTest {
  readonly operator: string;
  /** The key as written, then the keys its values' policy variables name (GetContextKeysFor…Policy). */
  readonly keys: readonly string[];
  test(ctx: NormalizedContext): boolean;
}

interface ParsedOperator {
  set: SetOp;
  ifExists: boolean;
  /** undefined for Null. */
  def: OperatorDef | undefined;
}

export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: SetOp = null;
  if (rest.startsWith('ForAllValues:')) set = 'all';
  else if (rest.startsWith('ForAnyValue:')) set = 'any';
  if (set) rest = rest.slice(rest.indexOf(':') + 1);
  if (rest === 'Null') return { set, ifExists: false, def: undefined };
  const ifExists = rest.endsWith('IfExists');
  const def = Object.hasOwn(OPERATORS, ifExists ? rest.slice(0, -8) : rest)
    ? OPERATORS[ifExists ? rest.slice(0, -8) : rest]
    : undefined;
  return def ? { set, ifExists, def } : undefined;
}

const KEY = /^[^:\s]+:\S/;

/** Compiles a Condition element; calls `fail` (which throws) for what AWS rejects. */
export function compileConditions(block: JsonValue, variables: boolean, fail: (p: Problem) => never): ConditionTest[] {
  if (!isObject(block)) fail({ kind: 'syntax' });
  const tests: ConditionTest[] = [];
  for (const operator of Object.keys(block)) {
    const op = parseOperator(operator);
    if (!op) fail({ kind: 'conditionType', operator });
    const keys = block[operator];
    if (!isObject(keys)) fail({ kind: 'syntax' });
    for (const key of Object.keys(keys)) {
      if (!KEY.test(key)) fail({ kind: 'conditionKey' });
      const values = conditionValues(keys[key], fail);
      const named = [key, ...(variables ? values.flatMap((v) => Template.compile(v, true, false).keys) : [])];
      tests.push(op.def ? valueTest(operator, key, named, op, op.def.factory(values, variables)) : nullTest(operator, key, named, values));
    }
  }
  return tests;
}

function conditionValues(v: JsonValue, fail: (p: Problem) => never): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    if (typeof x === 'string') return x;
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    return fail({ kind: 'syntax' });
  });
}

function nullTest(operator: string, key: string, named: string[], values: string[]): ConditionTest {
  const k = normalizeKey(key);
  const wantAbsent = values.map((v) => v.toLowerCase() === 'true');
  const wantPresent = values.map((v) => v.toLowerCase() === 'false');
  return {
    operator,
    keys: named,
    test(ctx) {
      const v = ctx[k];
      const absent = v === undefined || (Array.isArray(v) && v.length === 0);
      return absent ? wantAbsent.includes(true) : wantPresent.includes(true);
    },
  };
}

function valueTest(operator: string, key: string, named: string[], op: ParsedOperator, m: ValueMatcher): ConditionTest {
  const k = normalizeKey(key);
  const negated = op.def!.negated;
  const { set, ifExists } = op;
  // Per request value: does it satisfy the operator (for a negated one: match none of the policy values)?
  const one = (x: string | number | boolean, ctx: NormalizedContext) =>
    negated ? !m.test(valueText(x), ctx) : m.test(valueText(x), ctx);
  return {
    operator,
    keys: named,
    test(ctx) {
      const v = ctx[k];
      if (v === undefined || (Array.isArray(v) && v.length === 0)) {
        if (ifExists || set === 'all') return true;
        if (set === 'any') return false;
        // An absent key never matches, so a negated operator holds.
        return negated;
      }
      if (negated && !m.resolvable(ctx)) return false;
      if (!Array.isArray(v)) return one(v as string | number | boolean, ctx);
      if (set === 'all') return v.every((x) => one(x, ctx));
      if (set === 'any' || !negated) return v.some((x) => one(x, ctx));
      return v.every((x) => one(x, ctx));
    },
  };
}
