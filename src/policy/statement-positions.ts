// Where each statement of a policy document sits, in the two forms Tailor shows: the IAM policy
// simulator's StartPosition/EndPosition, and the statement's own text (for `tailor why`).
import { isObject, parseJson, type Position, type Span } from './json.js';

/**
 * The simulator's position of each statement, by statement index, for a document the engine accepted.
 * AWS reports where its parser stood before and after reading the statement: for statements in an
 * array, the first starts just after `[` and each later one just after the previous statement's `}`;
 * a lone Statement object starts just after its `{`. Every statement ends just after its `}`.
 * (Observed in AWS's outputs for compact documents; lines and columns are 1-based.)
 */
export function simulatorPositions(text: string): Span[] {
  const spans = new WeakMap<object, Span>();
  const doc = parseJson(text, spans);
  if (!isObject(doc)) return [];
  const body = doc.Statement;
  if (isObject(body)) {
    const s = spans.get(body)!;
    return [{ start: { line: s.start.line, column: s.start.column + 1 }, end: s.end }];
  }
  if (!Array.isArray(body)) return [];
  const lines = new Lines(text);
  const out: Span[] = [];
  body.forEach((st, i) => {
    const s = isObject(st) ? spans.get(st) : undefined;
    if (!s) return;
    const start = i === 0 ? lines.after(lines.previousNonSpace(lines.offset(s.start))) : out[i - 1].end;
    out.push({ start, end: s.end });
  });
  return out;
}

/** The source text of a statement whose span (from the engine: its `{` to just after its `}`) is given. */
export function statementText(text: string, span: Span): string {
  const lines = new Lines(text);
  return text.slice(lines.offset(span.start), lines.offset(span.end));
}

/** Line/column ↔ offset arithmetic over one text (lines end at `\n`, as the engine's reader counts them). */
class Lines {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  offset(p: Position): number {
    return this.starts[p.line - 1] + p.column - 1;
  }

  /** The position just after the character at `offset`, on that character's line. */
  after(offset: number): Position {
    let line = this.starts.length;
    while (this.starts[line - 1] > offset) line--;
    return { line, column: offset - this.starts[line - 1] + 2 };
  }

  /** Offset of the last character before `offset` that is not JSON white space. */
  previousNonSpace(offset: number): number {
    let i = offset - 1;
    while (i > 0 && ' \t\r\n'.includes(this.text[i])) i--;
    return i;
  }
}
