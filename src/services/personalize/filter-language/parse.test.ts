import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AwsError } from '../../../shared/aws-error.js';
import { parseFilter, parseFilterUnchecked, FilterSyntaxError } from './parse.js';
import { parseParamValues } from './values.js';

const refusal = (text: string): AwsError => {
  try {
    parseFilter(text);
  } catch (e) {
    assert.ok(e instanceof AwsError, String(e));
    assert.equal(e.code, 'InvalidInputException');
    assert.equal(e.status, 400);
    return e;
  }
  assert.fail(`accepted: ${text}`);
};

test('the documented forms parse', () => {
  const ok = [
    'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
    'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (*)',
    'include itemid where items.GENRE in ("comedy", "drama")',
    'INCLUDE ItemID WHERE Items.PRICE <= 10 AND Items.GENRE IN ($GENRE) OR Items.PRICE > $MIN',
    'INCLUDE ItemID WHERE Items.GENRE IN ($G) | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch", "purchase")',
    'INCLUDE ItemID WHERE Items.GENRE IN ("kids") IF CurrentUser.AGE < 13 AND CurrentUser.TIER IN ("free")',
    'INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE',
    'INCLUDE ItemID WHERE Items.TAGS CONTAINS ("a")',
    'EXCLUDE ItemID WHERE Items.GENRE NOT IN ("x")',
    'INCLUDE UserID WHERE Users.AGE >= 18',
    'EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("Taken")',
  ];
  for (const t of ok) assert.doesNotThrow(() => parseFilter(t), t);
  const f = parseFilter('INCLUDE ItemID WHERE Items.A IN ($X) AND Items.B = 1 OR Items.C < $Y');
  assert.deepEqual(f.params.sort(), ['X', 'Y']);
  assert.deepEqual(f.expressions[0].where.map((g) => g.map((c) => c.field)), [['A', 'B'], ['C']]);
  assert.deepEqual(f.fields.sort(), ['Items.A', 'Items.B', 'Items.C']);
});

test('refusals name the position and the reason', () => {
  assert.match(refusal('').message, /1 to 2500 characters/);
  assert.match(refusal('x'.repeat(2501)).message, /1 to 2500 characters/);
  assert.equal(refusal('INCLUDE ItemID WHERE Items.GENRE IN ("comedy"').message,
    'Invalid filter expression: Expected ")", found the end of the expression at position 46.');
  assert.match(refusal('INCLUDE ItemID WHEN Items.A IN ("x")').message, /Expected WHERE, found "WHEN" at position 16/);
  assert.match(refusal('INCLUDE ItemID WHERE Items.A IN ("x').message, /Unterminated string at position 34/);
  assert.match(refusal('INCLUDE ItemID WHERE Items.A IN ("x") AND Interactions.EVENT_TYPE IN ("a")').message, /dataset of the first condition \(Items\).* position 43/);
  assert.match(refusal('EXCLUDE ItemID WHERE Items.A LIKE ("a")').message, /Expected an operator .* found "LIKE" at position 30/);
  assert.match(refusal('EXCLUDE ItemID WHERE Interactions.VALUE IN ("a")').message, /only be filtered by EVENT_TYPE/);
  assert.match(refusal('EXCLUDE ItemID WHERE Items.GENRE IN (*)').message, /Expected a value/);
  assert.match(refusal('EXCLUDE ItemID WHERE Items.GENRE NOT IN ($G)').message, /NOT IN/);
  assert.match(refusal('EXCLUDE ItemID WHERE Items.PRICE < "ten"').message, /needs a number/);
  assert.match(refusal('EXCLUDE ItemID WHERE Users.AGE > 3').message, /cannot be used to filter by ItemID/);
  assert.match(refusal('EXCLUDE ItemID WHERE Items.A IN ("x") | INCLUDE UserID WHERE Users.A IN ("y")').message, /same element/);
  assert.match(refusal('EXCLUDE ItemID WHERE Items.A IN ("x") extra').message, /Expected "\|" or the end/);
  assert.match(refusal('EXCLUDE ItemID WHERE Items.A IN ("x") IF Items.B IN ("y")').message, /CurrentUser/);
  const many = Array.from({ length: 11 }, (_, i) => `Items.F${i} IN ("x")`).join(' AND ');
  assert.match(refusal(`INCLUDE ItemID WHERE ${many}`).message, /at most 10 distinct/);
});

test('the parser throws nothing but its own syntax error, whatever the text', () => {
  const pieces = ['INCLUDE', 'EXCLUDE', 'ItemID', 'WHERE', 'Items.GENRE', 'Interactions.EVENT_TYPE', 'IN', 'NOT', '(', ')', '"a"', '$P',
    ',', '|', 'AND', 'OR', 'IF', 'CurrentUser.AGE', '<', '>=', '=', '*', '1.5', 'CONTAINS', ' ', '"', '\\'];
  const texts = fc.oneof(fc.string({ maxLength: 80 }), fc.array(fc.constantFrom(...pieces), { maxLength: 25 }).map((a) => a.join(' ')));
  fc.assert(fc.property(texts, (t) => {
    try {
      parseFilterUnchecked(t);
    } catch (e) {
      if (!(e instanceof FilterSyntaxError)) throw e;
      assert.ok(e.at >= 1 && e.at <= t.length + 1);
    }
  }), { numRuns: 3000 });
});

test('parameter values: quoted strings and numbers, comma-separated', () => {
  assert.deepEqual(parseParamValues('G', '"comedy","drama"'), ['comedy', 'drama']);
  assert.deepEqual(parseParamValues('G', ' "a,b" , "c\\"d" '), ['a,b', 'c"d']);
  assert.deepEqual(parseParamValues('P', '10'), [10]);
  for (const bad of ['', 'comedy', '"a" "b"', '"a', '"a",', ',"a"']) {
    assert.throws(() => parseParamValues('G', bad), (e: AwsError) => e.code === 'InvalidInputException' && /parameter G/.test(e.message), bad);
  }
  fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
    try {
      parseParamValues('X', s);
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
    }
  }), { numRuns: 2000 });
});
