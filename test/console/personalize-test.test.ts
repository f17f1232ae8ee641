// Test panel: recommendations from a campaign with item IDs and scores (with and without a filter
// and its value), and a personalized ranking of an input list — each the same as the SDK gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFilterCommand, DescribeFilterCommand } from '@aws-sdk/client-personalize';
import { PersonalizeRuntimeClient, GetRecommendationsCommand, GetPersonalizedRankingCommand, type PredictedItem } from '@aws-sdk/client-personalize-runtime';
import type { Page } from 'playwright-core';
import { openConsole, skipWithoutChromium } from './support.js';
import { startTailor, until, ROOT } from '../integration/support.js';
import { pz, campaign, imported, assertFitsPhone } from './personalize-support.js';

/** The results table as [item ID, score] rows. */
async function shown(page: Page, title: RegExp): Promise<string[][]> {
  const rows = page.getByRole('table', { name: title }).locator('tbody tr');
  return rows.evaluateAll((trs) => trs.map((tr) => [tr.children[1].textContent!, tr.children[2].textContent!]));
}
const expected = (items: PredictedItem[] = []) => items.map((i) => [i.itemId!, i.score!.toFixed(4)]);

test('test panel: recommendations with scores, a filter with its value, and a personalized ranking', { skip: skipWithoutChromium }, async () => {
  const tailor = await startTailor({ jobs: { stepMs: 20 } });
  const c = await openConsole({ tailor });
  try {
    const { page } = c;
    const data = await imported(tailor.url, 'songs');
    const { campaignArn } = await campaign(tailor.url, 'songs-up', 'aws-user-personalization', data);
    const ranking = await campaign(tailor.url, 'songs-rank', 'aws-personalized-ranking', data);
    const { filterArn } = await pz(tailor.url).send(new CreateFilterCommand({
      name: 'not-bought', datasetGroupArn: data.datasetGroupArn, filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($TYPES)',
    }));
    await until(() => pz(tailor.url).send(new DescribeFilterCommand({ filterArn })), (d) => d.filter!.status === 'ACTIVE');
    const runtime = new PersonalizeRuntimeClient({ endpoint: tailor.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });

    await c.signInAsRoot();
    await page.goto(`${c.url}#/personalize-test?group=${encodeURIComponent(data.datasetGroupArn)}&campaign=${encodeURIComponent(campaignArn)}`);
    await page.getByRole('heading', { name: 'Test campaign results' }).waitFor();
    assert.equal(await page.getByLabel('Campaign or recommender').inputValue(), campaignArn);
    const form = page.getByRole('form', { name: 'Get recommendations' });
    await form.getByLabel('User ID').fill('user0');
    await form.getByLabel('Number of results').fill('5');
    await form.getByRole('button', { name: 'Get recommendations' }).click();
    await page.getByRole('heading', { name: /^Recommendations from songs-up-campaign/ }).waitFor();
    const plain = await runtime.send(new GetRecommendationsCommand({ campaignArn, userId: 'user0', numResults: 5 }));
    assert.equal(plain.itemList!.length, 5);
    assert.deepEqual(await shown(page, /^Recommendations from/), expected(plain.itemList));

    // A filter's placeholder gets its own field; its value goes with the request.
    await form.getByLabel('Filter', { exact: true }).selectOption({ label: 'not-bought' });
    await form.getByLabel('Filter value for $TYPES').fill('"purchase"');
    await form.getByRole('button', { name: 'Get recommendations' }).click();
    const filtered = await runtime.send(new GetRecommendationsCommand({ campaignArn, userId: 'user0', numResults: 5, filterArn, filterValues: { TYPES: '"purchase"' } }));
    assert.ok(!filtered.itemList!.some((i) => i.itemId === 'hit'), 'user0 bought hit');
    await until(() => shown(page, /^Recommendations from/), (rows) => JSON.stringify(rows) === JSON.stringify(expected(filtered.itemList)), 10_000);

    // Personalized ranking of a list, on the ranking campaign.
    await page.getByLabel('Campaign or recommender').selectOption(ranking.campaignArn);
    await form.getByLabel('Filter', { exact: true }).selectOption('');
    const rank = page.getByRole('form', { name: 'Get personalized ranking' });
    await rank.getByLabel('User ID').fill('user3');
    await rank.getByLabel('Item IDs to rank').fill('item1\nhit, item5\nitem30');
    await rank.getByRole('button', { name: 'Get personalized ranking' }).click();
    await page.getByRole('heading', { name: /^Personalized ranking from songs-rank-campaign/ }).waitFor();
    const ranked = await runtime.send(new GetPersonalizedRankingCommand({ campaignArn: ranking.campaignArn, userId: 'user3', inputList: ['item1', 'hit', 'item5', 'item30'] }));
    assert.deepEqual(await shown(page, /^Personalized ranking from/), expected(ranked.personalizedRanking));

    // A refusal shows AWS's message: ranking needs a ranking campaign.
    await page.getByLabel('Campaign or recommender').selectOption(campaignArn);
    await rank.getByRole('button', { name: 'Get personalized ranking' }).click();
    await rank.getByRole('alert').filter({ hasText: 'InvalidInputException' }).filter({ hasText: 'does not serve a personalized-ranking recipe' }).waitFor();
    await assertFitsPhone(page);
  } finally {
    await c.close();
    await tailor.stop();
  }
});
