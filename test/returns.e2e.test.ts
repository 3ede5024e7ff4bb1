import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { cartWith, checkout, newCustomer, pay, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { photoUpload, PNG } from './support/images.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

type Json = Record<string, any>;
const DAY = 86_400_000;

describe.each(await databaseKinds())('returns on %s', (kind) => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof stockedShop>>;
  let other: Awaited<ReturnType<typeof stockedShop>>;
  let customer: string;
  let stranger: string;
  let n = 0;

  const admin = (method: 'GET' | 'POST', path: string, payload?: Json, slug = 'rma', token = shop.ownerToken) =>
    t.request({ method, url: `/api/admin${path}`, headers: as(slug, token), ...(payload ? { payload } : {}) });
  const store = (method: 'GET' | 'POST', path: string, payload?: Json, token = customer, slug = 'rma') =>
    t.request({ method, url: `/api/store${path}`, headers: as(slug, token), ...(payload ? { payload } : {}) });

  /** A paid order of TEA x3 (line 1, 5000 each) and MUG x2 (line 2, 2000 each). */
  async function paidOrder(lines: Json[] = [{ sku: 'TEA', quantity: 3 }, { sku: 'MUG', quantity: 2 }], slug = 'rma', token = customer, variants = shop.variants): Promise<Json> {
    const cartId = await cartWith(t, slug, token, lines.map((line) => ({ variantId: variants[line.sku]!, quantity: line.quantity })));
    const placed = await checkout(t, slug, token, cartId, `rma-key-${++n}`);
    expect(placed.statusCode, placed.body).toBe(201);
    expect((await pay(t, placed.json().payment)).json().webhook).toBe('applied');
    return placed.json().order;
  }

  async function deliveredOrder(lines?: Json[]): Promise<Json> {
    const order = await paidOrder(lines);
    const shipped = await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: `SF${++n}`, shipped: true });
    expect(shipped.statusCode, shipped.body).toBe(201);
    expect((await admin('POST', `/shipments/${shipped.json().id}/deliver`)).statusCode).toBe(200);
    return order;
  }

  const ask = (orderId: string, body: Json, token = customer) => store('POST', `/orders/${orderId}/returns`, { reasonCode: 'damaged', reasonText: '杯子碎了', ...body }, token);
  const orderOf = async (id: string) => (await admin('GET', `/orders/${id}`)).json();
  const rows = async (table: 'return_requests' | 'refunds', orderId: string) =>
    (await t.db.withTenant(shop.id, (tx) => sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where order_id = ${orderId}`.execute(tx))).rows[0]!.n;
  const onHand = async (sku: string) =>
    (await t.db.withTenant(shop.id, (tx) => sql<{ n: number }>`select coalesce(sum(on_hand), 0)::int as n from stock_levels where variant_id = ${shop.variants[sku]}`.execute(tx))).rows[0]!.n;
  const eventsOf = async (returnId: string) =>
    (
      await t.db.withTenant(shop.id, (tx) =>
        sql<{ type: string; payload: Json }>`select type, payload from outbox_events where aggregate_id = ${returnId} order by seq`.execute(tx),
      )
    ).rows;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock });
    shop = await stockedShop(t, 'rma', { TEA: { price: 5000, units: 1000 }, MUG: { price: 2000, units: 1000 } });
    other = await stockedShop(t, 'rma-other', { CUP: { price: 100, units: 10 } });
    customer = await newCustomer(t, 'rma', 'buyer@example.com');
    stranger = await newCustomer(t, 'rma', 'stranger@example.com');
  });
  afterAll(() => t?.close());

  it('refund only, before shipping: approved, refunded through the payment, with photos and events', async () => {
    const order = await paidOrder();
    const upload = (purpose: string) => {
      const body = photoUpload(PNG);
      return t.request({ method: 'POST', url: `/api/store/files?purpose=${purpose}`, headers: { ...as('rma', customer), ...body.headers }, payload: body.payload });
    };
    const photo = await upload('return_photo');
    expect(photo.statusCode, photo.body).toBe(201);
    const asked = await ask(order.id, { type: 'refund_only', lines: [{ lineNo: 2, quantity: 1 }], photoIds: [photo.json().id] });
    expect(asked.statusCode, asked.body).toBe(201);
    const request = asked.json();
    expect(request).toMatchObject({ state: 'requested', type: 'refund_only', amount: 2000, currency: 'CNY', reasonCode: 'damaged', photos: [{ id: photo.json().id }] });
    expect(request.lines).toEqual([{ lineNo: 2, sku: 'MUG', variantId: shop.variants.MUG, title: expect.any(Object), quantity: 1, restocked: 0, writtenOff: 0, exchangeFor: null }]);
    // A review photo can't be attached to a return, nor one photo to two returns; nothing is written.
    const reviewPhoto = (await upload('review_photo')).json().id;
    for (const photoId of [reviewPhoto, photo.json().id]) {
      const refused = await ask(order.id, { type: 'refund_only', lines: [{ lineNo: 2, quantity: 1 }], photoIds: [photoId] });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().code).toBe('photo_not_found');
    }
    expect(await rows('return_requests', order.id)).toBe(1);

    expect((await store('GET', '/returns')).json().items.map((r: Json) => r.id)).toEqual([request.id]);
    const approved = await admin('POST', `/returns/${request.id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'refunded', refundId: expect.stringMatching(/^ref_/), settleError: null });
    expect(await orderOf(order.id)).toMatchObject({ status: 'partially_refunded', refundedTotal: 2000 });
    // Settling again is a no-op: one refund.
    expect((await admin('POST', `/returns/${request.id}/settle`)).json().refundId).toBe(approved.json().refundId);
    expect(await rows('refunds', order.id)).toBe(1);
    expect((await eventsOf(request.id)).map((e) => e.type)).toEqual(['return.requested', 'return.approved', 'return.refunded']);
    expect((await store('GET', `/returns/${request.id}`)).json().state).toBe('refunded');
  });

  it('return and refund: shipped back, received with one unit restocked and one written off, refunded', async () => {
    const order = await deliveredOrder();
    const stockBefore = await onHand('TEA');
    const request = (await ask(order.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 2 }] })).json();
    expect(request).toMatchObject({ state: 'requested', amount: 10000 });
    // Nothing to receive before approval.
    expect((await admin('POST', `/returns/${request.id}/receive`, { lines: [{ lineNo: 1, restock: 2, writeOff: 0 }] })).json().code).toBe('illegal_return_transition');
    const approved = (await admin('POST', `/returns/${request.id}/approve`)).json();
    expect(approved).toMatchObject({ state: 'awaiting_return', shipBackBy: new Date(clock.now().getTime() + 7 * DAY).toISOString() });
    const badTracking = await store('POST', `/returns/${request.id}/shipment`, { carrier: 'sf', trackingNumber: '"; drop' });
    expect(badTracking.statusCode).toBe(400);
    const shipped = await store('POST', `/returns/${request.id}/shipment`, { carrier: 'sf', trackingNumber: 'SF-RET-1' });
    expect(shipped.json()).toMatchObject({ state: 'shipped_back', returnShipment: { carrier: 'sf', trackingNumber: 'SF-RET-1' } });
    const mismatch = await admin('POST', `/returns/${request.id}/receive`, { lines: [{ lineNo: 1, restock: 1, writeOff: 0 }] });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().code).toBe('disposition_mismatch');
    const received = await admin('POST', `/returns/${request.id}/receive`, { lines: [{ lineNo: 1, restock: 1, writeOff: 1 }] });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({ state: 'refunded', refundId: expect.stringMatching(/^ref_/), lines: [{ lineNo: 1, quantity: 2, restocked: 1, writtenOff: 1 }] });
    expect(await onHand('TEA')).toBe(stockBefore + 1);
    expect(await orderOf(order.id)).toMatchObject({ status: 'partially_refunded', refundedTotal: 10000 });
    expect((await eventsOf(request.id)).map((e) => e.type)).toEqual(['return.requested', 'return.approved', 'return.shipped_back', 'return.received', 'return.refunded']);
    const movement = (await t.db.withTenant(shop.id, (tx) => sql<Json>`select reference, actor, on_hand_delta from stock_movements where reference = ${request.id}`.execute(tx))).rows;
    expect(movement).toEqual([{ reference: request.id, actor: expect.stringMatching(/^stf_/), onHandDelta: 1 }]);
  });

  it('exchange: received units restocked and a replacement order placed, paid, at no charge, to the same address', async () => {
    const order = await deliveredOrder();
    const request = (await ask(order.id, { type: 'exchange', reasonCode: 'size_fit', lines: [{ lineNo: 2, quantity: 1 }] })).json();
    expect(request.amount).toBe(0);
    await admin('POST', `/returns/${request.id}/approve`);
    await store('POST', `/returns/${request.id}/shipment`, { carrier: 'jd', trackingNumber: 'JD-RET-1' });
    const mugs = await onHand('MUG');
    const received = (await admin('POST', `/returns/${request.id}/receive`, { lines: [{ lineNo: 2, restock: 1, writeOff: 0 }] })).json();
    expect(received).toMatchObject({ state: 'exchanged', replacementOrderId: expect.stringMatching(/^ord_/), refundId: null });
    const replacement = await orderOf(received.replacementOrderId);
    expect(replacement).toMatchObject({ status: 'paid', total: 0, shippingAddress: order.shippingAddress, lines: [{ sku: 'MUG', quantity: 1, total: 0 }] });
    // One back on hand, one gone out in the replacement.
    expect(await onHand('MUG')).toBe(mugs);
    expect((await orderOf(order.id)).refundedTotal).toBe(0);
    expect((await admin('POST', `/returns/${request.id}/settle`)).json().replacementOrderId).toBe(received.replacementOrderId);
    expect((await eventsOf(request.id)).map((e) => e.type)).toEqual(['return.requested', 'return.approved', 'return.shipped_back', 'return.received', 'return.exchanged']);
  });

  it('exchange for another size of the same product: the size asked for is sent; another product or price is refused', async () => {
    const created = await admin('POST', '/products', {
      title: { en: 'Shirt' },
      status: 'active',
      options: [{ code: 'size', name: { en: 'Size' }, values: ['M', 'L', 'XL'] }],
      variants: [
        { sku: 'SHIRT-M', optionValues: { size: 'M' }, prices: [{ currency: 'CNY', amount: 8000 }] },
        { sku: 'SHIRT-L', optionValues: { size: 'L' }, prices: [{ currency: 'CNY', amount: 8000 }] },
        { sku: 'SHIRT-XL', optionValues: { size: 'XL' }, prices: [{ currency: 'CNY', amount: 9000 }] },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const size = Object.fromEntries(created.json().variants.map((variant: Json) => [variant.sku, variant.id]));
    for (const id of Object.values(size)) await admin('POST', '/inventory/adjustments', { variantId: id, delta: 10, reason: 'opening stock' });
    const order = await deliveredOrder([{ sku: 'TEA', quantity: 1 }]).then(async () => {
      const cartId = await cartWith(t, 'rma', customer, [{ variantId: size['SHIRT-M'], quantity: 2 }]);
      const placed = await checkout(t, 'rma', customer, cartId, `rma-key-${++n}`);
      await pay(t, placed.json().payment);
      const shipped = await admin('POST', `/orders/${placed.json().order.id}/shipments`, { carrier: 'sf', trackingNumber: `SF${++n}`, shipped: true });
      await admin('POST', `/shipments/${shipped.json().id}/deliver`);
      return placed.json().order;
    });

    const refusals: [string | undefined, number, string][] = [
      [shop.variants.MUG, 422, 'exchange_variant_invalid'],
      [size['SHIRT-M'], 422, 'exchange_variant_invalid'],
      [size['SHIRT-XL'], 422, 'exchange_price_differs'],
    ];
    for (const [exchangeFor, status, code] of refusals) {
      const refused = await ask(order.id, { type: 'exchange', reasonCode: 'size_fit', lines: [{ lineNo: 1, quantity: 1, exchangeFor }] });
      expect(refused.statusCode, refused.body).toBe(status);
      expect(refused.json().code).toBe(code);
    }
    const notAnExchange = await ask(order.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 1, exchangeFor: size['SHIRT-L'] }] });
    expect(notAnExchange.statusCode).toBe(400);
    expect(await rows('return_requests', order.id)).toBe(0);

    const asked = await ask(order.id, { type: 'exchange', reasonCode: 'size_fit', lines: [{ lineNo: 1, quantity: 1, exchangeFor: size['SHIRT-L'] }] });
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json().lines).toEqual([expect.objectContaining({ sku: 'SHIRT-M', quantity: 1, exchangeFor: { variantId: size['SHIRT-L'], sku: 'SHIRT-L', optionValues: { size: 'L' } } })]);
    await admin('POST', `/returns/${asked.json().id}/approve`);
    await store('POST', `/returns/${asked.json().id}/shipment`, { carrier: 'jd', trackingNumber: 'JD-RET-SIZE' });
    const received = (await admin('POST', `/returns/${asked.json().id}/receive`, { lines: [{ lineNo: 1, restock: 1, writeOff: 0 }] })).json();
    expect(received.state).toBe('exchanged');
    const replacement = await orderOf(received.replacementOrderId);
    expect(replacement.lines).toEqual([expect.objectContaining({ sku: 'SHIRT-L', variantId: size['SHIRT-L'], optionValues: { size: 'L' }, quantity: 1, total: 0 })]);
    // The M came back on the shelf, the L went out in the replacement.
    const levels = (await admin('GET', `/inventory?variantId=${size['SHIRT-M']}&variantId=${size['SHIRT-L']}`)).json().items;
    expect(Object.fromEntries(levels.map((level: Json) => [level.variantId, level.onHand]))).toEqual({ [size['SHIRT-M']]: 9, [size['SHIRT-L']]: 9 });
  });

  it('an exchange without stock for the replacement stays received with the reason, and settles once stock is back', async () => {
    const scarce = await stockedShop(t, 'rma-scarce', { LAMP: { price: 3000, units: 1 } });
    const buyer = await newCustomer(t, 'rma-scarce', 'scarce@example.com');
    const call = (method: 'GET' | 'POST', path: string, payload?: Json, token = scarce.ownerToken) =>
      t.request({ method, url: path, headers: as('rma-scarce', token), ...(payload ? { payload } : {}) });
    const order = await paidOrder([{ sku: 'LAMP', quantity: 1 }], 'rma-scarce', buyer, scarce.variants);
    const parcel = (await call('POST', `/api/admin/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF-LAMP', shipped: true })).json();
    await call('POST', `/api/admin/shipments/${parcel.id}/deliver`);
    const request = (await call('POST', `/api/store/orders/${order.id}/returns`, { type: 'exchange', reasonCode: 'damaged', lines: [{ lineNo: 1, quantity: 1 }] }, buyer)).json();
    await call('POST', `/api/admin/returns/${request.id}/approve`);
    // The broken lamp is written off, and the only other lamp is gone: no replacement yet.
    const received = (await call('POST', `/api/admin/returns/${request.id}/receive`, { lines: [{ lineNo: 1, restock: 0, writeOff: 1 }] })).json();
    expect(received).toMatchObject({ state: 'received', settleError: 'replacement_out_of_stock', replacementOrderId: null });
    const orders = async () => (await t.db.withTenant(scarce.id, (tx) => sql<{ n: number }>`select count(*)::int as n from orders`.execute(tx))).rows[0]!.n;
    expect(await orders()).toBe(1);
    await call('POST', '/api/admin/inventory/adjustments', { variantId: scarce.variants.LAMP, delta: 1, reason: 'restocked' });
    const settled = (await call('POST', `/api/admin/returns/${request.id}/settle`)).json();
    expect(settled).toMatchObject({ state: 'exchanged', settleError: null, replacementOrderId: expect.stringMatching(/^ord_/) });
    expect((await call('POST', `/api/admin/returns/${request.id}/settle`)).json().replacementOrderId).toBe(settled.replacementOrderId);
    expect(await orders()).toBe(2);
  });

  it('two staff approving at once refund once; a refund the payment refuses is kept with its reason and can be tried again', async () => {
    const order = await paidOrder([{ sku: 'MUG', quantity: 2 }]);
    const request = (await ask(order.id, { type: 'refund_only', lines: [{ lineNo: 1, quantity: 1 }] })).json();
    const results = await Promise.all([1, 2, 3].map(() => admin('POST', `/returns/${request.id}/approve`)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    expect(await rows('refunds', order.id)).toBe(1);
    expect((await orderOf(order.id)).refundedTotal).toBe(2000);

    // Staff refunded the rest by hand meanwhile: the provider side refuses more than was paid.
    const second = (await ask(order.id, { type: 'refund_only', lines: [{ lineNo: 1, quantity: 1 }] })).json();
    expect((await admin('POST', `/orders/${order.id}/refunds`, { amount: 2000, reason: 'by hand' })).statusCode).toBe(201);
    const refused = (await admin('POST', `/returns/${second.id}/approve`)).json();
    expect(refused).toMatchObject({ state: 'approved', refundId: null, settleError: 'refund_exceeds_paid' });
    expect((await admin('POST', `/returns/${second.id}/settle`)).json()).toMatchObject({ state: 'approved', settleError: 'refund_exceeds_paid' });
    expect(await rows('refunds', order.id)).toBe(2);
    expect((await orderOf(order.id)).refundedTotal).toBe(4000);
    expect((await eventsOf(second.id)).map((e) => e.type)).toEqual(['return.requested', 'return.approved']);
  });

  it('where prices exclude tax, the refund adds the line tax share', async () => {
    const net = await stockedShop(t, 'rma-net', { CUP: { price: 1000, units: 100 } });
    const call = (method: 'GET' | 'PATCH' | 'POST', path: string, payload?: Json, token = net.ownerToken) =>
      t.request({ method, url: path, headers: as('rma-net', token), ...(payload ? { payload } : {}) });
    expect((await call('PATCH', '/api/admin/platform', { tax: { pricesIncludeTax: false } })).statusCode).toBe(200);
    expect((await call('POST', '/api/admin/tax/rates', { country: 'CN', rateBp: 1300, name: 'VAT 13%' })).statusCode).toBe(201);
    const buyer = await newCustomer(t, 'rma-net', 'net@example.com');
    const order = await paidOrder([{ sku: 'CUP', quantity: 2 }], 'rma-net', buyer, net.variants);
    expect(order).toMatchObject({ total: 2260, lines: [{ total: 2000, tax: 260 }] });
    const request = (await call('POST', `/api/store/orders/${order.id}/returns`, { type: 'refund_only', reasonCode: 'changed_mind', lines: [{ lineNo: 1, quantity: 1 }] }, buyer)).json();
    expect(request.amount).toBe(1130);
    expect((await call('POST', `/api/admin/returns/${request.id}/approve`)).json().state).toBe('refunded');
    expect((await call('GET', `/api/admin/orders/${order.id}`)).json().refundedTotal).toBe(1130);
  });

  it('partial returns of a line add up to what was paid for it, and never beyond', async () => {
    const order = await deliveredOrder([{ sku: 'TEA', quantity: 3 }]);
    const amounts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const request = (await ask(order.id, { type: 'refund_only', lines: [{ lineNo: 1, quantity: 1 }] })).json();
      amounts.push((await admin('POST', `/returns/${request.id}/approve`)).json().amount);
    }
    expect(amounts.reduce((a, b) => a + b, 0)).toBe(15000);
    const after = await orderOf(order.id);
    expect(after).toMatchObject({ status: 'refunded', refundedTotal: 15000 });
    const more = await ask(order.id, { type: 'refund_only', lines: [{ lineNo: 1, quantity: 1 }] });
    expect(more.statusCode).toBe(409);
    expect(more.json().code).toBe('order_not_returnable');
  });

  it('refused requests write nothing: quantity exceeded, unknown line, not delivered, window closed, unpaid', async () => {
    const order = await paidOrder();
    const over = await ask(order.id, { type: 'refund_only', lines: [{ lineNo: 1, quantity: 4 }] });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ code: 'return_exceeds_quantity', errors: [{ path: 'body.lines.0.quantity', message: '3 can still be asked for, 4 asked' }] });
    expect((await ask(order.id, { type: 'refund_only', lines: [{ lineNo: 9, quantity: 1 }] })).json().code).toBe('unknown_order_line');
    expect((await ask(order.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 1 }] })).json().code).toBe('order_not_delivered');
    // Shipped but not delivered: what left the warehouse can't be refunded only.
    const shipped = await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF-PART', lines: [{ lineNo: 1, quantity: 2 }], shipped: true });
    expect((await ask(order.id, { type: 'refund_only', lines: [{ lineNo: 1, quantity: 2 }] })).json().code).toBe('return_exceeds_quantity');
    expect(await rows('return_requests', order.id)).toBe(0);
    await admin('POST', `/shipments/${shipped.json().id}/deliver`);

    const delivered = await deliveredOrder();
    clock.advance(7 * DAY + 1000);
    const late = await ask(delivered.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 1 }] });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('return_window_closed');
    // Back to today: staff sessions would not outlive a week.
    clock.advance(-(7 * DAY + 1000));
    expect(await rows('return_requests', delivered.id)).toBe(0);

    const cartId = await cartWith(t, 'rma', customer, [{ variantId: shop.variants.TEA!, quantity: 1 }]);
    const unpaid = (await checkout(t, 'rma', customer, cartId, `rma-key-${++n}`)).json().order;
    expect((await ask(unpaid.id, { type: 'refund_only', lines: [{ lineNo: 1, quantity: 1 }] })).json().code).toBe('order_not_returnable');
    expect(await rows('return_requests', unpaid.id)).toBe(0);
  });

  it('units refunded before they shipped do not hold up delivery: the rest may then be returned', async () => {
    const order = await paidOrder([{ sku: 'TEA', quantity: 3 }]);
    const early = (await ask(order.id, { type: 'refund_only', reasonCode: 'changed_mind', lines: [{ lineNo: 1, quantity: 1 }] })).json();
    expect((await admin('POST', `/returns/${early.id}/approve`)).json().state).toBe('refunded');
    const parcel = (await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF-TWO', lines: [{ lineNo: 1, quantity: 2 }], shipped: true })).json();
    await admin('POST', `/shipments/${parcel.id}/deliver`);
    const over = await ask(order.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 3 }] });
    expect(over.json()).toMatchObject({ code: 'return_exceeds_quantity', errors: [{ message: '2 can still be asked for, 3 asked' }] });
    const rest = await ask(order.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 2 }] });
    expect(rest.statusCode, rest.body).toBe(201);
    expect(rest.json().amount).toBe(10000);
  });

  it('concurrent requests for the last unit: one is accepted', async () => {
    const order = await deliveredOrder([{ sku: 'TEA', quantity: 1 }]);
    const results = await Promise.all([1, 2, 3].map(() => ask(order.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 1 }] })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    expect(await rows('return_requests', order.id)).toBe(1);
  });

  it('rejected and cancelled requests give their units back; a cancelled request cannot be approved', async () => {
    const order = await deliveredOrder([{ sku: 'TEA', quantity: 1 }]);
    const first = (await ask(order.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 1 }] })).json();
    const rejected = await admin('POST', `/returns/${first.id}/reject`, { reason: '商品完好，不符合退货条件' });
    expect(rejected.json()).toMatchObject({ state: 'rejected', rejectReason: '商品完好，不符合退货条件' });
    const second = (await ask(order.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 1 }] })).json();
    expect((await store('POST', `/returns/${second.id}/cancel`)).json().state).toBe('cancelled');
    const late = await admin('POST', `/returns/${second.id}/approve`);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('illegal_return_transition');
    expect((await ask(order.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 1 }] })).statusCode).toBe(201);
    expect((await eventsOf(first.id)).map((e) => e.type)).toEqual(['return.requested', 'return.rejected']);
    expect((await eventsOf(second.id)).map((e) => e.type)).toEqual(['return.requested', 'return.cancelled']);
    expect((await admin('GET', '/returns?state=rejected')).json().items.map((r: Json) => r.id)).toContain(first.id);
  });

  it('an approved return not shipped back in time is closed by the sweep', async () => {
    const order = await deliveredOrder([{ sku: 'MUG', quantity: 1 }]);
    const request = (await ask(order.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 1 }] })).json();
    await admin('POST', `/returns/${request.id}/approve`);
    const platforms = await t.services.tenants.listPlatforms();
    expect(await t.services.returns.expireOverdueReturns(platforms)).toBe(0);
    clock.advance(7 * DAY + 1000);
    expect(await t.services.returns.expireOverdueReturns(platforms)).toBe(1);
    expect(await t.services.returns.expireOverdueReturns(platforms)).toBe(0);
    expect((await store('GET', `/returns/${request.id}`)).json()).toMatchObject({ state: 'expired', closedAt: clock.now().toISOString() });
    expect((await store('POST', `/returns/${request.id}/shipment`, { carrier: 'sf', trackingNumber: 'SF-TOO-LATE' })).statusCode).toBe(409);
    clock.advance(-(7 * DAY + 1000));
    expect((await eventsOf(request.id)).map((e) => e.type)).toEqual(['return.requested', 'return.approved', 'return.expired']);
  });

  it('another customer or platform sees a 404', async () => {
    const order = await deliveredOrder([{ sku: 'MUG', quantity: 1 }]);
    const request = (await ask(order.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 1 }] })).json();
    expect((await ask(order.id, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 1 }] }, stranger)).statusCode).toBe(404);
    expect((await store('GET', `/returns/${request.id}`, undefined, stranger)).statusCode).toBe(404);
    expect((await store('POST', `/returns/${request.id}/cancel`, undefined, stranger)).statusCode).toBe(404);
    expect((await store('GET', '/returns', undefined, stranger)).json().items).toEqual([]);
    expect((await admin('GET', `/returns/${request.id}`, undefined, 'rma-other', other.ownerToken)).statusCode).toBe(404);
    expect((await admin('POST', `/returns/${request.id}/approve`, undefined, 'rma-other', other.ownerToken)).statusCode).toBe(404);
    expect((await admin('GET', '/returns', undefined, 'rma-other', other.ownerToken)).json().items).toEqual([]);
    expect((await store('GET', `/returns/${request.id}`)).json().state).toBe('requested');
  });

  it('a small refund-only request is approved and refunded at once under the automatic rule', async () => {
    const auto = await stockedShop(t, 'rma-auto', { CUP: { price: 2000, units: 100 } });
    await t.request({ method: 'PATCH', url: '/api/admin/platform', headers: as('rma-auto', auto.ownerToken), payload: { returns: { windowDays: 7, shipBackDays: 7, autoApproveRefundOnlyBelow: 2500 } } });
    const buyer = await newCustomer(t, 'rma-auto', 'auto@example.com');
    const order = await paidOrder([{ sku: 'CUP', quantity: 2 }], 'rma-auto', buyer, auto.variants);
    const small = await t.request({ method: 'POST', url: `/api/store/orders/${order.id}/returns`, headers: as('rma-auto', buyer), payload: { type: 'refund_only', reasonCode: 'changed_mind', lines: [{ lineNo: 1, quantity: 1 }] } });
    expect(small.statusCode, small.body).toBe(201);
    expect(small.json()).toMatchObject({ state: 'refunded', amount: 2000, refundId: expect.stringMatching(/^ref_/) });
    const second = await t.request({ method: 'POST', url: `/api/store/orders/${order.id}/returns`, headers: as('rma-auto', buyer), payload: { type: 'return_and_refund', reasonCode: 'changed_mind', lines: [{ lineNo: 1, quantity: 1 }] } });
    expect(second.json().code).toBe('order_not_delivered');
  });
});
