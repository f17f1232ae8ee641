// BinaryEquals: base64 text compared byte for byte after decoding (so padding variants agree).
import { plainMatcher, type OperatorDef } from './matcher.js';

const decode = (s: string) => Buffer.from(s, 'base64').toString('latin1');

export const binaryOperators: Record<string, OperatorDef> = {
  BinaryEquals: { factory: (values) => plainMatcher(values, decode, (req, p) => decode(req) === p), negated: false },
};
