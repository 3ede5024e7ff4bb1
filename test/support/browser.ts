import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './server-process.ts';

/**
 * Debian's Chromium, driven by playwright-core (which never downloads a browser of its own).
 * Outside CI a machine without it skips the browser suites with a notice; in CI they must run.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = `${ROOT}test-results/`;

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI || process.env.BAZAAR_REQUIRE_SERVICES === '1') {
    throw new Error(`Chromium is required in CI but ${CHROMIUM} does not exist (apt-get install chromium)`);
  }
  process.stdout.write(`\n[notice] browser suites skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)\n`);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // This machine has no network: without these, Chromium keeps trying to reach Google.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}
