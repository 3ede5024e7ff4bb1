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
 * Staff add an item to a paid order from its page, preview what it does to the total and apply
 * it; the customer's order page then asks for the balance, and paying it settles the order.
 */
describe.runIf(chromiumAvailable())('order edits in Chromium', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let orderId: string;
  let added: Json;
  const customer = { email: 'edited-order@example.com', password: 'edited-order-pass' };

  const call = strictClient(() => server.url, 'edited-order-1');

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-order-edits-'));
    server = await startServerProcess({ DATA_DIR: dataDir }, 'Demo staff:');
    browser = await launchBrowser();
    // The order is placed and paid over the API: the storefront's checkout has a suite of its own.
    const { session } = await call('POST', '/api/store/auth/register', customer);
    const listing = await call('GET', '/api/store/products?limit=20');
    const variants: Json[] = [];
    for (const item of listing.items) {
      const product = await call('GET', `/api/store/products/${item.id}?locale=en`);
      const variant = product.variants.find((one: Json) => one.available >= 2 && one.price);
      if (variant) variants.push({ ...variant, title: product.title });
      if (variants.length === 2) break;
    }
    added = variants[1]!;
    const cart = await call('POST', '/api/store/carts', {}, session.token);
    await call('POST', `/api/store/carts/${cart.id}/lines`, { variantId: variants[0]!.id, quantity: 1 }, session.token);
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

  it('staff add an item to a paid order; the customer pays the balance from the order page', async () => {
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const [, email, password] = /Demo staff:\s+(\S+) \/ (\S+)/.exec(server.output())!;
    await admin.goto(`${server.url}/admin`);
    await admin.getByLabel('Email').fill(email!);
    await admin.getByLabel('Password').fill(password!);
    await admin.getByRole('button', { name: 'Log in' }).click();
    await admin.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await admin.goto(`${server.url}/admin/orders/${orderId}`);
    await admin.getByRole('heading', { name: new RegExp(orderId) }).waitFor();

    await admin.getByRole('button', { name: 'Edit items' }).click();
    const title: string = added.title;
    await admin.getByLabel('Product name').fill(title);
    await admin.getByRole('button', { name: 'Find', exact: true }).click();
    await admin.getByRole('button', { name: title, exact: true }).click();
    await admin.getByLabel('Variant').selectOption(added.id);
    await admin.getByRole('button', { name: 'Add', exact: true }).click();
    await admin.getByText(`(${added.sku}) × 1`).waitFor();
    await admin.getByRole('button', { name: 'Preview' }).click();
    await admin.getByText(/The customer owes .+; the order ships once a further payment pays it\./).waitFor();
    await admin.getByLabel('Reason for the edit').fill('customer asked by phone');
    await screenshot(admin, 'admin-order-edit-preview');
    await admin.getByRole('button', { name: 'Apply edit' }).click();
    await admin.getByRole('status').filter({ hasText: 'Order edited.' }).waitFor();
    await admin.getByText('Balance due (edited)').waitFor();
    await admin.getByRole('cell', { name: `${added.sku} 0 → 1` }).waitFor();
    await screenshot(admin, 'admin-order-edited');
    await admin.close();

    const shopper = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await shopper.goto(`${server.url}/login?next=${encodeURIComponent(`/orders/${orderId}`)}`);
    await shopper.locator('#email').fill(customer.email);
    await shopper.locator('#password').fill(customer.password);
    await shopper.locator('form button[type=submit]').click();
    await shopper.getByText(/商家修改了订单，还需补款/).waitFor();
    await screenshot(shopper, 'storefront-order-balance-due');
    await shopper.getByRole('button', { name: /^补款/ }).click();
    // The sandbox's payment page, then back to the order, which owes nothing now.
    await shopper.getByRole('button', { name: 'Pay' }).click();
    await shopper.waitForURL(new RegExp(`/orders/${orderId}$`));
    await shopper.getByRole('heading', { name: '订单已提交' }).waitFor();
    await expect.poll(async () => (await call('GET', `/api/store/orders/${orderId}`, undefined, await tokenOf(customer))).balanceDue).toBe(0);
    expect(await shopper.getByRole('button', { name: /^补款/ }).count()).toBe(0);
    await shopper.close();
  });

  async function tokenOf(who: { email: string; password: string }): Promise<string> {
    return (await call('POST', '/api/store/auth/login', who)).session.token;
  }
});
