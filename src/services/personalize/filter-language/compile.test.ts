import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../../shared/aws-error.js';
import { parseFilter } from './parse.js';
import { CompiledFilter, hasBit, type ItemAttributes, type Subject } from './compile.js';

// Items 0..5: GENRE (categorical, multi-valued) and PRICE.
const GENRE = ['comedy', 'drama', 'comedy|kids', 'horror', 'drama', null];
const PRICE = [5, 15, 8, NaN, 30, 1];
const dict = ['comedy', 'drama', 'comedy|kids', 'horror'];
const items: ItemAttributes = {
  size: 6,
  column: (f) => f === 'GENRE'
    ? { dict, codes: Uint32Array.from(GENRE.map((g) => (g === null ? 0xffffffff : dict.indexOf(g)))) }
    : f === 'PRICE' ? { numbers: Float64Array.from(PRICE) } : undefined,
};

/** The user clicked 0 and 1, bought 4; is 30, and is looking at item 2. */
const subject: Subject = {
  interacted: (types) => {
    const out: number[] = [];
    if (types === '*' || types.includes('click')) out.push(0, 1);
    if (types === '*' || types.includes('buy')) out.push(4);
    return out;
  },
  interactedExcept: (types) => [...(types.includes('click') ? [] : [0, 1]), ...(types.includes('buy') ? [] : [4])],
  user: (f) => (f === 'AGE' ? 30 : f === 'TIER' ? 'gold' : undefined),
  item: (f) => (f === 'GENRE' ? 'comedy|kids' : undefined),
};

const run = (expr: string, values?: Record<string, string>): number[] => {
  const bits = new CompiledFilter(parseFilter(expr)).allowed(items, subject, values);
  return [...Array(items.size).keys()].filter((i) => hasBit(bits, i));
};

test('item metadata conditions', () => {
  assert.deepEqual(run('INCLUDE ItemID WHERE Items.GENRE IN ("comedy")'), [0, 2]);
  assert.deepEqual(run('EXCLUDE ItemID WHERE Items.GENRE IN ("comedy", "drama")'), [3, 5]);
  assert.deepEqual(run('INCLUDE ItemID WHERE Items.GENRE NOT IN ("comedy")'), [1, 3, 4, 5]);
  assert.deepEqual(run('INCLUDE ItemID WHERE Items.PRICE < 10'), [0, 2, 5]);
  assert.deepEqual(run('INCLUDE ItemID WHERE Items.PRICE >= 15'), [1, 4]);
  assert.deepEqual(run('INCLUDE ItemID WHERE Items.PRICE = 8'), [2]);
  assert.deepEqual(run('INCLUDE ItemID WHERE Items.GENRE IN ("drama") AND Items.PRICE > 20 OR Items.PRICE < 2'), [4, 5]);
  assert.deepEqual(run('INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE'), [0, 2]);
  assert.deepEqual(run('INCLUDE ItemID WHERE Items.UNKNOWN IN ("x")'), []);
});

test('interactions: event types match case-insensitively, * is any', () => {
  assert.deepEqual(run('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("CLICK")'), [2, 3, 4, 5]);
  assert.deepEqual(run('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (*)'), [2, 3, 5]);
  assert.deepEqual(run('INCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN ("click")'), [4]);
});

test('| combines: union of includes minus union of excludes, in any order', () => {
  const a = run('INCLUDE ItemID WHERE Items.GENRE IN ("comedy") | INCLUDE ItemID WHERE Items.PRICE > 20');
  assert.deepEqual(a, [0, 2, 4]);
  const mixed = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click") | INCLUDE ItemID WHERE Items.GENRE IN ("comedy", "drama")';
  assert.deepEqual(run(mixed), [2, 4]);
  assert.deepEqual(run(mixed.split(' | ').reverse().join(' | ')), [2, 4]);
  assert.deepEqual(run('EXCLUDE ItemID WHERE Items.PRICE > 10 | EXCLUDE ItemID WHERE Items.GENRE IN ("horror")'), [0, 2, 5]);
});

