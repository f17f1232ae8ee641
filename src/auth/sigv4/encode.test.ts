import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalPath, canonicalQuery, s3CanonicalPath, uriEncode } from './encode.js';
import { escape } from '../signing-fixture.js';

test('uriEncode keeps the unreserved characters and escapes UTF-8 bytes in upper case', () => {
  assert.equal(uriEncode('-._~AZaz09'), '-._~AZaz09');
  assert.equal(uriEncode("a b+c/d!*'()%"), 'a%20b%2Bc%2Fd%21%2A%27%28%29%25');
  assert.equal(uriEncode('a/b c', true), 'a/b%20c');
  assert.equal(uriEncode('ሴ'), '%E1%88%B4');
  assert.equal(uriEncode('é😀'), '%C3%A9%F0%9F%98%80');
  assert.equal(uriEncode('\ud800'), '%EF%BF%BD');
});

test('uriEncode agrees with the SDK escaping for any string', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => uriEncode(s) === escape(s)));
});

test('canonicalPath normalises and encodes the sent path again (every service but S3)', () => {
  const cases: [string, string][] = [
    ['/', '/'], ['', '/'], ['//', '/'], ['/./', '/'], ['/example/..', '/'], ['/example1/example2/../..', '/'],
    ['/./example', '/example'], ['//example//', '/example/'], ['/example space/', '/example%20space/'],
    ['/recommendations', '/recommendations'], ['/a%20b/c%2Fd', '/a%2520b/c%252Fd'], ['/ሴ', '/%E1%88%B4'],
  ];
  for (const [raw, canonical] of cases) assert.equal(canonicalPath(raw), canonical, raw);
});

test('s3CanonicalPath keeps the path as sent, with its escapes in canonical form', () => {
  const cases: [string, string][] = [
    ['/bucket/key', '/bucket/key'], ['', '/'],
    ['/bucket//a//b/', '/bucket//a//b/'], ['/bucket/../x/./y', '/bucket/../x/./y'],
    ['/bucket/a%20b/a+b', '/bucket/a%20b/a%2Bb'], ['/bucket/%7e%2b%2F', '/bucket/~%2B%2F'],
    ['/bucket/100%25/100%', '/bucket/100%25/100%25'], ['/bucket/%zz', '/bucket/%25zz'],
    ['/bucket/ü/中', '/bucket/%C3%BC/%E4%B8%AD'], ['/bucket/%c3%bc', '/bucket/%C3%BC'],
    ["/bucket/!*'()~=&:@$,;", '/bucket/%21%2A%27%28%29~%3D%26%3A%40%24%2C%3B'], ['/bucket/%FF', '/bucket/%FF'],
  ];
  for (const [raw, canonical] of cases) assert.equal(s3CanonicalPath(raw), canonical, raw);
});

test('s3CanonicalPath leaves an SDK-encoded key unchanged, whatever the key', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (key) => {
    const path = '/bucket/' + key.split('/').map(escape).join('/');
    return s3CanonicalPath(path) === path;
  }));
});

test('canonicalQuery sorts by encoded name, then value, and drops the presigned signature', () => {
  assert.equal(canonicalQuery([]), '');
  assert.equal(canonicalQuery([['b', '2'], ['a', '1']]), 'a=1&b=2');
  assert.equal(canonicalQuery([['a', '2'], ['a', '1'], ['a', ''], ['A', '3']]), 'A=3&a=&a=1&a=2');
  // Names order before pairs do: "-" and "." sort below "=" as text, but k comes first.
  assert.equal(canonicalQuery([['k0', '4'], ['k.y', '3'], ['k-x', '2'], ['k', '1']]), 'k=1&k-x=2&k.y=3&k0=4');
  assert.equal(canonicalQuery([['acl', ''], ['prefix', 'a b+c/d']]), 'acl=&prefix=a%20b%2Bc%2Fd');
  assert.equal(canonicalQuery([['X-Amz-Signature', 'abc'], ['X-Amz-Date', 'd']], 'X-Amz-Signature'), 'X-Amz-Date=d');
});
