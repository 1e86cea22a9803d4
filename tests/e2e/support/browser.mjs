// Headless Chromium for the page tests (/docs, /insights): Debian's `chromium` package (installed by
// scripts/setup.sh) driven by playwright-core, and tabs that may only reach the server under test.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from './worker.mjs';

const CHROMIUM = '/usr/bin/chromium';
/** Where the page tests keep their screenshots for a person to look at (made by launchBrowser). */
export const ARTIFACTS = process.env.PANDA_TEST_ARTIFACTS || join(ROOT, 'build', 'test-artifacts');

/** Starts the browser, or says how to install it; makes ARTIFACTS for the screenshots. */
export async function launchBrowser() {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}, and the browser tests need it. Install it with ` +
      "'bash scripts/setup.sh' (it runs 'apt-get update' and 'apt-get install -y chromium', as root or " +
      'through sudo), then run the tests again.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true, // playwright adds --headless and a fresh --user-data-dir of its own
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    timeout: 30_000,
  });
}

/**
 * A tab of its own (fresh storage) that may only reach `origin` (and data: URLs): anything else is
 * refused and its address pushed onto `offsite`. Uncaught exceptions and console errors (CSP
 * violations among them) are pushed onto `pageErrors`, except those `expected` matches.
 */
export async function isolatedPage(browser, origin, { offsite, pageErrors, expected, locale = 'en-GB', viewport = { width: 1280, height: 900 } }) {
  const context = await browser.newContext({ locale, viewport, acceptDownloads: true });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected?.test(message.text())) pageErrors.push(`console: ${message.text()}`);
  });
  return page;
}
