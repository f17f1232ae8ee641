import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkForDatasetType, parseSchema } from './avro.js';

const schema = (fields: object[], name = 'Interactions') => JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', fields, version: '1.0' });
const INTERACTIONS = [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }];

test('structure: JSON, record, primitive or null-union types, categorical strings, names unique ignoring _', () => {
  assert.equal(parseSchema(schema(INTERACTIONS)).length, 3);
  const f = parseSchema(schema([...INTERACTIONS, { name: 'GENRE', type: ['null', 'string'], categorical: true }]))[3];
  assert.deepEqual(f, { name: 'GENRE', type: 'string', nullable: true, categorical: true, textual: false });
  for (const bad of [
    '{', JSON.stringify({ type: 'enum', name: 'x', fields: [] }), schema([]),
    schema([{ name: 'A', type: { type: 'array', items: 'string' } }]),
    schema([{ name: 'A', type: 'int', categorical: true }]),
    schema([{ name: 'GENRES_FIELD_1', type: 'string' }, { name: 'GENRESFIELD1', type: 'string' }]),
    schema([{ name: '1A', type: 'string' }]),
  ]) assert.throws(() => parseSchema(bad), { code: 'InvalidInputException' }, bad);
});

test('per dataset type: required and reserved fields, metadata limits, textual only in Items, domain fields', () => {
  checkForDatasetType(parseSchema(schema(INTERACTIONS)), 'Interactions');
  assert.throws(() => checkForDatasetType(parseSchema(schema(INTERACTIONS.slice(0, 2))), 'Interactions'), /TIMESTAMP/);
  assert.throws(() => checkForDatasetType(parseSchema(schema([...INTERACTIONS.slice(0, 2), { name: 'TIMESTAMP', type: 'string' }])), 'Interactions'), /TIMESTAMP/);
  assert.throws(() => checkForDatasetType(parseSchema(schema([...INTERACTIONS, { name: 'EVENT_VALUE', type: 'string' }])), 'Interactions'), /EVENT_VALUE/);
  const six = Array.from({ length: 6 }, (_, i) => ({ name: `M${i}`, type: 'string', categorical: true }));
  assert.throws(() => checkForDatasetType(parseSchema(schema([...INTERACTIONS, ...six])), 'Interactions'), /at most 5/);
  assert.throws(() => checkForDatasetType(parseSchema(schema([{ name: 'USER_ID', type: 'string' }], 'Users')), 'Users'), /at least 1/);
  const items = [{ name: 'ITEM_ID', type: 'string' }, { name: 'DESC', type: 'string', textual: true }];
  checkForDatasetType(parseSchema(schema(items, 'Items')), 'Items');
  assert.throws(() => checkForDatasetType(parseSchema(schema([{ name: 'USER_ID', type: 'string' }, { name: 'D', type: 'string', textual: true }], 'Users')), 'Users'), /Textual/);
  assert.throws(() => checkForDatasetType(parseSchema(schema(INTERACTIONS)), 'Interactions', 'ECOMMERCE'), /EVENT_TYPE/);
  checkForDatasetType(parseSchema(schema([...INTERACTIONS, { name: 'EVENT_TYPE', type: 'string' }])), 'Interactions', 'ECOMMERCE');
});
