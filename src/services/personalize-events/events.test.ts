import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignEnv, GROUP, P } from '../personalize-runtime/test-support.js';
import { Journal, journalPath } from './journal.js';
import { liveOf, openEvents } from './live.js';
import { fieldNameOf } from './properties.js';

test('the journal: concurrent appends all land, in call order, and a torn last line is dropped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailor-journal-'));
  try {
    const path = join(dir, 'j.jsonl');
    const j = new Journal(path);
    await Promise.all(Array.from({ length: 200 }, (_, i) => j.append([{ i }, { i, second: true }])));
    j.close();
    appendFileSync(path, '{"i": 99');
    const back = new Journal(path).readAll() as { i: number }[];
    assert.equal(back.length, 400);
    assert.deepEqual(back.slice(0, 4), [{ i: 0 }, { i: 0, second: true }, { i: 1 }, { i: 1, second: true }]);
    assert.equal(readFileSync(path, 'utf8').split('\n').length, 401);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the journal seals a keyed group\'s records: no plaintext on disk, read back only with the key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailor-journal-'));
  try {
    const path = join(dir, 'j.jsonl');
    const j = new Journal(path);
    const key = { id: 'k1', g: 'group@1', plaintext: Buffer.alloc(32, 9), sealed: Buffer.from('sealed-by-kms').toString('base64') };
    await Promise.all([
      j.append([{ itemId: 'secret-item-1' }, { itemId: 'secret-item-2' }], key),
      j.append([{ itemId: 'open-item' }]),
      j.append([{ itemId: 'secret-item-3' }], key),
    ]);
    await j.append([{ itemId: 'secret-item-4' }], key);
    j.close();
    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes('secret-item'), 'sealed records are not readable on disk');
    assert.ok(text.includes('open-item'));
    assert.equal(text.split('"key":"k1"').length, 2, 'the key line is written once');
    const opened: string[] = [];
    const back = new Journal(path).readAll((g, sealed) => (opened.push(`${g} ${sealed}`), key.plaintext)) as { itemId: string }[];
    assert.deepEqual(back.map((r) => r.itemId).sort(), ['open-item', 'secret-item-1', 'secret-item-2', 'secret-item-3', 'secret-item-4']);
    assert.deepEqual(opened, ['group@1 sealed-by-kms'], 'the key is opened once');
    // Without the key (KMS refuses), the sealed records are left out.
    assert.deepEqual(new Journal(path).readAll(() => undefined), [{ itemId: 'open-item' }]);
    assert.deepEqual(new Journal(path).readAll(() => Buffer.alloc(32, 1)), [{ itemId: 'open-item' }], 'a wrong key fails authentication');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('property keys map camelCase to schema fields', () => {
  assert.equal(fieldNameOf('numberOfRatings'), 'NUMBER_OF_RATINGS');
  assert.equal(fieldNameOf('GENRE'), 'GENRE');
  assert.equal(fieldNameOf('discount'), 'DISCOUNT');
});

test('PutEvents, PutItems, PutUsers: checks, dedup, nothing stored from a rejected call', async () => {
  const env = await campaignEnv();
  try {
    const put = (eventList: unknown[], extra: Record<string, unknown> = {}) =>
      env.events('PutEvents', { trackingId: env.trackingId, userId: 'u1', sessionId: 's', eventList, ...extra });
    const at = new Date('2024-01-01T00:00:00Z');
    await assert.rejects(put([{ eventType: 'click', itemId: 'i1', sentAt: at }], { trackingId: 'nope' }), { code: 'InvalidInputException' });
    await assert.rejects(put([{ eventType: 'click', itemId: 'i1', sentAt: at }, { eventType: 'click', itemId: 'i2', sentAt: at, properties: '{not json' }]),
      (e: any) => e.code === 'InvalidInputException' && /eventList\.2/.test(e.message));
    await assert.rejects(put([{ eventType: 'click', itemId: 'i1', sentAt: at, properties: '{"userId":"x"}' }]), (e: any) => /reserved/.test(e.message));
    await assert.rejects(put([{ eventType: 'click', itemId: 'i1', sentAt: at, properties: '{"colour":"red"}' }]), (e: any) => /COLOUR/.test(e.message));
    assert.equal(liveOf(env.app, GROUP), undefined, 'rejected calls stored nothing');

    await put([{ eventType: 'click', itemId: 'i1', sentAt: at, eventId: 'e1' }, { eventType: 'click', itemId: 'i1', sentAt: at, eventId: 'e1' }]);
    await put([{ eventType: 'View', itemId: 'i2', sentAt: at, eventId: 'e2', recommendationId: 'RID-x', impression: ['i2', 'i3'] }]);
    const live = liveOf(env.app, GROUP)!;
    assert.equal(live.itemCounts.get('i1'), 1, 'the duplicate eventId counted once');
    assert.deepEqual(live.events.get('u1')!.map((e) => [e.itemId, e.type]), [['i1', 'click'], ['i2', 'view']]);

    // Anonymous events under a session join the user once the session names one.
    await env.events('PutEvents', { trackingId: env.trackingId, sessionId: 'anon', eventList: [{ eventType: 'click', itemId: 'i4', sentAt: at }] });
    await env.events('PutEvents', { trackingId: env.trackingId, sessionId: 'anon', userId: 'later', eventList: [{ eventType: 'click', itemId: 'i5', sentAt: at }] });
    assert.deepEqual(live.events.get('later')!.map((e) => e.itemId), ['i4', 'i5']);
    // A restart (a new App over the same data dir) reads the same state back from the journal.
    const replayed = liveOf({ ...env.app }, GROUP)!;
    assert.deepEqual([...replayed.itemCounts], [...live.itemCounts]);
    assert.deepEqual(replayed.events.get('later'), live.events.get('later'));
    // openEvents (run at start) reads the journal there and then, not when a request first asks.
    const started = { ...env.app };
    openEvents(started);
    const path = journalPath(env.app.config.dataDir);
    renameSync(path, `${path}.moved`);
    try {
      assert.deepEqual(liveOf(started, GROUP)!.events.get('later'), live.events.get('later'));
    } finally {
      renameSync(`${path}.moved`, path);
    }

    await assert.rejects(env.events('PutItems', { datasetArn: `${P}:dataset/g/ITEMS`, items: [{ itemId: 'i1' }] }), { code: 'ResourceNotFoundException' });
    await env.call('CreateSchema', { name: 'users', schema: JSON.stringify({ type: 'record', name: 'Users', fields: [{ name: 'USER_ID', type: 'string' }, { name: 'AGE', type: 'int' }] }) });
    const { datasetArn } = await env.call('CreateDataset', { name: 'users', schemaArn: `${P}:schema/users`, datasetGroupArn: GROUP, datasetType: 'Users' });
    await assert.rejects(env.events('PutUsers', { datasetArn, users: [{ userId: 'u1', properties: '{"age": 3}' }] }), { code: 'ResourceInUseException' });
    await env.settle();
    await assert.rejects(env.events('PutUsers', { datasetArn, users: [{ userId: 'u1', properties: '{"age": "old"}' }] }), (e: any) => /type int/.test(e.message));
    await assert.rejects(env.events('PutItems', { datasetArn, items: [{ itemId: 'i1' }] }), { code: 'InvalidInputException' });
    await env.events('PutUsers', { datasetArn, users: [{ userId: 'u1', properties: '{"age": 30}' }] });
    assert.deepEqual(live.users.get('u1'), { AGE: 30 });
  } finally {
    env.close();
  }
});
