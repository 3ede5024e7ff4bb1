/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot } from '../support/browser.ts';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from '../support/server-process.ts';

type Json = Record<string, any>;

/** A shopper narrows the apparel listing by brand, and opens a collection staff put together. */
describe.runIf(chromiumAvailable())('discovery in Chromium', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let apparel: Json[];

  async function staffApi(method: string, path: string, body?: unknown): Promise<Json> {
    const match = /Demo staff:\s+(\S+) \/ (\S+)/.exec(server.output());
    if (!match) throw new Error(`no demo staff in the banner:\n${server.output()}`);
    const login = await fetch(`${server.url}/api/admin/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: match[1], password: match[2] }),
    });
    const token = (await login.json()).session.token as string;
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? {} : response.json();
  }

  const facetCounts = (key: string) =>
    page.locator(`fieldset[data-facet="${key}"] label`).evaluateAll((labels) => labels.map((label) => label.textContent?.trim()));

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-discovery-'));
    server = await startServerProcess({ DATA_DIR: dataDir }, 'Demo staff:');
    await staffApi('POST', '/api/admin/attributes', {
      code: 'brand',
      name: { en: 'Brand', 'zh-CN': '品牌' },
      kind: 'choice',
      choices: [
        { value: 'aurora', name: { en: 'Aurora', 'zh-CN': '极光' } },
        { value: 'hearth', name: { en: 'Hearth', 'zh-CN': '炉边' } },
      ],
    });
    apparel = (await (await fetch(`${server.url}/api/store/products?category=apparel&limit=100&locale=en`)).json()).items;
    expect(apparel.length).toBeGreaterThanOrEqual(3);
    for (const [index, product] of apparel.entries()) {
      await staffApi('PATCH', `/api/admin/products/${product.id}`, { attributes: { brand: index < 2 ? 'aurora' : 'hearth' } });
    }
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  }, PROCESS_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('filters a listing by a brand facet, and the counts and results follow', async () => {
    await page.goto(`${server.url}/c/apparel`);
    await page.locator('.header').waitFor();
    if (await page.getByRole('button', { name: 'English' }).isVisible()) await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('group', { name: 'Brand' }).waitFor();
    const hearth = apparel.length - 2;
    await expect.poll(() => facetCounts('attr.brand')).toEqual(['Aurora (2)', `Hearth (${hearth})`]);
    await expect.poll(() => page.locator('.grid .card').count()).toBe(apparel.length);

    // The box is checked once the listing for the new URL has come back, so click, then wait for it.
    const aurora = page.getByRole('checkbox', { name: /Aurora/ });
    await aurora.click();
    await expect.poll(() => aurora.isChecked()).toBe(true);
    await expect.poll(() => page.locator('.grid .card').count()).toBe(2);
    await expect.poll(() => page.getByTestId('product-count').textContent()).toBe('2 products');
    expect(new URL(page.url()).searchParams.get('attr.brand')).toBe('aurora');
    const shown = await page.locator('.grid .card-title').allTextContents();
    expect(shown.sort()).toEqual(apparel.slice(0, 2).map((product) => product.title).sort());
    // Its own facet still offers the other brand; in-stock counts now cover the two shown.
    await expect.poll(() => facetCounts('attr.brand')).toEqual(['Aurora (2)', `Hearth (${hearth})`]);
    await screenshot(page, 'storefront-listing-brand-facet');

    const hearthBox = page.getByRole('checkbox', { name: /Hearth/ });
    await hearthBox.click();
    await expect.poll(() => hearthBox.isChecked()).toBe(true);
    await expect.poll(() => page.locator('.grid .card').count()).toBe(apparel.length);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.has('attr.brand')).toBe(false);
  });

  it('opens a brand page and a collection page with the products staff chose, in their order', async () => {
    await page.goto(`${server.url}/brand/aurora`);
    await page.getByRole('heading', { name: 'Aurora' }).waitFor();
    await expect.poll(() => page.locator('.grid .card').count()).toBe(2);

    const picks = [apparel[2]!, apparel[0]!];
    await staffApi('POST', '/api/admin/collections', {
      slug: 'editors-picks',
      title: { en: "Editor's picks", 'zh-CN': '编辑精选' },
      kind: 'manual',
      productIds: picks.map((product) => product.id),
    });
    await page.goto(`${server.url}/collection/editors-picks`);
    await page.getByRole('heading', { name: "Editor's picks" }).waitFor();
    await expect.poll(() => page.locator('.grid .card-title').allTextContents()).toEqual(picks.map((product) => product.title));
    await screenshot(page, 'storefront-collection');
  });
});
