// Dataset groups screen: create a dataset group with the keyboard alone, watch it become ACTIVE,
// a taken name and a user without permission see AWS's message, delete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListDatasetGroupsCommand } from '@aws-sdk/client-personalize';
import { CreateUserCommand, CreateLoginProfileCommand } from '@aws-sdk/client-iam';
import { openConsole, skipWithoutChromium } from './support.js';
import { startTailor, ACCOUNT } from '../integration/support.js';
import { pz, iam, assertFitsPhone } from './personalize-support.js';

test('create a dataset group with the keyboard, see it become ACTIVE, then delete it', { skip: skipWithoutChromium }, async () => {
  const tailor = await startTailor({ jobs: { stepMs: 20 } });
  const c = await openConsole({ tailor });
  try {
    const { page } = c;
    await c.signInAsRoot();
    await page.goto(`${c.url}#/personalize-dataset-groups`);
    await page.getByRole('heading', { name: 'Dataset groups', level: 1 }).waitFor();
    // Keyboard alone: focus the name, type, Tab to the domain, choose with the arrow keys, Tab on to the button, Enter.
    await page.getByLabel('Dataset group name').focus();
    await page.keyboard.type('movies');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'domain');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Create dataset group');
    await page.keyboard.press('Enter');
    const row = page.getByRole('row').filter({ hasText: 'movies' });
    await row.getByText('ACTIVE', { exact: true }).waitFor();
    await row.getByText('VIDEO_ON_DEMAND').waitFor();
    const { datasetGroups } = await pz(tailor.url).send(new ListDatasetGroupsCommand({}));
    assert.deepEqual(datasetGroups!.map((g) => [g.name, g.domain]), [['movies', 'VIDEO_ON_DEMAND']]);

    // A name taken shows AWS's message.
    await page.getByLabel('Dataset group name').fill('movies');
    await page.getByRole('button', { name: 'Create dataset group' }).click();
    await page.getByRole('alert').filter({ hasText: 'ResourceAlreadyExistsException' }).waitFor();
    await assertFitsPhone(page);

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete dataset group movies' }).click();
    await page.getByText('No resources to display').waitFor();
    assert.equal((await pz(tailor.url).send(new ListDatasetGroupsCommand({}))).datasetGroups!.length, 0);
  } finally {
    await c.close();
    await tailor.stop();
  }
});

test('a user without Personalize permissions sees AWS\'s denial', { skip: skipWithoutChromium }, async () => {
  const tailor = await startTailor({ jobs: { stepMs: 20 } });
  const c = await openConsole({ tailor });
  try {
    await iam(tailor.url).send(new CreateUserCommand({ UserName: 'carol' }));
    await iam(tailor.url).send(new CreateLoginProfileCommand({ UserName: 'carol', Password: 'Carol-password-1' }));
    await c.signInAsUser('carol', 'Carol-password-1');
    await c.page.goto(`${c.url}#/personalize-dataset-groups`);
    const alert = c.page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.innerText(),
      `AccessDeniedException: User: arn:aws:iam::${ACCOUNT}:user/carol is not authorized to perform: personalize:ListDatasetGroups because no identity-based policy allows the personalize:ListDatasetGroups action`);
  } finally {
    await c.close();
    await tailor.stop();
  }
});
