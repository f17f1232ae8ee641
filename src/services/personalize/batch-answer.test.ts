import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerLines, parseAttributes, segmentAnswer, segmentFilter, LineError, type BatchModel } from './batch-answer.js';
import { inferenceAnswer as answerWith, type InferenceOptions } from './batch-inference.js';
import { BatchData, type GroupSnapshot } from './batch-data.js';
import { parseFilter } from './filter-language/index.js';
import { encodeTable, TableBuilder, type Table } from './table.js';
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
const model: BatchModel = { popular: ['c', 'a', 'b'], counts: [3, 2, 1], engine: { model: fake, itemIds: ITEMS, userIds: ['u0', 'u1', 'u2'], indexOf: new Map(ITEMS.map((id, i) => [id, i])) } };

const field = (name: string, type: Field['type'] = 'string', categorical = false): Field => ({ name, type, nullable: true, categorical, textual: false });
function table(fields: Field[], rows: (string | number)[][]): Table {
  const b = new TableBuilder(fields);
  for (const r of rows) {
    r.forEach((v, c) => b.value(c, String(v)));
    b.endRow();
  }
  return b.table();
}
const IX = [field('USER_ID'), field('ITEM_ID'), field('TIMESTAMP', 'long'), field('EVENT_TYPE')];
const interactions = (rows: (string | number)[][]) => new Uint8Array(encodeTable(table(IX, rows)));
const group: GroupSnapshot = { interactions: interactions([['u1', 'e', 2, 'click'], ['u1', 'c', 1, 'click'], ['u2', 'a', 1, 'click'], ['u2', 'a', 2, 'buy'], ['u3', 'b', 1, 'click']]) };
const histories = new BatchData(group, ITEMS, model.popular);
const inferenceAnswer = (m: BatchModel, data: BatchData, recipe: string, recipeType: string, numResults: number, more: Partial<InferenceOptions> = {}) =>
  answerWith(m, data, { recipe, recipeType, numResults, ...more });
const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l));

// Softmax at temperature 0.1 over the catalogue (Personalize's scores).
const softmax = (i: number, over: number[]) => Math.round((Math.exp(i) / over.reduce((s, j) => s + Math.exp(j), 0)) * 1e7) / 1e7;

