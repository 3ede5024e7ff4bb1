/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot } from '../support/browser.ts';
import { PNG } from '../support/images.ts';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from '../support/server-process.ts';

type Json = Record<string, any>;

/**
 * A buyer of the demo shop asks to return one line of a delivered order, with a photo; staff
 * approve it and mark it received with the unit restocked; the buyer then sees it refunded.
 */
describe.runIf(chromiumAvailable())('returns in Chromium', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let shopper: Page;
  let order: Json;
  let staffToken: string;

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const staff = () => /Demo staff:\s+(\S+) \/ (\S+)/.exec(server.output())!;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-browser-returns-'));
    server = await startServerProcess({ DATA_DIR: dataDir }, 'Demo staff:');
    browser = await launchBrowser();

    // Buying, shipping and delivery are set up over the API: their own suites cover them.
    const listed = await call('GET', '/api/store/products?limit=1&locale=en');
    const product = listed.items[0];
    const buyer = (await call('POST', '/api/store/auth/register', { email: 'returner@example.com', password: 'a-returner-password' })).session.token as string;
    const auth = { authorization: `Bearer ${buyer}` };
    const detail = await call('GET', `/api/store/products/${product.id}`);
    const variant = detail.variants.find((candidate: { inStock: boolean }) => candidate.inStock);
    const cart = await call('POST', '/api/store/carts', {}, auth);
    await call('POST', `/api/store/carts/${cart.id}/lines`, { variantId: variant.id, quantity: 1 }, auth);
    const placed = await call('POST', `/api/store/carts/${cart.id}/checkout`, { shippingAddress: { name: 'Returner', phone: '+8613800138000', country: 'CN', city: '杭州市', line1: '文三路 1 号' } }, { ...auth, 'idempotency-key': 'browser-return-purchase' });
    await call('POST', `${new URL(placed.payment.redirectUrl, server.url).pathname}/complete`, { outcome: 'succeeded' });
    order = placed.order;
    staffToken = (await call('POST', '/api/admin/auth/login', { email: staff()[1], password: staff()[2] })).session.token;
    const staffAuth = { authorization: `Bearer ${staffToken}` };
    const shipment = await call('POST', `/api/admin/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF7000000001', shipped: true }, staffAuth);
    await call('POST', `/api/admin/shipments/${shipment.id}/deliver`, undefined, staffAuth);

    shopper = await browser.newPage({ viewport: { width: 1024, height: 1000 }, locale: 'en-US' });
    const host = new URL(server.url).host;
    await shopper.addInitScript(([key, token]) => {
      localStorage.setItem(key!, token!);
      localStorage.setItem('bazaar.locale', 'en');
    }, [`bazaar.token.${host}`, buyer]);
  }, PROCESS_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a buyer asks to return a line with a photo', async () => {
    await shopper.goto(`${server.url}/orders/${order.id}`);
    await shopper.getByText('No return requests yet').waitFor();
    await shopper.getByRole('button', { name: 'Request a return #1' }).click();
    const form = shopper.getByRole('form', { name: 'Request a return' });
    await form.getByLabel('What you want').selectOption('return_and_refund');
    await form.getByLabel('Quantity').fill('1');
    await form.getByLabel('Reason').selectOption('damaged');
    await form.getByLabel('Details').fill('The box was crushed.');
    await form.getByLabel(/Photos/).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await screenshot(shopper, 'storefront-return-form');
    await form.getByRole('button', { name: 'Send request' }).click();
    const request = shopper.getByTestId('return-request');
    await request.getByText('Waiting for review').waitFor();
    const photo = request.getByRole('img', { name: 'Return photo 1' });
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  });

  it('staff approve it and mark it received with the unit restocked', async () => {
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await admin.goto(`${server.url}/admin`);
    await admin.getByLabel('Email').fill(staff()[1]!);
    await admin.getByLabel('Password').fill(staff()[2]!);
    await admin.getByRole('button', { name: 'Log in' }).click();
    await admin.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await admin.getByRole('link', { name: 'Returns' }).click();
    await admin.getByRole('heading', { name: 'Returns' }).waitFor();
    const card = admin.getByTestId('return-card').filter({ hasText: order.id });
    await card.waitFor();
    const photo = card.getByRole('img', { name: 'Photo 1' });
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    await screenshot(admin, 'admin-returns-queue');
    await card.getByRole('button', { name: 'Approve' }).click();
    await admin.getByRole('status').filter({ hasText: 'Awaiting parcel' }).waitFor();

    await admin.getByRole('tab', { name: 'Awaiting parcel' }).click();
    const waiting = admin.getByTestId('return-card').filter({ hasText: order.id });
    await waiting.getByLabel(/Restock/).fill('1');
    await waiting.getByRole('button', { name: 'Mark received' }).click();
    await admin.getByRole('status').filter({ hasText: 'Refunded' }).waitFor();
    await admin.getByRole('tab', { name: 'Refunded' }).click();
    await admin.getByTestId('return-card').filter({ hasText: order.id }).getByText(/Refund ref_/).waitFor();
    await screenshot(admin, 'admin-return-refunded');

    // The policy is the platform's to set: a longer window, saved and shown again.
    await admin.getByRole('link', { name: 'Settings' }).click();
    const window = admin.getByLabel('Return window (days after delivery)');
    expect(await window.inputValue()).toBe('7');
    await window.fill('15');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect((await call('GET', '/api/admin/platform', undefined, { authorization: `Bearer ${staffToken}` })).returns).toEqual({ windowDays: 15, shipBackDays: 7, autoApproveRefundOnlyBelow: 0 });
    await admin.close();
  });

  it('the buyer sees the return refunded', async () => {
    await shopper.goto(`${server.url}/orders/${order.id}`);
    await shopper.getByTestId('return-request').getByText('Refunded').waitFor();
    expect(await shopper.getByTestId('return-state').textContent()).toBe('Refunded');
    await screenshot(shopper, 'storefront-return-refunded');
    await shopper.goto(`${server.url}/orders`);
    await shopper.getByTestId('my-return').getByText('Refunded').waitFor();
  });
});
