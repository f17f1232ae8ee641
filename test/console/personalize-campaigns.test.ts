// Campaigns and recommenders screen: deploy an ACTIVE solution version as a campaign, see it ACTIVE
// with a Test link, delete it; in a domain dataset group, create a recommender for a use case and test it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListCampaignsCommand, DescribeCampaignCommand, ListRecommendersCommand } from '@aws-sdk/client-personalize';
import { openConsole, skipWithoutChromium } from './support.js';
import { startTailor, until } from '../integration/support.js';
import { pz, trained, imported, assertFitsPhone } from './personalize-support.js';

test('create a campaign, see it ACTIVE, test it, delete it; create a recommender in a domain group and test it', { skip: skipWithoutChromium }, async () => {
  const tailor = await startTailor({ jobs: { stepMs: 20 } });
  const c = await openConsole({ tailor });
  try {
    const { page } = c;
    const { datasetGroupArn, solutionArn, solutionVersionArn } = await trained(tailor.url, 'books');
    await c.signInAsRoot();
    await page.goto(`${c.url}#/personalize-campaigns?group=${encodeURIComponent(datasetGroupArn)}`);
    await page.getByRole('heading', { name: 'Campaigns and recommenders' }).waitFor();
    await page.getByLabel('Campaign name').fill('books-live');
    await page.getByLabel('Solution version').selectOption(solutionVersionArn);
    await page.getByLabel('Minimum provisioned transactions per second').fill('2');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    const row = page.getByRole('table', { name: 'Campaigns' }).getByRole('row').filter({ hasText: 'books-live' });
    await row.getByText('ACTIVE', { exact: true }).waitFor();
    assert.equal(await row.getByRole('cell').nth(2).innerText(), '2');
    const { campaigns } = await pz(tailor.url).send(new ListCampaignsCommand({ solutionArn }));
    const described = await pz(tailor.url).send(new DescribeCampaignCommand({ campaignArn: campaigns![0].campaignArn }));
    assert.equal(described.campaign!.solutionVersionArn, solutionVersionArn);
    assert.equal(described.campaign!.minProvisionedTPS, 2);
    // A domain-less group has no recommenders, and says why.
    await page.getByText('Recommenders belong to domain dataset groups').waitFor();

    await row.getByRole('link', { name: 'Test campaign books-live' }).click();
    await page.getByRole('heading', { name: 'Test campaign results' }).waitFor();
    assert.equal(await page.getByLabel('Campaign or recommender').inputValue(), campaigns![0].campaignArn);
    await page.goBack();

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete campaign books-live' }).click();
    await until(() => pz(tailor.url).send(new ListCampaignsCommand({ solutionArn })), (r) => r.campaigns!.length === 0, 10_000);
    await page.getByText('No campaigns yet').waitFor();

    // A domain dataset group: its use cases are the recommender choices.
    const shop = await imported(tailor.url, 'shop', 'ECOMMERCE');
    await page.goto(`${c.url}#/personalize-campaigns?group=${encodeURIComponent(shop.datasetGroupArn)}`);
    await page.getByLabel('Recommender name').fill('shop-for-you');
    await page.getByLabel('Use case').selectOption({ label: 'aws-ecomm-recommended-for-you' });
    await page.getByRole('button', { name: 'Create recommender' }).click();
    const recommender = page.getByRole('table', { name: 'Recommenders' }).getByRole('row').filter({ hasText: 'shop-for-you' });
    await recommender.getByText('ACTIVE', { exact: true }).waitFor();
    const { recommenders } = await pz(tailor.url).send(new ListRecommendersCommand({ datasetGroupArn: shop.datasetGroupArn }));
    assert.equal(recommenders![0].recipeArn, 'arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you');
    await recommender.getByRole('link', { name: 'Test recommender shop-for-you' }).click();
    assert.equal(await page.getByLabel('Campaign or recommender').inputValue(), recommenders![0].recommenderArn);
    await page.getByRole('form', { name: 'Get recommendations' }).getByLabel('User ID').fill('user0');
    await page.getByRole('button', { name: 'Get recommendations' }).click();
    const items = page.getByRole('table', { name: 'Recommendations from shop-for-you' }).locator('tbody tr');
    await items.first().waitFor();
    assert.ok(await items.count() > 1);
    await assertFitsPhone(page);
  } finally {
    await c.close();
    await tailor.stop();
  }
});
