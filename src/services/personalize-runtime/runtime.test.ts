import { test } from 'node:test';
import assert from 'node:assert/strict';
import { campaignEnv, GROUP, P } from './test-support.js';

const filter = async (env: Awaited<ReturnType<typeof campaignEnv>>, name: string, filterExpression: string) => {
  const { filterArn } = await env.call('CreateFilter', { name, datasetGroupArn: GROUP, filterExpression });
  await env.settle();
  return filterArn as string;
};

test('GetRecommendations: popularity order for a user without history, scores summing to at most 1, RID ids, authorised on the campaign', async () => {
  const env = await campaignEnv();
  try {
    const out = await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'cold' });
    // A user with history gets what they have not interacted with yet (u1 had i0 to i4).
    assert.deepEqual((await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'u1' })).itemList.map((x: any) => x.itemId).sort(), ['i5', 'i6']);
    assert.deepEqual(out.itemList.slice(0, 2).map((x: any) => x.itemId), ['i0', 'i1']);
    assert.equal(out.itemList.length, 7);
    assert.match(out.recommendationId, /^RID-[0-9a-f-]{36}$/);
    assert.ok(out.itemList[0].score > out.itemList[1].score);
    assert.ok(Math.abs(out.itemList.reduce((s: number, x: any) => s + x.score, 0) - 1) < 1e-9);
    assert.deepEqual(env.lastRuntime.queries.map((q) => [q.action, q.resource]), [['personalize:GetRecommendations', env.campaignArn]]);
    assert.equal((await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'u1', numResults: 2 })).itemList.length, 2);

    await assert.rejects(env.runtime('GetRecommendations', { campaignArn: `${P}:campaign/none`, userId: 'u1' }), { code: 'ResourceNotFoundException' });
    await assert.rejects(env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'u1', numResults: 501 }), { code: 'InvalidInputException' });
    await assert.rejects(env.runtime('GetRecommendations', { campaignArn: env.campaignArn }), { code: 'InvalidInputException' });
    await assert.rejects(env.runtime('GetRecommendations', { userId: 'u1' }), { code: 'InvalidInputException' });
    await assert.rejects(env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'u1', numResults: 51, metadataColumns: { ITEMS: ['X'] } }), { code: 'InvalidInputException' });
  } finally {
    env.close();
  }
});

test('popularity-count and trending-now give every user the same list, items they interacted with included', async () => {
  for (const recipe of ['aws-popularity-count', 'aws-trending-now']) {
    const env = await campaignEnv(recipe);
    try {
      const list = async (userId: string) => (await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId })).itemList.map((x: any) => x.itemId);
      const cold = await list('cold');
      assert.equal(cold.length, 7, recipe);
      // u1 had i0 to i4: a popularity list does not leave them out.
      assert.deepEqual(await list('u1'), cold, recipe);
    } finally {
      env.close();
    }
  }
});

