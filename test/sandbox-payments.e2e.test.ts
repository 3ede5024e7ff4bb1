import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/app/config.ts';
import { cartWith, checkout, newCustomer, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

/** Where the hosted page may send the shopper back to: same-origin paths only. */
const OFF_SITE = ['//2130706433/phish', '//evil.example/x', '/\\evil', '/\\/evil', '/%2F/evil', 'https://evil.example/', 'javascript:alert(1)', '/orders/\nx', 'orders/1'];

describe('the sandbox payment provider is configuration', () => {
  it('is on by default, off by default in production, and the flag decides either way', () => {
    expect(loadConfig({}).sandboxPayments).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).sandboxPayments).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', BAZAAR_SANDBOX_PAYMENTS: '1' }).sandboxPayments).toBe(true);
    expect(loadConfig({ BAZAAR_SANDBOX_PAYMENTS: '0' }).sandboxPayments).toBe(false);
  });
});

describe.each(await databaseKinds())('sandbox payments on %s', (kind) => {
  let on: TestApp;
  let off: TestApp;
  beforeAll(async () => {
    [on, off] = await Promise.all([startTestApp(kind), startTestApp(kind, { sandboxPayments: false })]);
  });
  afterAll(async () => {
    await on?.close();
    await off?.close();
  });

  async function placedOrder(t: TestApp, slug: string) {
    const shop = await stockedShop(t, slug, { TEA: { price: 1200, units: 5 } });
    const customer = await newCustomer(t, slug, `buyer@${slug}.test`);
    const cartId = await cartWith(t, slug, customer, [{ variantId: shop.variants.TEA!, quantity: 1 }]);
    return { shop, customer, placed: await checkout(t, slug, customer, cartId, `sandbox-key-${slug}`) };
  }

  it('when on, the hosted page pays the order and sends the shopper back to a path on this site', async () => {
    const { placed } = await placedOrder(on, 'sbx-on');
    expect(placed.statusCode).toBe(201);
    const path = new URL(placed.json().payment.redirectUrl, 'http://x').pathname;
    const page = await on.request({ method: 'GET', url: `${path}?return=/orders/${placed.json().order.id}` });
    expect(page.statusCode).toBe(200);
    const paid = await on.request({ method: 'POST', url: `${path}/complete`, payload: { outcome: 'succeeded', return: `/orders/${placed.json().order.id}` } });
    expect(paid.statusCode).toBe(303);
    expect(paid.headers.location).toBe(`/orders/${placed.json().order.id}`);
  });

  it('when on, the hosted page refuses to send the shopper anywhere off this site', async () => {
    const { shop, placed } = await placedOrder(on, 'sbx-redirect');
    const path = new URL(placed.json().payment.redirectUrl, 'http://x').pathname;
    for (const target of OFF_SITE) {
      const page = await on.request({ method: 'GET', url: `${path}?return=${encodeURIComponent(target)}` });
      expect(page.statusCode, `GET return=${target}`).toBe(400);
      const completed = await on.request({ method: 'POST', url: `${path}/complete`, payload: { outcome: 'succeeded', return: target } });
      expect(completed.statusCode, `POST return=${target}`).toBe(400);
      expect(completed.headers.location).toBeUndefined();
      const form = await on.request({ method: 'POST', url: `${path}/complete`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ outcome: 'succeeded', return: target }).toString() });
      expect(form.statusCode, `form return=${target}`).toBe(400);
    }
    // None of the refused completions paid the order.
    const order = await on.request({ method: 'GET', url: `/api/admin/orders/${placed.json().order.id}`, headers: as('sbx-redirect', shop.ownerToken) });
    expect(order.json().status).toBe('pending_payment');
  });

  it('when off, there is no hosted page, no way to complete, no sandbox webhook, and checkout is refused before stock is held', async () => {
    // A session token made by an installation with the sandbox on is still refused: the routes are gone.
    const { placed: elsewhere } = await placedOrder(on, 'sbx-token');
    const path = new URL(elsewhere.json().payment.redirectUrl, 'http://x').pathname;
    expect((await off.request({ method: 'GET', url: path })).statusCode).toBe(404);
    const completed = await off.request({ method: 'POST', url: `${path}/complete`, payload: { outcome: 'succeeded' } });
    expect(completed.statusCode).toBe(404);
    const webhook = await off.request({ method: 'POST', url: '/api/payments/sandbox/webhook', headers: { 'content-type': 'application/json', 'bazaar-signature': 't=1,v1=00' }, payload: '{}' });
    expect(webhook.statusCode).toBe(404);
    expect(webhook.json().code).toBe('provider_not_found');

    const { shop, placed } = await placedOrder(off, 'sbx-off');
    expect(placed.statusCode).toBe(503);
    expect(placed.json().code).toBe('no_payment_provider');
    const stock = await off.request({ method: 'GET', url: `/api/admin/inventory?variantId=${shop.variants.TEA}`, headers: as('sbx-off', shop.ownerToken) });
    expect(stock.json().items[0]).toMatchObject({ onHand: 5, reserved: 0 });
    const orders = await off.request({ method: 'GET', url: '/api/admin/orders', headers: as('sbx-off', shop.ownerToken) });
    expect(orders.json().items).toEqual([]);
  });
});
