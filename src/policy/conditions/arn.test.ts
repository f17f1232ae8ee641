import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holds, rowName, type Row } from './testing.js';
import { arnParts } from './arn.js';

const rows: Row[] = [
  ['ArnEquals', 'arn:aws:sns:us-east-1:123456789012:topic', 'arn:aws:sns:us-east-1:123456789012:topic', true],
  ['ArnEquals', 'arn:aws:sns:*:123456789012:topic', 'arn:aws:sns:us-east-1:123456789012:topic', true],
  ['ArnLike', 'arn:aws:sns:*:123456789012:*', 'arn:aws:sns:us-east-1:123456789012:topic', true],
  ['ArnLike', 'arn:aws:iam::123456789012:role/*', 'arn:aws:iam::123456789012:role/path/r', true],
  ['ArnLike', 'arn:aws:iam::*', 'arn:aws:iam::123456789012:role/r', false],
  ['ArnLike', 'arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a:b', true],
  ['ArnLike', 'arn:aws:sns:us-east-?:123456789012:t', 'arn:aws:sns:us-east-1:123456789012:t', true],
  ['ArnLike', 'arn:aws:sns:us-east-1:123456789012:T', 'arn:aws:sns:us-east-1:123456789012:t', false],
  ['ArnLike', 'arn:aws:sns:*:*:*', 'not-an-arn', false],
  ['ArnLike', 'arn:aws:sns:*:*:*', undefined, false],
  ['ArnNotEquals', 'arn:aws:sns:us-east-1:123456789012:topic', 'arn:aws:sns:us-east-1:123456789012:other', true],
  ['ArnNotLike', 'arn:aws:sns:*:123456789012:*', 'arn:aws:sns:us-east-1:123456789012:topic', false],
  ['ArnNotLike', 'arn:aws:sns:*:123456789012:*', undefined, true],
  ['ArnLikeIfExists', 'arn:aws:sns:*:123456789012:*', undefined, true],
];

for (const row of rows) {
  test(rowName(row), () => {
    const [op, pv, rv, want] = row;
    assert.equal(holds({ [op]: { 'aws:SourceArn': pv } }, rv === undefined ? {} : { 'aws:SourceArn': rv }), want);
  });
}

test('a wildcard matches within one ARN part only', () => {
  // `*` in the region part must not swallow the account part.
  assert.equal(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:topic' } }, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:1:topic' }), false);
});

test('arnParts keeps colons of the resource part', () => {
  assert.deepEqual(arnParts('arn:aws:logs:us-east-1:1:log-group:x:*'), ['arn', 'aws', 'logs', 'us-east-1', '1', 'log-group:x:*']);
  assert.equal(arnParts('aws:sns:x'), undefined);
});

test('variables in ARN values', () => {
  assert.equal(
    holds({ ArnEquals: { 'aws:SourceArn': 'arn:aws:iam::${aws:PrincipalAccount}:role/x' } }, { 'aws:SourceArn': 'arn:aws:iam::111122223333:role/x', 'aws:PrincipalAccount': '111122223333' }),
    true,
  );
});
