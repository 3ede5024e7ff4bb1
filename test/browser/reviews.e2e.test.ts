/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot } from '../support/browser.ts';
import { PNG } from '../support/images.ts';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from '../support/server-process.ts';

/**
 * A buyer of the demo shop reviews what they bought, with a photo; staff approve it in the
 * admin; the product page then shows the review, its photo and the rating, and so does the card.
 */
describe.runIf(chromiumAvailable())('reviews in Chromium', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let shopper: Page;
  let product: { id: string; title: string };
  let buyerToken: string;

  const json = { 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${path}`, { method, headers: { ...(body === undefined ? {} : json), ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-browser-reviews-'));
    server = await startServerProcess({ DATA_DIR: dataDir }, 'Demo staff:');
    browser = await launchBrowser();

    // The purchase is set up over the API: the browser suite of the shop covers buying.
    const listed = await call('GET', '/api/store/products?limit=1&locale=en');
    product = listed.items[0];
    const registered = await call('POST', '/api/store/auth/register', { email: 'reviewer@example.com', password: 'a-reviewer-password' });
    buyerToken = registered.session.token;
    const auth = { authorization: `Bearer ${buyerToken}` };
    const detail = await call('GET', `/api/store/products/${product.id}`);
    const variant = detail.variants.find((candidate: { inStock: boolean }) => candidate.inStock);
    const cart = await call('POST', '/api/store/carts', {}, auth);
    await call('POST', `/api/store/carts/${cart.id}/lines`, { variantId: variant.id, quantity: 1 }, auth);
    const placed = await call('POST', `/api/store/carts/${cart.id}/checkout`, { shippingAddress: { name: 'Reviewer', phone: '+8613800138000', country: 'CN', city: '杭州市', line1: '文三路 1 号' } }, { ...auth, 'idempotency-key': 'browser-review-purchase' });
    await call('POST', `${new URL(placed.payment.redirectUrl, server.url).pathname}/complete`, { outcome: 'succeeded' });

    shopper = await browser.newPage({ viewport: { width: 1024, height: 900 }, locale: 'en-US' });
    const host = new URL(server.url).host;
    await shopper.addInitScript(([key, token]) => {
      localStorage.setItem(key!, token!);
      localStorage.setItem('bazaar.locale', 'en');
    }, [`bazaar.token.${host}`, buyerToken]);
  }, PROCESS_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a buyer writes a review with a photo; it waits for moderation', async () => {
    await shopper.goto(`${server.url}/p/${product.id}`);
    await shopper.getByRole('heading', { name: product.title }).waitFor();
    await shopper.getByText('No reviews yet').waitFor();
    const form = shopper.getByRole('form', { name: 'Write a review' });
    await form.getByLabel('4 stars').check();
    await form.getByLabel('Title').fill('Lovely colour');
    await form.getByLabel('Your review').fill('Fits well and the colour is as pictured.');
    await form.getByLabel(/Photos/).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await screenshot(shopper, 'storefront-review-form');
    await form.getByRole('button', { name: 'Submit review' }).click();
    await shopper.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();
    // Not public until staff approve it, and the form is gone for this buyer.
    expect(await shopper.getByRole('form', { name: 'Write a review' }).count()).toBe(0);
    expect(await shopper.locator('.review').count()).toBe(0);
  });

  it('staff approve it in the moderation queue, seeing the photo', async () => {
    const match = /Demo staff:\s+(\S+) \/ (\S+)/.exec(server.output());
    const admin = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    await admin.goto(`${server.url}/admin`);
    await admin.getByLabel('Email').fill(match![1]!);
    await admin.getByLabel('Password').fill(match![2]!);
    await admin.getByRole('button', { name: 'Log in' }).click();
    await admin.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await admin.getByRole('link', { name: 'Reviews' }).click();
    await admin.getByRole('heading', { name: 'Reviews' }).waitFor();
    const card = admin.getByRole('listitem', { name: 'Lovely colour' });
    await card.waitFor();
    const photo = card.getByRole('img', { name: 'Photo 1' });
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    await screenshot(admin, 'admin-review-queue');
    await card.getByRole('button', { name: 'Approve' }).click();
    await admin.getByRole('status').filter({ hasText: 'Review “Lovely colour” published.' }).waitFor();
    await expect.poll(() => admin.getByRole('listitem', { name: 'Lovely colour' }).count()).toBe(0);
    await admin.close();
  });

  it('the product page shows the review, its photo and the rating; the card shows the stars', async () => {
    await shopper.goto(`${server.url}/p/${product.id}`);
    const review = shopper.locator('.review').filter({ hasText: 'Lovely colour' });
    await review.waitFor();
    expect(await review.textContent()).toContain('Fits well and the colour is as pictured.');
    const photo = review.getByRole('img', { name: 'Review photo 1' });
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    await expect.poll(() => shopper.locator('.product-rating').getByRole('img', { name: '4 out of 5 stars' }).count()).toBe(1);
    expect(await shopper.locator('.product-rating').textContent()).toContain('4.0 (1 review)');
    await screenshot(shopper, 'storefront-product-reviews');

    await shopper.goto(server.url);
    const card = shopper.locator('.grid .card').filter({ hasText: product.title });
    await card.getByRole('img', { name: '4 out of 5 stars' }).waitFor();
    await screenshot(shopper, 'storefront-cards-with-stars');
  });
});
