import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Glob, STAR, compileGlob } from './glob.js';

/** Reference matcher: a textbook dynamic programme over pattern × subject. */
function reference(pattern: string, s: string): boolean {
  let row = new Array<boolean>(s.length + 1).fill(false);
  row[0] = true;
  for (const c of pattern) {
    const next = new Array<boolean>(s.length + 1).fill(false);
    if (c === '*') {
      let seen = false;
      for (let j = 0; j <= s.length; j++) next[j] = seen = seen || row[j];
    } else {
      for (let j = 1; j <= s.length; j++) next[j] = row[j - 1] && (c === '?' || c === s[j - 1]);
    }
    row = next;
  }
  return row[s.length];
}

const cases: [string, string, boolean][] = [
  ['', '', true],
  ['', 'a', false],
  ['*', '', true],
  ['*', 'anything', true],
  ['abc', 'abc', true],
  ['abc', 'abcd', false],
  ['a?c', 'abc', true],
  ['a?c', 'ac', false],
  ['a*', 'a', true],
  ['*a', 'ba', true],
  ['*a', 'ab', false],
  ['a*b*c', 'aXbYc', true],
  ['a*b*c', 'aXcYb', false],
  ['a*a', 'a', false],
  ['*ab*ab*', 'xabyab', true],
  ['*ab*ab*', 'xaby', false],
  ['?*?', 'ab', true],
  ['?*?', 'a', false],
  ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/key/x', true],
  ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket2/key', false],
  ['*?*?*?*', 'ab', false],
  ['*?*?*?*', 'abc', true],
];

for (const [p, s, want] of cases) {
  test(`glob ${JSON.stringify(p)} ~ ${JSON.stringify(s)}`, () => {
    assert.equal(compileGlob(p).test(s), want);
    assert.equal(reference(p, s), want);
  });
}

test('literal parts may hold * and ? as plain characters', () => {
  const g = Glob.from(['a*?', STAR]);
  assert.equal(g.test('a*?zzz'), true);
  assert.equal(g.test('abc'), false);
});

test('matches a reference matcher on random patterns', () => {
  const alphabet = fc.constantFrom('a', 'b', '*', '?');
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 12 }), fc.array(fc.constantFrom('a', 'b'), { maxLength: 12 }), (p, s) => {
      const pattern = p.join('');
      const subject = s.join('');
      return compileGlob(pattern).test(subject) === reference(pattern, subject);
    }),
    { numRuns: 5000 },
  );
});

test('long segments with ? (beyond the bit-parallel width) still match correctly', () => {
  const seg = 'a?'.repeat(40);
  fc.assert(
    fc.property(fc.array(fc.constantFrom('a', 'b'), { maxLength: 200 }), (s) => {
      const subject = s.join('');
      return compileGlob(`*${seg}*`).test(subject) === reference(`*${seg}*`, subject);
    }),
    { numRuns: 300 },
  );
});
