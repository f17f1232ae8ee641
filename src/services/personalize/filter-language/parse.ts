// Personalize's filter expression language, parsed once (at CreateFilter) into a small tree:
//   filter := expr ('|' expr)*
//   expr   := (INCLUDE|EXCLUDE) (ItemID|UserID|ActionID) WHERE cond ((AND|OR) cond)* [IF ucond (AND ucond)*]
//   cond   := Dataset.FIELD (IN|NOT IN|CONTAINS) '(' operand (',' operand)* ')' | Dataset.FIELD (=|<|<=|>|>=) operand
// Keywords and dataset names match case-insensitively; field names and values exactly. Every
// refusal is an InvalidInputException naming the 1-based character position it stopped at.
import { invalidInput } from '../errors.js';
import { FilterSyntaxError, tokenize, type Token } from './tokens.js';

export { FilterSyntaxError };

export type Target = 'ItemID' | 'UserID' | 'ActionID';
export type Dataset = 'Items' | 'Users' | 'Interactions' | 'Actions' | 'Action_Interactions';
export type Op = 'IN' | 'NOT IN' | 'CONTAINS' | '=' | '<' | '<=' | '>' | '>=';

/** A literal, a `$PARAM` placeholder, or the current user's / item's own value of a field. */
export type Operand =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'param'; name: string }
  | { kind: 'current'; of: 'CurrentItem' | 'CurrentUser'; field: string };

export interface Condition {
  dataset: Dataset | 'CurrentUser';
  field: string;
  op: Op;
  operands: Operand[];
  /** 1-based position of the condition in the expression text. */
  at: number;
}

export interface Expression {
  action: 'INCLUDE' | 'EXCLUDE';
  target: Target;
  /** The WHERE conditions, grouped: a disjunction of conjunctions (AND binds tighter than OR). */
  where: Condition[][];
  /** IF CurrentUser.… conditions, all of which must hold for the expression to apply. */
  when: Condition[];
  /** Parameter names the expression uses (case-sensitive). */
  params: string[];
}

export interface ParsedFilter {
  expressions: Expression[];
  target: Target;
  /** Distinct `Dataset.FIELD` names the filter reads. */
  fields: string[];
  params: string[];
}

export const MAX_EXPRESSION_LENGTH = 2500;
/** Distinct dataset fields one filter may use (AWS's current quota). */
export const MAX_FIELDS_PER_FILTER = 10;

const DATASETS: Record<string, Dataset | 'CurrentUser' | 'CurrentItem'> = {
  items: 'Items', users: 'Users', interactions: 'Interactions', actions: 'Actions', action_interactions: 'Action_Interactions',
  currentuser: 'CurrentUser', currentitem: 'CurrentItem',
};
const TARGETS: Record<string, Target> = { itemid: 'ItemID', userid: 'UserID', actionid: 'ActionID' };
/** Which datasets each target's WHERE conditions may read. */
const ALLOWED: Record<Target, Dataset[]> = {
  ItemID: ['Items', 'Interactions'],
  UserID: ['Users', 'Items', 'Interactions'],
  ActionID: ['Actions', 'Action_Interactions'],
};

class Parser {
  private i = 0;
  private readonly params = new Set<string>();

  constructor(private readonly tokens: Token[], private readonly end: number) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private fail(reason: string, t = this.peek()): never {
    throw new FilterSyntaxError(t ? t.at : this.end, t ? `${reason}, found "${t.text}"` : `${reason}, found the end of the expression`);
  }

  private word(): string | undefined {
    const t = this.peek();
    return t?.type === 'word' ? t.text.toUpperCase() : undefined;
  }

  private expectWord(...words: string[]): string {
    const w = this.word();
    if (w === undefined || !words.includes(w)) this.fail(`Expected ${words.join(' or ')}`);
    this.i++;
    return w;
  }

  private isSymbol(s: string): boolean {
    const t = this.peek();
    return t?.type === 'symbol' && t.text === s;
  }

  private expectSymbol(s: string): void {
    if (!this.isSymbol(s)) this.fail(`Expected "${s}"`);
    this.i++;
  }

  filter(): Expression[] {
    const out = [this.expression()];
    while (this.isSymbol('|')) {
      this.i++;
      out.push(this.expression());
    }
    if (this.peek()) this.fail('Expected "|" or the end of the expression');
    return out;
  }

  private expression(): Expression {
    this.params.clear();
    const action = this.expectWord('INCLUDE', 'EXCLUDE') as Expression['action'];
    const tt = this.peek();
    const target = tt?.type === 'word' ? TARGETS[tt.text.toLowerCase()] : undefined;
    if (!target) this.fail('Expected ItemID, UserID or ActionID');
    this.i++;
    this.expectWord('WHERE');
    const where: Condition[][] = [[this.condition(target, false)]];
    const first = where[0][0].dataset;
    while (this.word() === 'AND' || this.word() === 'OR') {
      const join = this.expectWord('AND', 'OR');
      const t = this.peek();
      const c = this.condition(target, false);
      if (c.dataset !== first) this.fail(`Conditions joined by AND or OR must use the dataset of the first condition (${first})`, t);
      if (join === 'AND') where[where.length - 1].push(c);
      else where.push([c]);
    }
    const when: Condition[] = [];
    if (this.word() === 'IF') {
      this.i++;
      when.push(this.condition(target, true));
      while (this.word() === 'AND') {
        this.i++;
        when.push(this.condition(target, true));
      }
    }
    return { action, target, where, when, params: [...this.params] };
  }

