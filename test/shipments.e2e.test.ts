import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { cartWith, checkout, newCustomer, pay, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

type Json = Record<string, any>;

describe.each(await databaseKinds())('shipments on %s', (kind) => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof stockedShop>>;
  let other: Awaited<ReturnType<typeof stockedShop>>;
  let customer: string;
  let n = 0;

  const admin = (method: 'GET' | 'POST' | 'PUT', path: string, payload?: Json, slug = 'ship', token = shop.ownerToken) =>
    t.request({ method, url: `/api/admin${path}`, headers: as(slug, token), ...(payload ? { payload } : {}) });

  /** A paid order of TEA x3 and MUG x2 (lines 1 and 2). */
  async function paidOrder(lines: Json[] = [{ sku: 'TEA', quantity: 3 }, { sku: 'MUG', quantity: 2 }], paid = true): Promise<Json> {
    const cartId = await cartWith(t, 'ship', customer, lines.map((line) => ({ variantId: shop.variants[line.sku]!, quantity: line.quantity })));
    const placed = await checkout(t, 'ship', customer, cartId, `ship-key-${++n}`);
    expect(placed.statusCode, placed.body).toBe(201);
    if (paid) expect((await pay(t, placed.json().payment)).json().webhook).toBe('applied');
    return placed.json().order;
  }

  const orderOf = async (id: string) => (await admin('GET', `/orders/${id}`)).json();
  const eventsOf = async (aggregateIds: string[]) =>
    (
      await t.db.withTenant(shop.id, (tx) =>
        sql<{ type: string; aggregateId: string; payload: Json }>`select type, aggregate_id, payload from outbox_events
          where aggregate_id = any(${aggregateIds}::text[]) and (type like 'shipment.%' or type like 'order.%fulfilled') order by seq`.execute(tx),
      )
    ).rows;
  const shipmentRows = async (orderId: string) =>
    (await t.db.withTenant(shop.id, (tx) => sql<{ n: number }>`select count(*)::int as n from shipments where order_id = ${orderId}`.execute(tx))).rows[0]!.n;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock });
    shop = await stockedShop(t, 'ship', { TEA: { price: 5000, units: 100 }, MUG: { price: 2000, units: 100 } });
    other = await stockedShop(t, 'elsewhere', { CUP: { price: 100, units: 10 } });
    customer = await newCustomer(t, 'ship', 'parcel@example.com');
  });
  afterAll(() => t?.close());

  it('an order ships in parts: a line split across shipments, the order partially fulfilled, then fulfilled', async () => {
    const order = await paidOrder();
    const first = await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF1000000001', lines: [{ lineNo: 1, quantity: 2 }] });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ status: 'created', carrier: 'sf', trackingNumber: 'SF1000000001', shippedAt: null, lines: [{ lineNo: 1, sku: 'TEA', quantity: 2 }] });
    // Created is not shipped: the order waits until the parcel leaves.
    expect((await orderOf(order.id)).status).toBe('paid');

    clock.advance(60_000);
    const shipped = await admin('POST', `/shipments/${first.json().id}/ship`);
    expect(shipped.json()).toMatchObject({ status: 'shipped', shippedAt: clock.now().toISOString() });
    const partly = await orderOf(order.id);
    expect(partly.status).toBe('partially_fulfilled');
    expect(partly.fulfilledAt).toBeNull();
    expect(partly.fulfillment.lines).toEqual([
      { lineNo: 1, sku: 'TEA', ordered: 3, inShipments: 2, shipped: 2, remaining: 1 },
      { lineNo: 2, sku: 'MUG', ordered: 2, inShipments: 0, shipped: 0, remaining: 2 },
    ]);

    const rest = await admin('POST', `/orders/${order.id}/shipments`, {
      carrier: 'other',
      carrierName: '顺路快递',
      trackingNumber: 'SL-2000 0002',
      lines: [{ lineNo: 1, quantity: 1 }, { lineNo: 2, quantity: 2 }],
      shipped: true,
    });
    expect(rest.statusCode, rest.body).toBe(201);
    const full = await orderOf(order.id);
    expect(full).toMatchObject({ status: 'fulfilled', trackingNumber: 'SL-2000 0002', fulfilledAt: clock.now().toISOString() });
    expect(full.fulfillment.shipments.map((s: Json) => s.trackingNumber)).toEqual(['SF1000000001', 'SL-2000 0002']);
    expect(full.fulfillment.lines.every((line: Json) => line.remaining === 0)).toBe(true);

    expect((await eventsOf([order.id, first.json().id, rest.json().id])).map((e) => `${e.type}:${e.aggregateId === order.id ? 'order' : 'shipment'}`)).toEqual([
      'shipment.created:shipment',
      'shipment.shipped:shipment',
      'order.partially_fulfilled:order',
      'shipment.created:shipment',
      'shipment.shipped:shipment',
      'order.fulfilled:order',
    ]);
    // Completing still works on an order fulfilled by shipments.
    expect((await admin('POST', `/orders/${order.id}/complete`)).json().status).toBe('completed');
  });

  it('shipping more than is left is a 409 that writes nothing', async () => {
    const order = await paidOrder();
    expect((await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'jd', trackingNumber: 'JD01', lines: [{ lineNo: 1, quantity: 2 }] })).statusCode).toBe(201);
    const over = await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'jd', trackingNumber: 'JD02', lines: [{ lineNo: 2, quantity: 1 }, { lineNo: 1, quantity: 2 }] });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ code: 'exceeds_unshipped', errors: [{ path: 'body.lines.1', message: '1 left to ship, 2 asked' }] });
    const unknown = await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'jd', trackingNumber: 'JD03', lines: [{ lineNo: 9, quantity: 1 }] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe('unknown_order_line');
    expect(await shipmentRows(order.id)).toBe(1);
    expect((await eventsOf([order.id])).length).toBe(0);
    // Without lines: all that is left, in one parcel; after it, nothing is left.
    const rest = await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'jd', trackingNumber: 'JD04' });
    expect(rest.json().lines).toEqual([{ lineNo: 1, sku: 'TEA', quantity: 1 }, { lineNo: 2, sku: 'MUG', quantity: 2 }]);
    const none = await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'jd', trackingNumber: 'JD05' });
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('nothing_to_ship');
  });

  it('two staff shipping the last unit at once: one shipment, one 409', async () => {
    for (let round = 0; round < 3; round++) {
      const order = await paidOrder([{ sku: 'TEA', quantity: 1 }]);
      const results = await Promise.all(
        ['A', 'B', 'C'].map((who) => admin('POST', `/orders/${order.id}/shipments`, { carrier: 'zto', trackingNumber: `ZTO-${who}`, lines: [{ lineNo: 1, quantity: 1 }], shipped: true })),
      );
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
      expect(new Set(results.filter((r) => r.statusCode === 409).map((r) => r.json().code))).toEqual(new Set(['exceeds_unshipped']));
      expect(await shipmentRows(order.id)).toBe(1);
      const after = await orderOf(order.id);
      expect(after.status).toBe('fulfilled');
      expect((await eventsOf([order.id])).map((e) => e.type)).toEqual(['order.fulfilled']);
    }
  });

  it('shipments move created → shipped → delivered; wrong moves are 409 with codes; tracking is corrected until delivery', async () => {
    const order = await paidOrder([{ sku: 'TEA', quantity: 1 }, { sku: 'MUG', quantity: 1 }]);
    const a = (await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'yto', trackingNumber: 'YT-WRONG', lines: [{ lineNo: 1, quantity: 1 }] })).json();
    const early = await admin('POST', `/shipments/${a.id}/deliver`);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('illegal_shipment_transition');

    const corrected = await admin('PUT', `/shipments/${a.id}/tracking`, { carrier: 'yunda', trackingNumber: 'YD-RIGHT-1' });
    expect(corrected.json()).toMatchObject({ carrier: 'yunda', trackingNumber: 'YD-RIGHT-1', status: 'created' });
    expect((await admin('POST', `/shipments/${a.id}/ship`)).json().status).toBe('shipped');
    const twice = await admin('POST', `/shipments/${a.id}/ship`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('illegal_shipment_transition');
    expect((await admin('PUT', `/shipments/${a.id}/tracking`, { carrier: 'yunda', trackingNumber: 'YD-RIGHT-2' })).json().trackingNumber).toBe('YD-RIGHT-2');

    clock.advance(2 * 3_600_000);
    const firstDelivery = clock.now().toISOString();
    expect((await admin('POST', `/shipments/${a.id}/deliver`)).json()).toMatchObject({ status: 'delivered', deliveredAt: firstDelivery });
    // One line is still to ship: the order is not delivered yet.
    expect((await orderOf(order.id)).fulfillment.deliveredAt).toBeNull();
    const late = await admin('PUT', `/shipments/${a.id}/tracking`, { carrier: 'sf', trackingNumber: 'SF-LATE' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('shipment_delivered');
    expect((await admin('POST', `/shipments/${a.id}/deliver`)).json().code).toBe('illegal_shipment_transition');

    const b = (await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'ems', trackingNumber: 'EMS-1', shipped: true })).json();
    clock.advance(3_600_000);
    expect((await admin('POST', `/shipments/${b.id}/deliver`)).statusCode).toBe(200);
    const delivered = await orderOf(order.id);
    expect(delivered.fulfillment.deliveredAt).toBe(clock.now().toISOString());
    expect(delivered.fulfillment.shipments.map((s: Json) => s.deliveredAt)).toEqual([firstDelivery, clock.now().toISOString()]);

    const events = await eventsOf([a.id, b.id]);
    expect(events.map((e) => e.type)).toEqual([
      'shipment.created',
      'shipment.tracking_corrected',
      'shipment.shipped',
      'shipment.tracking_corrected',
      'shipment.delivered',
      'shipment.created',
      'shipment.shipped',
      'shipment.delivered',
    ]);
    expect(events.at(-1)!.payload).toMatchObject({ orderId: order.id, orderDeliveredAt: clock.now().toISOString() });
  });

  it('carrier and tracking number are validated: 400 with the field, nothing written', async () => {
    const order = await paidOrder([{ sku: 'TEA', quantity: 1 }]);
    const bad = [
      { carrier: 'pigeon', trackingNumber: 'X1' },
      { carrier: 'sf', trackingNumber: '' },
      { carrier: 'sf', trackingNumber: ' SF1' },
      { carrier: 'sf', trackingNumber: 'SF\u00071' },
      { carrier: 'sf', trackingNumber: 'SF\n1' },
      { carrier: 'sf', trackingNumber: '顺丰123' },
      { carrier: 'sf', trackingNumber: 'S'.repeat(65) },
      { carrier: 'sf', trackingNumber: 'SF1', lines: [{ lineNo: 1, quantity: 0 }] },
      { carrier: 'sf', trackingNumber: 'SF1', lines: [{ lineNo: 1, quantity: 1 }, { lineNo: 1, quantity: 1 }] },
      { carrier: 'sf', trackingNumber: 'SF1', lines: [] },
      { carrier: 'sf' },
    ];
    for (const body of bad) {
      const response = await admin('POST', `/orders/${order.id}/shipments`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().code).toBe('validation_failed');
    }
    expect(await shipmentRows(order.id)).toBe(0);
    expect((await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'S'.repeat(64) })).statusCode).toBe(201);
  });

  it('an unpaid, cancelled or refunded order is not shipped', async () => {
    const unpaid = await paidOrder([{ sku: 'TEA', quantity: 1 }], false);
    const refused = await admin('POST', `/orders/${unpaid.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF1' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('illegal_transition');
    expect((await admin('POST', `/orders/${unpaid.id}/fulfil`, { trackingNumber: 'SF1' })).json().code).toBe('illegal_transition');
    await admin('POST', `/orders/${unpaid.id}/cancel`, { reason: 'changed mind' });
    expect((await admin('POST', `/orders/${unpaid.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF1' })).json().code).toBe('illegal_transition');
    expect(await shipmentRows(unpaid.id)).toBe(0);

    // Refunded after a parcel was packed: it can no longer be marked shipped.
    const refunded = await paidOrder([{ sku: 'TEA', quantity: 1 }]);
    const packed = (await admin('POST', `/orders/${refunded.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF2' })).json();
    expect((await admin('POST', `/orders/${refunded.id}/refunds`, { amount: refunded.total, reason: 'out of stock' })).statusCode).toBe(201);
    const ship = await admin('POST', `/shipments/${packed.id}/ship`);
    expect(ship.statusCode).toBe(409);
    expect(ship.json().code).toBe('illegal_transition');
    expect((await orderOf(refunded.id)).fulfillment.shipments[0].status).toBe('created');
  });

  it('the one-click fulfil ships everything left as one shipment', async () => {
    const order = await paidOrder();
    await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sto', trackingNumber: 'STO-1', lines: [{ lineNo: 2, quantity: 1 }], shipped: true });
    const fulfilled = await admin('POST', `/orders/${order.id}/fulfil`, { trackingNumber: 'SF1234567' });
    expect(fulfilled.json()).toMatchObject({ status: 'fulfilled', trackingNumber: 'SF1234567' });
    expect(fulfilled.json().fulfillment.shipments.at(-1)).toMatchObject({
      carrier: 'other',
      status: 'shipped',
      lines: [{ lineNo: 1, sku: 'TEA', quantity: 3 }, { lineNo: 2, sku: 'MUG', quantity: 1 }],
    });
    expect((await admin('POST', `/orders/${order.id}/fulfil`, { trackingNumber: 'SF1234568' })).json().code).toBe('nothing_to_ship');
  });

  it('a partly refunded order keeps its status until the last unit ships', async () => {
    const order = await paidOrder();
    await admin('POST', `/orders/${order.id}/refunds`, { amount: 100, reason: 'scratched' });
    await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF-P1', lines: [{ lineNo: 1, quantity: 1 }], shipped: true });
    expect((await orderOf(order.id)).status).toBe('partially_refunded');
    await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF-P2', shipped: true });
    expect((await orderOf(order.id)).status).toBe('fulfilled');
  });

  it('the proposal groups what is left by the warehouse each unit was reserved from', async () => {
    const order = await paidOrder();
    const single = (await admin('GET', `/orders/${order.id}/shipment-proposal`)).json().items;
    expect(single).toEqual([
      { warehouse: expect.objectContaining({ code: 'default' }), lines: [{ lineNo: 1, sku: 'TEA', quantity: 3 }, { lineNo: 2, sku: 'MUG', quantity: 2 }] },
    ]);
    // Checkout reserves from the default warehouse today; an order whose mugs came from a
    // second warehouse (as a multi-warehouse reservation would leave it) gets two parcels.
    const north = await t.db.withTenant(shop.id, async (tx) => {
      await sql`insert into warehouses (tenant_id, id, code, name) values (${shop.id}, 'wh_01jnorth000000000000000000', 'north', 'North') on conflict do nothing`.execute(tx);
      await sql`update stock_reservations set warehouse_id = 'wh_01jnorth000000000000000000' where order_id = ${order.id} and variant_id = ${shop.variants.MUG}`.execute(tx);
      return 'wh_01jnorth000000000000000000';
    });
    const split = (await admin('GET', `/orders/${order.id}/shipment-proposal`)).json().items;
    expect(split.map((group: Json) => [group.warehouse.code, group.lines])).toEqual([
      ['default', [{ lineNo: 1, sku: 'TEA', quantity: 3 }]],
      ['north', [{ lineNo: 2, sku: 'MUG', quantity: 2 }]],
    ]);
    // Shipping a warehouse's share: staff name the warehouse, the lines follow.
    const fromNorth = await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'jd', trackingNumber: 'JD-N1', warehouseId: north, shipped: true });
    expect(fromNorth.json()).toMatchObject({ warehouseId: north, lines: [{ lineNo: 2, sku: 'MUG', quantity: 2 }] });
    expect((await admin('GET', `/orders/${order.id}/shipment-proposal`)).json().items.map((group: Json) => group.warehouse.code)).toEqual(['default']);
    const unknown = await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'jd', trackingNumber: 'JD-N2', warehouseId: 'wh_00000000000000000000000000' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('warehouse_not_found');
  });

  it("the customer sees their order's shipments; another customer's and another platform's are 404", async () => {
    const order = await paidOrder([{ sku: 'TEA', quantity: 2 }]);
    await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF-C1', lines: [{ lineNo: 1, quantity: 1 }], shipped: true });
    const mine = await t.request({ method: 'GET', url: `/api/store/orders/${order.id}`, headers: as('ship', customer) });
    expect(mine.json()).toMatchObject({ status: 'partially_fulfilled', fulfillment: { shipments: [{ carrier: 'sf', trackingNumber: 'SF-C1', status: 'shipped' }] } });
    expect((await t.request({ method: 'GET', url: `/api/store/orders/${order.id}/shipments`, headers: as('ship', customer) })).json().shipments).toHaveLength(1);

    const stranger = await newCustomer(t, 'ship', 'nosy@example.com');
    for (const url of [`/api/store/orders/${order.id}`, `/api/store/orders/${order.id}/shipments`]) {
      const response = await t.request({ method: 'GET', url, headers: as('ship', stranger) });
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('order_not_found');
    }

    const shipmentId = (await orderOf(order.id)).fulfillment.shipments[0].id;
    const elsewhere = (method: 'GET' | 'POST' | 'PUT', path: string, payload?: Json) => admin(method, path, payload, 'elsewhere', other.ownerToken);
    for (const response of [
      await elsewhere('GET', `/orders/${order.id}/shipments`),
      await elsewhere('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF-X' }),
      await elsewhere('GET', `/orders/${order.id}/shipment-proposal`),
      await elsewhere('POST', `/orders/${order.id}/fulfil`, { trackingNumber: 'SF-X' }),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('order_not_found');
    }
    for (const response of [
      await elsewhere('POST', `/shipments/${shipmentId}/ship`),
      await elsewhere('POST', `/shipments/${shipmentId}/deliver`),
      await elsewhere('PUT', `/shipments/${shipmentId}/tracking`, { carrier: 'sf', trackingNumber: 'SF-X' }),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('shipment_not_found');
    }
    expect(await shipmentRows(order.id)).toBe(1);
    expect((await orderOf(order.id)).fulfillment.shipments[0]).toMatchObject({ trackingNumber: 'SF-C1', status: 'shipped' });
  });

  it('a viewer may read shipments but not make them', async () => {
    const order = await paidOrder([{ sku: 'TEA', quantity: 1 }]);
    const invited = await admin('POST', '/staff', { email: 'watcher@ship.test', password: 'watcher-pass-1', role: 'viewer', name: 'Watcher' });
    expect(invited.statusCode, invited.body).toBe(201);
    const login = await t.request({ method: 'POST', url: '/api/admin/auth/login', headers: as('ship'), payload: { email: 'watcher@ship.test', password: 'watcher-pass-1' } });
    const viewer = login.json().session.token;
    expect((await admin('GET', `/orders/${order.id}/shipments`, undefined, 'ship', viewer)).statusCode).toBe(200);
    expect((await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF1' }, 'ship', viewer)).statusCode).toBe(403);
    expect(await shipmentRows(order.id)).toBe(0);
  });
});
