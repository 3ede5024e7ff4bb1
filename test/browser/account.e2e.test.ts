/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot } from '../support/browser.ts';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from '../support/server-process.ts';

/**
 * A shopper's own account at the demo shop, in Chromium: sign up, keep two addresses and make
 * the second the default, edit the profile, find the default chosen at checkout, and keep a
 * product in the wishlist.
 */
describe.runIf(chromiumAvailable())('my account in Chromium', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let productTitle: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-account-'));
    server = await startServerProcess({ DATA_DIR: dataDir }, 'Demo staff:');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  }, PROCESS_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function addAddress(fields: Record<string, string>) {
    await page.getByRole('button', { name: 'Add an address' }).click();
    const form = page.getByRole('form', { name: 'Add an address' });
    for (const [label, value] of Object.entries(fields)) await form.getByLabel(label).fill(value);
    await form.getByRole('button', { name: 'Save address' }).click();
    await form.waitFor({ state: 'detached' });
  }

  it('signs up and keeps two addresses, the second made the default', async () => {
    await page.goto(`${server.url}/register`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Sign up' }).waitFor();
    await page.getByLabel('Email').fill('keeper@example.com');
    await page.getByLabel('Password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('link', { name: 'My account' }).click();
    await page.getByRole('heading', { name: 'My account' }).waitFor();
    await page.getByText('No saved addresses yet').waitFor();

    // A bad phone is refused with the server's message beside the field.
    await page.getByRole('button', { name: 'Add an address' }).click();
    const form = page.getByRole('form', { name: 'Add an address' });
    await form.getByLabel('Name *').fill('王小明');
    await form.getByLabel('Phone *').fill('not a phone');
    await form.getByLabel('City *').fill('杭州市');
    await form.getByLabel('Address *').fill('文三路 100 号');
    await form.getByRole('button', { name: 'Save address' }).click();
    await form.locator('.error').waitFor();
    await form.getByLabel('Phone *').fill('+8613800138000');
    await form.getByRole('button', { name: 'Save address' }).click();
    await form.waitFor({ state: 'detached' });

    await addAddress({ 'Name *': 'Wang Office', 'Phone *': '+8613900139000', 'City *': '上海市', 'Address *': '世纪大道 1 号' });
    const lines = page.locator('.address');
    await expect.poll(() => lines.count()).toBe(2);
    expect(await lines.first().textContent()).toContain('文三路 100 号');
    expect(await lines.first().textContent()).toContain('Default');

    await lines.filter({ hasText: '世纪大道' }).getByRole('button', { name: 'Make default' }).click();
    await expect.poll(() => lines.first().textContent()).toContain('世纪大道 1 号');
    expect(await lines.first().textContent()).toContain('Default');
    expect(await lines.locator('.status').allTextContents()).toEqual(['Default']);
    await screenshot(page, 'storefront-account-addresses');
  });

  it('edits the profile; a new phone asks for the current password', async () => {
    const profile = page.getByRole('form', { name: 'Profile' });
    await profile.getByLabel('Name', { exact: true }).fill('Wang Keeper');
    expect(await profile.getByLabel('Current password').count()).toBe(0);
    await profile.getByLabel('Phone').fill('+8613700001111');
    await profile.getByLabel('Current password').fill('not-the-password');
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await profile.getByRole('alert').waitFor();
    await profile.getByLabel('Current password').fill('a-long-enough-password');
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await profile.getByRole('status').filter({ hasText: 'Profile saved' }).waitFor();
    expect(await profile.getByLabel('Current password').count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByRole('form', { name: 'Profile' }).getByLabel('Phone').inputValue()).toBe('+8613700001111');
    expect(await page.getByRole('form', { name: 'Profile' }).getByLabel('Name', { exact: true }).inputValue()).toBe('Wang Keeper');
  });

  it('adds a product to the wishlist from its page and finds it on the account page', async () => {
    productTitle = 'Floral Summer Dress';
    await page.getByRole('searchbox').fill('连衣裙');
    await page.getByRole('searchbox').press('Enter');
    await page.getByRole('link', { name: new RegExp(productTitle) }).click();
    await page.getByRole('heading', { name: productTitle }).waitFor();
    await page.getByRole('button', { name: 'Black' }).click();
    await page.getByRole('button', { name: 'M', exact: true }).click();
    const heart = page.getByRole('button', { name: /Add to wishlist/ });
    await heart.click();
    await page.getByRole('button', { name: /In your wishlist/ }).waitFor();
    expect(await page.getByRole('button', { name: /In your wishlist/ }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to cart' }).waitFor();

    await page.getByRole('link', { name: 'My account' }).click();
    const wishlist = page.getByRole('region', { name: 'Wishlist' });
    await wishlist.getByRole('link', { name: productTitle }).waitFor();
    await screenshot(page, 'storefront-account-wishlist');
  });

  it('checkout starts from the default address and offers the others', async () => {
    await page.getByRole('link', { name: /Cart \(1\)/ }).click();
    await page.getByRole('link', { name: 'Check out' }).click();
    await page.getByRole('heading', { name: 'Shipping address' }).waitFor();
    await expect.poll(() => page.getByLabel('Address *').inputValue()).toBe('世纪大道 1 号');
    expect(await page.getByLabel('Name *').inputValue()).toBe('Wang Office');
    expect(await page.getByLabel('City *').inputValue()).toBe('上海市');
    // A saved address needs no saving again.
    expect(await page.getByLabel('Save this address to my address book').count()).toBe(0);

    const home = await page.locator('#saved-address option', { hasText: '文三路' }).getAttribute('value');
    await page.getByLabel('Saved addresses').selectOption(home!);
    await expect.poll(() => page.getByLabel('Address *').inputValue()).toBe('文三路 100 号');
    await page.getByLabel('Address *').fill('文三路 200 号');
    await page.getByLabel('Save this address to my address book').check();
    await screenshot(page, 'storefront-checkout-saved-address');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: 'Bazaar sandbox payment' }).waitFor();

    await page.goto(`${server.url}/account`);
    await expect.poll(() => page.locator('.address').count()).toBe(3);
    expect(await page.locator('.address').first().textContent()).toContain('世纪大道 1 号');
    expect(await page.locator('.address').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('文三路 200 号')]));
  });
});
