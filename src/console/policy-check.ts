import { isObject, JsonSyntaxError, parseJson, type JsonValue, type Span } from '../policy/json.js';
import { MalformedPolicyError, validatePolicy, type PolicyType } from '../policy/index.js';

export type PolicyCheck = { valid: true } | { valid: false; message: string; line: number; column: number };

const TYPES: PolicyType[] = ['identity', 'trust', 'resource', 'key'];
export const isPolicyType = (t: unknown): t is PolicyType => TYPES.includes(t as PolicyType);

/**
 * The policy engine's verdict on a document being typed, with where the problem is: the exact place
 * of a JSON syntax error, else the start of the first statement that fails on its own, else line 1.
 */
export function checkPolicy(text: string, type: PolicyType): PolicyCheck {
  try {
    validatePolicy(text, type);
    return { valid: true };
  } catch (e) {
    if (!(e instanceof MalformedPolicyError)) throw e;
    return { valid: false, message: e.message, ...locate(text, type) };
  }
}

function locate(text: string, type: PolicyType): { line: number; column: number } {
  const spans = new WeakMap<object, Span>();
  let doc: JsonValue;
  try {
    doc = parseJson(text.trimStart(), spans);
  } catch (e) {
    const at = e instanceof JsonSyntaxError ? /(\d+):(\d+)$/.exec(e.message) : null;
    const skipped = text.length - text.trimStart().length;
    return at ? shift(text.slice(0, skipped), Number(at[1]), Number(at[2])) : { line: 1, column: 1 };
  }
  if (isObject(doc) && doc.Statement !== undefined) {
    const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    for (const st of list) {
      if (!isObject(st)) continue;
      try {
        validatePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [st] }), type);
      } catch {
        const span = spans.get(st);
        if (span) return shift(text.slice(0, text.length - text.trimStart().length), span.start.line, span.start.column);
      }
    }
  }
  return { line: 1, column: 1 };
}

/** Positions in the trimmed text → positions in the text as typed (leading blank lines and spaces). */
function shift(leading: string, line: number, column: number) {
  const lines = leading.split('\n');
  const extraLines = lines.length - 1;
  return { line: line + extraLines, column: line === 1 ? column + lines[lines.length - 1].length : column };
}
