import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { ADDRESS, cartWith, checkout, newCustomer, pay, signedWebhook, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { as, OPERATOR_TOKEN, startTestApp, type TestApp } from './support/test-app.ts';

type Json = Record<string, any>;

describe.each(await databaseKinds())('commerce on %s', (kind) => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof stockedShop>>;
  const stockOf = async (sku: string) =>
    (await t.request({ method: 'GET', url: `/api/admin/inventory?variantId=${shop.variants[sku]}`, headers: as('shop', shop.ownerToken) })).json().items[0];

  beforeAll(async () => {
    t = await startTestApp(kind, { clock });
    shop = await stockedShop(t, 'shop', {
      HOT: { price: 1000, units: 50 },
      TEA: { price: 5000, units: 20 },
      MUG: { price: 2000, units: 5 },
      GONE: { price: 100, units: 0 },
    });
  });
  afterAll(() => t?.close());

  it('300 concurrent checkouts for 50 units sell exactly 50 and refuse 250 clearly', async () => {
    const customers = await Promise.all(Array.from({ length: 300 }, (_, i) => newCustomer(t, 'shop', `crowd${i}@example.com`)));
    const carts = await Promise.all(customers.map((token) => cartWith(t, 'shop', token, [{ variantId: shop.variants.HOT!, quantity: 1 }])));
    const results = await Promise.all(customers.map((token, i) => checkout(t, 'shop', token, carts[i]!, `crowd-key-${i}`)));

    const created = results.filter((r) => r.statusCode === 201);
    const refused = results.filter((r) => r.statusCode === 409);
    expect(created).toHaveLength(50);
    expect(refused).toHaveLength(250);
    expect(new Set(refused.map((r) => r.json().code))).toEqual(new Set(['out_of_stock']));
    expect(await stockOf('HOT')).toEqual({ variantId: shop.variants.HOT, onHand: 50, reserved: 50, available: 0 });

    const reservations = await t.db.withTenant(shop.id, (tx) =>
      sql<{ n: number; units: number }>`select count(*)::int as n, coalesce(sum(quantity), 0)::int as units
        from stock_reservations where variant_id = ${shop.variants.HOT} and status = 'active'`.execute(tx),
    );
    expect(reservations.rows[0]).toEqual({ n: 50, units: 50 });

    // Paying commits the reservation: stock leaves the warehouse and nothing is reserved twice.
    for (const response of created.slice(0, 10)) expect((await pay(t, response.json().payment)).json().webhook).toBe('applied');
    expect(await stockOf('HOT')).toMatchObject({ onHand: 40, reserved: 40, available: 0 });
  });

  it('the server prices the cart; a guest cart merges into the customer cart at login', async () => {
    const guest = await t.request({ method: 'POST', url: '/api/store/carts', headers: as('shop'), payload: {} });
    const cartId = guest.json().id;
    const added = await t.request({ method: 'POST', url: `/api/store/carts/${cartId}/lines`, headers: as('shop'), payload: { variantId: shop.variants.TEA, quantity: 2 } });
    expect(added.json()).toMatchObject({ subtotal: 10000, total: 10000, itemCount: 2, customerId: null });
    const priced = await t.request({ method: 'POST', url: `/api/store/carts/${cartId}/lines`, headers: as('shop'), payload: { variantId: shop.variants.TEA, quantity: 1, unitPrice: 1 } });
    expect(priced.statusCode).toBe(400);

    await newCustomer(t, 'shop', 'merger@example.com');
    const login = await t.request({
      method: 'POST',
      url: '/api/store/auth/login',
      headers: as('shop'),
      payload: { email: 'merger@example.com', password: 'customer-pass-1', cartId },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().cart).toMatchObject({ id: cartId, itemCount: 2, customerId: login.json().customer.id });
    const token = login.json().session.token;
    const changed = await t.request({ method: 'PATCH', url: `/api/store/carts/${cartId}/lines/${shop.variants.TEA}`, headers: as('shop', token), payload: { quantity: 3 } });
    expect(changed.json()).toMatchObject({ subtotal: 15000, itemCount: 3 });
    const stranger = await newCustomer(t, 'shop', 'stranger@example.com');
    const takeover = await t.request({
      method: 'POST',
      url: '/api/store/auth/login',
      headers: as('shop'),
      payload: { email: 'stranger@example.com', password: 'customer-pass-1', cartId },
    });
    expect(takeover.statusCode).toBe(200);
    expect(takeover.json().cartMerge.code).toBe('cart_not_yours');
    expect((await t.request({ method: 'GET', url: `/api/store/carts/${cartId}`, headers: as('shop', stranger) })).statusCode).toBe(404);
    const removed = await t.request({ method: 'DELETE', url: `/api/store/carts/${cartId}/lines/${shop.variants.TEA}`, headers: as('shop', token) });
    expect(removed.json()).toMatchObject({ lines: [], total: 0 });
  });

  it('the same Idempotency-Key gives the same order, also when the requests race', async () => {
    const token = await newCustomer(t, 'shop', 'twice@example.com');
    const cartId = await cartWith(t, 'shop', token, [{ variantId: shop.variants.TEA!, quantity: 1 }]);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => checkout(t, 'shop', token, cartId, 'same-key-123')));
    const ids = new Set([a, b, c].map((r) => r!.json().order.id));
    expect(ids.size).toBe(1);
    expect([a, b, c].map((r) => r!.statusCode).sort()).toEqual([200, 200, 201]);
    const later = await checkout(t, 'shop', token, cartId, 'same-key-123');
    expect(later.json().order.id).toEqual([...ids][0]);
    expect(later.headers['idempotent-replayed']).toBe('true');
    const orders = (await t.request({ method: 'GET', url: '/api/store/orders', headers: as('shop', token) })).json().items;
    expect(orders).toHaveLength(1);
    const missing = await t.request({ method: 'POST', url: `/api/store/carts/${cartId}/checkout`, headers: as('shop', token), payload: { shippingAddress: ADDRESS } });
    expect(missing.statusCode).toBe(400);
  });

  it('the same Idempotency-Key with a different cart or address is a 409, not the first order', async () => {
    const token = await newCustomer(t, 'shop', 'reuser@example.com');
    const first = await cartWith(t, 'shop', token, [{ variantId: shop.variants.TEA!, quantity: 1 }]);
    expect((await checkout(t, 'shop', token, first, 'reused-key-1')).statusCode).toBe(201);
    const second = await cartWith(t, 'shop', token, [{ variantId: shop.variants.TEA!, quantity: 2 }]);
    const otherCart = await checkout(t, 'shop', token, second, 'reused-key-1');
    expect(otherCart.statusCode, otherCart.body).toBe(409);
    expect(otherCart.json().code).toBe('idempotency_key_reused');
    const otherAddress = await t.request({
      method: 'POST',
      url: `/api/store/carts/${first}/checkout`,
      headers: { ...as('shop', token), 'idempotency-key': 'reused-key-1' },
      payload: { shippingAddress: { ...ADDRESS, line1: '别的地址 1 号' } },
    });
    expect(otherAddress.statusCode).toBe(409);
    expect(otherAddress.json().code).toBe('idempotency_key_reused');
    // The second cart is untouched and checks out with a key of its own.
    expect((await checkout(t, 'shop', token, second, 'fresh-key-2')).statusCode).toBe(201);
    expect((await t.request({ method: 'GET', url: '/api/store/orders', headers: as('shop', token) })).json().items).toHaveLength(2);
  });

  it('an order snapshots lines and address, and a customer sees only their own', async () => {
    const token = await newCustomer(t, 'shop', 'snap@example.com');
    const cartId = await cartWith(t, 'shop', token, [{ variantId: shop.variants.MUG!, quantity: 2 }]);
    const { order } = (await checkout(t, 'shop', token, cartId, 'snapshot-key-1')).json();
    expect(order).toMatchObject({ status: 'pending_payment', subtotal: 4000, total: 4000, shippingAddress: ADDRESS });
    expect(order.lines).toEqual([expect.objectContaining({ sku: 'MUG', unitPrice: 2000, quantity: 2, total: 4000, title: { en: 'MUG', 'zh-CN': 'MUG' } })]);
    // A later price change does not touch the order.
    await t.request({ method: 'PATCH', url: `/api/admin/products/${shop.products.MUG}`, headers: as('shop', shop.ownerToken), payload: { variants: [{ sku: 'MUG', prices: [{ currency: 'CNY', amount: 9999 }] }] } });
    expect((await t.request({ method: 'GET', url: `/api/store/orders/${order.id}`, headers: as('shop', token) })).json().total).toBe(4000);
    const other = await newCustomer(t, 'shop', 'peeker@example.com');
    expect((await t.request({ method: 'GET', url: `/api/store/orders/${order.id}`, headers: as('shop', other) })).statusCode).toBe(404);
    await t.request({ method: 'POST', url: `/api/admin/orders/${order.id}/cancel`, headers: as('shop', shop.ownerToken), payload: { reason: 'test cleanup' } });
    expect(await stockOf('MUG')).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it('an out-of-stock or archived item stops checkout before anything is written', async () => {
    const token = await newCustomer(t, 'shop', 'late@example.com');
    const cartId = await cartWith(t, 'shop', token, [{ variantId: shop.variants.GONE!, quantity: 1 }]);
    const response = await checkout(t, 'shop', token, cartId, 'gone-key-123');
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'out_of_stock', errors: [{ path: 'lines.GONE', message: '0 available, 1 asked' }] });
    expect((await t.request({ method: 'GET', url: '/api/store/orders', headers: as('shop', token) })).json().items).toEqual([]);
    const empty = await checkout(t, 'shop', token, await cartWith(t, 'shop', token, []), 'empty-key-123');
    expect(empty.json().code).toBe('cart_empty');
  });

  describe('coupons', () => {
    const createCoupon = async (payload: Json) => {
      const response = await t.request({ method: 'POST', url: '/api/admin/coupons', headers: as('shop', shop.ownerToken), payload });
      expect(response.statusCode, response.body).toBe(201);
    };

    it('a percentage coupon scoped to a product discounts only that product', async () => {
      await createCoupon({ code: 'TEA10', kind: 'percentage', value: 1000, productIds: [shop.products.TEA] });
      const token = await newCustomer(t, 'shop', 'saver@example.com');
      const cartId = await cartWith(t, 'shop', token, [{ variantId: shop.variants.TEA!, quantity: 1 }, { variantId: shop.variants.MUG!, quantity: 1 }], 'tea10');
      const cart = (await t.request({ method: 'GET', url: `/api/store/carts/${cartId}`, headers: as('shop', token) })).json();
      expect(cart).toMatchObject({ subtotal: 14999, discountTotal: 500, total: 14499, coupon: { code: 'TEA10', applied: true } });
      const { order } = (await checkout(t, 'shop', token, cartId, 'coupon-key-1')).json();
      expect(order).toMatchObject({ discountTotal: 500, total: 14499, couponCode: 'TEA10' });
      await t.request({ method: 'POST', url: `/api/admin/orders/${order.id}/cancel`, headers: as('shop', shop.ownerToken), payload: { reason: 'cleanup' } });
    });

    it('expired, exhausted and min-spend coupons are refused with their codes', async () => {
      await createCoupon({ code: 'OLD', kind: 'fixed', value: 100, endsAt: new Date(clock.now().getTime() - 1000).toISOString() });
      await createCoupon({ code: 'BIGSPEND', kind: 'fixed', value: 100, minSpend: 1_000_000 });
      const token = await newCustomer(t, 'shop', 'picky@example.com');
      const reservedBefore = (await stockOf('TEA')).reserved;
      for (const [code, reason] of [['OLD', 'coupon_expired'], ['BIGSPEND', 'min_spend_not_met'], ['NOPE', 'coupon_not_found']]) {
        const cartId = await cartWith(t, 'shop', token, [{ variantId: shop.variants.TEA!, quantity: 1 }], code);
        const cart = (await t.request({ method: 'GET', url: `/api/store/carts/${cartId}`, headers: as('shop', token) })).json();
        expect(cart.coupon).toMatchObject({ applied: false, reason });
        const response = await checkout(t, 'shop', token, cartId, `refused-${code}-key`);
        expect(response.statusCode).toBe(409);
        expect(response.json().code).toBe(reason);
      }
      expect((await stockOf('TEA')).reserved).toBe(reservedBefore);
    });

    it('usage and per-customer limits hold under concurrent checkouts', async () => {
      await createCoupon({ code: 'FIRST5', kind: 'fixed', value: 100, usageLimit: 5 });
      await createCoupon({ code: 'ONCE', kind: 'fixed', value: 100, perCustomerLimit: 1 });
      const tokens = await Promise.all(Array.from({ length: 12 }, (_, i) => newCustomer(t, 'shop', `limit${i}@example.com`)));
      const carts = await Promise.all(tokens.map((token) => cartWith(t, 'shop', token, [{ variantId: shop.variants.TEA!, quantity: 1 }], 'FIRST5')));
      const results = await Promise.all(tokens.map((token, i) => checkout(t, 'shop', token, carts[i]!, `first5-key-${i}`)));
      expect(results.filter((r) => r.statusCode === 201)).toHaveLength(5);
      expect(new Set(results.filter((r) => r.statusCode !== 201).map((r) => r.json().code))).toEqual(new Set(['coupon_exhausted']));

      const one = tokens[0]!;
      const twice = await Promise.all([1, 2, 3].map(async (i) => checkout(t, 'shop', one, await cartWith(t, 'shop', one, [{ variantId: shop.variants.MUG!, quantity: 1 }], 'ONCE'), `once-key-${i}`)));
      expect(twice.filter((r) => r.statusCode === 201)).toHaveLength(1);
      expect(twice.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual(['coupon_limit_reached', 'coupon_limit_reached']);
    });
  });

  describe('payments and the order lifecycle', () => {
    let token: string;
    const placed = async (key: string, variant = 'TEA') => {
      const cartId = await cartWith(t, 'shop', token, [{ variantId: shop.variants[variant]!, quantity: 1 }]);
      const response = await checkout(t, 'shop', token, cartId, key);
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { order: Json; payment: Json };
    };
    const order = async (id: string) => (await t.request({ method: 'GET', url: `/api/admin/orders/${id}`, headers: as('shop', shop.ownerToken) })).json();
    beforeAll(async () => {
      token = await newCustomer(t, 'shop', 'payer@example.com');
    });

    it('a signed webhook pays the order once; duplicates and late failures change nothing', async () => {
      const { order: placedOrder, payment } = await placed('pay-key-1');
      const before = await stockOf('TEA');
      const session = new URL(payment.redirectUrl, 'http://x').pathname;
      expect((await t.request({ method: 'GET', url: session })).body).toContain('sandbox');

      const first = await pay(t, payment);
      expect(first.json()).toMatchObject({ outcome: 'succeeded', webhook: 'applied' });
      const paid = await order(placedOrder.id);
      expect(paid.status).toBe('paid');
      expect(paid.payments).toEqual([expect.objectContaining({ status: 'succeeded', amount: placedOrder.total })]);
      expect(await stockOf('TEA')).toMatchObject({ onHand: before.onHand - 1, reserved: before.reserved - 1 });

      // The provider retries the same event, and reports a stale failure: nothing moves.
      const again = await pay(t, payment);
      expect(again.json().webhook).toBe('ignored');
      expect((await pay(t, payment, 'failed')).json().webhook).toBe('ignored');
      expect((await order(placedOrder.id)).status).toBe('paid');
      expect(await stockOf('TEA')).toMatchObject({ onHand: before.onHand - 1 });
    });

    it('a webhook delivered twice, byte for byte, is applied once', async () => {
      const { order: placedOrder, payment } = await placed('pay-key-dup');
      // Build the provider's webhook once and deliver it twice, as a provider retrying would.
      const sandboxWebhook = await signedWebhook(payment);
      const deliver = () => t.request({ method: 'POST', url: '/api/payments/sandbox/webhook', headers: { 'content-type': 'application/json', 'bazaar-signature': sandboxWebhook.signature }, payload: sandboxWebhook.body });
      const [a, b] = await Promise.all([deliver(), deliver()]);
      expect([a.json().outcome, b.json().outcome].sort()).toEqual(['applied', 'duplicate']);
      expect((await order(placedOrder.id)).status).toBe('paid');
    });

    it('a bad signature is a 400 and changes nothing', async () => {
      const { order: placedOrder, payment } = await placed('pay-key-forged');
      const webhook = await signedWebhook(payment);
      const tampered = webhook.body.replace(/"amount":\d+/, '"amount":1');
      for (const [body, signature] of [
        [tampered, webhook.signature],
        // Flip the first hex digit of the MAC to a different one, so the forgery always differs.
        [webhook.body, webhook.signature.replace(/v1=(.)/, (_match, digit: string) => `v1=${digit === '0' ? '1' : '0'}`)],
        [webhook.body, 'garbage'],
      ]) {
        const response = await t.request({ method: 'POST', url: '/api/payments/sandbox/webhook', headers: { 'content-type': 'application/json', 'bazaar-signature': signature! }, payload: body! });
        expect(response.statusCode).toBe(400);
        expect(response.json().code).toBe('invalid_signature');
      }
      const stale = await signedWebhook(payment, 'succeeded', new Date(clock.now().getTime() - 10 * 60_000));
      const replay = await t.request({ method: 'POST', url: '/api/payments/sandbox/webhook', headers: { 'content-type': 'application/json', 'bazaar-signature': stale.signature }, payload: stale.body });
      expect(replay.json().code).toBe('invalid_signature');
      expect((await order(placedOrder.id)).status).toBe('pending_payment');
    });

    it('staff fulfil with a tracking number, refund in parts, and illegal moves are 409', async () => {
      const { order: placedOrder, payment } = await placed('pay-key-life');
      const admin = (path: string, payload?: Json) => t.request({ method: 'POST', url: `/api/admin/orders/${placedOrder.id}${path}`, headers: as('shop', shop.ownerToken), ...(payload ? { payload } : {}) });
      expect((await admin('/fulfil', { trackingNumber: 'SF1234567' })).json().code).toBe('illegal_transition');
      await pay(t, payment);
      expect((await admin('/fulfil', { trackingNumber: 'SF1234567' })).json()).toMatchObject({ status: 'fulfilled', trackingNumber: 'SF1234567' });
      expect((await admin('/cancel', { reason: 'too late' })).statusCode).toBe(409);
      expect((await admin('/refunds', { amount: 1000, reason: 'damaged' })).statusCode).toBe(201);
      expect((await order(placedOrder.id))).toMatchObject({ status: 'partially_refunded', refundedTotal: 1000 });
      const tooMuch = await admin('/refunds', { amount: placedOrder.total, reason: 'all of it' });
      expect(tooMuch.json().code).toBe('refund_exceeds_paid');
      expect((await admin('/refunds', { amount: placedOrder.total - 1000, reason: 'rest' })).statusCode).toBe(201);
      expect((await order(placedOrder.id))).toMatchObject({ status: 'refunded', refundedTotal: placedOrder.total });
      expect((await admin('/refunds', { amount: 1, reason: 'more' })).statusCode).toBe(409);
    });

    it('an unpaid order expires after the timeout and its stock goes back on sale', async () => {
      const { order: placedOrder, payment } = await placed('pay-key-expire', 'MUG');
      clock.advance(14 * 60_000);
      expect(await t.services.orders.expireUnpaidOrders(await t.services.tenants.listPlatforms())).toBe(0);
      clock.advance(2 * 60_000);
      expect(await t.services.orders.expireUnpaidOrders(await t.services.tenants.listPlatforms())).toBeGreaterThanOrEqual(1);
      expect(await order(placedOrder.id)).toMatchObject({ status: 'cancelled', cancelReason: 'payment_timeout' });
      const reservations = await t.db.withTenant(shop.id, (tx) =>
        tx.selectFrom('stockReservations').select('status').where('orderId', '=', placedOrder.id).execute(),
      );
      expect(reservations).toEqual([{ status: 'released' }]);
      // Every order past its deadline was cancelled, so nothing is reserved any more.
      expect((await stockOf('MUG')).reserved).toBe(0);
      // The shopper pays after all: the money goes straight back and the order stays cancelled.
      const late = await pay(t, payment);
      expect(late.json().webhook).toBe('applied');
      const after = await order(placedOrder.id);
      expect(after.status).toBe('cancelled');
      expect(after.payments[0].status).toBe('refunded');
    });

    it('staff find orders by id, customer email or SKU, and filter by status', async () => {
      const { order: placedOrder } = await placed('pay-key-search', 'MUG');
      const search = async (query: string) =>
        (await t.request({ method: 'GET', url: `/api/admin/orders?${query}`, headers: as('shop', shop.ownerToken) })).json().items.map((o: Json) => o.id);
      expect(await search(`q=${placedOrder.id}`)).toEqual([placedOrder.id]);
      expect(await search('q=payer%40example.com')).toContain(placedOrder.id);
      expect(await search('q=MUG&status=pending_payment')).toContain(placedOrder.id);
      expect(await search('q=MUG&status=refunded')).not.toContain(placedOrder.id);
      expect(await search('q=nobody%40example.com')).toEqual([]);
    });

    it('every state change wrote an event to the outbox, with the request trace', async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const cartId = await cartWith(t, 'shop', token, [{ variantId: shop.variants.TEA!, quantity: 1 }]);
      const response = await t.request({
        method: 'POST',
        url: `/api/store/carts/${cartId}/checkout`,
        headers: { ...as('shop', token), 'idempotency-key': 'traced-key-1', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
        payload: { shippingAddress: ADDRESS },
      });
      const orderId = response.json().order.id;
      await pay(t, response.json().payment);
      const events = await t.db.withTenant(shop.id, (tx) =>
        tx.selectFrom('outboxEvents').select(['type', 'traceId']).where('aggregateId', 'in', [orderId, response.json().payment.id]).orderBy('seq').execute(),
      );
      expect(events.map((e) => e.type)).toEqual(['stock.reserved', 'order.placed', 'payment.opened', 'payment.succeeded', 'stock.committed', 'order.paid']);
      expect(events.filter((e) => e.type === 'order.placed')[0]!.traceId).toBe(traceId);
      await t.dispatcher.drain();
      expect((await t.request({ method: 'GET', url: '/metrics', headers: { 'x-tenant': 'shop' } })).statusCode).toBe(401);
      const metrics = (await t.request({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })).body;
      expect(metrics).toMatch(/bazaar_orders_total\{event="paid"\} \d+/);
    });
  });
});
