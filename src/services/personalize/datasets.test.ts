import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INTERACTIONS_SCHEMA, pzEnv } from './test-support.js';

const P = 'arn:aws:personalize:us-east-1:000000000000';

async function groupWithSchema(env: ReturnType<typeof pzEnv>) {
  await env.call('CreateDatasetGroup', { name: 'g' });
  const { schemaArn } = await env.call('CreateSchema', { name: 's', schema: INTERACTIONS_SCHEMA });
  return { group: `${P}:dataset-group/g`, schemaArn };
}

test('datasets need an ACTIVE group and a suited schema; one per type; delete order is enforced', async () => {
  const env = pzEnv();
  try {
    const { group, schemaArn } = await groupWithSchema(env);
    assert.equal(schemaArn, `${P}:schema/s`);
    await assert.rejects(env.call('CreateDataset', { name: 'd', schemaArn, datasetGroupArn: group, datasetType: 'Interactions' }), { code: 'ResourceInUseException' });
    await env.settle();
    await assert.rejects(env.call('CreateDataset', { name: 'd', schemaArn, datasetGroupArn: group, datasetType: 'Actions' }), { code: 'InvalidInputException' });
    await assert.rejects(env.call('CreateDataset', { name: 'd', schemaArn, datasetGroupArn: group, datasetType: 'Nope' }), { code: 'InvalidInputException' });
    const { datasetArn } = await env.call('CreateDataset', { name: 'd', schemaArn, datasetGroupArn: group, datasetType: 'interactions' });
    assert.equal(datasetArn, `${P}:dataset/g/INTERACTIONS`);
    assert.deepEqual(env.last.queries.map((q) => q.resource), [group, datasetArn]);
    await assert.rejects(env.call('CreateDataset', { name: 'd2', schemaArn, datasetGroupArn: group, datasetType: 'Interactions' }), { code: 'ResourceAlreadyExistsException' });
    await env.settle();
    const { dataset } = await env.call('DescribeDataset', { datasetArn });
    assert.equal(dataset.status, 'ACTIVE');
    assert.equal(dataset.datasetType, 'Interactions');
    assert.equal((await env.call('ListDatasets', { datasetGroupArn: group })).datasets.length, 1);
    assert.equal((await env.call('ListDatasets', { datasetGroupArn: `${P}:dataset-group/other` })).datasets.length, 0);

    const { schemaArn: s2 } = await env.call('CreateSchema', {
      name: 's2',
      schema: JSON.stringify({ ...JSON.parse(INTERACTIONS_SCHEMA), fields: [...JSON.parse(INTERACTIONS_SCHEMA).fields, { name: 'EVENT_TYPE', type: 'string' }] }),
    });
    await env.call('UpdateDataset', { datasetArn, schemaArn: s2 });
    const updated = (await env.call('DescribeDataset', { datasetArn })).dataset;
    assert.equal(updated.schemaArn, s2);
    assert.equal(updated.latestDatasetUpdate.status, 'ACTIVE');

    await assert.rejects(env.call('DeleteSchema', { schemaArn: s2 }), { code: 'ResourceInUseException', status: 409 });
    await assert.rejects(env.call('DeleteDatasetGroup', { datasetGroupArn: group }), { code: 'ResourceInUseException' });
    await env.call('DeleteDataset', { datasetArn });
    assert.equal((await env.call('DescribeDataset', { datasetArn })).dataset.status, 'DELETE PENDING');
    await env.settle();
    await env.call('DeleteSchema', { schemaArn: s2 });
    await env.call('DeleteDatasetGroup', { datasetGroupArn: group });
    await env.settle();
    assert.equal((await env.call('ListDatasetGroups', {})).datasetGroups.length, 0);
  } finally {
    env.close();
  }
});

