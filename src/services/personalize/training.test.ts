import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupWithData, importData, pzEnv, trainVersion } from './test-support.js';
import { KIND, type SolutionVersionDoc } from './schema.js';
import { loadModel } from './training.js';

const P = 'arn:aws:personalize:us-east-1:000000000000';
const GROUP = `${P}:dataset-group/g`;
const ROLE = 'arn:aws:iam::000000000000:role/R';

test('trainingMode UPDATE folds newly imported interactions and items into the latest FULL model', async () => {
  const env = pzEnv();
  try {
    await groupWithData(env);
    const { solutionArn } = await env.call('CreateSolution', {
      name: 's', datasetGroupArn: GROUP, recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization', performAutoTraining: false,
    });
    await env.settle();
    const { solutionVersionArn: full } = await env.call('CreateSolutionVersion', { solutionArn });
    await env.settle();
    const base = env.store.get<SolutionVersionDoc>(KIND.solutionVersion, full)!;
    assert.equal(base.status, 'ACTIVE', base.failureReason);
    assert.equal(base.trainingProgress?.percent, 100);
    assert.equal((await env.call('DescribeSolutionVersion', { solutionVersionArn: full })).solutionVersion.tunedHPOParams, undefined);

    // New users and new items arrive after the full training.
    const rows = ['USER_ID,ITEM_ID,TIMESTAMP'];
    for (let r = 0; r < 1000; r++) rows.push(`${r % 3 ? `u${r % 100}` : `newcomer${r % 7}`},${r % 2 ? `fresh${r % 5}` : 'i0'},${50_000 + r}`);
    await env.putObject('bkt', 'more.csv', rows.join('\n'));
    await env.call('CreateDatasetImportJob', { jobName: 'more', datasetArn: `${P}:dataset/g/INTERACTIONS`, importMode: 'INCREMENTAL', roleArn: ROLE, dataSource: { dataLocation: 's3://bkt/more.csv' } });
    await env.settle();

    const { solutionVersionArn: updated } = await env.call('CreateSolutionVersion', { solutionArn, trainingMode: 'UPDATE' });
    await env.settle();
    const v = env.store.get<SolutionVersionDoc>(KIND.solutionVersion, updated)!;
    assert.equal(v.status, 'ACTIVE', v.failureReason);
    assert.equal(v.trainingMode, 'UPDATE');
    // The update keeps the full training's metrics, and its users' and items' indexes.
    assert.deepEqual((await env.call('GetSolutionMetrics', { solutionVersionArn: updated })).metrics, base.metrics);
    const before = loadModel(env.app, GROUP, base.model!).engine!;
    const after = loadModel(env.app, GROUP, v.model!).engine!;
    assert.deepEqual(after.itemIds.slice(0, before.itemIds.length), before.itemIds);
    assert.deepEqual(after.userIds!.slice(0, before.userIds!.length), before.userIds);
    assert.ok(after.itemIds.includes('fresh3') && after.userIds!.includes('newcomer2'));
    assert.equal(after.model.nItems, after.itemIds.length);
  } finally {
    env.close();
  }
});

test('a group without interactions data fails training with the reason', async () => {
  const env = pzEnv();
  try {
    await env.call('CreateDatasetGroup', { name: 'g' });
    await env.settle();
    const { solutionArn } = await env.call('CreateSolution', {
      name: 's', datasetGroupArn: GROUP, recipeArn: 'arn:aws:personalize:::recipe/aws-sims', performAutoTraining: false,
    });
    await env.settle();
    const { solutionVersionArn } = await env.call('CreateSolutionVersion', { solutionArn });
    await env.settle();
    const v = (await env.call('DescribeSolutionVersion', { solutionVersionArn })).solutionVersion;
    assert.equal(v.status, 'CREATE FAILED');
    assert.equal(v.failureReason, `Dataset group ${GROUP} has no interactions data. Import Interactions data before training.`);
  } finally {
    env.close();
  }
});

const train = (env: ReturnType<typeof pzEnv>, recipe: string) => trainVersion(env, recipe);

test('next-best-action trains on Action_Interactions (actions not taken are no signal), with the Actions data', async () => {
  const env = pzEnv();
  try {
    await groupWithData(env);
    await importData(env, 'Actions', [{ name: 'ACTION_ID', type: 'string' }, { name: 'KIND', type: 'string', categorical: true }],
      ['ACTION_ID,KIND', 'subscribe,offer', 'renew,offer', 'survey,ask', 'never,ask'].join('\n'));
    const rows = ['USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE'];
    for (let r = 0; r < 1500; r++) rows.push(`u${r % 100},${['subscribe', 'renew', 'survey'][r % 3]},${r},${r % 3 === 2 ? 'Not Taken' : 'Taken'}`);
    await importData(env, 'Action_Interactions', [
      { name: 'USER_ID', type: 'string' }, { name: 'ACTION_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' },
    ], rows.join('\n'));
    const v = await train(env, 'aws-next-best-action');
    assert.equal(v.status, 'ACTIVE', v.failureReason);
    const served = loadModel(env.app, GROUP, v.model!);
    assert.deepEqual([...served.items].sort(), ['renew', 'subscribe']);
    // Actions no one took yet are in the catalogue.
    assert.ok(served.engine!.itemIds.includes('never'));
  } finally {
    env.close();
  }
});

test('semantic-similarity trains from the Items data\'s text; an item only the Items data knows finds its like', async () => {
  const env = pzEnv();
  try {
    await groupWithData(env);
    const items = ['ITEM_ID,GENRE,DESCRIPTION'];
    for (let i = 0; i < 7; i++) items.push(`i${i},g${i % 2},"${i % 2 ? 'space ships and stars' : 'cooking with garlic'} ${i}"`);
    items.push('only-in-items,g0,cooking with garlic and onions');
    await importData(env, 'Items', [{ name: 'ITEM_ID', type: 'string' }, { name: 'GENRE', type: 'string', categorical: true }, { name: 'DESCRIPTION', type: 'string', textual: true }], items.join('\n'));
    const v = await train(env, 'aws-semantic-similarity');
    assert.equal(v.status, 'ACTIVE', v.failureReason);
    const { model, itemIds } = loadModel(env.app, GROUP, v.model!).engine!;
    const scores = new Float32Array(model.nItems);
    model.similar!(itemIds.indexOf('only-in-items'), scores);
    const best = Array.from(scores.keys()).filter((i) => itemIds[i] !== 'only-in-items').sort((a, b) => scores[b] - scores[a])[0];
    assert.equal(Number(itemIds[best].slice(1)) % 2, 0, `${itemIds[best]} is most like a cooking item`);
  } finally {
    env.close();
  }
});
