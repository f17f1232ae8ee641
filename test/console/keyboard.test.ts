// The console with the keyboard alone, and its layout at a laptop's and a phone's size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ROOT, SEED_POLICY } from '../integration/support.js';
import { openConsole, skipWithoutChromium, DESKTOP, PHONE } from './support.js';

/** What has focus: its role-ish kind and accessible name as a person would read it. */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> };
  const name = el.getAttribute('aria-label') ?? (el.labels?.[0]?.textContent ?? el.textContent ?? '').trim();
  return { tag: el.tagName.toLowerCase(), name, outline: getComputedStyle(el).outlineStyle };
});

/** Presses Tab until the focused element is `tag` named `name` (at most 80 presses). */
async function tabTo(page: Page, tag: string, name: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.tag === tag && f.name === name) {
      assert.notEqual(f.outline, 'none', `focus is visible on ${tag} “${name}”`);
      return;
    }
  }
  assert.fail(`never reached ${tag} “${name}” with Tab`);
}

test('keyboard only: sign in and create a policy', { skip: skipWithoutChromium }, async () => {
  const c = await openConsole();
  const { page } = c;
  try {
    await tabTo(page, 'input', 'Root access key ID');
    await page.keyboard.type(ROOT.accessKeyId);
    await tabTo(page, 'input', 'Secret access key');
    await page.keyboard.type(ROOT.secretAccessKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Console home' }).waitFor();
    await tabTo(page, 'a', 'Policies');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Policies' }).waitFor();
    await tabTo(page, 'a', 'Create policy');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Create policy' }).waitFor();
    await tabTo(page, 'textarea', 'Policy editor');
    await page.keyboard.insertText('{"Version": "2012-10-17",\n "Statement": [{"Effect": "Allow", "Action": "personalize:*" "Resource": "*"}]}');
    // The error is reported with where it is, and announced (aria-live) without moving focus.
    await page.getByText(/^Ln 2, Col \d+: This policy contains invalid Json$/).waitFor();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(SEED_POLICY);
    await page.getByText('No errors: the policy is valid.').waitFor();
    await tabTo(page, 'button', 'Next');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Add tags - optional' }).waitFor();
    await tabTo(page, 'button', 'Next');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Policy details' }).waitFor();
    assert.equal((await focused(page)).name, 'Policy name', 'the first field of the step has focus');
    await page.keyboard.type('KeyboardPolicy');
    await tabTo(page, 'button', 'Create policy');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'KeyboardPolicy', exact: true }).waitFor();
  } finally {
    await c.close();
  }
});

const SCREENS = ['home', 'policies', 'create-policy', 'users', 'groups', 'roles', 'create-role', 'buckets', 'keys'];

for (const [label, viewport] of [['1280×800', DESKTOP], ['390×844', PHONE]] as const) {
  test(`every IAM, S3 and KMS screen fits ${label} without sideways scrolling`, { skip: skipWithoutChromium }, async () => {
    const c = await openConsole({ viewport });
    const { page } = c;
    try {
      await c.signInAsRoot();
      for (const screen of SCREENS) {
        await page.goto(`${c.url}#/${screen}`);
        await page.locator('main h1').waitFor();
        const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: innerWidth }));
        assert.ok(scroll <= width, `${screen}: page is ${scroll}px wide in a ${width}px viewport`);
        assert.ok(await page.getByRole('navigation').getByRole('link', { name: 'Policies' }).isVisible(), `${screen}: navigation visible`);
        assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible(), `${screen}: sign-out visible`);
      }
    } finally {
      await c.close();
    }
  });
}
