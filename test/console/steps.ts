import type { Page } from 'playwright-core';

/** IAM › Policies › Create policy, through the JSON tab, as the seed describes it. */
export async function createPolicy(page: Page, name: string, document: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: 'Policies' }).click();
  await page.getByRole('link', { name: 'Create policy' }).click();
  await page.getByRole('tab', { name: 'JSON' }).click();
  await page.getByRole('textbox', { name: 'Policy editor' }).fill(document);
  await page.getByText('No errors: the policy is valid.').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Add tags - optional' }).waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Policy name').fill(name);
  await page.getByRole('button', { name: 'Create policy' }).click();
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

/** "Attach policies" on a user, group or role page. */
export async function attachPolicies(page: Page, names: string[], scope: 'Local' | 'AWS' = 'Local'): Promise<void> {
  await page.getByLabel('Policy type').selectOption(scope);
  for (const name of names) {
    await page.getByLabel('Filter policies').fill(name);
    await page.getByRole('checkbox', { name, exact: true }).check();
  }
  await page.getByRole('button', { name: 'Attach policies' }).click();
  for (const name of names) await page.getByRole('link', { name, exact: true }).waitFor();
}
