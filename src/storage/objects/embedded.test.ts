import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { SqliteStore } from '../metadata/sqlite.js';
import { EmbeddedObjectStore } from './embedded.js';
import type { PutOptions } from './types.js';

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'tailor-objects-'));
  const meta = new SqliteStore(join(dir, 'meta.db'));
  const store = new EmbeddedObjectStore(dir, meta);
  return { dir, meta, store, close: () => { meta.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** Every file under dir, relative. */
function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as any[])
    .filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath ?? e.path, e.name))).sort();
}
const blobFiles = (dir: string) => files(join(dir, 'objects'));
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const opts = (extra: Partial<PutOptions> & { uploadId?: string } = {}): PutOptions & { uploadId: string } => ({ attrs: {}, lastModified: new Date("2024-01-01T00:00:00Z"), uploadId: "", ...extra });
const stream = (...parts: (string | Buffer)[]) => Readable.from(parts.map((p) => Buffer.from(p)));
async function readAll(r: Readable): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of r) out.push(c);
  return Buffer.concat(out);
}

test('put, head, read whole and by range; ETag is the MD5', async () => {
  const f = fixture();
  try {
    const obj = await f.store.put('b', 'k', stream('hello ', 'world'), opts());
    assert.equal(obj.etag, createHash('md5').update('hello world').digest('hex'));
    assert.equal(obj.size, 11);
    assert.deepEqual(f.store.head('b', 'k'), obj);
    assert.equal((await readAll(f.store.read(obj))).toString(), 'hello world');
    assert.equal((await readAll(f.store.read(obj, { range: { start: 6, end: 10 } }))).toString(), 'world');
  } finally { f.close(); }
});

test('encrypted at rest: the file is not the plaintext, reads decrypt whole and ranged', async () => {
  const f = fixture();
  try {
    const key = randomBytes(32);
    const plain = Buffer.from('secret training data '.repeat(10000));
    const obj = await f.store.put('b', 'k', Readable.from([plain]), opts({ dataKey: key }));
    const [file] = blobFiles(f.dir);
    const onDisk = readFileSync(join(f.dir, 'objects', file));
    assert.equal(onDisk.indexOf('secret training data'), -1);
    assert.deepEqual(await readAll(f.store.read(obj, { dataKey: key })), plain);
    assert.deepEqual(await readAll(f.store.read(obj, { dataKey: key, range: { start: 70000, end: 70100 } })), plain.subarray(70000, 70101));
  } finally { f.close(); }
});

test('hostile keys never reach the file system: files are named by uuid under objects/data', async () => {
  const f = fixture();
  try {
    const keys = ['../../etc/passwd', '/abs/path', '..', 'a/../../b', 'é'.repeat(512), '\u{1F600}'.repeat(256), 'nul\u0001byte'];
    assert.equal(Buffer.byteLength(keys[4]), 1024);
    for (const k of keys) await f.store.put('b', k, stream(k), opts());
    for (const k of keys) assert.equal((await readAll(f.store.read(f.store.head('b', k)!))).toString(), k);
    const all = files(f.dir).filter((p) => !p.startsWith('meta.db'));
    assert.equal(all.length, keys.length);
    for (const p of all) assert.match(p, new RegExp(`^objects/data/[0-9a-f]{2}/${UUID}$`));
  } finally { f.close(); }
});

test('overwrite and remove leave exactly the live files; a read opened before a remove still completes', async () => {
  const f = fixture();
  try {
    await f.store.put('b', 'k', stream('one'), opts());
    const second = await f.store.put('b', 'k', stream('two'), opts());
    assert.equal(blobFiles(f.dir).length, 1);
    const reading = f.store.read(second);
    assert.equal(f.store.remove('b', 'k')?.etag, second.etag);
    assert.equal((await readAll(reading)).toString(), 'two');
    assert.equal(f.store.head('b', 'k'), undefined);
    assert.deepEqual(blobFiles(f.dir), []);
    assert.equal(f.store.remove('b', 'k'), undefined);
  } finally { f.close(); }
});

test('an interrupted upload leaves no object and no temp file', async () => {
  const f = fixture();
  try {
    const body = new Readable({ read() {} });
    const putting = f.store.put('b', 'k', body, opts());
    body.push(Buffer.alloc(100000));
    setImmediate(() => body.destroy(new Error('client went away')));
    await assert.rejects(putting, /client went away/);
    assert.equal(f.store.head('b', 'k'), undefined);
    assert.deepEqual(blobFiles(f.dir), []);
  } finally { f.close(); }
});

test('a size limit stops the write mid-stream; a failing commit check rolls back and keeps the old object', async () => {
  const f = fixture();
  try {
    await assert.rejects(f.store.put('b', 'k', stream('x'.repeat(100)), opts({ limit: { bytes: 10, error: () => new Error('too big') } })), /too big/);
    const first = await f.store.put('b', 'k', stream('first'), opts());
    await assert.rejects(f.store.put('b', 'k', stream('second'), opts({ check: () => { throw new Error('bad digest'); } })), /bad digest/);
    assert.deepEqual(f.store.head('b', 'k'), first);
    assert.equal((await readAll(f.store.read(first))).toString(), 'first');
    assert.equal(blobFiles(f.dir).length, 1);
  } finally { f.close(); }
});

