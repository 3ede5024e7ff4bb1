import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { cartWith, checkout, newCustomer, pay, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

type Json = Record<string, any>;

describe.each(await databaseKinds())('order edits on %s', (kind) => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof stockedShop>>;
  let elsewhere: { ownerToken: string };
  let customer: string;
  let n = 0;

  const admin = (method: 'GET' | 'POST', path: string, payload?: Json, token = shop.ownerToken) =>
    t.request({ method, url: `/api/admin${path}`, headers: as('edit', token), ...(payload ? { payload } : {}) });
  const edit = (orderId: string, body: Json) => admin('POST', `/orders/${orderId}/edits`, { reason: 'customer called', ...body });
  const orderOf = async (id: string) => (await admin('GET', `/orders/${id}`)).json();
  const stockOf = async (sku: string) => (await admin('GET', `/inventory?variantId=${shop.variants[sku]}`)).json().items[0];

  /** An order of TEA x3 (line 1) and MUG x2 (line 2), paid unless told otherwise. */
  async function placeOrder(options: { paid?: boolean; coupon?: string } = {}): Promise<{ order: Json; payment: Json }> {
    const lines = [
      { variantId: shop.variants.TEA!, quantity: 3 },
      { variantId: shop.variants.MUG!, quantity: 2 },
    ];
    const cartId = await cartWith(t, 'edit', customer, lines, options.coupon);
    const placed = await checkout(t, 'edit', customer, cartId, `edit-key-${++n}`);
    expect(placed.statusCode, placed.body).toBe(201);
    if (options.paid ?? true) expect((await pay(t, placed.json().payment)).json().webhook).toBe('applied');
    return placed.json();
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { clock });
    shop = await stockedShop(t, 'edit', { TEA: { price: 5000, units: 100 }, MUG: { price: 2000, units: 100 }, PEN: { price: 300, units: 5 } });
    elsewhere = await t.createPlatform('elsewhere');
    customer = await newCustomer(t, 'edit', 'edited@example.com');
    const coupon = await admin('POST', '/coupons', { code: 'TENOFF', kind: 'fixed', value: 1000, currency: 'CNY' });
    expect(coupon.statusCode, coupon.body).toBe(201);
  });
  afterAll(() => t?.close());

  it('an unpaid order is edited: lines and stock follow, the old payment session pays nothing, the next is for the new amount', async () => {
    const { order, payment: oldSession } = await placeOrder({ paid: false });
    const [tea, mug, pen] = [await stockOf('TEA'), await stockOf('MUG'), await stockOf('PEN')];

    const preview = await admin('POST', `/orders/${order.id}/edits/preview`, { lines: [{ lineNo: 1, quantity: 1 }, { lineNo: 2, quantity: 0 }], add: [{ variantId: shop.variants.PEN, quantity: 2 }] });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ before: { total: 19000 }, after: { subtotal: 5600, total: 5600 }, difference: -13400, settlement: 'amount_due_changed', refund: 0 });
    // A preview writes nothing.
    expect((await orderOf(order.id)).total).toBe(19000);
    expect(await stockOf('TEA')).toEqual(tea);

    const edited = await edit(order.id, { lines: [{ lineNo: 1, quantity: 1 }, { lineNo: 2, quantity: 0 }], add: [{ variantId: shop.variants.PEN, quantity: 2 }] });
    expect(edited.statusCode, edited.body).toBe(201);
    expect(edited.json().order).toMatchObject({ status: 'pending_payment', subtotal: 5600, total: 5600, amountDue: 5600 });
    expect(edited.json().order.lines.map((line: Json) => [line.lineNo, line.sku, line.quantity, line.total])).toEqual([
      [1, 'TEA', 1, 5000],
      [3, 'PEN', 2, 600],
    ]);
    expect(edited.json().edit).toMatchObject({ settlement: 'amount_due_changed', totalBefore: 19000, totalAfter: 5600, changes: [
      { lineNo: 1, sku: 'TEA', from: 3, to: 1 },
      { lineNo: 2, sku: 'MUG', from: 2, to: 0 },
      { lineNo: 3, sku: 'PEN', from: 0, to: 2 },
    ] });
    expect(await stockOf('TEA')).toMatchObject({ onHand: tea.onHand, reserved: tea.reserved - 2 });
    expect(await stockOf('MUG')).toMatchObject({ onHand: mug.onHand, reserved: mug.reserved - 2 });
    expect(await stockOf('PEN')).toMatchObject({ onHand: pen.onHand, reserved: pen.reserved + 2 });

    // The session opened for 190.00 is set aside; paying it anyway sends the money back.
    expect((await pay(t, oldSession)).json().webhook).toBe('applied');
    const afterStale = await orderOf(order.id);
    expect(afterStale.status).toBe('pending_payment');
    expect(afterStale.payments.find((p: Json) => p.id === oldSession.id)).toMatchObject({ status: 'refunded', amount: 19000 });

    const fresh = await t.request({ method: 'POST', url: `/api/store/orders/${order.id}/payments`, headers: as('edit', customer) });
    expect(fresh.statusCode, fresh.body).toBe(201);
    expect(fresh.json().amount).toBe(5600);
    expect((await pay(t, fresh.json())).json().webhook).toBe('applied');
    expect((await orderOf(order.id)).status).toBe('paid');
    // What left the warehouse is what the order now holds.
    expect(await stockOf('TEA')).toMatchObject({ onHand: tea.onHand - 1, reserved: tea.reserved - 3 });
    expect(await stockOf('PEN')).toMatchObject({ onHand: pen.onHand - 2, reserved: pen.reserved });
  });

  it('a paid order that comes to cost more owes the difference: nothing ships until a further payment pays it', async () => {
    const { order } = await placeOrder();
    const pen = await stockOf('PEN');
    const edited = await edit(order.id, { add: [{ variantId: shop.variants.PEN, quantity: 1 }] });
    expect(edited.statusCode, edited.body).toBe(201);
    expect(edited.json().order).toMatchObject({ status: 'paid', total: 19300, balanceDue: 300 });
    expect(edited.json().edit).toMatchObject({ settlement: 'balance_due', difference: 300 });
    // The paid order's units left the warehouse when it was paid; the added one leaves now.
    expect(await stockOf('PEN')).toMatchObject({ onHand: pen.onHand - 1, reserved: pen.reserved });

    const blocked = await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF2000000001' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('balance_due');

    const balance = await t.request({ method: 'POST', url: `/api/store/orders/${order.id}/payments`, headers: as('edit', customer) });
    expect(balance.statusCode, balance.body).toBe(201);
    expect(balance.json().amount).toBe(300);
    const paidBalance = await pay(t, balance.json());
    expect(paidBalance.json().webhook, paidBalance.body).toBe('applied');
    const settled = await orderOf(order.id);
    expect(settled).toMatchObject({ status: 'paid', balanceDue: 0 });
    expect(settled.payments.map((p: Json) => [p.status, p.amount])).toEqual([['succeeded', 19000], ['succeeded', 300]]);
    const shipped = await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF2000000002' });
    expect(shipped.statusCode, shipped.body).toBe(201);

    // Once paid, nothing more is owed: a further payment can't be opened.
    const nothingOwed = await t.request({ method: 'POST', url: `/api/store/orders/${order.id}/payments`, headers: as('edit', customer) });
    expect(nothingOwed.statusCode).toBe(409);
  });

  it('a paid order that comes to cost less is paid the difference back at once; later refunds stop at what is left', async () => {
    const { order } = await placeOrder({ coupon: 'TENOFF' });
    expect(order).toMatchObject({ subtotal: 19000, discountTotal: 1000, total: 18000 });
    const tea = await stockOf('TEA');
    // Two of three teas go: their share of the coupon goes with them.
    const edited = await edit(order.id, { lines: [{ lineNo: 1, quantity: 1 }] });
    expect(edited.statusCode, edited.body).toBe(201);
    const teaDiscount = order.lines[0].discount;
    const keptDiscount = Math.floor(teaDiscount / 3);
    const mugLine = order.lines[1];
    expect(edited.json().order).toMatchObject({ status: 'paid', refundedTotal: 0, balanceDue: 0, discountTotal: keptDiscount + mugLine.discount });
    const newTotal = 5000 - keptDiscount + mugLine.total;
    expect(edited.json().order.total).toBe(newTotal);
    expect(edited.json().edit).toMatchObject({ settlement: 'refunded', refunded: 18000 - newTotal, difference: newTotal - 18000 });
    expect(await stockOf('TEA')).toMatchObject({ onHand: tea.onHand + 2, reserved: tea.reserved });

    const refunds = await t.db.withTenant(shop.id, (tx) => sql<{ amount: string; reason: string }>`select amount::text, reason from refunds where order_id = ${order.id}`.execute(tx));
    expect(refunds.rows).toEqual([{ amount: String(18000 - newTotal), reason: 'order edited: customer called' }]);

    const tooMuch = await admin('POST', `/orders/${order.id}/refunds`, { amount: newTotal + 1, reason: 'all of it' });
    expect(tooMuch.statusCode).toBe(409);
    const rest = await admin('POST', `/orders/${order.id}/refunds`, { amount: newTotal, reason: 'all of it' });
    expect(rest.statusCode, rest.body).toBe(201);
    expect((await orderOf(order.id)).status).toBe('refunded');
  });

  it('bad edits are refused with stable codes and change nothing', async () => {
    const { order } = await placeOrder();
    const before = await orderOf(order.id);
    const [tea, pen] = [await stockOf('TEA'), await stockOf('PEN')];
    const cases: [Json, number, string][] = [
      [{ lines: [{ lineNo: 9, quantity: 1 }] }, 422, 'unknown_line'],
      [{ lines: [{ lineNo: 1, quantity: 1 }, { lineNo: 1, quantity: 2 }] }, 422, 'duplicate_line'],
      [{ lines: [{ lineNo: 1, quantity: 0 }, { lineNo: 2, quantity: 0 }] }, 422, 'order_would_be_empty'],
      [{ lines: [{ lineNo: 1, quantity: 3 }] }, 422, 'edit_changes_nothing'],
      [{ add: [{ variantId: shop.variants.TEA, quantity: 1 }] }, 422, 'variant_already_on_order'],
      [{ add: [{ variantId: 'var_01hzzzzzzzzzzzzzzzzzzzzzzz', quantity: 1 }] }, 422, 'variant_not_found'],
      // TEA x2 more is fine on its own; PEN x6 is more than the shelf holds, so neither happens.
      [{ lines: [{ lineNo: 1, quantity: 5 }], add: [{ variantId: shop.variants.PEN, quantity: pen.available + 1 }] }, 409, 'out_of_stock'],
      [{ lines: [{ lineNo: 1, quantity: -1 }] }, 400, 'validation_failed'],
      [{ lines: [{ lineNo: 1, quantity: 1.5 }] }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const response = await edit(order.id, body);
      expect(response.statusCode, `${JSON.stringify(body)}: ${response.body}`).toBe(status);
      expect(response.json().code).toBe(code);
    }
    const noReason = await admin('POST', `/orders/${order.id}/edits`, { lines: [{ lineNo: 1, quantity: 1 }] });
    expect(noReason.statusCode).toBe(400);
    expect(await orderOf(order.id)).toEqual(before);
    expect(await stockOf('TEA')).toEqual(tea);
    expect(await stockOf('PEN')).toEqual(pen);

    // Another platform's staff, and a viewer, can't edit it.
    const foreign = await t.request({ method: 'POST', url: `/api/admin/orders/${order.id}/edits`, headers: as('elsewhere', elsewhere.ownerToken), payload: { reason: 'x', lines: [{ lineNo: 1, quantity: 1 }] } });
    expect(foreign.statusCode).toBe(404);
    const viewer = await admin('POST', '/staff', { email: 'viewer@edit.test', password: 'viewer-pass-123', role: 'viewer' });
    expect(viewer.statusCode, viewer.body).toBe(201);
    const login = await t.request({ method: 'POST', url: '/api/admin/auth/login', headers: as('edit'), payload: { email: 'viewer@edit.test', password: 'viewer-pass-123' } });
    const refused = await admin('POST', `/orders/${order.id}/edits`, { reason: 'x', lines: [{ lineNo: 1, quantity: 2 }] }, login.json().session.token);
    expect(refused.statusCode).toBe(403);

    // A good edit is recorded in the order's history.
    expect((await edit(order.id, { lines: [{ lineNo: 1, quantity: 1 }] })).statusCode).toBe(201);

    // Once a unit is in a shipment, the lines are fixed.
    await admin('POST', `/orders/${order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF3000000001', lines: [{ lineNo: 2, quantity: 1 }] });
    const shipped = await edit(order.id, { lines: [{ lineNo: 2, quantity: 1 }] });
    expect(shipped.statusCode).toBe(409);
    expect(shipped.json().code).toBe('order_not_editable');

    const history = (await orderOf(order.id)).edits;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ reason: 'customer called', changes: [{ lineNo: 1, from: 3, to: 1 }] });
  });
});
