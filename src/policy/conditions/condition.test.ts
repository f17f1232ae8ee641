// Rules that cut across families: absent keys, IfExists, set operators over multivalued keys, Null,
// AND/OR structure, and the operator names AWS accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holds } from './testing.js';
import { compileConditions } from './condition.js';

const tags = (v: string[] | undefined) => (v === undefined ? {} : { 'aws:TagKeys': v });

const setRows: [string, string[], string[] | undefined, boolean][] = [
  ['ForAllValues:StringEquals', ['a', 'b'], ['a'], true],
  ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'b'], true],
  ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'c'], false],
  ['ForAllValues:StringEquals', ['a', 'b'], [], true],
  ['ForAllValues:StringEquals', ['a', 'b'], undefined, true],
  ['ForAnyValue:StringEquals', ['a', 'b'], ['c', 'b'], true],
  ['ForAnyValue:StringEquals', ['a', 'b'], ['c'], false],
  ['ForAnyValue:StringEquals', ['a', 'b'], [], false],
  ['ForAnyValue:StringEquals', ['a', 'b'], undefined, false],
  ['ForAllValues:StringNotEquals', ['a'], ['b', 'c'], true],
  ['ForAllValues:StringNotEquals', ['a'], ['a', 'c'], false],
  ['ForAllValues:StringNotEquals', ['a'], undefined, true],
  ['ForAnyValue:StringNotEquals', ['a'], ['a', 'c'], true],
  ['ForAnyValue:StringNotEquals', ['a'], ['a'], false],
  ['ForAnyValue:StringNotEquals', ['a'], undefined, false],
  ['ForAllValues:StringLike', ['env*'], ['env', 'environment'], true],
  ['ForAnyValue:StringLike', ['cost*'], ['env', 'costcenter'], true],
  ['ForAllValues:StringEqualsIfExists', ['a'], undefined, true],
  ['ForAnyValue:StringEqualsIfExists', ['a'], undefined, true],
  ['StringEquals', ['a'], ['b', 'a'], true],
  ['StringNotEquals', ['a'], ['b', 'a'], false],
  ['StringNotEquals', ['a'], ['b', 'c'], true],
];

for (const [op, pv, rv, want] of setRows) {
  test(`${op} ${JSON.stringify(pv)} vs ${rv === undefined ? '(absent)' : JSON.stringify(rv)}`, () => {
    assert.equal(holds({ [op]: { 'aws:TagKeys': pv } }, tags(rv)), want);
  });
}

test('Null: true means absent, false means present', () => {
  assert.equal(holds({ Null: { 'aws:TokenIssueTime': 'true' } }, {}), true);
  assert.equal(holds({ Null: { 'aws:TokenIssueTime': 'true' } }, { 'aws:TokenIssueTime': 'x' }), false);
  assert.equal(holds({ Null: { 'aws:TokenIssueTime': 'false' } }, { 'aws:TokenIssueTime': 'x' }), true);
  assert.equal(holds({ Null: { 'aws:TokenIssueTime': 'false' } }, {}), false);
  assert.equal(holds({ Null: { 'aws:TagKeys': 'true' } }, { 'aws:TagKeys': [] }), true);
  assert.equal(holds({ Null: { 'aws:TokenIssueTime': false } }, {}), false);
});

test('several keys of one operator are ANDed', () => {
  const block = { StringEquals: { 'test:a': '1', 'test:b': '2' } };
  assert.equal(holds(block, { 'test:a': '1', 'test:b': '2' }), true);
  assert.equal(holds(block, { 'test:a': '1', 'test:b': '3' }), false);
});

test('several operators are ANDed', () => {
  const block = { StringEquals: { 'test:a': '1' }, NumericLessThan: { 'test:n': '5' } };
  assert.equal(holds(block, { 'test:a': '1', 'test:n': '4' }), true);
  assert.equal(holds(block, { 'test:a': '1', 'test:n': '6' }), false);
});

test('operator names are checked; keys need a vendor prefix', () => {
  const fail = (p: { kind: string; operator?: string }): never => {
    throw new Error(p.operator ? `${p.kind}:${p.operator}` : p.kind);
  };
  assert.throws(() => compileConditions({ StringEqualz: { 'a:b': 'x' } }, true, fail), /conditionType:StringEqualz/);
  assert.throws(() => compileConditions({ NullIfExists: { 'a:b': 'true' } }, true, fail), /conditionType/);
  assert.throws(() => compileConditions({ 'ForSomeValues:StringEquals': { 'a:b': 'x' } }, true, fail), /conditionType/);
  assert.throws(() => compileConditions({ stringequals: { 'a:b': 'x' } }, true, fail), /conditionType/);
  assert.throws(() => compileConditions({ StringEquals: { SourceIp: 'x' } }, true, fail), /conditionKey/);
  assert.throws(() => compileConditions({ StringEquals: { 'a:b': { x: 1 } } }, true, fail), /syntax/);
  assert.throws(() => compileConditions({ StringEquals: 'x' }, true, fail), /syntax/);
  assert.doesNotThrow(() => compileConditions({ 'ForAnyValue:ArnNotLikeIfExists': { 'a:b': 'arn:aws:s3:::x' } }, true, fail));
});
