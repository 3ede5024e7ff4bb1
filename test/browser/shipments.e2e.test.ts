/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot } from '../support/browser.ts';
import { strictClient } from '../support/http-client.ts';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from '../support/server-process.ts';

type Json = Record<string, any>;

/**
 * An order of two lines ships in two parcels: staff ship one line from the order page, then the
 * rest; the customer's order page shows both parcels with their tracking numbers.
 */
describe.runIf(chromiumAvailable())('shipments in Chromium', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let orderId: string;
  let skus: string[];
  const customer = { email: 'two-parcels@example.com', password: 'two-parcels-pass' };

  const call = strictClient(() => server.url, 'two-parcels-order-1');

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-shipments-'));
    server = await startServerProcess({ DATA_DIR: dataDir }, 'Demo staff:');
    browser = await launchBrowser();
    // The order is placed and paid over the API: the storefront's checkout has a suite of its own.
    const { session } = await call('POST', '/api/store/auth/register', customer);
    const listing = await call('GET', '/api/store/products?limit=20');
    const variants: Json[] = [];
    for (const item of listing.items) {
      const product = await call('GET', `/api/store/products/${item.id}`);
      const variant = product.variants.find((one: Json) => one.available >= 2 && one.price);
      if (variant) variants.push(variant);
      if (variants.length === 2) break;
    }
    skus = variants.map((variant) => variant.sku);
    const cart = await call('POST', '/api/store/carts', {}, session.token);
    for (const variant of variants) await call('POST', `/api/store/carts/${cart.id}/lines`, { variantId: variant.id, quantity: 1 }, session.token);
    const placed = await call('POST', `/api/store/carts/${cart.id}/checkout`, {
      shippingAddress: { name: '李雷', phone: '+8613900139000', country: 'CN', city: '上海市', line1: '南京路 1 号' },
    }, session.token);
    orderId = placed.order.id;
    await call('POST', `${new URL(placed.payment.redirectUrl, server.url).pathname}/complete`, { outcome: 'succeeded' });
  }, PROCESS_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('staff ship one line, then the rest; the customer sees both parcels', async () => {
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const [, email, password] = /Demo staff:\s+(\S+) \/ (\S+)/.exec(server.output())!;
    await admin.goto(`${server.url}/admin`);
    await admin.getByLabel('Email').fill(email!);
    await admin.getByLabel('Password').fill(password!);
    await admin.getByRole('button', { name: 'Log in' }).click();
    await admin.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await admin.goto(`${server.url}/admin/orders/${orderId}`);
    await admin.getByRole('heading', { name: new RegExp(orderId) }).waitFor();
    await admin.getByText('Nothing has shipped yet.').waitFor();

    // The first parcel: the first line only.
    await admin.getByLabel(new RegExp(`Units of .*\\(${skus[1]}\\) to ship`)).fill('0');
    await admin.getByLabel('Carrier', { exact: true }).selectOption('sf');
    await admin.getByLabel('Tracking number').fill('SF1000000001');
    await admin.getByRole('button', { name: 'Create shipment' }).click();
    await admin.getByRole('status').filter({ hasText: 'Shipment created.' }).waitFor();
    await expect.poll(() => admin.locator('.badge').first().textContent()).toBe('Partly shipped');
    await screenshot(admin, 'admin-order-partly-shipped');

    // The second: what is left, which the form now offers alone.
    expect(await admin.getByLabel(new RegExp(`\\(${skus[0]}\\) to ship`)).count()).toBe(0);
    await admin.getByLabel('Carrier', { exact: true }).selectOption('jd');
    await admin.getByLabel('Tracking number').fill('JD2000000002');
    await admin.getByRole('button', { name: 'Create shipment' }).click();
    await expect.poll(() => admin.locator('.badge').first().textContent()).toBe('Shipped');
    await admin.getByRole('button', { name: 'Mark delivered 1' }).click();
    await admin.getByRole('status').filter({ hasText: 'Parcel 1 marked as delivered.' }).waitFor();
    await screenshot(admin, 'admin-order-two-parcels');
    await admin.close();

    const shopper = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await shopper.goto(`${server.url}/login?next=${encodeURIComponent(`/orders/${orderId}`)}`);
    await shopper.locator('#email').fill(customer.email);
    await shopper.locator('#password').fill(customer.password);
    await shopper.locator('form button[type=submit]').click();
    await shopper.getByRole('heading', { name: '包裹' }).waitFor();
    await expect.poll(() => shopper.getByTestId('tracking-number').allTextContents()).toEqual(['SF1000000001', 'JD2000000002']);
    expect(await shopper.getByRole('listitem', { name: '包裹 1' }).textContent()).toContain('已送达');
    expect(await shopper.getByRole('listitem', { name: '包裹 2' }).textContent()).toContain('京东物流');
    await screenshot(shopper, 'storefront-order-two-parcels');
    await shopper.close();
  });
});
