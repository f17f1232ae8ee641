import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from './sqlite.js';

function withStore(fn: (s: SqliteStore) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'tailor-store-'));
  const store = new SqliteStore(join(dir, 'm.sqlite'));
  try {
    fn(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('documents by kind and id, listed in id order with prefix, after and limit', () => {
  withStore((s) => {
    for (const id of ['b', 'a/2', 'a/1', 'c']) s.put('k', id, { id });
    s.put('other', 'a/0', { id: 'x' });
    assert.deepEqual(s.list<{ id: string }>('k').map((d) => d.id), ['a/1', 'a/2', 'b', 'c']);
    assert.deepEqual(s.list<{ id: string }>('k', { prefix: 'a/' }).map((d) => d.id), ['a/1', 'a/2']);
    assert.deepEqual(s.list<{ id: string }>('k', { after: 'a/2', limit: 1 }).map((d) => d.id), ['b']);
    assert.equal(s.count('k', 'a/'), 2);
    assert.equal(s.delete('k', 'b'), true);
    assert.equal(s.delete('k', 'b'), false);
    assert.equal(s.get('k', 'b'), undefined);
  });
});

test('a failed transaction changes nothing and bumps no generation', () => {
  withStore((s) => {
    s.put('iam.user', 'a', { v: 1 });
    const g = s.generation;
    const iam = s.generationOf('iam');
    assert.throws(() => s.transaction(() => {
      s.put('iam.user', 'a', { v: 2 });
      s.put('iam.user', 'b', { v: 2 });
      throw new Error('boom');
    }));
    assert.deepEqual(s.get('iam.user', 'a'), { v: 1 });
    assert.equal(s.get('iam.user', 'b'), undefined);
    assert.equal(s.generation, g);
    assert.equal(s.generationOf('iam'), iam);
  });
});

test('generations count commits, per namespace', () => {
  withStore((s) => {
    const iam = s.generationOf('iam');
    const s3 = s.generationOf('s3');
    s.transaction(() => {
      s.put('iam.user', 'a', {});
      s.transaction(() => s.put('iam.group', 'g', {}));
    });
    assert.equal(s.generationOf('iam'), iam + 1, 'one commit, however nested');
    s.put('s3.object', 'o', {});
    assert.equal(s.generationOf('iam'), iam + 1, 'an S3 write leaves IAM caches alone');
    assert.equal(s.generationOf('s3'), s3 + 1);
  });
});
