import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { cartWith, checkout, newCustomer, pay, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

/** The admin console's own API: the dashboard's figures and the platform's settings. */
describe.each(await databaseKinds())('admin console API on %s', (kind) => {
  // 2026-03-10 23:30 in Shanghai is still 2026-03-10 15:30 UTC: the day depends on the zone.
  const clock = new ManualClock(new Date('2026-03-10T15:30:00Z'));
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof stockedShop>>;
  const dashboard = (query: string, token = shop.ownerToken) =>
    t.request({ method: 'GET', url: `/api/admin/dashboard?${query}`, headers: as('dash', token) });

  beforeAll(async () => {
    t = await startTestApp(kind, { clock });
    shop = await stockedShop(t, 'dash', { TEA: { price: 5000, units: 20 } });
    const customer = await newCustomer(t, 'dash', 'buyer@example.com');
    // Yesterday (Shanghai): one order, paid. Today: two orders, one paid.
    clock.advance(-24 * 3600_000);
    const first = await checkout(t, 'dash', customer, await cartWith(t, 'dash', customer, [{ variantId: shop.variants.TEA!, quantity: 1 }]), 'dash-order-1');
    await pay(t, first.json().payment);
    clock.advance(24 * 3600_000);
    const second = await checkout(t, 'dash', customer, await cartWith(t, 'dash', customer, [{ variantId: shop.variants.TEA!, quantity: 2 }]), 'dash-order-2');
    await pay(t, second.json().payment);
    await checkout(t, 'dash', customer, await cartWith(t, 'dash', customer, [{ variantId: shop.variants.TEA!, quantity: 1 }]), 'dash-order-3');
  });
  afterAll(() => t?.close());

  it("the dashboard counts today's orders and revenue in the staff member's time zone", async () => {
    const response = await dashboard('days=7&timeZone=Asia/Shanghai');
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.days).toHaveLength(7);
    expect(report.today).toEqual({ date: '2026-03-10', orders: 2, paidOrders: 1, revenue: 10000 });
    expect(report.days.at(-2)).toEqual({ date: '2026-03-09', orders: 1, paidOrders: 1, revenue: 5000 });
    expect(report).toMatchObject({ currency: 'CNY', awaitingPayment: 1, toFulfil: 2 });
  });

  it('a refund lowers the revenue of the day the order was paid', async () => {
    const orders = await t.request({ method: 'GET', url: '/api/admin/orders?status=paid', headers: as('dash', shop.ownerToken) });
    const today = orders.json().items.find((order: { total: number }) => order.total === 10000);
    const refund = await t.request({ method: 'POST', url: `/api/admin/orders/${today.id}/refunds`, headers: as('dash', shop.ownerToken), payload: { amount: 2500, reason: 'damaged box' } });
    expect(refund.statusCode).toBe(201);
    expect((await dashboard('days=1&timeZone=Asia/Shanghai')).json().today.revenue).toBe(7500);
  });

  it('refuses an unknown time zone and an out-of-range window with field messages', async () => {
    const badZone = await dashboard('timeZone=Mars/Olympus');
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().errors[0].path).toContain('timeZone');
    expect((await dashboard('days=1000')).statusCode).toBe(400);
    expect((await t.request({ method: 'GET', url: '/api/admin/dashboard', headers: as('dash') })).statusCode).toBe(401);
  });

  it('admins change the name, colours and payment timeout; the storefront shows them at once', async () => {
    const changed = await t.request({
      method: 'PATCH',
      url: '/api/admin/platform',
      headers: as('dash', shop.ownerToken),
      payload: { name: '茶馆 Tea House', theme: { primaryColor: '#0f766e', accentColor: '#f59e0b' }, checkout: { paymentTimeoutMinutes: 30 } },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ name: '茶馆 Tea House', checkout: { paymentTimeoutMinutes: 30 } });
    const store = (await t.request({ method: 'GET', url: '/api/store/platform', headers: as('dash') })).json();
    expect(store).toMatchObject({ name: '茶馆 Tea House', theme: { primaryColor: '#0f766e' } });
  });

  it('a bad colour is a field error, an empty change is refused, and a viewer may not change settings', async () => {
    const bad = await t.request({ method: 'PATCH', url: '/api/admin/platform', headers: as('dash', shop.ownerToken), payload: { theme: { primaryColor: 'red', accentColor: '#f59e0b' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: expect.stringContaining('primaryColor') });
    expect((await t.request({ method: 'PATCH', url: '/api/admin/platform', headers: as('dash', shop.ownerToken), payload: {} })).statusCode).toBe(400);

    const viewer = await t.request({ method: 'POST', url: '/api/admin/staff', headers: as('dash', shop.ownerToken), payload: { email: 'viewer@dash.test', password: 'viewer-pass-123', role: 'viewer' } });
    expect(viewer.statusCode).toBe(201);
    const login = await t.request({ method: 'POST', url: '/api/admin/auth/login', headers: as('dash'), payload: { email: 'viewer@dash.test', password: 'viewer-pass-123' } });
    const token = login.json().session.token;
    expect((await t.request({ method: 'PATCH', url: '/api/admin/platform', headers: as('dash', token), payload: { name: 'Hijacked' } })).statusCode).toBe(403);
    expect((await dashboard('days=3', token)).statusCode).toBe(200);
  });
});
