import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTailor, ROOT, ACCOUNT } from '../integration/support.js';

/** Debian's chromium (installed by .ci/run); the tests skip, saying why, where it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const skipWithoutChromium = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install chromium)`;

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export type Tailor = Awaited<ReturnType<typeof startTailor>>;

export interface Console {
  page: Page;
  tailor: Tailor;
  browser: Browser;
  /** The console's address. */
  url: string;
  signInAsRoot(): Promise<void>;
  signInAsUser(name: string, password: string): Promise<void>;
  close(): Promise<void>;
}

/** A Tailor server and a headless chromium page on its console (not yet signed in). */
export async function openConsole(opts: { viewport?: { width: number; height: number }; tailor?: Tailor } = {}): Promise<Console> {
  const tailor = opts.tailor ?? await startTailor();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: opts.viewport ?? DESKTOP });
  const page = await context.newPage();
  const url = `${tailor.url}/console`;
  await page.goto(url);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();

  async function submit() {
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }
  return {
    page, tailor, browser, url,
    async signInAsRoot() {
      await page.getByRole('radio', { name: 'Root user' }).check();
      await page.getByLabel('Root access key ID').fill(ROOT.accessKeyId);
      await page.getByLabel('Secret access key').fill(ROOT.secretAccessKey);
      await submit();
    },
    async signInAsUser(name, password) {
      await page.getByRole('radio', { name: 'IAM user' }).check();
      await page.getByLabel('Account ID (12 digits)').fill(ACCOUNT);
      await page.getByLabel('IAM user name').fill(name);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await submit();
    },
    async close() {
      await browser.close();
      if (!opts.tailor) await tailor.stop();
    },
  };
}
