import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerLines, Histories, inferenceAnswer, parseAttributes, segmentAnswer, LineError, type BatchModel } from './batch-answer.js';
import { TableBuilder, type Table } from './table.js';
import type { Field } from './avro.js';
import type { Model } from '../../training/index.js';

const ITEMS = ['a', 'b', 'c', 'd', 'e'];

/** Scores item i as i / 10 (e best), similar items by distance, segments by user index; 'GENRE=x' holds a and b. */
const fake: Model = {
  recipe: 'fake', nItems: ITEMS.length,
  score: (_h, out) => out.forEach((_, i) => (out[i] = i / 10)),
  toArtifact: () => ({ recipe: 'fake', version: 1, params: {}, arrays: {} }),
  similar: (item, out) => out.forEach((_, i) => (out[i] = 10 - Math.abs(i - item))),
  segment: (items, k) => ({ users: Int32Array.from([...items].reverse().slice(0, k)), scores: new Float32Array(Math.min(k, items.length)) }),
  itemsWithAttribute: (token) => (token === 'GENRE=x' ? Int32Array.of(0, 1) : token === 'GENRE=y' ? Int32Array.of(1, 2) : new Int32Array(0)),
};
const model: BatchModel = { popular: ['c', 'a', 'b'], engine: { model: fake, itemIds: ITEMS, userIds: ['u0', 'u1', 'u2'], indexOf: new Map(ITEMS.map((id, i) => [id, i])) } };

const FIELDS: Field[] = ['USER_ID', 'ITEM_ID', 'TIMESTAMP'].map((name) => ({ name, type: name === 'TIMESTAMP' ? 'long' : 'string', nullable: false, categorical: false, textual: false }));
function interactions(rows: [string, string, number][]): Table {
  const b = new TableBuilder(FIELDS);
  for (const r of rows) {
    r.forEach((v, c) => b.value(c, String(v)));
    b.endRow();
  }
  return b.table();
}
const histories = new Histories(interactions([['u1', 'e', 2], ['u1', 'c', 1], ['u2', 'a', 1], ['u2', 'a', 2], ['u3', 'b', 1]]));
const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l));

// Softmax at temperature 0.1 over the catalogue (Personalize's scores).
const softmax = (i: number, over: number[]) => Math.round((Math.exp(i) / over.reduce((s, j) => s + Math.exp(j), 0)) * 1e7) / 1e7;

test('user recommendations leave out what the user interacted with, scored over the catalogue', () => {
  const out = lines(answerLines('{"userId":"u1"}\n\n{"userId":"nobody"}\n', inferenceAnswer(model, histories, 'aws-user-personalization', 'USER_PERSONALIZATION', 2)));
  assert.deepEqual(out[0], { input: { userId: 'u1' }, output: { recommendedItems: ['d', 'b'], scores: [softmax(3, [0, 1, 2, 3, 4]), softmax(1, [0, 1, 2, 3, 4])] }, error: null });
  assert.deepEqual(out[1].output.recommendedItems, ['e', 'd']);
  assert.equal(out.length, 2);
});

test('a bad line gets its error and the other lines their answers', () => {
  const out = lines(answerLines('not json\n[1]\n{"user":"u1"}\n{"userId":"u1"}\n', inferenceAnswer(model, histories, 'aws-user-personalization', 'USER_PERSONALIZATION', 1)));
  assert.deepEqual(out.map((l) => l.error === null), [false, false, false, true]);
  assert.deepEqual(out[0], { input: 'not json', output: null, error: 'Invalid input: the line is not a JSON object.' });
  assert.deepEqual(out[2], { input: { user: 'u1' }, output: null, error: 'Invalid input: userId is required.' });
});

test('ranking orders the given list; items the model does not know go last with score 0', () => {
  const answer = inferenceAnswer(model, histories, 'aws-personalized-ranking', 'PERSONALIZED_RANKING', 25);
  assert.deepEqual(answer({ userId: 'u1', itemList: ['a', 'zzz', 'c'] }), { recommendedItems: ['c', 'a', 'zzz'], scores: [softmax(2, [0, 2]), softmax(0, [0, 2]), 0] });
  assert.throws(() => answer({ userId: 'u1', itemList: [] }), LineError);
});

test('related items come from the model\'s similarity; popularity-count answers the popular items', () => {
  assert.deepEqual(inferenceAnswer(model, histories, 'aws-sims', 'RELATED_ITEMS', 2)({ itemId: 'c' }), { recommendedItems: ['b', 'd'] });
  assert.deepEqual(inferenceAnswer(model, histories, 'aws-sims', 'RELATED_ITEMS', 2)({ itemId: 'unknown' }), { recommendedItems: ['c', 'a'] });
  assert.deepEqual(inferenceAnswer(model, histories, 'aws-popularity-count', 'USER_PERSONALIZATION', 2)({ userId: 'u1' }), { recommendedItems: ['c', 'a'] });
});

test('segments: an item, or items by attribute expression, to the model\'s users', () => {
  const answer = segmentAnswer(model, ['GENRE'], 5);
  assert.deepEqual(answer({ itemId: 'c' }), { usersList: ['u2'] });
  assert.deepEqual(answer({ itemAttributes: 'ITEMS.genre = "x" AND ITEMS.GENRE = "y"' }), { usersList: ['u1'] });
  assert.deepEqual(answer({ itemAttributes: 'ITEMS.genre = "x" OR ITEMS.genre = "y"' }), { usersList: ['u2', 'u1', 'u0'] });
  assert.throws(() => answer({ itemAttributes: 'GENRE is x' }), LineError);
  // A model that does not segment (trained before its recipe did) answers every line with an error.
  assert.throws(() => segmentAnswer({ popular: ['a', 'b'] }, [], 5)({ itemId: 'a' }), LineError);
});

test('attribute expressions: quoted values with escapes, one kind of join', () => {
  assert.deepEqual(parseAttributes('ITEMS.genres = "Comedy" AND ITEMS.genres = "Action \\"A\\""'), {
    all: true, conditions: [{ field: 'genres', value: 'Comedy' }, { field: 'genres', value: 'Action "A"' }],
  });
  assert.throws(() => parseAttributes('ITEMS.a = "1" AND ITEMS.b = "2" OR ITEMS.c = "3"'), LineError);
  assert.throws(() => parseAttributes('ITEMS.a = "1" AND'), LineError);
});
