import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holds, rowName, type Row } from './testing.js';

const rows: Row[] = [
  ['StringEquals', 'abc', 'abc', true],
  ['StringEquals', 'abc', 'ABC', false],
  ['StringEquals', ['x', 'abc'], 'abc', true],
  ['StringEquals', 'a*', 'abc', false],
  ['StringEquals', 'abc', undefined, false],
  ['StringNotEquals', 'abc', 'abd', true],
  ['StringNotEquals', ['abc', 'abd'], 'abd', false],
  ['StringNotEquals', 'abc', undefined, true],
  ['StringEqualsIgnoreCase', 'ABC', 'abc', true],
  ['StringEqualsIgnoreCase', 'ABC', 'abd', false],
  ['StringNotEqualsIgnoreCase', 'ABC', 'abc', false],
  ['StringNotEqualsIgnoreCase', 'ABC', 'xyz', true],
  ['StringLike', 'a*c', 'abbbc', true],
  ['StringLike', 'a?c', 'abc', true],
  ['StringLike', 'a?c', 'abbc', false],
  ['StringLike', 'A*', 'abc', false],
  ['StringLike', ['x*', 'home/*'], 'home/alice', true],
  ['StringLike', '*', '', true],
  ['StringNotLike', 'a*', 'abc', false],
  ['StringNotLike', ['x*', 'y*'], 'abc', true],
  ['StringNotLike', 'a*', undefined, true],
  ['StringEqualsIfExists', 'abc', undefined, true],
  ['StringEqualsIfExists', 'abc', 'abd', false],
  ['StringNotEqualsIfExists', 'abc', undefined, true],
  ['StringLikeIfExists', 'a*', 'abc', true],
  ['StringEquals', 'true', true, true],
  ['StringEquals', '5', 5, true],
];

for (const row of rows) {
  test(rowName(row), () => {
    const [op, pv, rv, want] = row;
    assert.equal(holds({ [op]: { 'test:Key': pv } }, rv === undefined ? {} : { 'test:Key': rv }), want);
  });
}

test('condition keys are case-insensitive', () => {
  assert.equal(holds({ StringEquals: { 'AWS:SourceVPC': 'vpc-1' } }, { 'aws:sourcevpc': 'vpc-1' }), true);
});

test('policy variables resolve in string values, only in 2012-10-17 documents', () => {
  const ctx = { 'aws:username': 'alice', 's3:prefix': 'home/alice/x' };
  assert.equal(holds({ StringLike: { 's3:prefix': 'home/${aws:username}/*' } }, ctx), true);
  assert.equal(holds({ StringLike: { 's3:prefix': 'home/${aws:username}/*' } }, ctx, false), false);
  assert.equal(holds({ StringEquals: { 's3:prefix': '${aws:username}' } }, { 's3:prefix': '${aws:username}' }, false), true);
});

test('a variable with no value and no default never satisfies the condition', () => {
  assert.equal(holds({ StringEquals: { 'test:k': '${aws:username}' } }, { 'test:k': '' }), false);
  assert.equal(holds({ StringNotEquals: { 'test:k': '${aws:username}' } }, { 'test:k': 'x' }), false);
  assert.equal(holds({ StringEquals: { 'test:k': '${aws:username, \'anon\'}' } }, { 'test:k': 'anon' }), true);
});

test('StringEqualsIgnoreCase with a variable compares without case', () => {
  assert.equal(holds({ StringEqualsIgnoreCase: { 'aws:ResourceTag/Owner': '${aws:username}' } }, { 'aws:username': 'Alice', 'aws:ResourceTag/Owner': 'alice' }), true);
});
