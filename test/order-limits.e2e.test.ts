import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cartWith, checkout, newCustomer, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

const PRICE = 999_999_999_999;
const tenSkus = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`BIG-${i}`, { price: PRICE, units: 999 }]));

describe.each(await databaseKinds())('order totals on %s', (kind) => {
  describe('with the largest limit there is (2^53 - 1)', () => {
    let t: TestApp;
    let shop: Awaited<ReturnType<typeof stockedShop>>;
    beforeAll(async () => {
      t = await startTestApp(kind, { maxOrderTotalMinor: Number.MAX_SAFE_INTEGER });
      shop = await stockedShop(t, 'big', tenSkus);
    });
    afterAll(() => t?.close());

    it("the audit's 9,981 units at 999,999,999,999 are refused, and the total just below is exact", async () => {
      const token = await newCustomer(t, 'big', 'whale@example.com');
      const nineLines = Array.from({ length: 9 }, (_, i) => ({ variantId: shop.variants[`BIG-${i}`]!, quantity: 999 }));
      const cartId = await cartWith(t, 'big', token, nineLines);
      const tenth = await t.request({ method: 'POST', url: `/api/store/carts/${cartId}/lines`, headers: as('big', token), payload: { variantId: shop.variants['BIG-9'], quantity: 990 } });
      expect(tenth.statusCode, tenth.body).toBe(422);
      expect(tenth.json().code).toBe('order_total_too_large');

      // 8,991 units: 8,990,999,999,991,009, exact, and checked out as such.
      const cart = (await t.request({ method: 'GET', url: `/api/store/carts/${cartId}`, headers: as('big', token) })).json();
      expect(cart).toMatchObject({ itemCount: 8991, subtotal: 8_990_999_999_991_009, total: 8_990_999_999_991_009 });
      const placed = await checkout(t, 'big', token, cartId, 'whale-key-1');
      expect(placed.statusCode, placed.body).toBe(201);
      expect(placed.body).toContain('"total":8990999999991009');
    });
  });

  describe('with the default limit (10^12 minor units)', () => {
    let t: TestApp;
    let shop: Awaited<ReturnType<typeof stockedShop>>;
    beforeAll(async () => {
      t = await startTestApp(kind);
      shop = await stockedShop(t, 'shop', { BIG: { price: PRICE, units: 10 }, SMALL: { price: 100, units: 10 } });
    });
    afterAll(() => t?.close());

    it('an order just under the limit checks out; one unit more is refused and not added', async () => {
      const token = await newCustomer(t, 'shop', 'under@example.com');
      const cartId = await cartWith(t, 'shop', token, [{ variantId: shop.variants.BIG!, quantity: 1 }]);
      const more = await t.request({ method: 'POST', url: `/api/store/carts/${cartId}/lines`, headers: as('shop', token), payload: { variantId: shop.variants.BIG, quantity: 1 } });
      expect(more.statusCode).toBe(422);
      expect(more.json().code).toBe('order_total_too_large');
      const small = await t.request({ method: 'POST', url: `/api/store/carts/${cartId}/lines`, headers: as('shop', token), payload: { variantId: shop.variants.SMALL, quantity: 1 } });
      expect(small.statusCode).toBe(422);
      expect((await t.request({ method: 'GET', url: `/api/store/carts/${cartId}`, headers: as('shop', token) })).json()).toMatchObject({ itemCount: 1, total: PRICE });
      const placed = await checkout(t, 'shop', token, cartId, 'under-key-1');
      expect(placed.statusCode, placed.body).toBe(201);
      expect(placed.json().order.total).toBe(PRICE);
    });

    it('a price raised past the limit after the cart was filled stops checkout before anything is written', async () => {
      const token = await newCustomer(t, 'shop', 'raised@example.com');
      const cartId = await cartWith(t, 'shop', token, [{ variantId: shop.variants.SMALL!, quantity: 2 }]);
      const raised = await t.request({
        method: 'PATCH',
        url: `/api/admin/products/${shop.products.SMALL}`,
        headers: as('shop', shop.ownerToken),
        payload: { variants: [{ sku: 'SMALL', prices: [{ currency: 'CNY', amount: PRICE }] }] },
      });
      expect(raised.statusCode, raised.body).toBe(200);
      const refused = await checkout(t, 'shop', token, cartId, 'raised-key-1');
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json().code).toBe('order_total_too_large');
      expect((await t.request({ method: 'GET', url: '/api/store/orders', headers: as('shop', token) })).json().items).toEqual([]);
      const stock = await t.request({ method: 'GET', url: `/api/admin/inventory?variantId=${shop.variants.SMALL}`, headers: as('shop', shop.ownerToken) });
      expect(stock.json().items[0]).toMatchObject({ reserved: 0 });
    });
  });

  describe('with a limit below the largest price', () => {
    let t: TestApp;
    afterAll(() => t?.close());

    it('a flash sale priced past the limit is refused', async () => {
      t = await startTestApp(kind, { maxOrderTotalMinor: 1_000_000 });
      const shop = await stockedShop(t, 'shop', { BIG: { price: 100, units: 10 } });
      const now = Date.now();
      const sale = await t.request({
        method: 'POST',
        url: '/api/admin/flash-sales',
        headers: as('shop', shop.ownerToken),
        payload: { variantId: shop.variants.BIG, price: 1_000_001, quantity: 1, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() },
      });
      expect(sale.statusCode, sale.body).toBe(422);
      expect(sale.json().code).toBe('order_total_too_large');
      const list = await t.request({ method: 'GET', url: '/api/admin/flash-sales', headers: as('shop', shop.ownerToken) });
      expect(list.json().items).toEqual([]);
    });
  });
});
