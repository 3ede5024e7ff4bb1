import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { ADDRESS, cartWith, newCustomer, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

type Json = Record<string, any>;

describe.each(await databaseKinds())('customer groups and price lists on %s', (kind) => {
  const clock = new ManualClock(new Date('2026-12-01T00:00:00Z'));
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof stockedShop>>;
  let members: string;
  let memberToken: string;
  let guestToken: string;
  const admin = (method: string, url: string, payload?: unknown) => t.request({ method: method as 'GET', url, headers: as('prices', shop.ownerToken), ...(payload ? { payload } : {}) });
  const setClock = (at: Date) => clock.advance(at.getTime() - clock.now().getTime());
  const unitPriceIn = async (token: string, cartId: string) => (await t.request({ method: 'GET', url: `/api/store/carts/${cartId}`, headers: as('prices', token) })).json().lines[0];

  beforeAll(async () => {
    t = await startTestApp(kind, { clock });
    shop = await stockedShop(t, 'prices', { TEA: { price: 10_000, units: 100 }, CUP: { price: 2000, units: 100 } });
    memberToken = await newCustomer(t, 'prices', 'member@example.com');
    guestToken = await newCustomer(t, 'prices', 'someone@example.com');
    const group = await admin('POST', '/api/admin/customer-groups', { code: 'vip', name: { en: 'Members', 'zh-CN': '会员' } });
    expect(group.statusCode, group.body).toBe(201);
    members = group.json().id;
    const added = await admin('POST', `/api/admin/customer-groups/${members}/members`, { emails: ['MEMBER@example.com'] });
    expect(added.json()).toEqual({ added: 1 });
  });
  afterAll(() => t?.close());

  it('charges members their price (会员价), with quantity tiers, and records the catalog price on the order', async () => {
    const list = await admin('POST', '/api/admin/price-lists', {
      name: 'Member prices',
      groupId: members,
      currency: 'CNY',
      prices: [
        { variantId: shop.variants.TEA, amount: 9000 },
        { variantId: shop.variants.TEA, minQuantity: 3, amount: 8000 },
      ],
    });
    expect(list.statusCode, list.body).toBe(201);

    const memberCart = await cartWith(t, 'prices', memberToken, [{ variantId: shop.variants.TEA!, quantity: 1 }]);
    expect(await unitPriceIn(memberToken, memberCart)).toMatchObject({ unitPrice: 9000, listPrice: 10_000, priceListId: list.json().id });
    const guestCart = await cartWith(t, 'prices', guestToken, [{ variantId: shop.variants.TEA!, quantity: 1 }]);
    expect(await unitPriceIn(guestToken, guestCart)).toMatchObject({ unitPrice: 10_000, listPrice: null, priceListId: null });

    const tier = await t.request({ method: 'PATCH', url: `/api/store/carts/${memberCart}/lines/${shop.variants.TEA}`, headers: as('prices', memberToken), payload: { quantity: 3 } });
    expect(tier.json()).toMatchObject({ subtotal: 24_000, lines: [{ unitPrice: 8000 }] });

    const placed = await t.request({
      method: 'POST',
      url: `/api/store/carts/${memberCart}/checkout`,
      headers: { ...as('prices', memberToken), 'idempotency-key': 'member-key-1' },
      payload: { shippingAddress: ADDRESS },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json().order).toMatchObject({ subtotal: 24_000, total: 24_000, lines: [{ unitPrice: 8000, listPrice: 10_000, total: 24_000 }] });

    // The storefront's price display: members see theirs, with the catalog price to strike through.
    const shown = await t.request({ method: 'GET', url: `/api/store/prices?variantIds=${shop.variants.TEA},${shop.variants.CUP}`, headers: as('prices', memberToken) });
    expect(shown.json().items).toEqual(
      expect.arrayContaining([
        { variantId: shop.variants.TEA, amount: 9000, listPrice: 10_000, compareAt: 10_000, priceListId: list.json().id },
        { variantId: shop.variants.CUP, amount: 2000, listPrice: null, compareAt: null, priceListId: null },
      ]),
    );
    const anonymous = await t.request({ method: 'GET', url: `/api/store/prices?variantIds=${shop.variants.TEA}`, headers: as('prices') });
    expect(anonymous.json().items).toEqual([{ variantId: shop.variants.TEA, amount: 10_000, listPrice: null, compareAt: null, priceListId: null }]);
    // Product cards: the member's "from" price per product, only where a list makes it lower.
    const cards = await t.request({ method: 'GET', url: `/api/store/prices/products?productIds=${shop.products.TEA},${shop.products.CUP}`, headers: as('prices', memberToken) });
    expect(cards.json().items).toEqual([{ productId: shop.products.TEA, amount: 9000, compareAt: 10_000 }]);
    const guestCards = await t.request({ method: 'GET', url: `/api/store/prices/products?productIds=${shop.products.TEA}`, headers: as('prices') });
    expect(guestCards.json().items).toEqual([]);
  });

  it('applies a scheduled sale to everyone inside its window only, the lowest price winning', async () => {
    const sale = await admin('POST', '/api/admin/price-lists', {
      name: 'Double 12',
      currency: 'CNY',
      startsAt: '2026-12-12T00:00:00+08:00',
      endsAt: '2026-12-13T00:00:00+08:00',
      prices: [{ variantId: shop.variants.CUP, amount: 1500, compareAt: 2500 }, { variantId: shop.variants.TEA, amount: 9500 }],
    });
    expect(sale.statusCode, sale.body).toBe(201);
    const cartId = await cartWith(t, 'prices', guestToken, [{ variantId: shop.variants.CUP!, quantity: 1 }]);
    expect((await unitPriceIn(guestToken, cartId)).unitPrice).toBe(2000);

    setClock(new Date('2026-12-12T08:00:00+08:00'));
    expect((await unitPriceIn(guestToken, cartId)).unitPrice).toBe(1500);
    const shown = await t.request({ method: 'GET', url: `/api/store/prices?variantIds=${shop.variants.CUP},${shop.variants.TEA}`, headers: as('prices', memberToken) });
    const byVariant = Object.fromEntries(shown.json().items.map((item: Json) => [item.variantId, item]));
    expect(byVariant[shop.variants.CUP!]).toMatchObject({ amount: 1500, compareAt: 2500 });
    // The member's 9000 beats the sale's 9500.
    expect(byVariant[shop.variants.TEA!]).toMatchObject({ amount: 9000 });

    setClock(new Date('2026-12-13T00:00:00+08:00'));
    expect((await unitPriceIn(guestToken, cartId)).unitPrice).toBe(2000);
    setClock(new Date('2026-12-01T00:00:00Z'));
  });

  it('refuses overlapping lists and bad prices with clear codes, writing nothing', async () => {
    const overlap = await admin('POST', '/api/admin/price-lists', {
      name: 'Another member list',
      groupId: members,
      currency: 'CNY',
      startsAt: '2027-01-01T00:00:00Z',
      prices: [{ variantId: shop.variants.TEA, amount: 8500 }],
    });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json()).toMatchObject({ code: 'price_list_overlap' });
    expect(overlap.json().detail).toContain('Member prices');

    // Another window, another tier, or disabled: no overlap.
    const nextYear = await admin('POST', '/api/admin/price-lists', {
      name: 'Sale 2027',
      currency: 'CNY',
      startsAt: '2027-01-01T00:00:00Z',
      endsAt: '2027-01-02T00:00:00Z',
      prices: [{ variantId: shop.variants.CUP, amount: 1000 }],
    });
    expect(nextYear.statusCode, nextYear.body).toBe(201);
    const reopened = await admin('PATCH', `/api/admin/price-lists/${nextYear.json().id}`, { startsAt: '2026-12-12T12:00:00Z' });
    expect(reopened.statusCode).toBe(409);
    expect(reopened.json().code).toBe('price_list_overlap');

    const other = await t.createPlatform('prices-other');
    const otherProduct = await t.request({
      method: 'POST',
      url: '/api/admin/products',
      headers: as('prices-other', other.ownerToken),
      payload: { title: { en: 'X' }, variants: [{ sku: 'X-1', prices: [{ currency: 'CNY', amount: 1 }] }] },
    });
    const theirVariant = otherProduct.json().variants[0].id;
    const bad: [Json, number, string][] = [
      [{ name: 'n', currency: 'CNY', prices: [{ variantId: shop.variants.CUP, amount: -1 }] }, 400, 'validation_failed'],
      [{ name: 'n', currency: 'CNY', prices: [{ variantId: shop.variants.CUP, amount: 9.99 }] }, 400, 'validation_failed'],
      [{ name: 'n', currency: 'CNY', prices: [{ variantId: theirVariant, amount: 1 }] }, 422, 'variant_not_found'],
      [{ name: 'n', currency: 'EUR', prices: [] }, 400, 'unsupported_currency'],
      [{ name: 'n', currency: 'CNY', groupId: 'cgr_00000000000000000000000000', prices: [] }, 422, 'customer_group_not_found'],
      [{ name: 'n', currency: 'CNY', startsAt: '2027-02-02T00:00:00Z', endsAt: '2027-02-01T00:00:00Z', prices: [] }, 400, 'invalid_window'],
      [{ name: 'n', currency: 'CNY', prices: [{ variantId: shop.variants.CUP, amount: 1 }, { variantId: shop.variants.CUP, amount: 2 }] }, 400, 'duplicate_price'],
    ];
    const before = (await admin('GET', '/api/admin/price-lists')).json().items.length;
    for (const [body, status, code] of bad) {
      const refused = await admin('POST', '/api/admin/price-lists', body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(status);
      expect(refused.json().code).toBe(code);
    }
    expect((await admin('GET', '/api/admin/price-lists')).json().items.length).toBe(before);
    const unknownMember = await admin('POST', `/api/admin/customer-groups/${members}/members`, { emails: ['nobody@example.com'] });
    expect(unknownMember.json().code).toBe('customer_not_found');
    expect((await admin('POST', '/api/admin/customer-groups', { code: 'vip', name: { en: 'Again' } })).json().code).toBe('group_code_taken');

    // Another platform sees none of it and can touch none of it.
    const theirs = (method: string, url: string, payload?: unknown) => t.request({ method: method as 'GET', url, headers: as('prices-other', other.ownerToken), ...(payload ? { payload } : {}) });
    expect((await theirs('GET', '/api/admin/price-lists')).json().items).toEqual([]);
    expect((await theirs('GET', '/api/admin/customer-groups')).json().items).toEqual([]);
    expect((await theirs('PATCH', `/api/admin/price-lists/${nextYear.json().id}`, { name: 'mine' })).statusCode).toBe(404);
    expect((await theirs('GET', `/api/admin/customer-groups/${members}/members`)).statusCode).toBe(404);
  });
});
