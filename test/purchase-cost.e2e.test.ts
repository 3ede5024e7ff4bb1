import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { ADDRESS, newCustomer, signedWebhook, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * What a complete purchase costs the database, counted from the query texts the app sends: a
 * cart, a line, checkout, the provider's signed webhook, and the order is paid. BEGIN, COMMIT and
 * the tenant settings count as statements, each on its own even when they share a round trip.
 */
const MAX_STATEMENTS = 20;
const MAX_TRANSACTIONS = 4;

interface Cost {
  roundTrips: number;
  statements: number;
  transactions: number;
  texts: string[];
}

/** The statements of one query text (top-level `;` only; the app's texts hold no `;` in literals). */
function statementsOf(text: string): string[] {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function costOf(texts: string[]): Cost {
  const statements = texts.flatMap(statementsOf);
  // A transaction's opening (BEGIN and the settings) is pipelined with its first statement.
  const roundTrips = texts.filter((text) => !/^begin\b/i.test(text)).length;
  return { roundTrips, statements: statements.length, transactions: statements.filter((s) => /^begin\b/i.test(s)).length, texts };
}

describe.each(await databaseKinds())('what a purchase costs the database on %s', (kind) => {
  const clock = new ManualClock(new Date());
  const sent: string[] = [];
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof stockedShop>>;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock, observeQueries: (text) => sent.push(text) });
    shop = await stockedShop(t, 'cost', { KETTLE: { price: 12_900, units: 10 } });
  });
  afterAll(() => t?.close());

  /** The complete flow for a logged-in shopper; returns what it sent and the order id. */
  async function purchase(token: string, key: string, checkoutBody: Record<string, unknown> = { shippingAddress: ADDRESS }): Promise<{ cost: Cost; orderId: string }> {
    const from = sent.length;
    const cart = await t.request({ method: 'POST', url: '/api/store/carts', headers: as('cost', token), payload: {} });
    expect(cart.statusCode).toBe(201);
    const line = await t.request({
      method: 'POST',
      url: `/api/store/carts/${cart.json().id}/lines`,
      headers: as('cost', token),
      payload: { variantId: shop.variants.KETTLE, quantity: 2 },
    });
    expect(line.statusCode).toBe(200);
    expect(line.json().total).toBeGreaterThan(0);
    const placed = await t.request({
      method: 'POST',
      url: `/api/store/carts/${cart.json().id}/checkout`,
      headers: { ...as('cost', token), 'idempotency-key': key },
      payload: checkoutBody,
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const webhook = await signedWebhook(placed.json().payment, 'succeeded', clock.now());
    const delivered = await t.request({
      method: 'POST',
      url: '/api/payments/sandbox/webhook',
      headers: { 'content-type': 'application/json', 'bazaar-signature': webhook.signature },
      payload: webhook.body,
    });
    expect(delivered.json()).toEqual({ received: true, outcome: 'applied' });
    const cost = costOf(sent.slice(from));
    return { cost, orderId: placed.json().order.id };
  }

  it(`cart → line → checkout → webhook → paid takes at most ${MAX_STATEMENTS} statements in ${MAX_TRANSACTIONS} transactions`, async () => {
    const token = await newCustomer(t, 'cost', 'counted@example.com');
    const { cost, orderId } = await purchase(token, 'counted-1');
    process.stdout.write(`[${kind}] purchase: ${cost.statements} statements, ${cost.transactions} transactions, ${cost.roundTrips} round trips\n`);
    expect(cost.transactions, cost.texts.join('\n')).toBeLessThanOrEqual(MAX_TRANSACTIONS);
    expect(cost.statements, cost.texts.join('\n')).toBeLessThanOrEqual(MAX_STATEMENTS);

    const order = await t.request({ method: 'GET', url: `/api/store/orders/${orderId}`, headers: as('cost', token) });
    expect(order.json()).toMatchObject({ status: 'paid', total: 25_800, lines: [{ sku: 'KETTLE', quantity: 2, unitPrice: 12_900 }] });
    const stock = await t.request({ method: 'GET', url: `/api/admin/inventory?variantId=${shop.variants.KETTLE}`, headers: as('cost', shop.ownerToken) });
    expect(stock.json().items[0]).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
  });

  it('a session this node has not checked lately costs one more transaction, of one query', async () => {
    const token = await newCustomer(t, 'cost', 'returning@example.com');
    const warm = await purchase(token, 'returning-1');
    // Long enough for the node to have forgotten that it checked this session.
    clock.advance(60_000);
    const cold = await purchase(token, 'returning-2');
    expect(cold.cost.transactions).toBe(warm.cost.transactions + 1);
    // BEGIN and the settings, the lookup, COMMIT.
    expect(cold.cost.statements - warm.cost.statements).toBeLessThanOrEqual(4);
  });

  // Last: from here on the platform ships by zones, so every checkout names a method.
  it('shipping, tax, a member price and an invoice add no statement to the purchase', async () => {
    const token = await newCustomer(t, 'cost', 'plain@example.com');
    const plain = await purchase(token, 'plain-key-1');

    const staff = as('cost', shop.ownerToken);
    const admin = async (url: string, payload: Record<string, unknown>) => {
      const response = await t.request({ method: 'POST', url, headers: staff, payload });
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    };
    const zone = await admin('/api/admin/shipping/zones', { name: 'China', regions: [{ country: 'CN' }] });
    const method = await admin(`/api/admin/shipping/zones/${zone.id}/methods`, {
      name: { en: 'Standard' }, kind: 'standard', currency: 'CNY', rate: { type: 'item_count', firstAmount: 800, additionalAmount: 200 }, minDays: 2, maxDays: 4,
    });
    await admin('/api/admin/tax/rates', { country: 'CN', rateBp: 1300, name: 'VAT 13%' });
    await admin('/api/admin/tax/rates', { country: 'CN', taxClass: 'shipping', rateBp: 900, name: 'VAT 9%' });
    const group = await admin('/api/admin/customer-groups', { code: 'members', name: { en: 'Members' } });
    const memberToken = await newCustomer(t, 'cost', 'member@example.com');
    const added = await t.request({ method: 'POST', url: `/api/admin/customer-groups/${group.id}/members`, headers: staff, payload: { emails: ['member@example.com'] } });
    expect(added.json()).toEqual({ added: 1 });
    await admin('/api/admin/price-lists', { name: 'Members', groupId: group.id, currency: 'CNY', prices: [{ variantId: shop.variants.KETTLE, amount: 11_900 }] });

    const full = await purchase(memberToken, 'full-key-1', {
      shippingAddress: ADDRESS,
      shippingMethodId: method.id,
      invoice: { titleType: 'personal', title: '王小明' },
    });
    process.stdout.write(`[${kind}] purchase with shipping, tax, a member price and an invoice: ${full.cost.statements} statements\n`);
    expect(full.cost.statements, full.cost.texts.join('\n')).toBe(plain.cost.statements);
    expect(full.cost.transactions).toBe(plain.cost.transactions);
    const order = await t.request({ method: 'GET', url: `/api/store/orders/${full.orderId}`, headers: as('cost', memberToken) });
    expect(order.json()).toMatchObject({ status: 'paid', subtotal: 23_800, shippingTotal: 1000, total: 24_800, invoice: { title: '王小明' } });
    expect(order.json().taxTotal).toBeGreaterThan(0);
  });
});