test('parameters: values per request; a missing one skips an EXCLUDE and refuses an INCLUDE', () => {
  const f = 'INCLUDE ItemID WHERE Items.GENRE IN ($G) | EXCLUDE ItemID WHERE Items.PRICE > $MAX';
  assert.deepEqual(run(f, { G: '"comedy","horror"', MAX: '6' }), [0, 3]);
  assert.deepEqual(run(f, { G: '"drama"', MAX: '100' }), [1, 4]);
  assert.deepEqual(run(f, { G: '"drama"' }), [1, 4]);
  assert.throws(() => run(f, { MAX: '6' }), (e: AwsError) => e.code === 'InvalidInputException' && /\bG\b/.test(e.message));
  assert.throws(() => run(f, { G: 'drama' }), (e: AwsError) => e.code === 'InvalidInputException');
});

test('IF CurrentUser: the expression applies only when its conditions hold', () => {
  assert.deepEqual(run('EXCLUDE ItemID WHERE Items.GENRE IN ("horror") IF CurrentUser.AGE < 18'), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(run('EXCLUDE ItemID WHERE Items.GENRE IN ("horror") IF CurrentUser.AGE >= 18 AND CurrentUser.TIER IN ($T)', { T: '"gold"' }), [0, 1, 2, 4, 5]);
  assert.deepEqual(run('EXCLUDE ItemID WHERE Items.GENRE IN ("horror") IF CurrentUser.MISSING IN ("x")'), [0, 1, 2, 3, 4, 5]);
});

test('one compiled filter across requests: catalogue-only answers are reused per values, per-user ones are not', () => {
  const bitsOf = (b: Uint32Array) => [...Array(items.size).keys()].filter((i) => hasBit(b, i));
  const byValues = new CompiledFilter(parseFilter('INCLUDE ItemID WHERE Items.GENRE IN ($G) | EXCLUDE ItemID WHERE Items.PRICE > $MAX'));
  const a = byValues.allowed(items, subject, { G: '"comedy","horror"', MAX: '6' });
  assert.equal(byValues.allowed(items, subject, { G: '"comedy","horror"', MAX: '6' }), a, 'the same values share one answer');
  assert.deepEqual(bitsOf(a), [0, 3]);
  assert.deepEqual(bitsOf(byValues.allowed(items, subject, { G: '"comedy","horror"' })), [0, 2, 3], 'a missing EXCLUDE value is not the cached answer');
  assert.deepEqual(bitsOf(byValues.allowed(items, subject, { G: '"drama"', MAX: '100' })), [1, 4]);
  assert.throws(() => byValues.allowed(items, subject, { MAX: '6' }), (e: AwsError) => e.code === 'InvalidInputException');
  // Another catalogue (items changed) is answered afresh.
  const fewer: ItemAttributes = { size: 2, column: items.column };
  assert.deepEqual(bitsOf(byValues.allowed(fewer, subject, { G: '"comedy","horror"', MAX: '6' })).filter((i) => i < 2), [0]);

  const perUser = new CompiledFilter(parseFilter('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")'));
  const other: Subject = { ...subject, interacted: (types) => (types === '*' || types.includes('click') ? [5] : []) };
  assert.deepEqual(bitsOf(perUser.allowed(items, subject, undefined)), [2, 3, 4, 5]);
  assert.deepEqual(bitsOf(perUser.allowed(items, other, undefined)), [0, 1, 2, 3, 4]);
  const gated = new CompiledFilter(parseFilter('EXCLUDE ItemID WHERE Items.GENRE IN ("horror") IF CurrentUser.AGE >= 18'));
  assert.deepEqual(bitsOf(gated.allowed(items, subject, undefined)), [0, 1, 2, 4, 5]);
  assert.deepEqual(bitsOf(gated.allowed(items, { ...subject, user: () => 12 }, undefined)), [0, 1, 2, 3, 4, 5]);
});
