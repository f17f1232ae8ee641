// A first syntax check of filter expressions: each `|`-separated part must be
// `INCLUDE|EXCLUDE ItemID|UserID|ActionID WHERE <Dataset>.<FIELD> <op> …`, with balanced quotes and
// parentheses. The full filter language (evaluation) is the runtime's.
import { invalidInput } from './errors.js';

/** Splits on `|` outside double-quoted strings; throws on an unterminated string or unbalanced parentheses. */
function splitParts(expr: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) break;
    else if (c === '|' && depth === 0) {
      parts.push(expr.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted || depth !== 0) throw invalidFilter(expr);
  parts.push(expr.slice(start));
  return parts;
}

const PART = /^\s*(INCLUDE|EXCLUDE)\s+(ItemID|UserID|ActionID)\s+WHERE\s+(Items|Interactions|Users|Actions|Action_Interactions)\.[A-Za-z_][A-Za-z0-9_]*\s*(=|<=|>=|<|>|IN|NOT\s+IN)\s*\S/i;

const invalidFilter = (expr: string) => invalidInput(`Invalid filter expression: ${expr}`);

export function checkFilterExpression(expr: string): void {
  for (const part of splitParts(expr)) if (!PART.test(part)) throw invalidFilter(expr);
}
