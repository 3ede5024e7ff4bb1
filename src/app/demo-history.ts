import { randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Database } from '../infra/db/database.ts';
import type { OrderLinesTable, OrdersTable, OrderStatus, PaymentsTable, RefundsTable } from '../infra/db/schema.ts';
import { newIdAt } from '../platform/ids.ts';
import { hashPassword, type ScryptParams } from '../modules/identity/password-hasher.ts';
import type { Platform } from '../modules/tenants/index.ts';

const DAY_MS = 86_400_000;

const SHOPPERS = [
  ['王芳', '北京市', '朝阳区'], ['李娜', '上海市', '浦东新区'], ['张伟', '广州市', '天河区'], ['刘洋', '深圳市', '南山区'],
  ['陈静', '杭州市', '西湖区'], ['杨磊', '成都市', '武侯区'], ['赵敏', '南京市', '鼓楼区'], ['黄婷', '武汉市', '洪山区'],
  ['周杰', '西安市', '雁塔区'], ['吴倩', '苏州市', '姑苏区'], ['徐明', '重庆市', '渝中区'], ['孙丽', '天津市', '和平区'],
  ['马超', '长沙市', '岳麓区'], ['朱琳', '厦门市', '思明区'], ['胡斌', '青岛市', '市南区'], ['郭燕', '郑州市', '金水区'],
  ['Emma Wilson', 'Shanghai', 'Jing’an'], ['Liam Chen', 'Shenzhen', 'Futian'],
] as const;

export interface DemoHistoryOptions {
  now: Date;
  /** Calendar days (UTC) of history, the current one included (though it holds nothing). */
  days?: number;
  /** The shoppers' throw-away password hash cost (tests pass a cheap one). */
  passwordParams?: ScryptParams;
}

/**
 * A few weeks of plausible orders for the demo platform, so the dashboard's chart and the order
 * list have something to show on first look: a couple of dozen shoppers, more orders at weekends
 * and a gentle growth, and each order in the state its age suggests (old ones completed, a few
 * cancelled unpaid or refunded, recent ones paid or on their way). It ends a day before `now`:
 * a day has begun less than 24 hours ago in every time zone, so "today" on the dashboard is the
 * shop's real activity wherever staff sit.
 *
 * Written in one transaction straight into the order tables with the catalog's own prices,
 * because the order path would stamp every row with today's date. It writes no stock movements
 * and no outbox events: the history predates the demo's opening stock count, and nothing that
 * reacts to new orders should react to these. The shoppers cannot log in (their password is
 * random and thrown away). Deterministic, so every fresh demo looks the same.
 */
