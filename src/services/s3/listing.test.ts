import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { walkKeys } from './listing.js';
import { s3Env, type S3Env } from './test-support.js';

const utf8Compare = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** What a listing must return, computed the obvious way: every entry at once. */
function reference(keys: string[], prefix: string, delimiter: string | undefined): string[] {
  const out: string[] = [];
  for (const k of [...new Set(keys)].sort(utf8Compare)) {
    if (!k.startsWith(prefix)) continue;
    const at = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
    const entry = at >= 0 ? `CP:${k.slice(0, at + delimiter!.length)}` : k;
    if (!out.includes(entry)) out.push(entry);
  }
  return out;
}

test('walkKeys paged to the end equals the one-shot listing, for any keys, prefix, delimiter and page size', () => {
  fc.assert(fc.property(
    fc.array(fc.stringMatching(/^[ab\/é]{0,6}$/), { maxLength: 40 }),
    fc.stringMatching(/^[ab\/]{0,2}$/),
    fc.constantFrom(undefined, '/', 'b', 'ab'),
    fc.integer({ min: 1, max: 7 }),
    (keys, prefix, delimiter, max) => {
      const sorted = [...new Set(keys)].sort(utf8Compare);
      const fetch = (after: string | undefined, limit: number) =>
        sorted.filter((k) => k.startsWith(prefix) && (after === undefined || utf8Compare(k, after) > 0)).slice(0, limit);
      const got: string[] = [];
      let after: string | undefined;
      for (let pages = 0; ; pages++) {
        assert.ok(pages < 100);
        const page = walkKeys(fetch, (k) => k, { prefix, delimiter, max, after });
        assert.ok(page.items.length + page.prefixes.length <= max);
        // Keys and prefixes interleave in key order; rebuild that order from the two lists.
        const entries = [...page.items, ...page.prefixes.map((p) => `CP:${p}`)]
          .sort((a, b) => utf8Compare(a.replace(/^CP:/, ''), b.replace(/^CP:/, '')));
        got.push(...entries);
        if (!page.truncated) break;
        after = page.cursor;
      }
      assert.deepEqual(got, reference(keys, prefix, delimiter));
    },
  ), { numRuns: 300 });
});

async function withKeys(keys: string[], fn: (env: S3Env) => Promise<void>) {
  const env = s3Env();
  try {
    await env.call('CreateBucket', { Bucket: 'bkt' });
    for (const k of keys) await env.put('bkt', k, k);
    await fn(env);
  } finally { env.close(); }
}

const KEYS = ['a.txt', 'photos/2023/jan.jpg', 'photos/2023/feb.jpg', 'photos/2024/mar.jpg', 'photos/index.html', 'z'];

test('ListObjectsV2: delimiter rolls keys into CommonPrefixes; s3:ListBucket carries prefix, delimiter and max-keys', () => withKeys(KEYS, async (env) => {
  const top = await env.call('ListObjectsV2', { Bucket: 'bkt', Delimiter: '/' });
  assert.deepEqual(top.Contents.map((c: any) => c.Key), ['a.txt', 'z']);
  assert.deepEqual(top.CommonPrefixes, [{ Prefix: 'photos/' }]);
  assert.deepEqual([top.KeyCount, top.IsTruncated, top.Name, top.Prefix, top.MaxKeys], [3, false, 'bkt', '', 1000]);
  assert.equal(top.Contents[0].ETag.length, 34);
  assert.equal(top.Contents[0].StorageClass, 'STANDARD');
  assert.equal(top.Contents[0].Owner, undefined);
  const [q] = env.last.queries;
  assert.deepEqual([q.action, q.resource], ['s3:ListBucket', 'arn:aws:s3:::bkt']);
  assert.deepEqual([q.context?.['s3:delimiter'], q.context?.['s3:prefix'], q.context?.['s3:max-keys']], ['/', undefined, undefined]);
  const photos = await env.call('ListObjectsV2', { Bucket: 'bkt', Prefix: 'photos/', Delimiter: '/', MaxKeys: 5, FetchOwner: true });
  assert.deepEqual(photos.CommonPrefixes.map((p: any) => p.Prefix), ['photos/2023/', 'photos/2024/']);
  assert.deepEqual(photos.Contents.map((c: any) => c.Key), ['photos/index.html']);
  assert.match(photos.Contents[0].Owner.ID, /^[0-9a-f]{64}$/);
  assert.deepEqual([env.last.queries[0].context?.['s3:prefix'], env.last.queries[0].context?.['s3:max-keys']], ['photos/', 5]);
}));