test('schemas: validated, listed, unique by name', async () => {
  const env = pzEnv();
  try {
    await assert.rejects(env.call('CreateSchema', { name: 'bad', schema: '{"type":"record"' }), { code: 'InvalidInputException', status: 400 });
    await env.call('CreateSchema', { name: 'a', schema: INTERACTIONS_SCHEMA, domain: 'ECOMMERCE' });
    await assert.rejects(env.call('CreateSchema', { name: 'a', schema: INTERACTIONS_SCHEMA }), { code: 'ResourceAlreadyExistsException' });
    const { schemas } = await env.call('ListSchemas', {});
    assert.deepEqual(schemas.map((s: any) => [s.name, s.domain]), [['a', 'ECOMMERCE']]);
    assert.equal((await env.call('DescribeSchema', { schemaArn: `${P}:schema/a` })).schema.schema, INTERACTIONS_SCHEMA);
    await assert.rejects(env.call('DescribeSchema', { schemaArn: `${P}:schema/zz` }), { code: 'ResourceNotFoundException' });
  } finally {
    env.close();
  }
});

test('event trackers: one per group, trackingId UUID; filters: syntax-checked, listed under Filters', async () => {
  const env = pzEnv();
  try {
    const { group } = await groupWithSchema(env);
    await env.settle();
    const t = await env.call('CreateEventTracker', { name: 't', datasetGroupArn: group });
    assert.match(t.trackingId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(t.eventTrackerArn, `${P}:event-tracker/t`);
    await assert.rejects(env.call('CreateEventTracker', { name: 't2', datasetGroupArn: group }), { code: 'LimitExceededException' });
    await env.settle();
    const { eventTracker } = await env.call('DescribeEventTracker', { eventTrackerArn: t.eventTrackerArn });
    assert.equal(eventTracker.status, 'ACTIVE');
    assert.equal(eventTracker.accountId, '000000000000');

    for (const bad of ['EXCLUDE', 'INCLUDE ItemID WHERE Items.GENRE IN ("a"', 'DROP ItemID WHERE Items.X = 1', 'INCLUDE ItemID WHERE Items.GENRE IN ("a|b") | nonsense']) {
      await assert.rejects(env.call('CreateFilter', { name: 'f', datasetGroupArn: group, filterExpression: bad }), { code: 'InvalidInputException' }, bad);
    }
    const expr = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click") | INCLUDE ItemID WHERE Items.GENRE IN ($G, "a|b")';
    const { filterArn } = await env.call('CreateFilter', { name: 'f', datasetGroupArn: group, filterExpression: expr });
    await env.settle();
    assert.equal((await env.call('DescribeFilter', { filterArn })).filter.filterExpression, expr);
    const list = await env.call('ListFilters', { datasetGroupArn: group });
    assert.equal(list.Filters[0].status, 'ACTIVE');
    await env.call('DeleteFilter', { filterArn });
    await env.call('DeleteEventTracker', { eventTrackerArn: t.eventTrackerArn });
    await env.settle();
    assert.equal((await env.call('ListFilters', {})).Filters.length, 0);
    assert.equal((await env.call('ListEventTrackers', {})).eventTrackers.length, 0);
  } finally {
    env.close();
  }
});

test('recipes, algorithms and feature transformations are static and global', async () => {
  const env = pzEnv();
  try {
    const all = (await env.call('ListRecipes', {})).recipes;
    assert.ok(all.some((r: any) => r.recipeArn === 'arn:aws:personalize:::recipe/aws-user-personalization'));
    const ecomm = (await env.call('ListRecipes', { domain: 'ECOMMERCE' })).recipes;
    assert.ok(ecomm.length === 5 && ecomm.every((r: any) => r.domain === 'ECOMMERCE'));
    const paged = await env.call('ListRecipes', { maxResults: 3 });
    assert.equal(paged.recipes.length, 3);
    assert.equal((await env.call('ListRecipes', { nextToken: paged.nextToken, maxResults: 100 })).recipes[0].name, all[3].name);
    const { recipe } = await env.call('DescribeRecipe', { recipeArn: 'arn:aws:personalize:::recipe/aws-sims' });
    assert.equal(recipe.recipeType, 'RELATED_ITEMS');
    assert.equal((await env.call('DescribeAlgorithm', { algorithmArn: recipe.algorithmArn })).algorithm.name, 'aws-sims');
    assert.equal((await env.call('DescribeFeatureTransformation', { featureTransformationArn: recipe.featureTransformationArn })).featureTransformation.name, 'sims');
    await assert.rejects(env.call('DescribeRecipe', { recipeArn: 'arn:aws:personalize:::recipe/nope' }), { code: 'ResourceNotFoundException' });
  } finally {
    env.close();
  }
});
