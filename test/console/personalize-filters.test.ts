// Filters screen: a filter expression AWS refuses shows AWS's message (the same the SDK gets); a good
// one becomes ACTIVE; delete; the event tracker beside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDatasetGroupCommand, CreateFilterCommand, ListFiltersCommand, DescribeDatasetGroupCommand } from '@aws-sdk/client-personalize';
import { openConsole, skipWithoutChromium } from './support.js';
import { startTailor, until } from '../integration/support.js';
import { pz, assertFitsPhone } from './personalize-support.js';

test('filters: a refused expression shows AWS\'s message, a good one becomes ACTIVE, delete; event tracker', { skip: skipWithoutChromium }, async () => {
  const tailor = await startTailor({ jobs: { stepMs: 20 } });
  const c = await openConsole({ tailor });
  try {
    const { page } = c;
    const client = pz(tailor.url);
    const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: 'news' }));
    await until(() => client.send(new DescribeDatasetGroupCommand({ datasetGroupArn })), (d) => d.datasetGroup!.status === 'ACTIVE');
    const bad = 'EXCLUDE ItemID WHERE Interactions.ITEM_ID IN ("a")';
    const sdkError = await client.send(new CreateFilterCommand({ name: 'x', datasetGroupArn, filterExpression: bad })).catch((e) => e);
    assert.equal(sdkError.name, 'InvalidInputException');

    await c.signInAsRoot();
    await page.goto(`${c.url}#/personalize-filters?group=${encodeURIComponent(datasetGroupArn!)}`);
    await page.getByRole('heading', { name: 'Filters and event trackers' }).waitFor();
    const form = page.getByRole('form', { name: 'Create filter' });
    await form.getByLabel('Filter name').fill('no-reads');
    await form.getByLabel('Filter expression').fill(bad);
    await form.getByRole('button', { name: 'Create filter' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.innerText(), `InvalidInputException: ${sdkError.message}`);
    assert.equal(await form.getByLabel('Filter name').inputValue(), 'no-reads', 'a refused form keeps what was typed');
    assert.equal((await client.send(new ListFiltersCommand({ datasetGroupArn }))).Filters!.length, 0);

    const good = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("read")';
    await form.getByLabel('Filter expression').fill(good);
    await form.getByLabel('Filter expression').press('Tab');
    await page.keyboard.press('Enter');
    const row = page.getByRole('table', { name: 'Filters' }).getByRole('row').filter({ hasText: 'no-reads' });
    await row.getByText('ACTIVE', { exact: true }).waitFor();
    assert.equal(await row.locator('code').innerText(), good);

    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Delete filter no-reads' }).click();
    await page.getByText('No filters yet.').waitFor();

    await page.getByLabel('Tracker name').fill('news-tracker');
    await page.getByLabel('Tracker name').press('Enter');
    await page.getByRole('table', { name: 'Event trackers' }).getByRole('row').filter({ hasText: 'news-tracker' }).getByText('ACTIVE', { exact: true }).waitFor();
    await assertFitsPhone(page);
  } finally {
    await c.close();
    await tailor.stop();
  }
});
