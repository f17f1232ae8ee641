// A dataset group's page: schema (client-side and AWS validation), dataset, import jobs with live
// status (ACTIVE, and CREATE FAILED with its reason), event tracker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDatasetGroupCommand, ListDatasetImportJobsCommand, ListDatasetsCommand, ListEventTrackersCommand } from '@aws-sdk/client-personalize';
import { openConsole, skipWithoutChromium } from './support.js';
import { startTailor } from '../integration/support.js';
import { pz, roleAndBucket, INTERACTIONS_SCHEMA, assertFitsPhone } from './personalize-support.js';

test('schemas, datasets, import jobs and event trackers on a dataset group page', { skip: skipWithoutChromium }, async () => {
  const tailor = await startTailor({ jobs: { stepMs: 20 } });
  const c = await openConsole({ tailor });
  try {
    const { page } = c;
    const roleArn = await roleAndBucket(tailor.url, 'ui-data');
    const { datasetGroupArn } = await pz(tailor.url).send(new CreateDatasetGroupCommand({ name: 'shop' }));
    await c.signInAsRoot();
    await page.goto(`${c.url}#/personalize-dataset-group?group=${encodeURIComponent(datasetGroupArn!)}`);
    await page.getByRole('heading', { name: 'Dataset group: shop' }).waitFor();
    await page.getByRole('region', { name: 'Overview' }).getByText('ACTIVE', { exact: true }).waitFor();

    // Schema: broken JSON is pointed out as you type; a schema AWS refuses shows AWS's message.
    const schema = page.getByLabel('Schema definition (Avro JSON)');
    await page.getByLabel('Schema name').fill('shop-interactions');
    await schema.fill('{"type": "record", "fields": [');
    await page.getByText(/^Not valid JSON/).waitFor();
    assert.equal(await schema.getAttribute('aria-invalid'), 'true');
    await schema.fill(JSON.stringify({ type: 'record', name: 'Interactions', fields: [{ name: 'USER_ID', type: 'date' }] }));
    await page.getByRole('button', { name: 'Create schema' }).click();
    const refused = page.getByRole('form', { name: 'Create schema' }).getByRole('alert');
    await refused.filter({ hasText: 'InvalidInputException' }).filter({ hasText: 'Field USER_ID has an unsupported type' }).waitFor();
    await schema.fill(INTERACTIONS_SCHEMA);
    await page.getByRole('button', { name: 'Create schema' }).click();
    await page.getByRole('table', { name: 'Schemas' }).getByText('shop-interactions').waitFor();

    // Dataset.
    await page.getByLabel('Dataset name').fill('shop-ix');
    await page.getByLabel('Schema', { exact: true }).selectOption({ label: 'shop-interactions' });
    await page.getByRole('button', { name: 'Create dataset' }).click();
    await page.getByRole('table', { name: 'Datasets' }).getByRole('row').filter({ hasText: 'shop-ix' }).getByText('ACTIVE', { exact: true }).waitFor();

    // Import jobs: one that works, one whose file is missing.
    const importForm = page.getByRole('form', { name: 'Create dataset import job' });
    const jobs = page.getByRole('table', { name: 'Dataset import jobs' });
    await importForm.getByLabel('Dataset', { exact: true }).selectOption({ label: 'shop-ix (Interactions)' });
    await importForm.getByLabel('Dataset import job name').fill('first');
    await importForm.getByLabel('Data location').fill('s3://ui-data/interactions.csv');
    await importForm.getByLabel('IAM service role ARN').fill(roleArn);
    await importForm.getByRole('button', { name: 'Start import' }).click();
    await jobs.getByRole('row').filter({ hasText: 'first' }).getByText('ACTIVE', { exact: true }).waitFor();
    await importForm.getByLabel('Dataset import job name').fill('second');
    await importForm.getByLabel('Data location').fill('s3://ui-data/missing.csv');
    assert.equal(await importForm.getByLabel('IAM service role ARN').inputValue(), roleArn, 'the role stays for the next job');
    await importForm.getByRole('button', { name: 'Start import' }).click();
    const failed = jobs.getByRole('row').filter({ hasText: 'second' });
    await failed.getByText('CREATE FAILED', { exact: true }).waitFor();
    const { datasets } = await pz(tailor.url).send(new ListDatasetsCommand({ datasetGroupArn }));
    const { datasetImportJobs } = await pz(tailor.url).send(new ListDatasetImportJobsCommand({ datasetArn: datasets![0].datasetArn }));
    const reason = datasetImportJobs!.find((j) => j.jobName === 'second')!.failureReason!;
    assert.ok(reason.length > 0);
    assert.equal(await failed.locator('.failure-reason').innerText(), reason);

    // Event tracker: its tracking ID is shown once ACTIVE.
    await page.getByLabel('Tracker name').fill('shop-tracker');
    await page.getByRole('button', { name: 'Create event tracker' }).click();
    const tracker = page.getByRole('table', { name: 'Event trackers' }).getByRole('row').filter({ hasText: 'shop-tracker' });
    await tracker.getByText('ACTIVE', { exact: true }).waitFor();
    const { eventTrackers } = await pz(tailor.url).send(new ListEventTrackersCommand({ datasetGroupArn }));
    assert.equal(eventTrackers!.length, 1);
    assert.match(await tracker.locator('code').innerText(), /^[0-9a-f-]{36}$/);
    await assertFitsPhone(page);
  } finally {
    await c.close();
    await tailor.stop();
  }
});
