// The filter expression language: parsed once at CreateFilter (the tree is stored with the
// filter), applied at serving time as bitsets over a catalogue's items.
export { parseFilter, parseFilterUnchecked, FilterSyntaxError, MAX_EXPRESSION_LENGTH, MAX_FIELDS_PER_FILTER } from './parse.js';
export type { ParsedFilter, Expression, Condition, Operand, Target, Dataset, Op } from './parse.js';
export { CompiledFilter, hasBit, words, type AttributeColumn, type ItemAttributes, type Subject } from './compile.js';
export { parseParamValues, type ParamValue } from './values.js';
