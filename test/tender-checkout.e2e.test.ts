import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { checkLedger } from '../src/modules/ledger/index.ts';
import { ADDRESS, cartWith, newCustomer, pay, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

type Json = Record<string, any>;

describe.each(await databaseKinds())('gift cards and store credit at checkout on %s', (kind) => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof stockedShop>>;
  const admin = (method: string, url: string, payload?: unknown) => t.request({ method: method as 'GET', url, headers: as('tender', shop.ownerToken), ...(payload ? { payload } : {}) });
  const issue = async (amount: number, extra: Json = {}) => {
    const issued = await admin('POST', '/api/admin/gift-cards', { amount, ...extra });
    expect(issued.statusCode, issued.body).toBe(201);
    return issued.json().fullCode as string;
  };
  const balanceOf = async (code: string) => (await t.request({ method: 'GET', url: `/api/store/gift-cards/balance?code=${encodeURIComponent(code)}`, headers: as('tender') })).json().balance;
  const checkout = (token: string, cartId: string, key: string, tenders: Json[]) =>
    t.request({ method: 'POST', url: `/api/store/carts/${cartId}/checkout`, headers: { ...as('tender', token), 'idempotency-key': key }, payload: { shippingAddress: ADDRESS, tenders } });
  const onHand = async (sku: string) => (await admin('GET', `/api/admin/inventory?variantId=${shop.variants[sku]}`)).json().items[0];
  const booksBalance = async () => expect(await t.db.withTenant(shop.id, (tx) => checkLedger(tx))).toEqual([]);

  beforeAll(async () => {
    t = await startTestApp(kind, { clock });
    shop = await stockedShop(t, 'tender', { TEA: { price: 8000, units: 20 } });
  });
  afterAll(() => t?.close());

  it('lets a gift card pay part of an order; the provider takes the rest, and payment captures the card', async () => {
    const code = await issue(5000);
    const token = await newCustomer(t, 'tender', 'part@example.com');
    const cartId = await cartWith(t, 'tender', token, [{ variantId: shop.variants.TEA!, quantity: 1 }]);
    const placed = await checkout(token, cartId, 'part-key-1', [{ kind: 'gift_card', code: code.toLowerCase() }]);
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json().order).toMatchObject({ total: 8000, tenderTotal: 5000, amountDue: 3000, status: 'pending_payment' });
    expect(placed.json().payment.amount).toBe(3000);
    expect(await balanceOf(code)).toBe(0);

    expect((await pay(t, placed.json().payment)).json().webhook).toBe('applied');
    const order = await t.request({ method: 'GET', url: `/api/store/orders/${placed.json().order.id}`, headers: as('tender', token) });
    expect(order.json()).toMatchObject({ status: 'paid', tenderTotal: 5000 });
    const captured = await t.db.withTenant(shop.id, (tx) => sql<{ n: number }>`select count(*)::int as n from outbox_events where type = 'tender.captured'`.execute(tx));
    expect(captured.rows[0]!.n).toBe(1);
    await booksBalance();

    // Refunds go back to the card payment first, then to the gift card; never beyond what was paid.
    const first = await admin('POST', `/api/admin/orders/${placed.json().order.id}/refunds`, { amount: 4000, reason: 'damaged' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().parts).toEqual([{ amount: 3000, destination: 'provider' }, { amount: 1000, destination: 'tenders' }]);
    expect(await balanceOf(code)).toBe(1000);
    const asCredit = await admin('POST', `/api/admin/orders/${placed.json().order.id}/refunds`, { amount: 1500, reason: 'goodwill', to: 'store_credit' });
    expect(asCredit.json().parts).toEqual([{ amount: 1500, destination: 'store_credit' }]);
    const credit = await t.request({ method: 'GET', url: '/api/store/account/store-credit', headers: as('tender', token) });
    expect(credit.json()).toMatchObject({ balances: [{ currency: 'CNY', balance: 1500 }] });
    const beyond = await admin('POST', `/api/admin/orders/${placed.json().order.id}/refunds`, { amount: 2501, reason: 'too much' });
    expect(beyond.statusCode).toBe(409);
    expect(beyond.json().code).toBe('refund_exceeds_paid');
    await booksBalance();
  });

  it('pays an order in full from a gift card and store credit at checkout, with no payment', async () => {
    const code = await issue(6000);
    const token = await newCustomer(t, 'tender', 'full@example.com');
    const found = await t.db.withTenant(shop.id, (tx) => sql<{ id: string }>`select id from customers where email = 'full@example.com'`.execute(tx));
    const customerId = found.rows[0]!.id;
    const granted = await admin('POST', `/api/admin/customers/${customerId}/store-credit`, { amount: 3000, reason: 'welcome' });
    expect(granted.statusCode, granted.body).toBe(201);
    const before = await onHand('TEA');
    const cartId = await cartWith(t, 'tender', token, [{ variantId: shop.variants.TEA!, quantity: 1 }]);
    const placed = await checkout(token, cartId, 'full-key-1', [{ kind: 'gift_card', code }, { kind: 'store_credit' }]);
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json()).toMatchObject({ order: { status: 'paid', tenderTotal: 8000, amountDue: 0 }, payment: null });
    expect(await onHand('TEA')).toMatchObject({ onHand: before.onHand - 1, reserved: before.reserved });
    expect(await balanceOf(code)).toBe(0);
    const credit = await t.request({ method: 'GET', url: '/api/store/account/store-credit', headers: as('tender', token) });
    expect(credit.json().balances).toEqual([expect.objectContaining({ currency: 'CNY', balance: 1000 })]);
    // The same request again answers with the same order.
    const again = await checkout(token, cartId, 'full-key-1', [{ kind: 'gift_card', code }, { kind: 'store_credit' }]);
    expect(again.statusCode).toBe(200);
    expect(again.json().order.id).toBe(placed.json().order.id);
    await booksBalance();
  });

  it('gives the card back when the unpaid order is cancelled', async () => {
    const code = await issue(2000);
    const token = await newCustomer(t, 'tender', 'cancel@example.com');
    const cartId = await cartWith(t, 'tender', token, [{ variantId: shop.variants.TEA!, quantity: 1 }]);
    const placed = await checkout(token, cartId, 'cancel-key-1', [{ kind: 'gift_card', code }]);
    expect(await balanceOf(code)).toBe(0);
    const cancelled = await admin('POST', `/api/admin/orders/${placed.json().order.id}/cancel`, { reason: 'customer asked' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await balanceOf(code)).toBe(2000);
    await booksBalance();
  });

  it("refuses another platform's card, an expired card and a malformed code, writing no order", async () => {
    const other = await t.createPlatform('tender-other');
    const theirs = await t.request({ method: 'POST', url: '/api/admin/gift-cards', headers: as('tender-other', other.ownerToken), payload: { amount: 9000 } });
    const expiring = await issue(9000, { expiresAt: new Date(clock.now().getTime() + 60_000).toISOString() });
    const token = await newCustomer(t, 'tender', 'refused@example.com');
    const cartId = await cartWith(t, 'tender', token, [{ variantId: shop.variants.TEA!, quantity: 1 }]);

    const foreign = await checkout(token, cartId, 'refused-key-1', [{ kind: 'gift_card', code: theirs.json().fullCode }]);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('gift_card_not_found');
    clock.advance(120_000);
    const expired = await checkout(token, cartId, 'refused-key-2', [{ kind: 'gift_card', code: expiring }]);
    expect(expired.statusCode).toBe(410);
    expect(expired.json().code).toBe('gift_card_expired');
    const bad = await checkout(token, cartId, 'refused-key-3', [{ kind: 'gift_card', code: '<script>' }]);
    expect(bad.statusCode).toBe(400);
    const orders = await t.request({ method: 'GET', url: '/api/store/orders', headers: as('tender', token) });
    expect(orders.json().items).toEqual([]);
    await booksBalance();
  });
});