export async function seedDemoOrderHistory(db: Database, platform: Platform, options: DemoHistoryOptions): Promise<number> {
  const days = options.days ?? 42;
  const random = seededRandom(20261201);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const passwordHash = await hashPassword(randomBytes(24).toString('base64url'), options.passwordParams);
  const startOfToday = Math.floor(options.now.getTime() / DAY_MS) * DAY_MS;

  return db.withTenant(platform.id, async (tx) => {
    const catalog = await tx
      .selectFrom('variants as v')
      .innerJoin('products as p', 'p.id', 'v.productId')
      .innerJoin('variantPrices as vp', (join) => join.onRef('vp.variantId', '=', 'v.id').on('vp.currency', '=', platform.defaultCurrency))
      .select(['v.id as variantId', 'v.productId', 'v.sku', 'v.optionValues', 'p.title', 'vp.amount'])
      .where('p.status', '=', 'active')
      .orderBy('v.sku')
      .execute();
    if (catalog.length === 0) return 0;

    const firstDay = startOfToday - (days - 1) * DAY_MS;
    const shoppers = SHOPPERS.map(([name, city, district], i) => ({
      id: newIdAt('cus', new Date(firstDay - DAY_MS + i * 60_000)),
      name,
      address: { name, phone: `138${String(10_000_000 + i * 7_654_321).slice(-8)}`, country: 'CN', city, district, line1: `${pick(['人民路', '中山路', '解放路', '建设路'])} ${1 + Math.floor(random() * 300)} 号` },
    }));
    await tx
      .insertInto('customers')
      .values(shoppers.map((s, i) => ({ tenantId: platform.id, id: s.id, email: `shopper${i + 1}@demo.bazaar.local`, phone: null, name: s.name, passwordHash })))
      .execute();

    const orders: Insertable<OrdersTable>[] = [];
    const lines: Insertable<OrderLinesTable>[] = [];
    const payments: Insertable<PaymentsTable>[] = [];
    const refunds: Insertable<RefundsTable>[] = [];
    for (let day = 0; day < days; day++) {
      const dayStart = firstDay + day * DAY_MS;
      const weekday = new Date(dayStart).getUTCDay();
      const expected = (5 + (day / days) * 7) * (weekday === 0 || weekday === 6 ? 1.5 : 1);
      const count = Math.max(1, Math.round(expected * (0.7 + random() * 0.6)));
      const ageDays = days - 1 - day;
      for (let n = 0; n < count; n++) {
        // Shoppers buy in the day and the evening (China time: 08:00–24:00 is 00:00–16:00 UTC).
        const createdMs = dayStart + Math.floor(random() * 16 * 3_600_000);
        if (createdMs >= options.now.getTime() - DAY_MS) continue;
        const created = new Date(createdMs);
        const shopper = pick(shoppers);
        const id = newIdAt('ord', created);
        const chosen = new Set<(typeof catalog)[number]>();
        const wanted = random() < 0.6 ? 1 : random() < 0.75 ? 2 : 3;
        while (chosen.size < Math.min(wanted, catalog.length)) chosen.add(pick(catalog));
        let subtotal = 0;
        [...chosen].forEach((variant, index) => {
          const quantity = random() < 0.8 ? 1 : 2;
          subtotal += variant.amount * quantity;
          lines.push({
            tenantId: platform.id, orderId: id, lineNo: index + 1, productId: variant.productId, variantId: variant.variantId, sku: variant.sku,
            title: JSON.stringify(variant.title), optionValues: JSON.stringify(variant.optionValues), unitPrice: variant.amount, quantity, discount: 0,
            total: variant.amount * quantity,
          });
        });
        const status = statusForAge(ageDays, random());
        const paidAt = status === 'pending_payment' || status === 'cancelled' ? null : new Date(createdMs + (2 + random() * 20) * 60_000);
        const fulfilledAt = paidAt && ['fulfilled', 'completed', 'refunded'].includes(status) ? new Date(paidAt.getTime() + (4 + random() * 30) * 3_600_000) : null;
        const completedAt = fulfilledAt && status === 'completed' ? new Date(fulfilledAt.getTime() + (2 + random() * 4) * DAY_MS) : null;
        const cancelledAt = status === 'cancelled' ? new Date(createdMs + platform.checkout.paymentTimeoutMinutes * 60_000) : null;
        const updatedAt = [completedAt, fulfilledAt, paidAt, cancelledAt].find((at) => at) ?? created;
        orders.push({
          tenantId: platform.id, id, customerId: shopper.id, idempotencyKey: `demo-history-${id}`, status, currency: platform.defaultCurrency,
          subtotal, discountTotal: 0, shippingTotal: 0, total: subtotal, refundedTotal: status === 'refunded' ? subtotal : 0, couponCode: null,
          shippingAddress: JSON.stringify(shopper.address), trackingNumber: fulfilledAt ? `SF${String(createdMs).slice(-10)}` : null,
          cancelReason: cancelledAt ? 'payment_timeout' : null, expiresAt: new Date(createdMs + platform.checkout.paymentTimeoutMinutes * 60_000),
          paidAt, fulfilledAt, completedAt, cancelledAt, createdAt: created, updatedAt: updatedAt > options.now ? options.now : updatedAt,
        });
        if (paidAt) {
          const paymentId = newIdAt('pay', paidAt);
          payments.push({
            tenantId: platform.id, id: paymentId, orderId: id, provider: 'sandbox', providerRef: `demo-${paymentId}`, status: status === 'refunded' ? 'refunded' : 'succeeded',
            amount: subtotal, currency: platform.defaultCurrency, createdAt: created, updatedAt: paidAt,
          });
          if (status === 'refunded') {
            refunds.push({ tenantId: platform.id, id: newIdAt('ref', fulfilledAt!), orderId: id, paymentId, amount: subtotal, reason: '七天无理由退货', providerRef: null, status: 'succeeded', createdAt: fulfilledAt! });
          }
        }
      }
    }
    // Only what happened by `now`: a completion a few days after a recent delivery has not happened yet.
    for (const order of orders) {
      if (order.completedAt && order.completedAt > options.now) {
        order.completedAt = null;
        order.status = 'fulfilled';
      }
    }
    for (let start = 0; start < orders.length; start += 500) await tx.insertInto('orders').values(orders.slice(start, start + 500)).execute();
    for (let start = 0; start < lines.length; start += 500) await tx.insertInto('orderLines').values(lines.slice(start, start + 500)).execute();
    if (payments.length > 0) await tx.insertInto('payments').values(payments).execute();
    if (refunds.length > 0) await tx.insertInto('refunds').values(refunds).execute();
    return orders.length;
  });
}

/** What became of an order placed `ageDays` ago; `roll` is uniform in [0, 1). */
function statusForAge(ageDays: number, roll: number): OrderStatus {
  if (roll < 0.05) return 'cancelled';
  if (ageDays >= 7) return roll < 0.08 ? 'refunded' : 'completed';
  if (ageDays >= 3) return roll < 0.5 ? 'fulfilled' : 'completed';
  return roll < 0.6 ? 'paid' : 'fulfilled';
}

/** mulberry32: a small, fast PRNG, so the same seed gives the same demo history everywhere. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