test('filters: parameters, interactions seen at once after PutEvents, promotions', async () => {
  const env = await campaignEnv();
  try {
    const noClicks = await filter(env, 'no-clicks', 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")');
    const before = await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'new-user', filterArn: noClicks });
    assert.equal(before.itemList[0].itemId, 'i0');
    await env.events('PutEvents', { trackingId: env.trackingId, userId: 'new-user', sessionId: 's1', eventList: [{ eventType: 'CLICK', itemId: 'i0', sentAt: new Date() }] });
    const after = await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'new-user', filterArn: noClicks });
    assert.ok(!after.itemList.some((x: any) => x.itemId === 'i0'));
    // Another user is not affected.
    assert.equal((await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'other', filterArn: noClicks })).itemList[0].itemId, 'i0');

    const only = await filter(env, 'only', 'INCLUDE ItemID WHERE Items.GENRE IN ($G) | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy")');
    await env.call('CreateSchema', { name: 'items', schema: JSON.stringify({ type: 'record', name: 'Items', fields: [{ name: 'ITEM_ID', type: 'string' }, { name: 'GENRE', type: 'string', categorical: true }, { name: 'PRICE', type: 'int' }] }) });
    const { datasetArn } = await env.call('CreateDataset', { name: 'items', schemaArn: `${P}:schema/items`, datasetGroupArn: GROUP, datasetType: 'Items' });
    await env.settle();
    await env.events('PutItems', { datasetArn, items: [
      { itemId: 'i2', properties: JSON.stringify({ genre: 'comedy|kids', price: 3 }) },
      { itemId: 'i3', properties: JSON.stringify({ genre: 'drama' }) },
      { itemId: 'i9', properties: JSON.stringify({ genre: 'comedy' }) },
    ] });
    const comedy = await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'cold', filterArn: only, filterValues: { G: '"comedy"' } });
    assert.deepEqual(comedy.itemList.map((x: any) => x.itemId), ['i2']);
    const both = await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'cold', filterArn: only, filterValues: { G: '"comedy","drama"' } });
    assert.deepEqual(both.itemList.map((x: any) => x.itemId).sort(), ['i2', 'i3']);
    await assert.rejects(env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'cold', filterArn: only }), { code: 'InvalidInputException' });
    await assert.rejects(env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'cold', filterArn: only, filterValues: { G: 'comedy' } }), { code: 'InvalidInputException' });

    const meta = await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'cold', numResults: 10, metadataColumns: { ITEMS: ['GENRE', 'PRICE'] } });
    assert.deepEqual(meta.itemList.find((x: any) => x.itemId === 'i2').metadata, { GENRE: 'comedy|kids', PRICE: '3' });
    assert.deepEqual(meta.itemList.find((x: any) => x.itemId === 'i0').metadata, {});

    // Exploration (when the campaign sets a weight): the cold item i9 gets a place.
    assert.ok(!(await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'cold', numResults: 4 })).itemList.some((x: any) => x.itemId === 'i9'));
    await env.call('UpdateCampaign', { campaignArn: env.campaignArn, campaignConfig: { enableMetadataWithRecommendations: true, itemExplorationConfig: { explorationWeight: '0.5' } } });
    await env.settle();
    const explored = await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'cold', numResults: 4 });
    assert.deepEqual(explored.itemList.map((x: any) => x.itemId), ['i0', 'i9', 'i1', 'i6']);
    await env.call('UpdateCampaign', { campaignArn: env.campaignArn, campaignConfig: { enableMetadataWithRecommendations: true } });
    await env.settle();

    const promo = await env.runtime('GetRecommendations', {
      campaignArn: env.campaignArn, userId: 'cold', numResults: 4, promotions: [{ name: 'drama', percentPromotedItems: 25, filterArn: only, filterValues: { G: '"drama"' } }],
    });
    assert.equal(promo.itemList.length, 4);
    assert.deepEqual(promo.itemList.filter((x: any) => x.promotionName === 'drama').map((x: any) => x.itemId), ['i3']);
  } finally {
    env.close();
  }
});

test('GetPersonalizedRanking orders the list by the trained model for the user, unknown items last', async () => {
  const env = await campaignEnv('aws-personalized-ranking');
  try {
    const ranked = await env.runtime('GetPersonalizedRanking', { campaignArn: env.campaignArn, userId: 'u1', inputList: ['nope', 'i1', 'i0', 'i6', 'i1'] });
    assert.deepEqual(ranked.personalizedRanking.map((x: any) => x.itemId).slice(0, 3).sort(), ['i0', 'i1', 'i6']);
    assert.equal(ranked.personalizedRanking[3].itemId, 'nope');
    assert.equal(ranked.personalizedRanking[3].score, undefined);
    assert.ok(Math.abs(ranked.personalizedRanking.slice(0, 3).reduce((s: number, x: any) => s + x.score, 0) - 1) < 1e-6);
    // A user without history gets the list in popularity order.
    const cold = await env.runtime('GetPersonalizedRanking', { campaignArn: env.campaignArn, userId: 'cold', inputList: ['nope', 'i1', 'i0'] });
    assert.deepEqual(cold.personalizedRanking.map((x: any) => x.itemId), ['i0', 'i1', 'nope']);
    await assert.rejects(env.runtime('GetPersonalizedRanking', { campaignArn: env.campaignArn, userId: 'u1', inputList: Array.from({ length: 501 }, (_, i) => `x${i}`) }), { code: 'InvalidInputException' });
    await assert.rejects(env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'u1' }), { code: 'InvalidInputException' });
    // Live events on an item the model never saw do not rank it: the model scores what it was trained on.
    const events = Array.from({ length: 10 }, (_, i) => ({ eventType: 'click', itemId: 'nope', sentAt: new Date(), eventId: `e${i}` }));
    await env.events('PutEvents', { trackingId: env.trackingId, userId: 'u1', sessionId: 's', eventList: events });
    const again = await env.runtime('GetPersonalizedRanking', { campaignArn: env.campaignArn, userId: 'u1', inputList: ['nope', 'i1', 'i0'] });
    assert.equal(again.personalizedRanking.at(-1).itemId, 'nope');
  } finally {
    env.close();
  }
});

