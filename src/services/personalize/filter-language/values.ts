// A `filterValues` entry: comma-separated values, each a double-quoted string (`"\"comedy\",\"drama\""`)
// or a bare number (for comparisons). Refusals are the runtime's InvalidInputException.
import { AwsError } from '../../../shared/aws-error.js';

export type ParamValue = string | number;

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const bad = (name: string, why: string) =>
  new AwsError('InvalidInputException', `Invalid value for filter parameter ${name}: ${why}. Provide comma-separated values in double quotes, for example "\\"value1\\",\\"value2\\"".`, 400);

/** Parses one parameter's value list; throws InvalidInputException when it does not parse. */
export function parseParamValues(name: string, text: string): ParamValue[] {
  const out: ParamValue[] = [];
  let i = 0;
  const n = text.length;
  const skip = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  skip();
  if (i === n) throw bad(name, 'no value');
  for (;;) {
    skip();
    if (text[i] === '"') {
      let v = '';
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) i++;
        v += text[i++];
      }
      if (i >= n) throw bad(name, 'unterminated quoted value');
      i++;
      out.push(v);
    } else {
      const end = text.indexOf(',', i);
      const raw = text.slice(i, end < 0 ? n : end).trim();
      if (!NUMBER.test(raw)) throw bad(name, `${JSON.stringify(raw)} is neither a quoted value nor a number`);
      out.push(Number(raw));
      i += text.slice(i, end < 0 ? n : end).length;
    }
    skip();
    if (i === n) return out;
    if (text[i] !== ',') throw bad(name, `unexpected character ${JSON.stringify(text[i])} after a value`);
    i++;
  }
}
