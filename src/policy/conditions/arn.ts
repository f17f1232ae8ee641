// Arn operators: the six colon-separated parts of an ARN are matched one by one (a `*` never spans a colon),
// case-sensitively, with `*`/`?` wildcards in both ArnEquals and ArnLike, as AWS documents.
import { compileGlob, type Glob } from '../glob.js';
import { Template } from '../variables.js';
import type { NormalizedContext } from '../context-keys.js';
import type { OperatorDef, ValueMatcher } from './matcher.js';

/** Splits an ARN into its six parts (the resource part keeps its colons); undefined if not an ARN. */
export function arnParts(arn: string): string[] | undefined {
  const out: string[] = [];
  let from = 0;
  for (let k = 0; k < 5; k++) {
    const i = arn.indexOf(':', from);
    if (i < 0) return undefined;
    out.push(arn.slice(from, i));
    from = i + 1;
  }
  out.push(arn.slice(from));
  return out[0] === 'arn' ? out : undefined;
}

const compileParts = (text: string): Glob[] | undefined => arnParts(text)?.map(compileGlob);

function partsMatch(globs: Glob[] | undefined, req: string): boolean {
  if (!globs) return false;
  const parts = arnParts(req);
  if (!parts) return false;
  for (let i = 0; i < 6; i++) if (!globs[i].test(parts[i])) return false;
  return true;
}

function arn(values: readonly string[], variables: boolean): ValueMatcher {
  const ts = values.map((v) => Template.compile(v, variables, false));
  const fixed = ts.map((t) => (t.hasVariables ? null : compileParts(t.text!)));
  return {
    test(v: string, ctx: NormalizedContext) {
      for (let i = 0; i < ts.length; i++) {
        const f = fixed[i];
        if (f !== null) {
          if (partsMatch(f, v)) return true;
          continue;
        }
        const text = ts[i].resolveText(ctx);
        if (text !== undefined && partsMatch(compileParts(text), v)) return true;
      }
      return false;
    },
    resolvable: (ctx) => ts.every((t) => !t.hasVariables || t.resolveText(ctx) !== undefined),
  };
}

export const arnOperators: Record<string, OperatorDef> = {
  ArnEquals: { factory: arn, negated: false },
  ArnLike: { factory: arn, negated: false },
  ArnNotEquals: { factory: arn, negated: true },
  ArnNotLike: { factory: arn, negated: true },
};