  private condition(target: Target, currentUser: boolean): Condition {
    const t = this.peek();
    if (t?.type !== 'field') this.fail(currentUser ? 'Expected CurrentUser.<FIELD>' : 'Expected <Dataset>.<FIELD>');
    const [ds, field] = t.text.split('.');
    const dataset = DATASETS[ds.toLowerCase()];
    if (currentUser ? dataset !== 'CurrentUser' : !dataset || dataset === 'CurrentUser' || dataset === 'CurrentItem' || !ALLOWED[target].includes(dataset)) {
      this.fail(currentUser ? 'Expected CurrentUser.<FIELD> after IF' : `Dataset ${ds} cannot be used to filter by ${target}`, t);
    }
    const isInteractions = dataset === 'Interactions' || dataset === 'Action_Interactions';
    if (isInteractions && field !== 'EVENT_TYPE') this.fail('Interactions can only be filtered by EVENT_TYPE', t);
    this.i++;
    const op = this.operator();
    if (isInteractions && op !== 'IN' && op !== 'NOT IN') this.fail('EVENT_TYPE can only be compared with IN or NOT IN', t);
    const operands: Operand[] = [];
    if (op === 'IN' || op === 'NOT IN' || op === 'CONTAINS') {
      const list = this.isSymbol('(');
      if (list) this.i++;
      operands.push(this.operand(op, isInteractions));
      while (list && this.isSymbol(',')) {
        this.i++;
        operands.push(this.operand(op, isInteractions));
      }
      if (list) this.expectSymbol(')');
      else if (operands[0].kind !== 'current') this.fail('Expected "("', this.tokens[this.i - 1]);
    } else {
      const o = this.operand(op, false);
      if (o.kind === 'string') this.fail(`Operator ${op} needs a number or a parameter`, this.tokens[this.i - 1]);
      operands.push(o);
    }
    return { dataset: dataset as Condition['dataset'], field, op, operands, at: t.at };
  }

  private operator(): Op {
    const t = this.peek();
    if (t?.type === 'symbol' && ['=', '<', '<=', '>', '>='].includes(t.text)) {
      this.i++;
      return t.text as Op;
    }
    const w = this.word();
    if (w !== 'IN' && w !== 'NOT' && w !== 'CONTAINS') this.fail('Expected an operator (IN, NOT IN, CONTAINS, =, <, <=, >, >=)');
    this.i++;
    if (w === 'NOT') {
      this.expectWord('IN');
      return 'NOT IN';
    }
    return w as Op;
  }

  private operand(op: Op, eventType: boolean): Operand {
    const t = this.peek();
    if (!t) this.fail('Expected a value or a parameter');
    this.i++;
    switch (t.type) {
      case 'string':
        return { kind: 'string', value: t.value! };
      case 'number':
        return { kind: 'number', value: Number(t.text) };
      case 'param':
        if (op === 'NOT IN') this.fail('Parameters cannot be used with NOT IN', t);
        this.params.add(t.text.slice(1));
        return { kind: 'param', name: t.text.slice(1) };
      case 'symbol':
        if (t.text === '*' && eventType) return { kind: 'string', value: '*' };
        break;
      case 'field': {
        const [ds, field] = t.text.split('.');
        const of = DATASETS[ds.toLowerCase()];
        if (of === 'CurrentItem' || of === 'CurrentUser') return { kind: 'current', of, field };
      }
    }
    this.i--;
    return this.fail('Expected a value or a parameter');
  }
}

/** Parses a whole filter expression; throws FilterSyntaxError (position and reason) on anything else. */
export function parseFilterUnchecked(text: string): ParsedFilter {
  if (text.length < 1 || text.length > MAX_EXPRESSION_LENGTH) {
    throw new FilterSyntaxError(1, `The expression must be 1 to ${MAX_EXPRESSION_LENGTH} characters long`);
  }
  const expressions = new Parser(tokenize(text), text.length + 1).filter();
  const target = expressions[0].target;
  if (expressions.some((e) => e.target !== target)) throw new FilterSyntaxError(1, 'All expressions of a filter must filter the same element (ItemID, UserID or ActionID)');
  const fields = new Set<string>();
  const params = new Set<string>();
  for (const e of expressions) {
    for (const c of [...e.where.flat(), ...e.when]) fields.add(`${c.dataset}.${c.field}`);
    for (const p of e.params) params.add(p);
  }
  if (fields.size > MAX_FIELDS_PER_FILTER) throw new FilterSyntaxError(1, `A filter can use at most ${MAX_FIELDS_PER_FILTER} distinct dataset fields`);
  return { expressions, target, fields: [...fields], params: [...params] };
}

/** Parses a filter expression, refusing it with AWS's InvalidInputException. */
export function parseFilter(text: string): ParsedFilter {
  try {
    return parseFilterUnchecked(text);
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw invalidInput(`Invalid filter expression: ${e.reason} at position ${e.at}.`);
    throw e;
  }
}