test('recovery after a crash: temp files a record names return, others are deleted', async () => {
  const f = fixture();
  try {
    const kept = await f.store.put('b', 'kept', stream('survives'), opts());
    // Crash between "retire" and the commit: the referenced file sits in tmp.
    renameSync(join(f.dir, 'objects/data', kept.blob.slice(0, 2), kept.blob), join(f.dir, 'objects/tmp', kept.blob));
    // Crash mid-upload: a half-written file nobody names.
    writeFileSync(join(f.dir, 'objects/tmp', '11111111-2222-3333-4444-555555555555'), 'partial');
    const reopened = new EmbeddedObjectStore(f.dir, f.meta);
    assert.deepEqual(readdirSync(join(f.dir, 'objects/tmp')), []);
    assert.equal((await readAll(reopened.read(reopened.head('b', 'kept')!))).toString(), 'survives');
  } finally { f.close(); }
});

test('list: a bucket\'s objects in key order, by prefix and after a key', async () => {
  const f = fixture();
  try {
    for (const k of ['b', 'a/2', 'a/1', 'c']) await f.store.put('bk', k, stream(k), opts());
    await f.store.put('bk2', 'a/0', stream('other bucket'), opts());
    assert.deepEqual(f.store.list('bk', { limit: 10 }).map((o) => o.key), ['a/1', 'a/2', 'b', 'c']);
    assert.deepEqual(f.store.list('bk', { prefix: 'a/', limit: 10 }).map((o) => o.key), ['a/1', 'a/2']);
    assert.deepEqual(f.store.list('bk', { after: 'a/2', limit: 1 }).map((o) => o.key), ['b']);
    assert.equal(f.store.hasObjects('bk'), true);
    assert.equal(f.store.hasObjects('none'), false);
  } finally { f.close(); }
});

for (const encrypted of [false, true]) {
  test(`multipart ${encrypted ? 'encrypted ' : ''}: parts assemble in the listed order; unlisted parts and all part files go`, async () => {
    const f = fixture();
    try {
      const dataKey = encrypted ? randomBytes(32) : undefined;
      const parts = [randomBytes(70000), randomBytes(5), randomBytes(100000)];
      const stored = [];
      for (const [i, p] of parts.entries()) {
        stored.push(await f.store.putPart('up1', i + 1, Readable.from([p]), { lastModified: new Date(), dataKey }));
      }
      await f.store.putPart('up1', 9, stream('not listed'), { lastModified: new Date(), dataKey });
      assert.deepEqual(f.store.parts('up1').map((p) => p.partNumber), [1, 2, 3, 9]);
      assert.deepEqual(f.store.parts('up1', { after: 2, limit: 1 }).map((p) => p.partNumber), [3]);
      assert.deepEqual(await readAll(f.store.read(stored[1], { dataKey })), parts[1]);
      const obj = await f.store.assemble('b', 'k', stored, opts({ uploadId: 'up1', dataKey, etag: 'x-3' }));
      assert.equal(obj.etag, 'x-3');
      assert.equal(obj.size, 170005);
      assert.deepEqual(await readAll(f.store.read(obj, { dataKey })), Buffer.concat(parts));
      assert.deepEqual(f.store.parts('up1'), []);
      assert.equal(blobFiles(f.dir).length, 1);
    } finally { f.close(); }
  });
}

test('a part replaced while the upload completes fails the completion; dropParts removes every part', async () => {
  const f = fixture();
  try {
    const p1 = await f.store.putPart('u', 1, stream('a'), { lastModified: new Date() });
    const big = await f.store.putPart('u', 2, Readable.from([Buffer.alloc(8 << 20)]), { lastModified: new Date() });
    // Replaced before the completion starts (stale list) and while it runs (the big part is still being read).
    await f.store.putPart('u', 1, stream('b'), { lastModified: new Date() });
    await assert.rejects(f.store.assemble('b', 'k', [p1], opts({ uploadId: 'u' })));
    const assembling = f.store.assemble('b', 'k', [big], opts({ uploadId: 'u' }));
    await f.store.putPart('u', 2, stream('c'), { lastModified: new Date() });
    await assert.rejects(assembling, /changed while/);
    assert.equal(f.store.head('b', 'k'), undefined);
    assert.equal(readdirSync(join(f.dir, 'objects/tmp')).length, 0);
    f.store.dropParts('u');
    assert.deepEqual(f.store.parts('u'), []);
    assert.deepEqual(blobFiles(f.dir), []);
  } finally { f.close(); }
});

test('kill -9 in the middle of an upload: after reopening, no object and no temp file', async () => {
  const f = fixture();
  try {
    await f.store.put('b', 'old', stream('kept'), opts());
    const here = import.meta.url;
    // A separate process streams an endless body into the store; it is killed while writing.
    const script = `
      const { EmbeddedObjectStore } = await import(${JSON.stringify(new URL('./embedded.js', here).href)});
      const { SqliteStore } = await import(${JSON.stringify(new URL('../metadata/sqlite.js', here).href)});
      const { Readable } = await import('node:stream');
      const store = new EmbeddedObjectStore(${JSON.stringify(f.dir)}, new SqliteStore(${JSON.stringify(join(f.dir, 'meta.db'))}));
      let n = 0;
      const body = new Readable({ read() { if (++n === 20) process.stdout.write('writing\\n'); this.push(Buffer.alloc(1 << 16)); } });
      store.put('b', 'new', body, { attrs: {}, lastModified: new Date() });`;
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.on('data', (d) => { if (String(d).includes('writing')) resolve(); }));
    assert.ok(readdirSync(join(f.dir, 'objects/tmp')).length > 0, 'the upload was in progress');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const reopened = new EmbeddedObjectStore(f.dir, f.meta);
    assert.deepEqual(readdirSync(join(f.dir, 'objects/tmp')), []);
    assert.equal(reopened.head('b', 'new'), undefined);
    assert.equal((await readAll(reopened.read(reopened.head('b', 'old')!))).toString(), 'kept');
    assert.equal(blobFiles(f.dir).length, 1);
  } finally { f.close(); }
});