test('ListObjectsV2: continuation tokens and start-after walk every key once', () => withKeys(KEYS, async (env) => {
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await env.call('ListObjectsV2', { Bucket: 'bkt', MaxKeys: 2, ContinuationToken: token });
    assert.equal(page.ContinuationToken, token);
    seen.push(...page.Contents.map((c: any) => c.Key));
    token = page.NextContinuationToken;
    assert.equal(page.IsTruncated, token !== undefined);
  } while (token);
  assert.deepEqual(seen, [...KEYS].sort());
  const after = await env.call('ListObjectsV2', { Bucket: 'bkt', StartAfter: 'photos/index.html' });
  assert.deepEqual(after.Contents.map((c: any) => c.Key), ['z']);
  assert.equal(after.StartAfter, 'photos/index.html');
  const prefixPages = await env.call('ListObjectsV2', { Bucket: 'bkt', Delimiter: '/', MaxKeys: 2 });
  assert.deepEqual([prefixPages.Contents.length, prefixPages.CommonPrefixes.length, prefixPages.IsTruncated], [1, 1, true]);
  const next = await env.call('ListObjectsV2', { Bucket: 'bkt', Delimiter: '/', MaxKeys: 2, ContinuationToken: prefixPages.NextContinuationToken });
  assert.deepEqual([next.Contents.map((c: any) => c.Key), next.CommonPrefixes, next.IsTruncated], [['z'], [], false]);
  await assert.rejects(env.call('ListObjectsV2', { Bucket: 'bkt', ContinuationToken: 'garbage' }), { code: 'InvalidArgument' });
  const none = await env.call('ListObjectsV2', { Bucket: 'bkt', MaxKeys: 0 });
  assert.deepEqual([none.Contents, none.KeyCount, none.IsTruncated], [[], 0, false]);
}));

test('encoding-type=url percent-encodes keys and prefixes', () => withKeys(['a b/c+d', 'ü'], async (env) => {
  const out = await env.call('ListObjectsV2', { Bucket: 'bkt', EncodingType: 'url', Delimiter: '/' });
  assert.deepEqual(out.Contents.map((c: any) => c.Key), ['%C3%BC']);
  assert.deepEqual(out.CommonPrefixes, [{ Prefix: 'a%20b/' }]);
  assert.equal(out.EncodingType, 'url');
  await assert.rejects(env.call('ListObjectsV2', { Bucket: 'bkt', EncodingType: 'base64' }), { code: 'InvalidArgument' });
}));

test('ListObjects (v1): marker, NextMarker with a delimiter, resuming after a common prefix', () => withKeys(KEYS, async (env) => {
  const first = await env.call('ListObjects', { Bucket: 'bkt', MaxKeys: 2 });
  assert.deepEqual(first.Contents.map((c: any) => c.Key), ['a.txt', 'photos/2023/feb.jpg']);
  assert.deepEqual([first.IsTruncated, first.NextMarker, first.Marker], [true, undefined, '']);
  assert.match(first.Contents[0].Owner.ID, /^[0-9a-f]{64}$/);
  const second = await env.call('ListObjects', { Bucket: 'bkt', Marker: 'photos/2023/feb.jpg', MaxKeys: 2 });
  assert.deepEqual(second.Contents.map((c: any) => c.Key), ['photos/2023/jan.jpg', 'photos/2024/mar.jpg']);
  const d = await env.call('ListObjects', { Bucket: 'bkt', Delimiter: '/', MaxKeys: 2 });
  assert.deepEqual([d.NextMarker, d.IsTruncated], ['photos/', true]);
  const rest = await env.call('ListObjects', { Bucket: 'bkt', Delimiter: '/', Marker: d.NextMarker });
  assert.deepEqual([rest.Contents.map((c: any) => c.Key), rest.CommonPrefixes, rest.IsTruncated], [['z'], [], false]);
  assert.equal(env.last.queries[0].action, 's3:ListBucket');
}));
