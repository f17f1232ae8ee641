// Tokens of the filter language, each with its 1-based position in the text.

/** Where and why an expression stopped parsing (1-based character position). */
export class FilterSyntaxError extends Error {
  constructor(readonly at: number, readonly reason: string) {
    super(reason);
  }
}

export interface Token {
  type: 'word' | 'field' | 'string' | 'number' | 'param' | 'symbol';
  text: string;
  /** A string literal's value, quotes removed and escapes resolved. */
  value?: string;
  at: number;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const FIELD = /[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const PARAM = /\$[A-Za-z0-9_]+/y;
const SPACE = /\s/;

function match(re: RegExp, text: string, i: number): string | undefined {
  re.lastIndex = i;
  return re.exec(text)?.[0];
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    const at = i + 1;
    if (c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
      }
      if (j >= text.length) throw new FilterSyntaxError(at, 'Unterminated string');
      out.push({ type: 'string', text: text.slice(i, j + 1), value, at });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '<=' || two === '>=') {
      out.push({ type: 'symbol', text: two, at });
      i += 2;
      continue;
    }
    if ('()|,=<>*'.includes(c)) {
      out.push({ type: 'symbol', text: c, at });
      i++;
      continue;
    }
    const lexeme = (type: Token['type'], s: string | undefined) => s !== undefined && (out.push({ type, text: s, at }), (i += s.length), true);
    if (c === '$' ? lexeme('param', match(PARAM, text, i)) : false) continue;
    if (lexeme('field', match(FIELD, text, i)) || lexeme('word', match(NAME, text, i)) || lexeme('number', match(NUMBER, text, i))) continue;
    throw new FilterSyntaxError(at, `Unexpected character "${c}"`);
  }
  return out;
}
