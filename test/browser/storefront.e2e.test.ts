/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot } from '../support/browser.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

/** A shopper on a phone-sized screen: browse, search, pick a variant, register, check out, pay. */
describe.runIf(chromiumAvailable())('the storefront in Chromium', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-browser-'));
    server = await startServerProcess({ DATA_DIR: dataDir }, 'Demo staff:');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the platform it was reached by, in Chinese, with categories and products', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.locator('.brand').textContent()).toBe('Bazaar 演示商店');
    await page.getByRole('heading', { name: '精选商品' }).waitFor();
    expect(await page.locator('.grid .card').count()).toBe(12);
    expect(await page.locator('.chips .chip').count()).toBeGreaterThanOrEqual(5);
    const primary = await page.locator('.header').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(primary).toBe('rgb(228, 57, 60)');
    await screenshot(page, 'storefront-home-zh');
  });

  it('switches to English and finds products by a Chinese search', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Featured' }).waitFor();
    await page.getByRole('searchbox').fill('连衣裙');
    await page.getByRole('searchbox').press('Enter');
    await page.getByRole('heading', { name: 'Results for “连衣裙”' }).waitFor();
    await expect.poll(() => page.locator('.grid .card').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.grid .card-title').allTextContents()).toContain('Floral Summer Dress');
    await screenshot(page, 'storefront-search-en');
  });

  it('picks a variant, sees its price and stock, and adds it to the cart', async () => {
    await page.getByRole('link', { name: /Floral Summer Dress/ }).click();
    await page.getByRole('heading', { name: 'Floral Summer Dress' }).waitFor();
    await page.getByRole('button', { name: 'Black' }).click();
    await page.getByRole('button', { name: 'M', exact: true }).click();
    expect(await page.getByRole('button', { name: 'Black' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByText('In stock').waitFor();
    expect(await page.locator('.price.large').textContent()).toMatch(/199\.00/);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').filter({ hasText: 'Added to cart' }).waitFor();
    await screenshot(page, 'storefront-product');
    await page.getByRole('link', { name: /Cart \(1\)/ }).click();
    await page.getByRole('heading', { name: 'Cart' }).waitFor();
    expect(await page.locator('.line').first().textContent()).toContain('Black / M');
    await screenshot(page, 'storefront-cart');
  });

  it('registers at checkout, shows the server field message, places the order and pays', async () => {
    await page.getByRole('link', { name: 'Check out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Email').fill('shopper@example.com');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.locator('.field .error').first().waitFor();
    await page.getByLabel('Password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Featured' }).waitFor();

    // The guest cart became the customer's at login.
    await page.getByRole('link', { name: /Cart \(1\)/ }).click();
    await page.getByRole('link', { name: 'Check out' }).click();
    await page.getByRole('heading', { name: 'Shipping address' }).waitFor();
    await page.getByLabel('Name *').fill('王小明');
    await page.getByLabel('Phone *').fill('not a phone');
    await page.getByLabel('City *').fill('杭州市');
    await page.getByLabel('Address *').fill('文三路 100 号');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.locator('#phone-error').waitFor();
    expect(await page.getByLabel('Phone *').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'storefront-checkout-field-error');
    await page.getByLabel('Phone *').fill('+8613800138000');
    await page.getByRole('button', { name: 'Place order' }).click();

    await page.getByRole('heading', { name: 'Bazaar sandbox payment' }).waitFor();
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.getByRole('heading', { name: 'Order placed' }).waitFor();
    await expect.poll(() => page.locator('.status').textContent()).toBe('Paid');
    await screenshot(page, 'storefront-order-paid');
    await page.getByRole('link', { name: 'My orders' }).click();
    await page.locator('.lines .line').first().waitFor();
    expect(await page.locator('.lines .line').count()).toBe(1);
  });
});
