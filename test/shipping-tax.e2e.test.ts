import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, cartWith, newCustomer, pay } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

type Json = Record<string, any>;

const BEIJING = { ...ADDRESS, province: '北京市', city: '北京市', district: '朝阳区' };
const HANGZHOU = { ...ADDRESS, province: 'Zhejiang', city: 'Hangzhou' };
const NEW_YORK = { ...ADDRESS, country: 'US', province: 'NY', city: 'New York', postalCode: '10001' };
// A unified social credit code with a correct check character.
const COMPANY_TAX_ID = '91350100M000100Y43';

/** The tax of a line of `amount` at `bp` when prices include it, rounded half up (tax-rules.ts). */
const inclusiveTax = (amount: number, bp: number) => Math.floor((2 * amount * bp + (10_000 + bp)) / (2 * (10_000 + bp)));

describe.each(await databaseKinds())('shipping and tax on %s', (kind) => {
  let t: TestApp;
  let shop: { slug: string; ownerToken: string; id: string };
  const variants: Record<string, string> = {};
  const methods: Record<string, string> = {};
  const admin = (method: string, url: string, payload?: unknown) => t.request({ method: method as 'GET', url, headers: as('ship', shop.ownerToken), ...(payload ? { payload } : {}) });
  const preview = (token: string, cartId: string, body: Json) => t.request({ method: 'POST', url: `/api/store/carts/${cartId}/checkout-preview`, headers: as('ship', token), payload: body });
  const placeOrder = (token: string, cartId: string, key: string, body: Json) =>
    t.request({ method: 'POST', url: `/api/store/carts/${cartId}/checkout`, headers: { ...as('ship', token), 'idempotency-key': key }, payload: body });

  async function product(sku: string, price: number, fields: Json = {}) {
    const created = await admin('POST', '/api/admin/products', {
      title: { en: sku },
      status: 'active',
      variants: [{ sku, prices: [{ currency: 'CNY', amount: price }], weightGrams: fields.weightGrams ?? 0 }],
      ...(fields.shippingProfile ? { shippingProfile: fields.shippingProfile } : {}),
      ...(fields.taxClass ? { taxClass: fields.taxClass } : {}),
    });
    expect(created.statusCode, created.body).toBe(201);
    variants[sku] = created.json().variants[0].id;
    const stocked = await admin('POST', '/api/admin/inventory/adjustments', { variantId: variants[sku], delta: 100, reason: 'opening stock' });
    expect(stocked.statusCode).toBe(201);
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    shop = await t.createPlatform('ship', { quotas: { requestsPerSecond: 100_000, products: 1000 } });
    expect((await admin('POST', '/api/admin/shipping/profiles', { code: 'bulky', name: { en: 'Bulky', 'zh-CN': '大件' } })).statusCode).toBe(201);
    expect((await admin('POST', '/api/admin/shipping/profiles', { code: 'digital', name: { en: 'Digital' }, requiresShipping: false })).statusCode).toBe(201);
    expect((await admin('POST', '/api/admin/shipping/profiles', { code: 'digital', name: { en: 'Again' } })).json().code).toBe('shipping_profile_exists');

    const china = await admin('POST', '/api/admin/shipping/zones', { name: 'China', regions: [{ country: 'CN' }] });
    expect(china.statusCode, china.body).toBe(201);
    const standard = await admin('POST', `/api/admin/shipping/zones/${china.json().id}/methods`, {
      name: { en: 'Standard', 'zh-CN': '标准快递' },
      kind: 'standard',
      currency: 'CNY',
      rate: { type: 'weight', firstGrams: 1000, firstAmount: 800, stepGrams: 1000, stepAmount: 400 },
      freeOver: 20_000,
      surcharges: { bulky: 1500 },
      minDays: 2,
      maxDays: 4,
    });
    expect(standard.statusCode, standard.body).toBe(201);
    methods.standard = standard.json().id;
    const sf = await admin('POST', `/api/admin/shipping/zones/${china.json().id}/methods`, {
      name: { en: 'SF Express', 'zh-CN': '顺丰' },
      kind: 'carrier',
      carrier: 'sf',
      currency: 'CNY',
      rate: { type: 'flat', amount: 1800 },
      profiles: ['general'],
      minDays: 1,
      maxDays: 2,
      position: 1,
    });
    methods.sf = sf.json().id;

    const zhejiang = await admin('POST', '/api/admin/shipping/zones', { name: 'Zhejiang', regions: [{ country: 'CN', province: '浙江省' }] });
    expect(zhejiang.statusCode).toBe(201);
    const local = await admin('POST', `/api/admin/shipping/zones/${zhejiang.json().id}/methods`, {
      name: { en: 'Same province' },
      kind: 'standard',
      currency: 'CNY',
      rate: { type: 'item_count', firstAmount: 500, additionalAmount: 100 },
      minDays: 1,
      maxDays: 1,
    });
    methods.local = local.json().id;

    expect((await admin('POST', '/api/admin/tax/rates', { country: 'CN', rateBp: 1300, name: 'VAT 13%' })).statusCode).toBe(201);
    expect((await admin('POST', '/api/admin/tax/rates', { country: 'CN', taxClass: 'reduced', rateBp: 900, name: 'VAT 9%' })).statusCode).toBe(201);
    expect((await admin('POST', '/api/admin/tax/rates', { country: 'CN', taxClass: 'shipping', rateBp: 900, name: 'VAT 9% (freight)' })).statusCode).toBe(201);

    await product('TEE', 7900, { weightGrams: 300 });
    await product('TEA', 5800, { weightGrams: 550, taxClass: 'reduced' });
    await product('SOFA', 99_900, { weightGrams: 30_000, shippingProfile: 'bulky' });
    await product('EBOOK', 1200, { shippingProfile: 'digital' });
  });
  afterAll(() => t?.close());

  it('shows the methods of the most specific zone with their prices and delivery estimates', async () => {
    const token = await newCustomer(t, 'ship', 'options@example.com');
    const cartId = await cartWith(t, 'ship', token, [{ variantId: variants.TEA!, quantity: 3 }]);

    const beijing = await preview(token, cartId, { shippingAddress: BEIJING });
    expect(beijing.statusCode, beijing.body).toBe(200);
    // 3 × 550 g = 1650 g: the first kilogram and one started kilogram more.
    expect(beijing.json().shippingOptions.map((o: Json) => [o.id, o.amount, o.minDays, o.maxDays])).toEqual([
      [methods.standard, 1200, 2, 4],
      [methods.sf, 1800, 1, 2],
    ]);
    expect(beijing.json()).toMatchObject({ shippingRequired: true, shippingTotal: 1200, subtotal: 17_400, total: 18_600, taxCalculated: true, pricesIncludeTax: true });
    expect(beijing.json().shippingMethod).toMatchObject({ id: methods.standard, free: false });

    // 浙江省 written as "Zhejiang": the province zone wins over the country's.
    const hangzhou = await preview(token, cartId, { shippingAddress: HANGZHOU });
    expect(hangzhou.json().shippingOptions.map((o: Json) => [o.id, o.amount])).toEqual([[methods.local, 700]]);
  });

  it('charges the chosen method, taxes every line by its class, and stores what was charged', async () => {
    const token = await newCustomer(t, 'ship', 'charged@example.com');
    const cartId = await cartWith(t, 'ship', token, [{ variantId: variants.TEE!, quantity: 1 }, { variantId: variants.TEA!, quantity: 2 }]);
    const placed = await placeOrder(token, cartId, 'charged-key-1', { shippingAddress: BEIJING, shippingMethodId: methods.sf });
    expect(placed.statusCode, placed.body).toBe(201);
    const order = placed.json().order;
    const lineTaxes = [inclusiveTax(7900, 1300), inclusiveTax(11_600, 900)];
    expect(order).toMatchObject({
      subtotal: 19_500,
      shippingTotal: 1800,
      shippingMethod: { id: methods.sf, carrier: 'sf', kind: 'carrier', minDays: 1, maxDays: 2, free: false },
      shippingTax: inclusiveTax(1800, 900),
      taxTotal: lineTaxes[0]! + lineTaxes[1]! + inclusiveTax(1800, 900),
      pricesIncludeTax: true,
      total: 21_300,
    });
    expect(order.lines.map((line: Json) => [line.sku, line.taxClass, line.taxRateBp, line.tax])).toEqual([
      ['TEE', 'standard', 1300, lineTaxes[0]],
      ['TEA', 'reduced', 900, lineTaxes[1]],
    ]);
    // As read back: the same figures.
    const read = await t.request({ method: 'GET', url: `/api/store/orders/${order.id}`, headers: as('ship', token) });
    expect(read.json()).toMatchObject({ shippingTotal: 1800, taxTotal: order.taxTotal, shippingMethod: { id: methods.sf } });
    expect(read.json().lines.map((line: Json) => line.tax)).toEqual(lineTaxes);
    expect(placed.json().payment.amount).toBe(21_300);
  });

  it('ships free over the threshold (满额包邮), but a bulky surcharge stays', async () => {
    const token = await newCustomer(t, 'ship', 'free@example.com');
    const cartId = await cartWith(t, 'ship', token, [{ variantId: variants.TEE!, quantity: 3 }]);
    const free = await preview(token, cartId, { shippingAddress: BEIJING, shippingMethodId: methods.standard });
    expect(free.json()).toMatchObject({ subtotal: 23_700, shippingTotal: 0, shippingMethod: { free: true }, total: 23_700 });

    const sofa = await cartWith(t, 'ship', token, [{ variantId: variants.SOFA!, quantity: 1 }]);
    const bulky = await preview(token, sofa, { shippingAddress: BEIJING });
    // SF carries general goods only; standard is free over 200 yuan, the sofa's surcharge is not.
    expect(bulky.json().shippingOptions.map((o: Json) => [o.id, o.amount, o.free])).toEqual([[methods.standard, 1500, true]]);
    const refused = await placeOrder(token, sofa, 'bulky-by-sf-key', { shippingAddress: BEIJING, shippingMethodId: methods.sf });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'shipping_method_unavailable' });
    expect(refused.json().detail).toContain('bulky');
  });

  it('takes no method and charges no shipping for goods that are not shipped', async () => {
    const token = await newCustomer(t, 'ship', 'digital@example.com');
    const cartId = await cartWith(t, 'ship', token, [{ variantId: variants.EBOOK!, quantity: 1 }]);
    const placed = await placeOrder(token, cartId, 'digital-key-1', { shippingAddress: NEW_YORK });
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json().order).toMatchObject({ shippingTotal: 0, shippingMethod: null, taxTotal: 0, total: 1200 });
  });

  it('refuses a method the address cannot have, a missing method and an address outside every zone, writing nothing', async () => {
    const token = await newCustomer(t, 'ship', 'refused@example.com');
    const cartId = await cartWith(t, 'ship', token, [{ variantId: variants.TEE!, quantity: 1 }]);
    const attempts: [Json, string][] = [
      [{ shippingAddress: BEIJING, shippingMethodId: methods.local }, 'shipping_method_unavailable'],
      [{ shippingAddress: BEIJING }, 'shipping_method_required'],
      [{ shippingAddress: NEW_YORK, shippingMethodId: methods.standard }, 'shipping_unavailable'],
      [{ shippingAddress: BEIJING, shippingMethodId: 'shm_00000000000000000000000000' }, 'shipping_method_unavailable'],
    ];
    for (const [index, [body, code]] of attempts.entries()) {
      const refused = await placeOrder(token, cartId, `refused-key-${index}`, body);
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json().code).toBe(code);
    }
    const outside = await preview(token, cartId, { shippingAddress: NEW_YORK });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().code).toBe('shipping_unavailable');
    const orders = await t.request({ method: 'GET', url: '/api/store/orders', headers: as('ship', token) });
    expect(orders.json().items).toEqual([]);
    const cart = await t.request({ method: 'GET', url: `/api/store/carts/${cartId}`, headers: as('ship', token) });
    expect(cart.json().status).toBe('active');

    // The same key with another method is another request.
    expect((await placeOrder(token, cartId, 'method-key', { shippingAddress: BEIJING, shippingMethodId: methods.standard })).statusCode).toBe(201);
    const reused = await placeOrder(token, cartId, 'method-key', { shippingAddress: BEIJING, shippingMethodId: methods.sf });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().code).toBe('idempotency_key_reused');
  });

  it('refuses bad rates, zones and tax rates with clear codes', async () => {
    const zones = (await admin('GET', '/api/admin/shipping/zones')).json().items as Json[];
    const zoneId = zones[0]!.id;
    const base = { name: { en: 'X' }, kind: 'standard', currency: 'CNY', minDays: 1, maxDays: 2 };
    const bad: [Json, number, string][] = [
      [{ ...base, rate: { type: 'flat', amount: -1 } }, 400, 'validation_failed'],
      [{ ...base, rate: { type: 'flat', amount: 1.5 } }, 400, 'validation_failed'],
      [{ ...base, rate: { type: 'weight', firstGrams: 0, firstAmount: 1, stepGrams: 1, stepAmount: 1 } }, 400, 'validation_failed'],
      [{ ...base, rate: { type: 'flat', amount: 1 }, maxDays: 0 }, 400, 'validation_failed'],
      [{ ...base, rate: { type: 'flat', amount: 1 }, kind: 'carrier' }, 400, 'validation_failed'],
      [{ ...base, rate: { type: 'flat', amount: 1 }, currency: 'EUR' }, 400, 'unsupported_currency'],
      [{ ...base, rate: { type: 'flat', amount: 1 }, profiles: ['fragile'] }, 422, 'shipping_profile_not_found'],
    ];
    for (const [body, status, code] of bad) {
      const refused = await admin('POST', `/api/admin/shipping/zones/${zoneId}/methods`, body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(status);
      expect(refused.json().code).toBe(code);
    }
    const taken = await admin('POST', '/api/admin/shipping/zones', { name: 'Again', regions: [{ country: 'CN', province: 'Zhejiang Province' }] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('zone_region_taken');
    const twice = await admin('POST', '/api/admin/tax/rates', { country: 'CN', rateBp: 600, name: 'again' });
    expect(twice.json().code).toBe('tax_rate_exists');
    expect((await admin('POST', '/api/admin/tax/rates', { country: 'CN', rateBp: 10_001, name: 'too much' })).statusCode).toBe(400);
    const unknownProfile = await admin('POST', '/api/admin/products', { title: { en: 'X' }, shippingProfile: 'fragile', variants: [{ sku: 'X-1', prices: [{ currency: 'CNY', amount: 1 }] }] });
    expect(unknownProfile.statusCode).toBe(422);
    expect(unknownProfile.json().code).toBe('shipping_profile_not_found');
    const inUse = await admin('DELETE', '/api/admin/shipping/profiles/bulky');
    expect(inUse.json().code).toBe('shipping_profile_in_use');
    const count = await t.db.withTenant(shop.id, (tx) => sql<{ n: number }>`select count(*)::int as n from shipping_methods`.execute(tx));
    expect(count.rows[0]!.n).toBe(3);
  });

  it("keeps one platform's shipping and tax out of another's", async () => {
    const other = await t.createPlatform('ship-other');
    const theirs = (method: string, url: string, payload?: unknown) => t.request({ method: method as 'GET', url, headers: as('ship-other', other.ownerToken), ...(payload ? { payload } : {}) });
    expect((await theirs('GET', '/api/admin/shipping/zones')).json().items).toEqual([]);
    expect((await theirs('GET', '/api/admin/tax/rates')).json().items).toEqual([]);
    expect((await theirs('PATCH', `/api/admin/shipping/methods/${methods.sf}`, { minDays: 0 })).statusCode).toBe(404);
    expect((await theirs('DELETE', `/api/admin/shipping/methods/${methods.sf}`)).statusCode).toBe(404);
    // The same region may be a zone on each platform.
    expect((await theirs('POST', '/api/admin/shipping/zones', { name: 'CN', regions: [{ country: 'CN' }] })).statusCode).toBe(201);
  });

  it('adds tax on top when the platform prices without it', async () => {
    const net = await t.createPlatform('ship-net', { tax: { pricesIncludeTax: false } });
    const staff = (method: string, url: string, payload?: unknown) => t.request({ method: method as 'GET', url, headers: as('ship-net', net.ownerToken), ...(payload ? { payload } : {}) });
    await staff('POST', '/api/admin/tax/rates', { country: 'CN', rateBp: 600, name: 'VAT 6%' });
    await staff('POST', '/api/admin/tax/rates', { country: 'CN', province: '浙江', rateBp: 700, name: 'Zhejiang 7%' });
    const created = await staff('POST', '/api/admin/products', { title: { en: 'Net' }, status: 'active', variants: [{ sku: 'NET-1', prices: [{ currency: 'CNY', amount: 3333 }] }] });
    const variantId = created.json().variants[0].id;
    await staff('POST', '/api/admin/inventory/adjustments', { variantId, delta: 10, reason: 'stock' });
    const token = await newCustomer(t, 'ship-net', 'net@example.com');
    const cartId = await cartWith(t, 'ship-net', token, [{ variantId, quantity: 3 }]);
    const placed = await t.request({ method: 'POST', url: `/api/store/carts/${cartId}/checkout`, headers: { ...as('ship-net', token), 'idempotency-key': 'net-key-1' }, payload: { shippingAddress: HANGZHOU } });
    expect(placed.statusCode, placed.body).toBe(201);
    // 9999 × 7 % = 699.93 → 700; the province's own rate over the country's.
    expect(placed.json().order).toMatchObject({ subtotal: 9999, taxTotal: 700, total: 10_699, pricesIncludeTax: false, lines: [{ taxRateBp: 700, tax: 700 }] });
    // Beijing is taxed at the country's 6 %: the order would be charged differently there.
    const moved = await staff('PATCH', `/api/admin/orders/${placed.json().order.id}/shipping-address`, { shippingAddress: BEIJING });
    expect(moved.statusCode).toBe(409);
    expect(moved.json().code).toBe('address_changes_tax');
  });

  it('records invoice requests at checkout for staff to list, export and mark issued; reports tax per period', async () => {
    const token = await newCustomer(t, 'ship', 'invoice@example.com');
    const cartId = await cartWith(t, 'ship', token, [{ variantId: variants.TEE!, quantity: 1 }]);
    const badTaxId = await placeOrder(token, cartId, 'invoice-key-0', {
      shippingAddress: BEIJING,
      shippingMethodId: methods.standard,
      invoice: { titleType: 'company', title: '杭州某某科技有限公司', taxId: '91350100M000100Y44' },
    });
    expect(badTaxId.statusCode).toBe(400);
    const noTaxId = await placeOrder(token, cartId, 'invoice-key-0', { shippingAddress: BEIJING, shippingMethodId: methods.standard, invoice: { titleType: 'company', title: 'X' } });
    expect(noTaxId.statusCode).toBe(400);

    const invoice = { titleType: 'company', title: '=HYPERLINK("x") 杭州某某科技有限公司', taxId: COMPANY_TAX_ID.toLowerCase(), email: 'ap@example.com' };
    const placed = await placeOrder(token, cartId, 'invoice-key-1', { shippingAddress: BEIJING, shippingMethodId: methods.standard, invoice });
    expect(placed.statusCode, placed.body).toBe(201);
    const order = placed.json().order;
    expect(order.invoice).toEqual({ titleType: 'company', title: invoice.title, taxId: COMPANY_TAX_ID, email: 'ap@example.com', status: 'requested', invoiceNumber: null });
    expect((await pay(t, placed.json().payment)).json().webhook).toBe('applied');

    const listed = (await admin('GET', '/api/admin/invoices?status=requested')).json().items as Json[];
    expect(listed.map((row) => row.orderId)).toEqual([order.id]);
    const csv = await admin('GET', '/api/admin/invoices/export.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`${order.id},`);
    // A title a spreadsheet would run as a formula is defused.
    expect(csv.body).toContain(`"'=HYPERLINK(""x"") 杭州某某科技有限公司"`);

    const issued = await admin('POST', `/api/admin/invoices/${order.id}/issue`, { invoiceNumber: 'INV-2026-0001' });
    expect(issued.json()).toMatchObject({ status: 'issued', invoiceNumber: 'INV-2026-0001' });
    expect((await admin('POST', `/api/admin/invoices/${order.id}/issue`, { invoiceNumber: 'INV-2026-0002' })).json().code).toBe('invoice_already_issued');
    const shown = await t.request({ method: 'GET', url: `/api/store/orders/${order.id}`, headers: as('ship', token) });
    expect(shown.json().invoice).toMatchObject({ status: 'issued', invoiceNumber: 'INV-2026-0001' });

    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const report = await admin('GET', `/api/admin/tax/report?from=${today}&to=${tomorrow}`);
    expect(report.statusCode, report.body).toBe(200);
    const rows = report.json().rows as Json[];
    expect(rows).toContainEqual({ currency: 'CNY', taxClass: 'standard', rateBp: 1300, orders: 1, netSales: 7900, tax: inclusiveTax(7900, 1300) });
    expect(rows).toContainEqual({ currency: 'CNY', taxClass: 'shipping', rateBp: 900, orders: 1, netSales: 800, tax: inclusiveTax(800, 900) });
    expect(report.json().totals).toEqual([{ currency: 'CNY', netSales: 8700, tax: inclusiveTax(7900, 1300) + inclusiveTax(800, 900) }]);
    expect((await admin('GET', `/api/admin/tax/report?from=${tomorrow}&to=${today}`)).json().code).toBe('invalid_period');
  });

  it('lets staff change the address before shipping, only where the order stays priced as charged', async () => {
    const token = await newCustomer(t, 'ship', 'moving@example.com');
    const cartId = await cartWith(t, 'ship', token, [{ variantId: variants.TEE!, quantity: 1 }]);
    const placed = await placeOrder(token, cartId, 'moving-key-1', { shippingAddress: BEIJING, shippingMethodId: methods.standard });
    const orderId = placed.json().order.id;
    const move = (address: Json) => admin('PATCH', `/api/admin/orders/${orderId}/shipping-address`, { shippingAddress: address });

    const shanghai = { ...ADDRESS, province: '上海市', city: '上海市', district: '黄浦区', line1: '南京东路 1 号' };
    const moved = await move(shanghai);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().shippingAddress).toMatchObject({ city: '上海市', line1: '南京东路 1 号' });
    const events = await t.db.withTenant(shop.id, (tx) => sql<{ payload: Json }>`select payload from outbox_events where type = 'order.address_changed' and aggregate_id = ${orderId}`.execute(tx));
    expect(events.rows[0]!.payload).toMatchObject({ from: { city: '北京市' }, to: { city: '上海市' } });

    // Zhejiang has a zone of its own, which the order's method does not serve.
    const outside = await move(HANGZHOU);
    expect(outside.statusCode).toBe(409);
    expect(outside.json().code).toBe('address_outside_shipping_zone');
    expect((await move({ ...shanghai, phone: 'not a phone' })).statusCode).toBe(400);

    // Once a parcel exists, the address is the parcel's.
    expect((await pay(t, placed.json().payment)).json().webhook).toBe('applied');
    const shipment = await admin('POST', `/api/admin/orders/${orderId}/shipments`, { carrier: 'sf', trackingNumber: 'SF1000000001' });
    expect(shipment.statusCode, shipment.body).toBe(201);
    const late = await move(BEIJING);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('order_not_editable');
    const shown = await t.request({ method: 'GET', url: `/api/store/orders/${orderId}`, headers: as('ship', token) });
    expect(shown.json().shippingAddress.city).toBe('上海市');

    const other = await t.createPlatform('ship-mover');
    const foreign = await t.request({ method: 'PATCH', url: `/api/admin/orders/${orderId}/shipping-address`, headers: as('ship-mover', other.ownerToken), payload: { shippingAddress: BEIJING } });
    expect(foreign.statusCode).toBe(404);
  });
});