test('user recommendations leave out what the user interacted with, scored over the catalogue', () => {
  const out = lines(answerLines('{"userId":"u1"}\n\n{"userId":"nobody"}\n', inferenceAnswer(model, histories, 'aws-user-personalization', 'USER_PERSONALIZATION', 2)));
  assert.deepEqual(out[0], { input: { userId: 'u1' }, output: { recommendedItems: ['d', 'b'], scores: [softmax(3, [0, 1, 2, 3, 4]), softmax(1, [0, 1, 2, 3, 4])] }, error: null });
  // A user with no history gets the popular items (as GetRecommendations), scored by their share of interactions.
  assert.deepEqual(out[1].output, { recommendedItems: ['c', 'a'], scores: [3 / 6, 2 / 6] });
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

// Items a, b, e are GENRE x; c, d are y. new1 (created recently) and new2 come only from the Items data.
const ITEM_FIELDS = [field('ITEM_ID'), field('GENRE', 'string', true), field('CREATION_TIMESTAMP', 'long'), field('TITLE')];
const itemsTable = new Uint8Array(encodeTable(table(ITEM_FIELDS, [
  ['a', 'x', 1_600_000_000, 'Ay'], ['b', 'x', 1_600_000_000, 'Bee'], ['c', 'y', 1_600_000_000, 'Cee'], ['d', 'y', 1_600_000_000, 'Dee'], ['e', 'x', 1_600_000_000, 'Ee'],
  ['new1', 'x', 1_700_000_000, 'New one'], ['new2', 'y', '', 'New two'],
])));
const T0 = 1_700_000_100;
const withItems = new BatchData({ items: itemsTable, interactions: interactions([['u1', 'e', T0 + 2, 'click'], ['u1', 'c', T0 + 1, 'click'], ['u2', 'a', T0, 'buy']]) }, ITEMS, model.popular);
const filter = (expr: string) => parseFilter(expr);

test('the job\'s filter applies to every line, with the line\'s filterValues; a missing INCLUDE value fails only that line', () => {
  const answer = inferenceAnswer(model, withItems, 'aws-user-personalization', 'USER_PERSONALIZATION', 3, { filter: filter('INCLUDE ItemID WHERE Items.GENRE IN ($GENRES)') });
  const out = lines(answerLines([
    JSON.stringify({ userId: 'u1', filterValues: { GENRES: '"x"' } }),
    JSON.stringify({ userId: 'u1', filterValues: { GENRES: '"y","x"' } }),
    JSON.stringify({ userId: 'u1' }),
    JSON.stringify({ userId: 'u1', filterValues: { GENRES: 'not quoted' } }),
    JSON.stringify({ userId: 'u1', filterValues: ['x'] }),
  ].join('\n'), answer));
  // u1 saw c and e; by score d, b, a remain, and only b, a (and the new x item) are GENRE x.
  assert.deepEqual(out[0].output.recommendedItems, ['b', 'a']);
  assert.deepEqual(out[1].output.recommendedItems, ['d', 'b', 'a']);
  assert.match(out[2].error, /requires a value for parameter GENRES/);
  assert.match(out[3].error, /Invalid value for filter parameter GENRES/);
  assert.match(out[4].error, /filterValues/);
  // An EXCLUDE expression without its value is skipped, as at runtime.
  const exclude = inferenceAnswer(model, withItems, 'aws-user-personalization', 'USER_PERSONALIZATION', 3, { filter: filter('EXCLUDE ItemID WHERE Items.GENRE IN ($G)') });
  assert.deepEqual(exclude({ userId: 'u1' }).recommendedItems, ['d', 'b', 'a']);
  assert.deepEqual(exclude({ userId: 'u1', filterValues: { G: '"y"' } }).recommendedItems, ['b', 'a']);
});

test('filters on interactions, the current item, and popularity and ranking answers', () => {
  const bought = inferenceAnswer(model, withItems, 'aws-popularity-count', 'USER_PERSONALIZATION', 3, { filter: filter('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy")') });
  assert.deepEqual(bought({ userId: 'u2' }).recommendedItems, ['c', 'b'], 'u2 bought a');
  assert.deepEqual(bought({ userId: 'u1' }).recommendedItems, ['c', 'a', 'b']);
  const sameGenre = inferenceAnswer(model, withItems, 'aws-sims', 'RELATED_ITEMS', 3, { filter: filter('INCLUDE ItemID WHERE Items.GENRE IN (CurrentItem.GENRE)') });
  assert.deepEqual(sameGenre({ itemId: 'c' }).recommendedItems, ['d']);
  const ranking = inferenceAnswer(model, withItems, 'aws-personalized-ranking', 'PERSONALIZED_RANKING', 25, { filter: filter('INCLUDE ItemID WHERE Items.GENRE IN ($G)') });
  assert.deepEqual(ranking({ userId: 'u1', itemList: ['a', 'c', 'e', 'zzz'], filterValues: { G: '"x"' } }).recommendedItems, ['e', 'a']);
});

test('PutEvents join the imported interactions: live items are seen and count for filters', () => {
  const live = new BatchData({ ...group, live: { events: [['u3', [{ itemId: 'e', type: 'click', t: 5 }, { itemId: 'd', type: 'watch', t: 6 }]]], items: [], users: [], itemCounts: [['e', 1], ['d', 1]] } }, ITEMS, model.popular);
  const answer = inferenceAnswer(model, live, 'aws-user-personalization', 'USER_PERSONALIZATION', 2);
  assert.deepEqual(answer({ userId: 'u3' }).recommendedItems, ['c', 'a'], 'u3 imported b, sent e and d');
  assert.deepEqual(inferenceAnswer(model, histories, 'aws-user-personalization', 'USER_PERSONALIZATION', 2)({ userId: 'u3' }).recommendedItems, ['e', 'd']);
  const watched = inferenceAnswer(model, live, 'aws-popularity-count', 'USER_PERSONALIZATION', 5, { filter: filter('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch")') });
  // Popularity counts PutEvents too (e and d have one each); u3 watched d.
  assert.deepEqual(watched({ userId: 'u3' }).recommendedItems, ['c', 'a', 'b', 'e']);
  const hot = new BatchData({ live: { events: [['u9', [{ itemId: 'e', type: 'click', t: 1 }]]], items: [], users: [], itemCounts: [['e', 5]] } }, ITEMS, model.popular);
  assert.deepEqual(inferenceAnswer(model, hot, 'aws-popularity-count', 'USER_PERSONALIZATION', 2)({ userId: 'u9' }).recommendedItems, ['e', 'c'], 'five PutEvents lift e to the top');
    // PutItems records overlay the Items data for filters.
  const relabelled = new BatchData({ items: itemsTable, live: { events: [], items: [['c', { GENRE: 'x' }]], users: [], itemCounts: [] } }, ITEMS, model.popular);
  const xOnly = inferenceAnswer(model, relabelled, 'aws-popularity-count', 'USER_PERSONALIZATION', 5, { filter: filter('INCLUDE ItemID WHERE Items.GENRE IN ("x")') });
  assert.deepEqual(xOnly({ userId: 'u1' }).recommendedItems, ['c', 'a', 'b']);
});

test('itemExplorationConfig: new items take their share of the places, recently created first, with score 0', () => {
  const explore = (exploration: Record<string, string>, recipe = 'aws-user-personalization') =>
    inferenceAnswer(model, withItems, recipe, 'USER_PERSONALIZATION', 4, { exploration })({ userId: 'u1' }) as { recommendedItems: string[]; scores: number[] };
  const out = explore({ explorationWeight: '0.5' });
  assert.deepEqual(out.recommendedItems, ['new1', 'd', 'b', 'new2']);
  assert.equal(out.scores[0], 0);
  assert.equal(out.scores[3], 0);
  assert.ok(out.scores[1] > 0);
  // A cut-off that leaves new1 out of the recent ones: both still come, as items no event reached (latest added first).
  assert.deepEqual(explore({ explorationWeight: '0.5', explorationItemAgeCutOff: '0.0001' }).recommendedItems, ['new2', 'd', 'b', 'new1']);
  assert.deepEqual(explore({ explorationWeight: '0' }).recommendedItems, ['d', 'b', 'a'], 'weight 0 explores nothing');
  assert.deepEqual(explore({ explorationWeight: '1' }, 'aws-hrnn').recommendedItems, ['d', 'b', 'a'], 'only User-Personalization explores');
});

test('THEME_GENERATION: related items with a theme named from the Items data and their relevance', () => {
  const answer = inferenceAnswer(model, withItems, 'aws-similar-items', 'RELATED_ITEMS', 2, { themeItemName: 'TITLE' });
  assert.deepEqual(answer({ itemId: 'c' }), { recommendedItems: ['b', 'd'], theme: 'More like Cee', itemsThemeRelevanceScores: [9, 9] });
});

test('a segment job\'s UserID filter: Users fields, interactions, and the items users interacted with', () => {
  const users = new Uint8Array(encodeTable(table([field('USER_ID'), field('PLAN')], [['u0', 'free'], ['u1', 'paid'], ['u2', 'paid']])));
  const data = new BatchData({ ...group, items: itemsTable, users }, ITEMS, model.popular);
  const segments = (expr: string, input: Record<string, unknown>, n = 2) =>
    segmentAnswer(model, ['GENRE'], n, segmentFilter(model, data, parseFilter(expr)))({ itemAttributes: 'ITEMS.GENRE = "x" OR ITEMS.GENRE = "y"', ...input });
  // Unfiltered, the fake model ranks u2, u1, u0.
  assert.deepEqual(segments('INCLUDE UserID WHERE Users.PLAN IN ($PLAN)', { filterValues: { PLAN: '"paid"' } }), { usersList: ['u2', 'u1'] });
  assert.deepEqual(segments('INCLUDE UserID WHERE Users.PLAN IN ($PLAN)', { filterValues: { PLAN: '"free"' } }), { usersList: ['u0'] }, 'the model is asked for more users');
  assert.throws(() => segments('INCLUDE UserID WHERE Users.PLAN IN ($PLAN)', {}), /requires a value for parameter PLAN/);
  assert.deepEqual(segments('EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("buy")', {}, 3), { usersList: ['u1', 'u0'] }, 'u2 bought a');
  // u1 interacted with e (x) and c (y); u2 only with a (x).
  assert.deepEqual(segments('INCLUDE UserID WHERE Items.GENRE IN ("y")', {}, 3), { usersList: ['u1'] });
});

test('rankingInfluence: popularity (and freshness) weigh into related items', () => {
  const counted: BatchModel = { ...model, counts: [5, 3, 1] };
  const related = (rankingInfluence?: Record<string, number>) =>
    inferenceAnswer(counted, withItems, 'aws-semantic-similarity', 'RELATED_ITEMS', 2, { rankingInfluence })({ itemId: 'c' }).recommendedItems;
  assert.deepEqual(related(), ['b', 'd']);
  assert.deepEqual(related({ POPULARITY: 0 }), ['b', 'd']);
  // a (3 interactions) and b (1) rise above d and e (none).
  assert.deepEqual(related({ POPULARITY: 1 }), ['a', 'b']);
  // Every item has the same CREATION_TIMESTAMP but the new ones: freshness changes nothing among the model's items.
  assert.deepEqual(related({ FRESHNESS: 1 }), ['b', 'd']);
  const created = new Uint8Array(encodeTable(table(ITEM_FIELDS, ITEMS.map((id, i) => [id, 'x', id === 'e' ? 100 : i + 1, id]))));
  const fresh = new BatchData({ items: created }, ITEMS, model.popular);
  assert.deepEqual(inferenceAnswer(counted, fresh, 'aws-semantic-similarity', 'RELATED_ITEMS', 2, { rankingInfluence: { FRESHNESS: 1 } })({ itemId: 'c' }).recommendedItems, ['e', 'd']);
});