test('exploration: new items from PutItems and items created within explorationItemAgeCutOff get places, once each', async () => {
  const env = await campaignEnv();
  try {
    await env.call('CreateSchema', { name: 'items', schema: JSON.stringify({ type: 'record', name: 'Items', fields: [{ name: 'ITEM_ID', type: 'string' }, { name: 'CREATION_TIMESTAMP', type: 'long' }, { name: 'GENRE', type: ['null', 'string'], categorical: true }] }) });
    const { datasetArn } = await env.call('CreateDataset', { name: 'items', schemaArn: `${P}:schema/items`, datasetGroupArn: GROUP, datasetType: 'Items' });
    await env.settle();
    // The latest imported interaction is at 10911 s.
    await env.events('PutItems', { datasetArn, items: [
      { itemId: 'i5', properties: JSON.stringify({ creationTimestamp: 10911 - 3600 }) },
      { itemId: 'i6', properties: JSON.stringify({ creationTimestamp: 10911 - 5 * 86400 }) },
      { itemId: 'fresh' },
    ] });
    const explore = async (config: Record<string, string>) => {
      await env.call('UpdateCampaign', { campaignArn: env.campaignArn, campaignConfig: { itemExplorationConfig: config } });
      await env.settle();
      const out = await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'cold', numResults: 4 });
      const ids = out.itemList.map((x: any) => x.itemId);
      assert.equal(new Set(ids).size, 4, `no item twice: ${ids}`);
      return ids;
    };
    // A one-day cut-off: i5 is new, i6 is not; the item nobody interacted with is explored too.
    const oneDay = await explore({ explorationWeight: '0.5', explorationItemAgeCutOff: '1' });
    assert.ok(oneDay.includes('i5') && oneDay.includes('fresh'), `${oneDay}`);
    // The default 30 days: both created items, newest first, fill the two exploration places.
    const month = await explore({ explorationWeight: '0.5' });
    assert.ok(month.includes('i5') && month.includes('i6') && !month.includes('fresh'), `${month}`);
    // No weight, no exploration: the popular order.
    const none = await explore({ explorationItemAgeCutOff: '1' });
    assert.deepEqual(none.slice(0, 2), ['i0', 'i1']);
    assert.ok(!none.includes('fresh'));
  } finally {
    env.close();
  }
});

test('trending-now finds the trend again once per trend_discovery_frequency, with the events recorded since', async () => {
  const env = await campaignEnv('aws-trending-now');
  try {
    const list = async () => (await env.runtime('GetRecommendations', { campaignArn: env.campaignArn, userId: 'cold' })).itemList.map((x: any) => x.itemId);
    const before = await list();
    const last = before[before.length - 1];
    // A burst of events on the least popular item, later than anything imported.
    const sentAt = new Date(env.clock.getTime() + 3600_000);
    for (let u = 0; u < 6; u++) {
      await env.events('PutEvents', { trackingId: env.trackingId, userId: `burst${u}`, sessionId: `b${u}`, eventList: [{ eventType: 'click', itemId: last, sentAt }] });
    }
    assert.deepEqual(await list(), before, 'the trend stands until its window has passed');
    env.clock = new Date(env.clock.getTime() + 86_400_000);
    const after = await list();
    assert.equal(after[0], last, 'the item the events reached trends');
  } finally {
    env.close();
  }
});

test('CreateCampaign and UpdateCampaign check the config against the recipe: exploration for user-personalization, ranking influence for semantic-similarity', async () => {
  const env = await campaignEnv('aws-popularity-count');
  try {
    const { solutionVersionArn } = await env.call('DescribeCampaign', { campaignArn: env.campaignArn }).then((d) => d.campaign);
    await assert.rejects(env.call('CreateCampaign', { name: 'x1', solutionVersionArn, campaignConfig: { rankingInfluence: { POPULARITY: 0.5 } } }),
      { code: 'InvalidInputException', message: /rankingInfluence is only supported for the aws-semantic-similarity recipe/ });
    await assert.rejects(env.call('CreateCampaign', { name: 'x2', solutionVersionArn, campaignConfig: { itemExplorationConfig: { explorationWeight: '0.3' } } }),
      { code: 'InvalidInputException', message: /itemExplorationConfig is only supported/ });
    await assert.rejects(env.call('UpdateCampaign', { campaignArn: env.campaignArn, campaignConfig: { rankingInfluence: { FRESHNESS: 1 } } }), { code: 'InvalidInputException' });
  } finally {
    env.close();
  }
});
