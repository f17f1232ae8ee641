// Solutions screen: create a solution with a recipe from ListRecipes, create a version, watch it
// train to ACTIVE, and see its metrics as a chart with the same numbers in a table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetSolutionMetricsCommand, ListSolutionsCommand, ListSolutionVersionsCommand } from '@aws-sdk/client-personalize';
import { openConsole, skipWithoutChromium } from './support.js';
import { startTailor } from '../integration/support.js';
import { pz, imported, assertFitsPhone } from './personalize-support.js';

test('create a solution and a version in the console; the version trains and its metrics show as a chart', { skip: skipWithoutChromium }, async () => {
  const tailor = await startTailor({ jobs: { stepMs: 20 } });
  const c = await openConsole({ tailor });
  try {
    const { page } = c;
    const { datasetGroupArn } = await imported(tailor.url, 'films');
    await c.signInAsRoot();
    // From the side navigation: Solutions asks which dataset group.
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Solutions' }).click();
    await page.getByRole('table', { name: 'Choose a dataset group' }).getByRole('link', { name: 'films' }).click();
    await page.getByRole('link', { name: 'Solutions and recipes' }).and(page.locator('[aria-current=page]')).waitFor();
    await page.getByLabel('Solution name').fill('films-pop');
    await page.getByLabel('Recipe').selectOption({ label: 'aws-popularity-count' });
    await page.getByRole('button', { name: 'Create solution' }).click();
    const solution = page.getByRole('table', { name: 'Solutions' }).getByRole('row').filter({ hasText: 'films-pop' });
    await solution.getByText('ACTIVE', { exact: true }).waitFor();
    await solution.getByRole('button', { name: 'Create solution version of films-pop' }).click();

    const versions = page.getByRole('table', { name: 'Solution versions of films-pop' });
    await versions.getByText('ACTIVE', { exact: true }).waitFor();
    await versions.getByRole('cell', { name: /^\d+\.\d{4} hours$/ }).waitFor();
    const { solutions } = await pz(tailor.url).send(new ListSolutionsCommand({ datasetGroupArn }));
    const { solutionVersions } = await pz(tailor.url).send(new ListSolutionVersionsCommand({ solutionArn: solutions![0].solutionArn }));
    const arn = solutionVersions![0].solutionVersionArn!;

    await versions.getByRole('button', { name: /^Solution metrics of version/ }).click();
    const chart = page.getByRole('img', { name: /^Solution metrics: films-pop version/ });
    await chart.waitFor();
    const { metrics } = await pz(tailor.url).send(new GetSolutionMetricsCommand({ solutionVersionArn: arn }));
    const values = page.getByRole('table', { name: 'Metric values' });
    for (const [name, value] of Object.entries(metrics!)) {
      assert.equal(await values.getByRole('row').filter({ hasText: name }).getByRole('cell').nth(1).innerText(), Number.isInteger(value) ? String(value) : value.toFixed(4));
    }
    // One bar per fractional metric, as wide as its value.
    const bars = await page.locator('svg.metrics-chart g[data-metric]').count();
    assert.equal(bars, Object.values(metrics!).filter((v) => v >= 0 && v <= 1).length);
    assert.ok(bars >= 8);
    assert.match(await chart.getAttribute('aria-labelledby') ?? '', /^metrics-chart-/);
    assert.match(await page.getByRole('heading', { name: /^Solution metrics/ }).evaluate((el) => String(el === document.activeElement)), /true/);
    await assertFitsPhone(page);
  } finally {
    await c.close();
    await tailor.stop();
  }
});
