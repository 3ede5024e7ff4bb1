import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { ADDRESS, newCustomer, pay, stockedShop } from './support/commerce.ts';
import { flashSaleSizes } from './support/redis.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

type Json = Record<string, any>;
const MINUTE = 60_000;

describe.each(await flashSaleSizes())('flash sales, $name', ({ kind, redisUrl }) => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof stockedShop>>;
  const admin = () => as('flash', shop.ownerToken);
  let customerSeq = 0;

  async function createSale(body: Json) {
    const startsAt = new Date(clock.now().getTime() + MINUTE);
    return t.request({
      method: 'POST',
      url: '/api/admin/flash-sales',
      headers: admin(),
      payload: { variantId: shop.variants.PHONE, price: 99900, startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 60 * MINUTE).toISOString(), ...body },
    });
  }
  async function customers(n: number): Promise<string[]> {
    return Promise.all(Array.from({ length: n }, () => newCustomer(t, 'flash', `buyer${customerSeq++}@example.com`)));
  }
  async function purchaseToken(saleId: string, customer: string) {
    return t.request({ method: 'POST', url: `/api/store/flash-sales/${saleId}/purchase-token`, headers: as('flash', customer) });
  }
  function attempt(saleId: string, token: string, key: string, ip = '10.0.0.1') {
    return t.request({
      method: 'POST',
      url: `/api/store/flash-sales/${saleId}/attempts`,
      headers: { ...as('flash'), 'idempotency-key': key },
      payload: { token, shippingAddress: ADDRESS },
      remoteAddress: ip,
    });
  }
  const stock = async () =>
    (await t.request({ method: 'GET', url: `/api/admin/inventory?variantId=${shop.variants.PHONE}`, headers: admin() })).json().items[0];
  const saleOrders = (saleId: string) =>
    t.db.withTenant(shop.id, async (tx) => (await sql<{ id: string; customerId: string; status: string; total: string }>`
      select id, customer_id, status, total from orders where flash_sale_id = ${saleId}`.execute(tx)).rows);

  beforeAll(async () => {
    t = await startTestApp(kind, { clock, ...(redisUrl ? { redisUrl } : {}), flashLimits: { ipPerSecond: 100, customerPerSecond: 5 } });
    shop = await stockedShop(t, 'flash', { PHONE: { price: 399900, units: 2000 } });
  });
  afterAll(() => t?.close());

  it('before the start the sale counts down and nobody can get a purchase token or attempt', async () => {
    const sale = (await createSale({ quantity: 5 })).json();
    const [customer] = await customers(1);
    const shown = await t.request({ method: 'GET', url: `/api/store/flash-sales/${sale.id}?locale=en`, headers: as('flash') });
    expect(shown.json()).toMatchObject({ phase: 'upcoming', price: 99900, quantity: 5, soldOut: false });
    expect(Date.parse(shown.json().startsAt) - Date.parse(shown.json().serverTime)).toBeGreaterThan(0);

    const early = await purchaseToken(sale.id, customer!);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('not_started');
    const forged = await attempt(sale.id, `${'cus_'.padEnd(30, 'a')}.${'ses_'.padEnd(30, 'a')}.${clock.now().getTime() + MINUTE}.forged-signature`, 'early-attempt-1');
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('invalid_purchase_token');

    // A token from the start on is still refused if the clock says the sale hasn't begun.
    clock.advance(MINUTE);
    const token = (await purchaseToken(sale.id, customer!)).json().token;
    clock.advance(-1000);
    expect((await attempt(sale.id, token, 'early-attempt-2')).json().code).toBe('not_started');
    clock.advance(1000);
    expect((await attempt(sale.id, token, 'early-attempt-3')).statusCode).toBe(201);
    clock.advance(-MINUTE);
  });

  it('a crowd far larger than the stock: every unit sold, none twice, no customer over the limit', async () => {
    const sale = (await createSale({ quantity: 20, perCustomerLimit: 2 })).json();
    expect(await stock()).toMatchObject({ reserved: 25 }); // this sale's 20 plus the first sale's 5
    const crowd = await customers(60);
    clock.advance(MINUTE);
    const tokens = await Promise.all(crowd.map(async (customer) => (await purchaseToken(sale.id, customer)).json().token as string));
    // Every customer tries three times at once, each from an address of their own.
    const answers = await Promise.all(
      tokens.flatMap((token, i) => [0, 1, 2].map((n) => attempt(sale.id, token, `crowd-${i}-${n}`, `10.1.${i}.${n}`))),
    );
    const admitted = answers.filter((answer) => answer.statusCode === 201).map((answer) => answer.json());
    expect(admitted).toHaveLength(20);
    const refused = new Set(answers.filter((answer) => answer.statusCode === 409).map((answer) => answer.json().code));
    expect([...refused].every((code) => code === 'sold_out' || code === 'limit_reached')).toBe(true);
    expect(refused.has('sold_out')).toBe(true);

    const orders = await saleOrders(sale.id);
    expect(orders.map((order) => order.id).sort()).toEqual(admitted.map((answer) => answer.orderId).sort());
    expect(orders.every((order) => order.status === 'pending_payment' && Number(order.total) === 99900)).toBe(true);
    const perCustomer = new Map<string, number>();
    for (const order of orders) perCustomer.set(order.customerId, (perCustomer.get(order.customerId) ?? 0) + 1);
    expect(Math.max(...perCustomer.values())).toBeLessThanOrEqual(2);
    expect((await t.request({ method: 'GET', url: `/api/store/flash-sales/${sale.id}`, headers: as('flash') })).json().soldOut).toBe(true);
    expect((await t.request({ method: 'GET', url: `/api/admin/flash-sales/${sale.id}`, headers: admin() })).json().live).toMatchObject({ sold: 20, remaining: 0 });
    clock.advance(-MINUTE);
  });

  it('the same idempotency key gives the same order, also when the two requests race', async () => {
    const sale = (await createSale({ quantity: 10, perCustomerLimit: 3 })).json();
    const [customer] = await customers(1);
    clock.advance(MINUTE);
    const token = (await purchaseToken(sale.id, customer!)).json().token;
    const [first, second] = await Promise.all([attempt(sale.id, token, 'same-key-123'), attempt(sale.id, token, 'same-key-123')]);
    expect([first!.statusCode, second!.statusCode].sort()).toEqual([200, 201]);
    expect(first!.json().orderId).toBe(second!.json().orderId);
    const again = await attempt(sale.id, token, 'same-key-123');
    expect(again.json().orderId).toBe(first!.json().orderId);
    expect(await saleOrders(sale.id)).toHaveLength(1);
    clock.advance(-MINUTE);
  });

  it('per-customer and per-address rate limits hold under concurrency', async () => {
    const sale = (await createSale({ quantity: 500, perCustomerLimit: 100 })).json();
    const crowd = await customers(30);
    clock.advance(MINUTE);
    const tokens = await Promise.all(crowd.map(async (customer) => (await purchaseToken(sale.id, customer)).json().token as string));

    const greedy = await Promise.all(Array.from({ length: 12 }, (_, n) => attempt(sale.id, tokens[0]!, `greedy-${n}-key`, '10.2.0.1')));
    expect(greedy.filter((answer) => answer.statusCode === 201)).toHaveLength(5);
    expect(greedy.filter((answer) => answer.statusCode === 429).every((answer) => answer.json().code === 'rate_limited')).toBe(true);

    // 29 customers, 5 attempts each, all from one address: the address may make 100.
    const shared = await Promise.all(tokens.slice(1).flatMap((token, i) => [0, 1, 2, 3, 4].map((n) => attempt(sale.id, token, `shared-${i}-${n}`, '10.3.0.1'))));
    expect(shared.filter((answer) => answer.statusCode === 201)).toHaveLength(100);
    expect(shared.filter((answer) => answer.statusCode === 429)).toHaveLength(45);
    clock.advance(-MINUTE);
  });

  it('an unpaid purchase returns its unit at the deadline and a later customer wins it; a paid one takes stock', async () => {
    const sale = (await createSale({ quantity: 2, paymentMinutes: 5 })).json();
    const [late, payer, second] = await customers(3);
    clock.advance(MINUTE);
    const tokenOf = async (customer: string) => (await purchaseToken(sale.id, customer)).json().token as string;
    const unpaid = (await attempt(sale.id, await tokenOf(late!), 'unpaid-key-1')).json();
    const paid = (await attempt(sale.id, await tokenOf(payer!), 'paid-key-1')).json();
    expect((await attempt(sale.id, await tokenOf(second!), 'second-key-1')).json().code).toBe('sold_out');
    // Sold out now, but a retry of an admitted attempt still gets its order back.
    const retried = await attempt(sale.id, await tokenOf(payer!), 'paid-key-1');
    expect(retried.statusCode).toBe(200);
    expect(retried.json().orderId).toBe(paid.orderId);

    const payment = await t.request({ method: 'POST', url: `/api/store/orders/${paid.orderId}/payments`, headers: as('flash', payer) });
    expect(payment.statusCode).toBe(201);
    const before = await stock();
    expect((await pay(t, payment.json())).json().webhook).toBe('applied');
    expect(await stock()).toMatchObject({ onHand: before.onHand - 1, reserved: before.reserved - 1 });

    clock.advance(6 * MINUTE);
    expect(await t.services.orders.expireUnpaidOrders([(await t.services.tenants.findBySlug('flash'))!])).toBeGreaterThanOrEqual(1);
    await t.dispatcher.drain();
    const order = await t.request({ method: 'GET', url: `/api/admin/orders/${unpaid.orderId}`, headers: admin() });
    expect(order.json()).toMatchObject({ status: 'cancelled', cancelReason: 'payment_timeout' });

    const won = await attempt(sale.id, await tokenOf(second!), 'second-key-2');
    expect(won.statusCode).toBe(201);
    expect(await saleOrders(sale.id)).toHaveLength(3);
    clock.advance(-7 * MINUTE);
  });

  it('after the end attempts are refused, and closing the sale returns unsold units to stock', async () => {
    const sale = (await createSale({ quantity: 7, paymentMinutes: 5 })).json();
    const [customer] = await customers(1);
    clock.advance(MINUTE);
    const token = (await purchaseToken(sale.id, customer!)).json().token;
    expect((await attempt(sale.id, token, 'before-end-1')).statusCode).toBe(201);
    const reserved = (await stock()).reserved;

    clock.advance(60 * MINUTE);
    expect((await attempt(sale.id, token, 'after-end-1')).json().code).toBe('invalid_purchase_token');
    expect((await purchaseToken(sale.id, customer!)).json().code).toBe('ended');

    clock.advance(6 * MINUTE);
    const platform = (await t.services.tenants.findBySlug('flash'))!;
    await t.services.orders.expireUnpaidOrders([platform]);
    expect(await t.services.flashSales.closeEndedSales([platform])).toBeGreaterThanOrEqual(1);
    // Six never sold and one expired unpaid: all seven are for sale again, in general stock.
    expect((await stock()).reserved).toBeLessThanOrEqual(reserved - 7);
    clock.advance(-67 * MINUTE);
  });

  it('logging out revokes the purchase tokens the session issued; another customer\'s token still works', async () => {
    const sale = (await createSale({ quantity: 5 })).json();
    const [leaver, stayer] = await customers(2);
    clock.advance(MINUTE);
    const leaverToken = (await purchaseToken(sale.id, leaver!)).json().token;
    const stayerToken = (await purchaseToken(sale.id, stayer!)).json().token;
    expect((await t.request({ method: 'POST', url: '/api/store/auth/logout', headers: as('flash', leaver!) })).statusCode).toBe(204);

    const refused = await attempt(sale.id, leaverToken, 'after-logout-1');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('session_revoked');
    expect(await saleOrders(sale.id)).toHaveLength(0);
    expect((await attempt(sale.id, stayerToken, 'stayer-1')).statusCode).toBe(201);
    expect(await saleOrders(sale.id)).toHaveLength(1);
    clock.advance(-MINUTE);
  });

  it('a password change revokes the purchase tokens of the other sessions, not of the one that changed it', async () => {
    const sale = (await createSale({ quantity: 5, perCustomerLimit: 2 })).json();
    const [phone] = await customers(1);
    const laptop = (await t.request({ method: 'POST', url: '/api/store/auth/login', headers: as('flash'), payload: { email: `buyer${customerSeq - 1}@example.com`, password: 'customer-pass-1' } })).json().session.token;
    clock.advance(MINUTE);
    const phoneToken = (await purchaseToken(sale.id, phone!)).json().token;
    const laptopToken = (await purchaseToken(sale.id, laptop)).json().token;
    const changed = await t.request({ method: 'POST', url: '/api/store/me/password', headers: as('flash', phone!), payload: { currentPassword: 'customer-pass-1', newPassword: 'customer-pass-2' } });
    expect(changed.statusCode).toBe(204);
    expect((await attempt(sale.id, laptopToken, 'laptop-attempt-1')).json().code).toBe('session_revoked');
    expect((await attempt(sale.id, phoneToken, 'phone-attempt-1')).statusCode).toBe(201);
    clock.advance(-MINUTE);
  });

  it('refuses bad sales: unknown variant, more than the stock, end before start', async () => {
    expect((await createSale({ quantity: 5, variantId: `var_${'0'.repeat(26)}` })).statusCode).toBe(404);
    const tooMany = await createSale({ quantity: 100_000 });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().code).toBe('insufficient_stock');
    const backwards = await createSale({ quantity: 1, endsAt: clock.now().toISOString() });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].path).toContain('endsAt');
  });
});
