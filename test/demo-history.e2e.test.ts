import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoPlatform } from '../src/app/demo-seed.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

const CHEAP_HASH = { N: 2 ** 10, r: 8, p: 1 };

/** The demo platform comes with weeks of orders, so its dashboard shows something on first look. */
describe.each(await databaseKinds())('demo order history on %s', (kind) => {
  const clock = new ManualClock(new Date('2026-11-20T09:30:00Z'));
  let t: TestApp;
  let dataDir: string;
  let demoToken: string;
  let other: { ownerToken: string };

  beforeAll(async () => {
    t = await startTestApp(kind, { clock });
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-demo-'));
    other = await t.createPlatform('other');
    const demo = await seedDemoPlatform(t.services, t.db, dataDir, { now: clock.now(), passwordParams: CHEAP_HASH });
    const login = await t.request({ method: 'POST', url: '/api/admin/auth/login', headers: as('demo'), payload: demo.credentials });
    demoToken = login.json().session.token;
  });
  afterAll(async () => {
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const allOrders = async (token: string, slug: string) => {
    const orders: any[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.request({ method: 'GET', url: `/api/admin/orders?limit=100${cursor ? `&cursor=${cursor}` : ''}`, headers: as(slug, token) });
      expect(page.statusCode).toBe(200);
      orders.push(...page.json().items);
      cursor = page.json().nextCursor;
    } while (cursor);
    return orders;
  };

  it('fills six weeks of the dashboard with orders and revenue, and leaves today to real shoppers', async () => {
    const response = await t.request({ method: 'GET', url: '/api/admin/dashboard?days=42&timeZone=UTC', headers: as('demo', demoToken) });
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.days).toHaveLength(42);
    for (const day of report.days.slice(0, -2)) {
      expect(day.orders).toBeGreaterThan(0);
      expect(day.revenue).toBeGreaterThan(0);
    }
    expect(report.today).toMatchObject({ orders: 0, paidOrders: 0, revenue: 0 });
    expect(report.awaitingPayment).toBe(0);
    const week = (from: number) => report.days.slice(from, from + 7).reduce((sum: number, day: any) => sum + day.orders, 0);
    expect(week(35)).toBeGreaterThan(week(0)); // the shop grows
    const orders = await allOrders(demoToken, 'demo');
    expect(orders.length).toBe(report.days.reduce((sum: number, day: any) => sum + day.orders, 0));
    for (const order of orders) expect(new Date(order.createdAt).getTime()).toBeLessThan(clock.now().getTime() - 86_400_000);
  });

  it('gives each order the state its age suggests, priced from the catalog, with its payment', async () => {
    const orders = await allOrders(demoToken, 'demo');
    const statuses = new Set(orders.map((order) => order.status));
    for (const status of ['completed', 'fulfilled', 'paid', 'cancelled', 'refunded']) expect(statuses).toContain(status);
    const old = orders.filter((order) => clock.now().getTime() - new Date(order.createdAt).getTime() > 10 * 86_400_000);
    expect(old.every((order) => ['completed', 'cancelled', 'refunded'].includes(order.status))).toBe(true);

    const paid = orders.find((order) => order.status === 'completed')!;
    const detail = (await t.request({ method: 'GET', url: `/api/admin/orders/${paid.id}`, headers: as('demo', demoToken) })).json();
    expect(detail.payments).toEqual([expect.objectContaining({ status: 'succeeded', amount: detail.total })]);
    expect(detail.total).toBe(detail.lines.reduce((sum: number, line: any) => sum + line.unitPrice * line.quantity, 0));
    const product = (await t.request({ method: 'GET', url: `/api/store/products/${detail.lines[0].productId}`, headers: as('demo') })).json();
    const variant = product.variants.find((v: any) => v.id === detail.lines[0].variantId);
    expect(variant.price.amount).toBe(detail.lines[0].unitPrice);
  });

  it('seeds the demo platform only, and only once', async () => {
    expect(await allOrders(other.ownerToken, 'other')).toEqual([]);
    const before = (await allOrders(demoToken, 'demo')).length;
    const again = await seedDemoPlatform(t.services, t.db, dataDir, { now: clock.now(), passwordParams: CHEAP_HASH });
    expect(again.created).toBe(false);
    expect((await allOrders(demoToken, 'demo')).length).toBe(before);
  });
});
