import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseKinds } from './support/databases.ts';
import { photoUpload, PNG } from './support/images.ts';
import { OPERATOR_TOKEN, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Hostile input at every route the OpenAPI document lists: malformed JSON, wrong types, huge
 * strings, unknown fields, SQL and script fragments, invalid UTF-8, out-of-range numbers, bad
 * path parameters, query strings and headers. Every answer must be a 4xx problem response,
 * never a 5xx, and not one row in any table may change.
 *
 * Routes are read from the app's own OpenAPI document, so a new route is fuzzed without
 * touching this file; only a route with a JSON body needs a valid body below (and a new kind of
 * path parameter a real value), and the suite says so when one is missing. Every case changes
 * one thing in an otherwise valid request. The valid requests are first sent as they are to a
 * twin platform and must be accepted there: so on the fuzzed platform the one change is all that
 * makes a request bad, and a refusal is a refusal of that change, not of something else.
 *
 * "Nothing is written" is checked by a row count and content digest of every table, taken
 * after each route's barrage, so a write is pinned to the route that made it.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type PathKey = string | number;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
  nullable?: boolean;
}

interface Operation {
  method: string;
  /** The OpenAPI path, with `{name}` placeholders. */
  path: string;
  route: string;
  pathParams: string[];
  query: Map<string, JsonSchema>;
  requiredQuery: string[];
  headerParams: Map<string, { schema: JsonSchema; required: boolean }>;
  body: JsonSchema | undefined;
}

interface Shop {
  slug: string;
  id: string;
  ownerEmail: string;
  ownerToken: string;
  /** A second owner session, for logout routes, so the main one survives a wrongly accepted logout. */
  spareOwnerToken: string;
  customerEmail: string;
  customerId: string;
  customerToken: string;
  spareCustomerToken: string;
  categoryId: string;
  productId: string;
  variantId: string;
  staffId: string;
  apiTokenId: string;
  couponId: string;
  attributeId: string;
  collectionId: string;
  /** An open cart with one line. */
  cartId: string;
  /** Paid through the sandbox. */
  paidOrderId: string;
  /** Awaiting payment, with an open sandbox session. */
  pendingOrderId: string;
  /** Paid, 50 units of one line, one of them in a shipment (created, not shipped): for the shipment routes. */
  shippingOrderId: string;
  /** Awaiting payment, nothing shipped: its address can change. */
  editableOrderId: string;
  shipmentId: string;
  /** The token of that session's hosted payment page. */
  payToken: string;
  /** A flash sale on now, and a purchase token for the shopper. */
  flashSaleId: string;
  purchaseToken: string;
  /** One address in the shopper's address book. */
  addressId: string;
  /** Unspent password-reset tokens of a second customer and of the clerk (a reset ends every session). */
  customerResetToken: string;
  staffResetToken: string;
  /** Shipping and tax: a profile, a zone of China with one method, a rate. */
  profileCode: string;
  zoneId: string;
  methodId: string;
  taxRateId: string;
  /** A customer group (the shopper in it) and a price list for it. */
  groupId: string;
  priceListId: string;
  /** A second buyer's pending review of the product, and its photo. */
  reviewId: string;
  fileId: string;
  giftCardId: string;
  /** That card's full code. */
  giftCardCode: string;
  /** Return requests of the shopper's delivered order: one requested, two approved and waiting for the parcel. */
  returnOrderId: string;
  returnId: string;
  returnToShipId: string;
  returnToReceiveId: string;
}

type Headers = Record<string, string | null>;

interface Attempt {
  label: string;
  method: string;
  url: string;
  /** null removes a header the base request has. */
  headers: Headers;
  payload?: string | Buffer;
  /** When set, the exact status required (e.g. 413); otherwise any 4xx. */
  status?: number;
}

interface Failure {
  route: string;
  label: string;
  status: number;
  body: string;
}

const OPERATOR = { authorization: `Bearer ${OPERATOR_TOKEN}` };
const JSON_TYPE = 'application/json';
const BODY_LIMIT = 1024 * 1024;
const HUGE = 'a'.repeat(100 * 1024);
const BATCH = 24;
const OWNER_PASSWORD = 'owner-password-123'; // what startTestApp().createPlatform sets
const CUSTOMER_PASSWORD = 'shopper-password-1';

const SQL_AND_SCRIPT = [
  "'; DROP TABLE products; --",
  "' OR 1=1 --",
  '" OR ""="',
  '1; SELECT pg_sleep(5) --',
  "%' UNION SELECT current_user, null --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(document.cookie)',
  '{{7*7}}',
  '${7*7}',
];

const NASTY_TEXT: [string, string][] = [
  ['NUL', 'a\u0000b'],
  ['lone high surrogate', 'a\ud800b'],
  ['lone low surrogate', '\udc00'],
  ['reversed surrogate pair', '\udc00\ud800'],
  ['BEL control char', 'bell\u0007'],
  ['ESC control sequence', '\u001b[2J'],
  ['DEL control char', 'del\u007f'],
];

const RAW = '__raw_json_value__';
const MARK = '__utf8_marker__';

// ---------------------------------------------------------------------------------------------
// Valid inputs. `u` makes every unique value (slugs, emails, codes, SKUs) unique per call, so a
// wrongly accepted request cannot hide the next one behind a 409.

const VALID_BODIES: Record<string, (shop: Shop, n: number, u: string) => JsonObject> = {
  'POST /api/operator/platforms': (_shop, _n, u) => ({
    slug: `fx-${u}`,
    name: 'Fixture platform',
    domains: [`fx-${u}.example.com`],
    defaultCurrency: 'CNY',
    currencies: ['USD'],
    defaultLocale: 'en',
    locales: ['zh-CN'],
    modules: ['catalog'],
    quotas: { requestsPerSecond: 10, products: 10 },
    theme: { primaryColor: '#000000', accentColor: '#ffffff', logoUrl: 'https://cdn.example.com/logo.png' },
    owner: { email: `boss@fx-${u}.test`, password: 'fixture-password-1', name: 'Boss' },
  }),
  'POST /api/payments/sandbox/pay/{token}/complete': () => ({ outcome: 'failed' }),
  'POST /api/store/auth/register': (_shop, n, u) => ({
    email: `new-${u}@example.com`,
    phone: `+86139${String(n).padStart(8, '0')}`,
    password: 'new-customer-pass',
    name: 'New Shopper',
  }),
  'POST /api/store/auth/login': (shop) => ({ email: shop.customerEmail, password: CUSTOMER_PASSWORD, cartId: shop.cartId }),
  'POST /api/store/carts': () => ({ currency: 'USD' }),
  'POST /api/store/carts/{id}/lines': (shop) => ({ variantId: shop.variantId, quantity: 2 }),
  'PATCH /api/store/carts/{id}/lines/{variantId}': () => ({ quantity: 3 }),
  'PUT /api/store/carts/{id}/coupon': () => ({ code: 'SETUP10' }),
  'POST /api/store/carts/{id}/checkout': (shop) => ({
    shippingAddress: {
      name: 'Wang Xiaoming',
      phone: '+86 138-0013-8000',
      country: 'CN',
      province: 'Zhejiang',
      city: 'Hangzhou',
      district: 'Xihu',
      line1: '100 Wensan Road',
      line2: 'Room 1',
      postalCode: '310000',
    },
    shippingMethodId: shop.methodId,
    invoice: { titleType: 'company', title: 'Fixture Ltd', taxId: '91350100M000100Y43', email: 'ap@example.com' },
  }),
  'POST /api/store/carts/{id}/checkout-preview': (shop) => ({
    shippingAddress: { country: 'CN', province: 'Zhejiang', city: 'Hangzhou' },
    shippingMethodId: shop.methodId,
  }),
  'POST /api/admin/auth/login': (shop) => ({ email: shop.ownerEmail, password: OWNER_PASSWORD }),
  'PATCH /api/store/account/profile': () => ({ name: 'Renamed Shopper' }),
  'POST /api/store/account/addresses': () => ({
    address: { name: 'Wang Xiaoming', phone: '+86 138-0013-8000', country: 'CN', province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu', line1: '100 Wensan Road', line2: 'Room 1', postalCode: '310000' },
  }),
  'PATCH /api/store/account/addresses/{id}': () => ({
    address: { name: 'Wang Office', phone: '+8613800138000', country: 'CN', city: 'Hangzhou', line1: '2 Office Road', postalCode: '310001' },
  }),
  // The password stays what it was, so that the twin's later logins still work; the change still
  // ends the twin's other sessions, which no valid request of this suite needs.
  'POST /api/store/me/password': () => ({ currentPassword: CUSTOMER_PASSWORD, newPassword: CUSTOMER_PASSWORD }),
  'POST /api/admin/me/password': () => ({ currentPassword: OWNER_PASSWORD, newPassword: OWNER_PASSWORD }),
  'POST /api/store/auth/password-reset': (shop) => ({ email: shop.customerEmail }),
  'POST /api/admin/auth/password-reset': (shop) => ({ email: shop.ownerEmail }),
  'POST /api/store/auth/password-reset/complete': (shop) => ({ token: shop.customerResetToken, newPassword: 'reset-password-1' }),
  'POST /api/admin/auth/password-reset/complete': (shop) => ({ token: shop.staffResetToken, newPassword: 'reset-password-1' }),
  'POST /api/admin/staff': (_shop, _n, u) => ({ email: `new-staff-${u}@example.com`, password: 'new-staff-pass', name: 'New Staff', role: 'viewer' }),
  'PATCH /api/admin/staff/{id}': () => ({ role: 'operator', status: 'active', name: 'Renamed Clerk' }),
  'POST /api/admin/api-tokens': () => ({ label: 'fixture token', expiresInDays: 30 }),
  'POST /api/admin/flash-sales': (shop) => flashSaleBody(shop.variantId),
  'POST /api/store/flash-sales/{id}/attempts': (shop) => ({
    token: shop.purchaseToken,
    shippingAddress: { name: 'Wang', phone: '+8613800138000', country: 'CN', city: 'Hangzhou', line1: '1 Flash Road' },
  }),
  'PATCH /api/admin/platform': () => ({ name: 'Twin Shop', theme: { primaryColor: '#112233', accentColor: '#445566' }, checkout: { paymentTimeoutMinutes: 20 } }),
  'POST /api/admin/products': (shop, _n, u) => ({
    slug: `fx-${u}`,
    title: { en: 'Fixture tea', 'zh-CN': '测试茶' },
    description: { en: 'A fixture.' },
    status: 'active',
    categoryId: shop.categoryId,
    options: [{ code: 'size', name: { en: 'Size' }, values: ['S', 'M'] }],
    images: [{ url: 'https://img.example.com/tea.png', alt: 'Tea' }],
    variants: [
      { sku: `FX-${u}-S`, optionValues: { size: 'S' }, prices: [{ currency: 'CNY', amount: 1000 }, { currency: 'USD', amount: 150 }] },
      { sku: `FX-${u}-M`, optionValues: { size: 'M' }, prices: [{ currency: 'CNY', amount: 1200 }] },
    ],
  }),
  'PATCH /api/admin/products/{id}': (shop) => ({
    slug: 'setup-product-renamed',
    title: { en: 'Renamed tea' },
    description: { en: 'Changed.' },
    status: 'active',
    categoryId: shop.categoryId,
    images: [{ url: '/static/tea.png', alt: 'Tea' }],
    variants: [{ sku: 'SETUP-1', prices: [{ currency: 'CNY', amount: 900 }] }],
  }),
  'POST /api/admin/categories': (shop, _n, u) => ({ slug: `fx-${u}`, name: { en: 'Fixture', 'zh-CN': '类目' }, parentId: shop.categoryId, position: 3 }),
  'PATCH /api/admin/categories/{id}': () => ({ name: { en: 'Renamed' }, parentId: null, position: 5 }),
  'POST /api/admin/inventory/adjustments': (shop) => ({ variantId: shop.variantId, delta: 5, reason: 'fixture count' }),
  'POST /api/admin/coupons': (shop, _n, u) => ({
    code: `FX-${u}`,
    kind: 'fixed',
    value: 100,
    currency: 'CNY',
    minSpend: 0,
    startsAt: '2020-01-01T00:00:00.000Z',
    endsAt: '2099-01-01T00:00:00.000Z',
    usageLimit: 10,
    perCustomerLimit: 1,
    productIds: [shop.productId],
    categoryIds: [shop.categoryId],
  }),
  'PATCH /api/admin/coupons/{id}': () => ({ status: 'active' }),
  'POST /api/admin/shipping/profiles': (_shop, _n, u) => ({ code: `fx-${u}`, name: { en: 'Bulky', 'zh-CN': '大件' } }),
  'PATCH /api/admin/shipping/profiles/{code}': () => ({ name: { en: 'Bulky goods' } }),
  'POST /api/admin/shipping/zones': (_shop, _n, u) => ({ name: 'Fixture zone', regions: [{ country: 'JP', city: u }] }),
  'PATCH /api/admin/shipping/zones/{id}': () => ({ name: 'Renamed zone' }),
  'POST /api/admin/shipping/zones/{id}/methods': () => ({
    name: { en: 'Fixture' },
    kind: 'carrier',
    carrier: 'sf',
    currency: 'CNY',
    rate: { type: 'weight', firstGrams: 1000, firstAmount: 800, stepGrams: 500, stepAmount: 200 },
    freeOver: 9900,
    profiles: ['general'],
    surcharges: { general: 0 },
    minDays: 1,
    maxDays: 3,
    status: 'active',
    position: 2,
  }),
  'PATCH /api/admin/shipping/methods/{id}': () => ({ minDays: 1, maxDays: 4 }),
  'POST /api/admin/tax/rates': (_shop, _n, u) => ({ country: 'JP', province: u, taxClass: 'standard', rateBp: 1000, name: 'Fixture rate' }),
  'PATCH /api/admin/tax/rates/{id}': () => ({ rateBp: 1300, name: 'VAT' }),
  'POST /api/admin/invoices/{orderId}/issue': () => ({ invoiceNumber: 'INV-0001' }),
  'POST /api/admin/customer-groups': (_shop, _n, u) => ({ code: `fx-${u}`, name: { en: 'Fixture group' } }),
  'POST /api/admin/customer-groups/{id}/members': (shop) => ({ customerIds: [shop.customerId], emails: [shop.customerEmail] }),
  'POST /api/admin/price-lists': (shop) => ({
    name: 'Fixture list',
    currency: 'CNY',
    status: 'disabled',
    startsAt: '2030-01-01T00:00:00.000Z',
    endsAt: '2030-02-01T00:00:00.000Z',
    prices: [{ variantId: shop.variantId, minQuantity: 2, amount: 400, compareAt: 600 }],
  }),
  'PATCH /api/admin/price-lists/{id}': () => ({ name: 'Renamed list' }),
  'POST /api/admin/attributes': (_shop, _n, u) => ({
    code: `fx_${u.replace(/[^a-z0-9]/g, '')}`.slice(0, 32),
    name: { en: 'Fixture', 'zh-CN': '属性' },
    kind: 'choice',
    choices: [{ value: 'a', name: { en: 'A' } }],
    position: 2,
  }),
  'PATCH /api/admin/attributes/{id}': () => ({ name: { en: 'Brand' }, choices: [{ value: 'setup', name: { en: 'Setup' } }, { value: 'b', name: { en: 'B' } }], position: 1 }),
  'POST /api/admin/collections': (shop, _n, u) => ({ slug: `fx-${u}`, title: { en: 'Fixture' }, description: { en: 'A fixture.' }, kind: 'manual', productIds: [shop.productId] }),
  'PATCH /api/admin/collections/{id}': (shop) => ({ title: { en: 'Renamed' }, description: { en: 'Changed.' }, productIds: [shop.productId] }),
  'POST /api/admin/gift-cards': () => ({ amount: 5000, currency: 'CNY', expiresAt: '2099-01-01T00:00:00.000Z', note: 'fixture card' }),
  'PATCH /api/admin/gift-cards/{id}': () => ({ status: 'active' }),
  'POST /api/admin/customers/{id}/store-credit': () => ({ amount: 100, currency: 'CNY', reason: 'fixture credit' }),
  'POST /api/admin/orders/{id}/fulfil': () => ({ trackingNumber: 'SF-1234567890' }),
  'POST /api/admin/orders/{id}/cancel': () => ({ reason: 'fixture cancel' }),
  'POST /api/admin/orders/{id}/refunds': () => ({ amount: 1, reason: 'fixture refund' }),
  'POST /api/store/products/{id}/reviews': () => ({ rating: 4, title: 'Fixture review', body: 'Tastes like a fixture.', photoIds: [] }),
  'POST /api/admin/reviews/{id}/reject': () => ({ reason: 'fixture reject' }),
  'POST /api/admin/orders/{id}/shipments': () => ({ carrier: 'sf', trackingNumber: 'SF1234567890', lines: [{ lineNo: 1, quantity: 1 }] }),
  'PATCH /api/admin/orders/{id}/shipping-address': () => ({
    shippingAddress: { name: 'Li Lei', phone: '+8613900139000', country: 'CN', province: 'Shanghai', city: 'Shanghai', line1: '1 Nanjing Road' },
  }),
  'POST /api/admin/orders/{id}/edits/preview': () => ({ lines: [{ lineNo: 1, quantity: 2 }] }),
  'POST /api/admin/orders/{id}/edits': () => ({ lines: [{ lineNo: 1, quantity: 2 }], reason: 'fixture edit' }),
  'PUT /api/admin/shipments/{id}/tracking': () => ({ carrier: 'jd', trackingNumber: 'JD0001234567' }),
  'POST /api/store/orders/{id}/returns': () => ({ type: 'refund_only', lines: [{ lineNo: 1, quantity: 1 }], reasonCode: 'damaged', reasonText: 'fixture', photoIds: [] }),
  'POST /api/store/returns/{id}/shipment': () => ({ carrier: 'sf', trackingNumber: 'SF-RET-0001' }),
  'POST /api/admin/returns/{id}/reject': () => ({ reason: 'fixture reject' }),
  'POST /api/admin/returns/{id}/receive': () => ({ lines: [{ lineNo: 1, restock: 1, writeOff: 0 }] }),
};

function validBody(shop: Shop, route: string, n: number): JsonObject | undefined {
  return VALID_BODIES[route]?.(shop, n, `${shop.slug}${n}`);
}

/** A real value for a path parameter, by the collection it follows. */
function realParam(shop: Shop, path: string, name: string): string | undefined {
  const collection = new RegExp(`/([^/]+)/\\{${name}\\}`).exec(path)?.[1];
  if (name === 'slug' && collection === 'platforms') return shop.slug;
  if (name === 'slug' && collection === 'collections') return 'setup-collection';
  if (name === 'value' && collection === 'brands') return 'setup';
  if (name === 'provider') return 'sandbox';
  if (name === 'token' && collection === 'pay') return shop.payToken;
  if (name === 'variantId') return shop.variantId;
  if (name === 'orderId') return shop.paidOrderId;
  if (name === 'customerId') return shop.customerId;
  if (name === 'code' && collection === 'profiles') return shop.profileCode;
  if (name === 'productId') return shop.productId;
  if (name !== 'id') return undefined;
  switch (collection) {
    case 'products':
      return shop.productId;
    case 'categories':
      return shop.categoryId;
    case 'staff':
      return shop.staffId;
    case 'api-tokens':
      return shop.apiTokenId;
    case 'carts':
      return shop.cartId;
    case 'coupons':
      return shop.couponId;
    case 'addresses':
      return shop.addressId;
    case 'attributes':
      return shop.attributeId;
    case 'collections':
      return shop.collectionId;
    case 'orders':
      if (/\/(shipments|shipment-proposal)$/.test(path)) return shop.shippingOrderId;
      if (/\/(shipping-address|edits|edits\/preview)$/.test(path)) return shop.editableOrderId;
      if (path.endsWith('/returns')) return shop.returnOrderId;
      return /\/(cancel|payments)$/.test(path) ? shop.pendingOrderId : shop.paidOrderId;
    case 'flash-sales':
      return shop.flashSaleId;
    case 'zones':
      return shop.zoneId;
    case 'methods':
      return shop.methodId;
    case 'rates':
      return shop.taxRateId;
    case 'customer-groups':
      return shop.groupId;
    case 'price-lists':
      return shop.priceListId;
    case 'reviews':
      return shop.reviewId;
    case 'files':
      return shop.fileId;
    case 'shipments':
      return shop.shipmentId;
    case 'gift-cards':
      return shop.giftCardId;
    case 'returns':
      if (path.endsWith('/shipment')) return shop.returnToShipId;
      return path.endsWith('/receive') ? shop.returnToReceiveId : shop.returnId;
    case 'customers':
      return shop.customerId;
    default:
      return undefined;
  }
}

function realQuery(shop: Shop, name: string): string | undefined {
  const values: Record<string, string> = {
    variantId: shop.variantId,
    variantIds: shop.variantId,
    productIds: shop.productId,
    from: '2026-01-01',
    to: '2026-12-31',
    code: shop.giftCardCode,
    email: shop.customerEmail,
  };
  return values[name];
}

function realHeader(shop: Shop, name: string, op?: Operation): string | undefined {
  // One key per route: checkout and flash attempts share the customer's key space, and a key
  // used for one request is refused for another.
  const route = (op?.path ?? '').replace(/[^a-z]/g, '').slice(-20);
  return name === 'idempotency-key' ? `bad-input-${shop.slug}-${route}-0001` : undefined;
}

// ---------------------------------------------------------------------------------------------
// The suite.

describe.each(await databaseKinds())('bad input on %s', (kind) => {
  let t: TestApp;
  let operations: Operation[];
  let fuzz: Shop;
  let twin: Shop;
  const needsAuth = new Set<string>();

  beforeAll(async () => {
    t = await startTestApp(kind);
    fuzz = await openShop(t, 'fuzz');
    twin = await openShop(t, 'twin');
    operations = await readOperations(t);
  });
  afterAll(() => t?.close());

  it('every route in the OpenAPI document is known, and each valid request is accepted on a twin platform', async () => {
    expect(operations.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const op of operations) {
      if (op.body && !VALID_BODIES[op.route]) problems.push(`${op.route}: add a valid body to VALID_BODIES`);
      if (!op.body && VALID_BODIES[op.route]) problems.push(`${op.route}: has a valid body but no JSON body in the OpenAPI document`);
      if (!['/api/operator/', '/api/payments/', '/api/admin/', '/api/store/'].some((prefix) => op.path.startsWith(prefix))) {
        problems.push(`${op.route}: unknown prefix; teach authHeaders() how to call it`);
      }
      for (const name of op.pathParams) {
        if (!realParam(twin, op.path, name)) problems.push(`${op.route}: no real value for {${name}}; extend realParam()`);
      }
      for (const name of op.requiredQuery) if (!realQuery(twin, name)) problems.push(`${op.route}: no real value for ?${name}; extend realQuery()`);
      for (const [name] of op.headerParams) if (!realHeader(twin, name)) problems.push(`${op.route}: no real value for header ${name}; extend realHeader()`);
    }
    expect(problems).toEqual([]);

    for (const op of operations) {
      if (!op.body) continue;
      const response = await send(t, { label: 'valid', ...baseAttempt(op, twin, 0) });
      expect(response.statusCode, `${op.route} with a valid body: ${response.body}`).toBeLessThan(300);
    }

    // Which routes refuse a request without a token: those get bad-token cases below.
    for (const op of operations) {
      const attempt = baseAttempt(op, twin, 0);
      const response = await send(t, { label: 'no token', ...attempt, headers: { ...attempt.headers, authorization: null } });
      expect(response.statusCode, `${op.route} without a token: ${response.body}`).toBeLessThan(500);
      if (response.statusCode === 401) needsAuth.add(op.route);
    }
    expect(needsAuth.size).toBeGreaterThan(20);
  });

  it('every route answers every bad input with a 4xx problem response and writes nothing', async () => {
    const first = await snapshot(t, fuzz.id);
    for (const table of ['tenants', 'customers', 'staff', 'sessions', 'categories', 'products', 'variants', 'variant_prices', 'orders', 'payments', 'carts', 'coupons']) {
      expect(first.get(table)?.rows, `the snapshot sees rows of ${table}`).toBeGreaterThan(0);
    }

    // Logout routes last, so a wrongly accepted logout cannot spoil the cases of other routes.
    const ordered = [...operations].sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
    const failures: Failure[] = [];
    const writes: string[] = [];
    let sent = 0;
    let before = first;
    const started = performance.now();

    for (const op of ordered) {
      const attempts = attemptsFor(op, fuzz, twin, needsAuth.has(op.route));
      const failedBefore = failures.length;
      for (let i = 0; i < attempts.length; i += BATCH) {
        const batch = attempts.slice(i, i + BATCH);
        const responses = await Promise.all(batch.map((attempt) => send(t, attempt)));
        responses.forEach((response, j) => {
          const failure = judge(op, batch[j]!, response);
          if (failure) failures.push(failure);
        });
      }
      sent += attempts.length;

      // A snapshot after every route says which route wrote, and whether it did so while
      // answering every request with a 4xx (the worst case: a write that claims it was refused).
      const after = await snapshot(t, fuzz.id);
      const changed = changedTables(before, after);
      if (changed.length > 0) {
        const accepted = failures.slice(failedBefore).filter((f) => f.status < 400).length;
        const how = accepted > 0 ? `after accepting ${accepted} bad requests` : 'although every answer was a refusal';
        writes.push(`${op.route} wrote ${how}: ${changed.join(', ')}`);
      }
      before = after;
    }

    process.stdout.write(
      `[bad-input ${kind}] ${sent} bad requests over ${operations.length} routes in ${Math.round(performance.now() - started)} ms\n`,
    );
    expect.soft(failures.map(describeFailure), `${failures.length} of ${sent} bad requests were not refused with a 4xx problem`).toEqual([]);
    expect(writes, 'routes that wrote while given only bad input').toEqual([]);
  });

  it('SQL and script fragments in free text are plain data: stored verbatim and searched harmlessly', async () => {
    const headers = { 'x-tenant': twin.slug, authorization: `Bearer ${twin.ownerToken}`, 'content-type': JSON_TYPE };
    for (const [i, fragment] of SQL_AND_SCRIPT.entries()) {
      const created = await send(t, {
        label: 'create',
        method: 'POST',
        url: '/api/admin/categories',
        headers,
        payload: JSON.stringify({ slug: `frag-${i}`, name: { en: fragment } }),
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().name.en).toBe(fragment);

      const renamed = await send(t, {
        label: 'rename',
        method: 'PATCH',
        url: `/api/admin/staff/${twin.staffId}`,
        headers,
        payload: JSON.stringify({ name: fragment }),
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json().name).toBe(fragment);

      for (const url of [
        `/api/store/products?q=${encodeURIComponent(fragment)}`,
        `/api/store/products?sort=relevance&q=${encodeURIComponent(fragment)}`,
        `/api/admin/products?q=${encodeURIComponent(fragment)}`,
        `/api/admin/orders?q=${encodeURIComponent(fragment)}`,
      ]) {
        const found = await send(t, { label: 'search', method: 'GET', url, headers });
        expect(found.statusCode, `${url}: ${found.body}`).toBe(200);
        // Nothing contains any fragment: an injected condition would match everything.
        expect(found.json().items, url).toEqual([]);
      }
    }
    const tree = await send(t, { label: 'tree', method: 'GET', url: '/api/store/categories?locale=en', headers: { 'x-tenant': twin.slug } });
    const names = JSON.stringify(tree.json());
    for (const fragment of SQL_AND_SCRIPT) expect(names).toContain(JSON.stringify(fragment).slice(1, -1));
    const tables = await snapshot(t, twin.id);
    expect(tables.get('products')?.rows).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Setup: a platform with one of everything, so every :id has a real value.

async function openShop(t: TestApp, slug: string): Promise<Shop> {
  const platform = await t.createPlatform(slug, { quotas: { requestsPerSecond: 1_000_000, products: 100 } });
  const ownerEmail = `owner@${slug}.test`;
  const customerEmail = `shopper@${slug}.test`;
  const admin: Headers = { 'x-tenant': slug, authorization: `Bearer ${platform.ownerToken}` };
  const call = async (method: string, url: string, payload: JsonObject, headers: Headers = admin) => {
    const response = await send(t, { label: 'setup', method, url, headers: { ...headers, 'content-type': JSON_TYPE }, payload: JSON.stringify(payload) });
    if (response.statusCode >= 300) throw new Error(`setup ${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };

  const registered = await call('POST', '/api/store/auth/register', { email: customerEmail, password: CUSTOMER_PASSWORD }, { 'x-tenant': slug });
  const customerToken = registered.session.token as string;
  const shopper: Headers = { 'x-tenant': slug, authorization: `Bearer ${customerToken}` };
  const spareCustomer = await call('POST', '/api/store/auth/login', { email: customerEmail, password: CUSTOMER_PASSWORD }, { 'x-tenant': slug });
  const spareOwner = await call('POST', '/api/admin/auth/login', { email: ownerEmail, password: OWNER_PASSWORD }, { 'x-tenant': slug });
  const category = await call('POST', '/api/admin/categories', { slug: 'setup-category', name: { en: 'Setup', 'zh-CN': '设置' } });
  const product = await call('POST', '/api/admin/products', {
    slug: 'setup-product',
    title: { en: 'Setup tea' },
    status: 'active',
    categoryId: category.id,
    variants: [{ sku: 'SETUP-1', prices: [{ currency: 'CNY', amount: 500 }, { currency: 'USD', amount: 80 }] }],
  });
  const variantId = product.variants[0].id as string;
  await call('POST', '/api/admin/inventory/adjustments', { variantId, delta: 1000, reason: 'opening stock' });
  const staff = await call('POST', '/api/admin/staff', { email: `clerk@${slug}.test`, password: 'clerk-password-1', role: 'viewer' });
  const token = await call('POST', '/api/admin/api-tokens', { label: 'setup token' });
  const coupon = await call('POST', '/api/admin/coupons', { code: 'SETUP10', kind: 'percentage', value: 1000 });
  const attribute = await call('POST', '/api/admin/attributes', { code: 'brand', name: { en: 'Brand' }, kind: 'choice', choices: [{ value: 'setup', name: { en: 'Setup' } }] });
  const collection = await call('POST', '/api/admin/collections', { slug: 'setup-collection', title: { en: 'Setup' }, kind: 'manual', productIds: [product.id] });
  const giftCard = await call('POST', '/api/admin/gift-cards', { amount: 1000 });

  const cartWithLine = async () => {
    const cart = await call('POST', '/api/store/carts', {}, shopper);
    await call('POST', `/api/store/carts/${cart.id}/lines`, { variantId, quantity: 1 }, shopper);
    return cart.id as string;
  };
  const address = { name: 'Setup', phone: '+8613800138000', country: 'CN', city: 'Hangzhou', line1: '1 Setup Road' };
  const placeOrder = async (key: string, extra: JsonObject = {}) =>
    call('POST', `/api/store/carts/${await cartWithLine()}/checkout`, { shippingAddress: address, ...extra }, { ...shopper, 'idempotency-key': key });

  const paid = await placeOrder(`setup-paid-${slug}`, { invoice: { titleType: 'personal', title: 'Setup' } });
  const tokenOf = (redirectUrl: string) => new URL(redirectUrl, 'http://x').pathname.split('/').pop()!;
  await call('POST', `/api/payments/sandbox/pay/${tokenOf(paid.payment.redirectUrl)}/complete`, { outcome: 'succeeded' }, {});
  const pending = await placeOrder(`setup-pending-${slug}`);
  const bigCart = await call('POST', '/api/store/carts', {}, shopper);
  await call('POST', `/api/store/carts/${bigCart.id}/lines`, { variantId, quantity: 50 }, shopper);
  const toShip = await call('POST', `/api/store/carts/${bigCart.id}/checkout`, { shippingAddress: address }, { ...shopper, 'idempotency-key': `setup-to-ship-${slug}` });
  await call('POST', `/api/payments/sandbox/pay/${tokenOf(toShip.payment.redirectUrl)}/complete`, { outcome: 'succeeded' }, {});
  const shipment = await call('POST', `/api/admin/orders/${toShip.order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF0000000001', lines: [{ lineNo: 1, quantity: 1 }] });
  const flashSale = await call('POST', '/api/admin/flash-sales', flashSaleBody(variantId));
  const purchase = await call('POST', `/api/store/flash-sales/${flashSale.id}/purchase-token`, {}, shopper);
  const forgetful = `forgetful@${slug}.test`;
  await call('POST', '/api/store/auth/register', { email: forgetful, password: CUSTOMER_PASSWORD }, { 'x-tenant': slug });
  const resetToken = async (url: string, email: string) => {
    await call('POST', url, { email }, { 'x-tenant': slug });
    const message = await vi.waitFor(() => t.notifications.find((n) => n.to.email === email) ?? Promise.reject(new Error(`no reset for ${email}`)));
    return /#token=(bzr_[A-Za-z0-9_-]+)/.exec(message.link)![1]!;
  };
  // Another buyer's review with a photo, so the moderation and file routes have real ids; the
  // shopper's own review is left to the valid request.
  const reviewer = await call('POST', '/api/store/auth/register', { email: `reviewer@${slug}.test`, password: CUSTOMER_PASSWORD }, { 'x-tenant': slug });
  const reviewerHeaders: Headers = { 'x-tenant': slug, authorization: `Bearer ${reviewer.session.token}` };
  const reviewerCart = await call('POST', '/api/store/carts', {}, reviewerHeaders);
  await call('POST', `/api/store/carts/${reviewerCart.id}/lines`, { variantId, quantity: 1 }, reviewerHeaders);
  const bought = await call('POST', `/api/store/carts/${reviewerCart.id}/checkout`, { shippingAddress: address }, { ...reviewerHeaders, 'idempotency-key': `setup-review-${slug}` });
  await call('POST', `/api/payments/sandbox/pay/${tokenOf(bought.payment.redirectUrl)}/complete`, { outcome: 'succeeded' }, {});
  const photo = photoUpload(PNG);
  const uploaded = await t.request({ method: 'POST', url: '/api/store/files', headers: { ...(reviewerHeaders as Record<string, string>), ...photo.headers }, payload: photo.payload });
  if (uploaded.statusCode !== 201) throw new Error(`setup upload: ${uploaded.statusCode} ${uploaded.body}`);
  const review = await call('POST', `/api/store/products/${product.id}/reviews`, { rating: 5, title: 'Setup review', body: 'Good.', photoIds: [uploaded.json().id] }, reviewerHeaders);
  const customerResetToken = await resetToken('/api/store/auth/password-reset', forgetful);
  const savedAddress = await call('POST', '/api/store/account/addresses', { address }, shopper);
  const staffResetToken = await resetToken('/api/admin/auth/password-reset', `clerk@${slug}.test`);

  // A delivered order of four units with three return requests (the fourth is the valid request's): one waits for a decision, two
  // were approved and wait for their parcel (one to be shipped back, one to be received).
  const returnCart = await call('POST', '/api/store/carts', {}, shopper);
  await call('POST', `/api/store/carts/${returnCart.id}/lines`, { variantId, quantity: 4 }, shopper);
  const toReturn = await call('POST', `/api/store/carts/${returnCart.id}/checkout`, { shippingAddress: address }, { ...shopper, 'idempotency-key': `setup-returns-${slug}` });
  await call('POST', `/api/payments/sandbox/pay/${tokenOf(toReturn.payment.redirectUrl)}/complete`, { outcome: 'succeeded' }, {});
  const returnParcel = await call('POST', `/api/admin/orders/${toReturn.order.id}/shipments`, { carrier: 'sf', trackingNumber: 'SF0000000002', shipped: true });
  const act = async (url: string) => {
    const response = await send(t, { label: 'setup', method: 'POST', url, headers: admin });
    if (response.statusCode >= 300) throw new Error(`setup POST ${url}: ${response.statusCode} ${response.body}`);
  };
  await act(`/api/admin/shipments/${returnParcel.id}/deliver`);
  const askReturn = () =>
    call('POST', `/api/store/orders/${toReturn.order.id}/returns`, { type: 'return_and_refund', lines: [{ lineNo: 1, quantity: 1 }], reasonCode: 'damaged' }, shopper);
  const [returnRequested, returnToShip, returnToReceive] = [await askReturn(), await askReturn(), await askReturn()];
  await act(`/api/admin/returns/${returnToShip.id}/approve`);
  await act(`/api/admin/returns/${returnToReceive.id}/approve`);

  // Shipping zones last: from now on a checkout to China needs a method.
  const profileCode = 'setup-bulky';
  await call('POST', '/api/admin/shipping/profiles', { code: profileCode, name: { en: 'Setup bulky' } });
  const zone = await call('POST', '/api/admin/shipping/zones', { name: 'China', regions: [{ country: 'CN' }] });
  const method = await call('POST', `/api/admin/shipping/zones/${zone.id}/methods`, {
    name: { en: 'Standard' }, kind: 'standard', currency: 'CNY', rate: { type: 'flat', amount: 800 }, minDays: 2, maxDays: 4,
  });
  const taxRate = await call('POST', '/api/admin/tax/rates', { country: 'CN', rateBp: 1300, name: 'VAT 13%' });
  const group = await call('POST', '/api/admin/customer-groups', { code: 'setup-members', name: { en: 'Members' } });
  const editable = await placeOrder(`setup-editable-${slug}`, { shippingMethodId: method.id });
  const priceList = await call('POST', '/api/admin/price-lists', { name: 'Setup members', groupId: group.id, currency: 'CNY', prices: [{ variantId, amount: 450 }] });

  return {
    slug,
    id: platform.id,
    ownerEmail,
    ownerToken: platform.ownerToken,
    spareOwnerToken: spareOwner.session.token,
    customerEmail,
    customerId: registered.customer.id,
    customerToken,
    spareCustomerToken: spareCustomer.session.token,
    categoryId: category.id,
    productId: product.id,
    variantId,
    staffId: staff.id,
    apiTokenId: token.id,
    couponId: coupon.id,
    attributeId: attribute.id,
    collectionId: collection.id,
    cartId: await cartWithLine(),
    paidOrderId: paid.order.id,
    pendingOrderId: pending.order.id,
    shippingOrderId: toShip.order.id,
    editableOrderId: editable.order.id,
    shipmentId: shipment.id,
    payToken: tokenOf(pending.payment.redirectUrl),
    flashSaleId: flashSale.id,
    purchaseToken: purchase.token,
    addressId: savedAddress.id,
    customerResetToken,
    staffResetToken,
    profileCode,
    zoneId: zone.id,
    methodId: method.id,
    taxRateId: taxRate.id,
    groupId: group.id,
    priceListId: priceList.id,
    reviewId: review.id,
    fileId: uploaded.json().id,
    giftCardId: giftCard.id,
    giftCardCode: giftCard.fullCode,
    returnOrderId: toReturn.order.id,
    returnId: returnRequested.id,
    returnToShipId: returnToShip.id,
    returnToReceiveId: returnToReceive.id,
  };
}

/** A sale on from a minute ago until tomorrow, with room for every valid attempt the suite makes. */
function flashSaleBody(variantId: string): JsonObject {
  return {
    variantId,
    price: 100,
    quantity: 50,
    perCustomerLimit: 50,
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    paymentMinutes: 5,
  };
}

async function readOperations(t: TestApp): Promise<Operation[]> {
  const response = await t.request({ method: 'GET', url: '/api/openapi.json' });
  expect(response.statusCode).toBe(200);
  type Parameter = { in: string; name: string; required?: boolean; schema: JsonSchema };
  const doc = response.json() as {
    paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>>;
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, spec] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = spec.parameters ?? [];
      const where = (place: string) => parameters.filter((p) => p.in === place);
      operations.push({
        method: method.toUpperCase(),
        path,
        route: `${method.toUpperCase()} ${path}`,
        pathParams: where('path').map((p) => p.name),
        query: new Map(where('query').map((p) => [p.name, p.schema])),
        requiredQuery: where('query').filter((p) => p.required).map((p) => p.name),
        headerParams: new Map(where('header').map((p) => [p.name.toLowerCase(), { schema: p.schema, required: p.required === true }])),
        body: spec.requestBody?.content?.[JSON_TYPE]?.schema,
      });
    }
  }
  return operations;
}

// ---------------------------------------------------------------------------------------------
// Requests.

function send(t: TestApp, attempt: Attempt): Promise<LightMyRequestResponse> {
  const headers = Object.fromEntries(Object.entries(attempt.headers).filter((entry): entry is [string, string] => entry[1] !== null));
  return t.request({
    method: attempt.method as 'GET',
    url: attempt.url,
    headers,
    ...(attempt.payload !== undefined ? { payload: attempt.payload } : {}),
  });
}

function tenantScoped(op: Operation): boolean {
  return op.path.startsWith('/api/store/') || op.path.startsWith('/api/admin/');
}

function authHeaders(op: Operation, shop: Shop): Headers {
  const logout = op.path.endsWith('/logout');
  if (op.path.startsWith('/api/operator/')) return { ...OPERATOR };
  if (op.path.startsWith('/api/admin/')) {
    return { 'x-tenant': shop.slug, authorization: `Bearer ${logout ? shop.spareOwnerToken : shop.ownerToken}` };
  }
  if (op.path.startsWith('/api/store/')) {
    return { 'x-tenant': shop.slug, authorization: `Bearer ${logout ? shop.spareCustomerToken : shop.customerToken}` };
  }
  return {}; // provider-facing routes: no platform, no token
}

function pathFor(op: Operation, shop: Shop, override: Record<string, string> = {}): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => override[name] ?? encodeURIComponent(realParam(shop, op.path, name) ?? name));
}

/** The valid query: required parameters with real values, minus `without`. */
function baseQuery(op: Operation, shop: Shop, without?: string): string[] {
  return op.requiredQuery.filter((name) => name !== without).map((name) => `${name}=${encodeURIComponent(realQuery(shop, name) ?? '')}`);
}

function urlWith(op: Operation, shop: Shop, options: { params?: Record<string, string>; query?: string; replacing?: string } = {}): string {
  const query = [...baseQuery(op, shop, options.replacing), ...(options.query ? [options.query] : [])].join('&');
  const path = pathFor(op, shop, options.params);
  return query ? `${path}?${query}` : path;
}

/** A request that is valid in every respect: real ids, right token, valid body and headers. */
function baseAttempt(op: Operation, shop: Shop, n: number): Omit<Attempt, 'label'> {
  const headers = authHeaders(op, shop);
  for (const [name] of op.headerParams) headers[name] = realHeader(shop, name, op) ?? null;
  const body = validBody(shop, op.route, n);
  if (body) headers['content-type'] = JSON_TYPE;
  return { method: op.method, url: urlWith(op, shop), headers, ...(body ? { payload: JSON.stringify(body) } : {}) };
}

function judge(op: Operation, attempt: Attempt, response: LightMyRequestResponse): Failure | undefined {
  const fail = (why: string): Failure => ({
    route: op.route,
    label: attempt.label,
    status: response.statusCode,
    body: `${why}: ${response.body.slice(0, 200)}`,
  });
  if (attempt.status !== undefined && response.statusCode !== attempt.status) return fail(`expected ${attempt.status}`);
  if (response.statusCode < 400 || response.statusCode > 499) return fail('not a 4xx');
  if (!String(response.headers['content-type'] ?? '').includes('application/problem+json')) return fail('not a problem+json response');
  let body: { code?: unknown; status?: unknown };
  try {
    body = response.json();
  } catch {
    return fail('body is not JSON');
  }
  if (typeof body.code !== 'string' || body.status !== response.statusCode) return fail('problem lacks code or matching status');
  return undefined;
}

function describeFailure(failure: Failure): string {
  return `${failure.route} [${failure.label}] -> ${failure.status} ${failure.body}`;
}

// ---------------------------------------------------------------------------------------------
// The barrage for one operation: every case changes one thing in an otherwise valid request.

function attemptsFor(op: Operation, shop: Shop, other: Shop, needsAuth: boolean): Attempt[] {
  let n = 1;
  const base = () => baseAttempt(op, shop, n++);
  const attempts: Attempt[] = [];
  const add = (label: string, change: Partial<Omit<Attempt, 'label'>>) => {
    const start = base();
    attempts.push({ label, ...start, ...change, headers: { ...start.headers, ...change.headers } });
  };

  if (op.method !== 'GET') {
    const fresh = () => validBody(shop, op.route, n++);
    for (const body of bodyCases(op.method, fresh, op.body)) {
      add(`body: ${body.label}`, {
        payload: body.payload,
        headers: { 'content-type': body.contentType === undefined ? JSON_TYPE : body.contentType },
        ...(body.status ? { status: body.status } : {}),
      });
    }
  }

  for (const query of queryCases(op, shop)) add(`query: ${query.label}`, { url: urlWith(op, shop, { query: query.query, ...(query.replacing ? { replacing: query.replacing } : {}) }) });

  for (const name of op.pathParams) {
    const real = realParam(shop, op.path, name)!;
    for (const [label, value] of paramCases(real, op.method)) add(`path {${name}}: ${label}`, { url: urlWith(op, shop, { params: { [name]: value } }) });
  }

  for (const [label, headers, status] of headerCases(op, shop, other, needsAuth)) add(`header: ${label}`, { headers, ...(status ? { status } : {}) });

  // The platform also comes from ?tenant= (browsers); without X-Tenant that is what is used.
  if (tenantScoped(op)) {
    for (const [label, value] of [...hostileParamValues(), ['unknown slug', 'no-such-shop'], ['upper case', shop.slug.toUpperCase()]] as [string, string][]) {
      add(`query tenant without X-Tenant: ${label}`, { url: urlWith(op, shop, { query: `tenant=${value}` }), headers: { 'x-tenant': null } });
    }
  }
  return attempts;
}

interface BodyCase {
  label: string;
  payload: string | Buffer;
  /** null: send no content type at all; undefined: application/json. */
  contentType?: string | null;
  status?: number;
}

function bodyCases(method: string, fresh: () => JsonObject | undefined, schema: JsonSchema | undefined): BodyCase[] {
  const template = fresh();
  // A route that takes no body gets a body anyway: it must refuse it, not ignore it.
  const valid = (): JsonObject => fresh() ?? { unexpected: 1 };
  const cases: BodyCase[] = [];
  const json = (label: string, value: unknown, extra: Partial<BodyCase> = {}) => cases.push({ label, payload: JSON.stringify(value), ...extra });
  const raw = (label: string, payload: string | Buffer, extra: Partial<BodyCase> = {}) => cases.push({ label, payload, ...extra });

  // Malformed JSON and wrong framing.
  for (const malformed of ['{', '{"a":}', '[1,2', 'nul', '{"a":1}}', "{'a':1}", '{"a":1,}', 'NaN', '\uFEFF', '\u0000{}']) {
    raw(`malformed ${JSON.stringify(malformed)}`, malformed);
  }
  raw('valid JSON followed by garbage', `${JSON.stringify(valid())}x`);
  raw('empty body with a JSON content type', '');
  raw('JSON sent as text/plain', JSON.stringify(valid()), { contentType: 'text/plain' });
  raw('XML', '<product><title>x</title></product>', { contentType: 'application/xml' });
  raw('form-urlencoded', 'title=x&admin=true', { contentType: 'application/x-www-form-urlencoded' });
  raw('multipart', '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--', { contentType: 'multipart/form-data; boundary=b' });
  raw('body without a content type', JSON.stringify(valid()), { contentType: null });
  raw('UTF-16 body labelled as such', Buffer.from(JSON.stringify(valid()), 'utf16le'), { contentType: 'application/json; charset=utf-16' });

  // Invalid UTF-8.
  raw('invalid UTF-8 bytes', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
  for (const [label, bytes] of [
    ['0xFF in a string', [0xff]],
    ['overlong encoding of /', [0xc0, 0xaf]],
    ['UTF-8 encoded surrogate', [0xed, 0xa0, 0x80]],
    ['truncated sequence', [0xe4, 0xb8]],
  ] as [string, number[]][]) {
    raw(`invalid UTF-8: ${label}`, withBytes(valid(), bytes));
  }

  // Wrong types for the whole body.
  for (const value of [[], 'str', 123, null, true, { title: 5 }]) json(`whole body ${JSON.stringify(value)}`, value);
  json('the valid body inside an array', [valid()]);
  if (template && Object.keys(template).length > 0) {
    json('every field of the wrong type', Object.fromEntries(Object.entries(valid()).map(([key, value]) => [key, wrongType(value)])));
  }
  // A create needs its required fields; an update needs at least one change.
  if (template && (schema?.required?.length || method === 'PATCH')) json('empty object', {});

  // Unknown and prototype-poisoning fields.
  json('unknown field', { ...valid(), unexpected: 1 });
  raw('__proto__ only', '{"__proto__": {"admin": true}}');
  const text = JSON.stringify(valid());
  raw('__proto__ beside valid fields', `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}"__proto__":{"admin":true}}`);
  raw('constructor.prototype', '{"constructor": {"prototype": {"admin": true}}}');
  json('constructor beside valid fields', { ...valid(), constructor: { prototype: { admin: true } } });

  // Size.
  json('body over the 1 MiB limit', { ...valid(), padding: 'x'.repeat(BODY_LIMIT + 1024) }, { status: 413 });
  raw('whitespace over the 1 MiB limit', ' '.repeat(BODY_LIMIT + 1) + JSON.stringify(valid()), { status: 413 });
  raw('nesting 100000 deep', '['.repeat(100_000) + ']'.repeat(100_000));
  json('20000 unknown keys', Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])));

  if (!template) return cases;

  // Field by field.
  for (const { path, value } of walk(template)) {
    const fieldSchema = schemaAt(schema, path);
    const where = path.join('.') || '(root)';
    const put = (label: string, replacement: Json) => json(`${where}: ${label}`, setAt(valid(), path, replacement));

    if (value !== null && typeof value === 'object') {
      if (Array.isArray(value)) {
        put('object instead of array', { 0: value[0] ?? null });
        if ((fieldSchema?.minItems ?? 0) >= 1) put('empty array', []);
        if (value.length > 0) put('1000 items', Array.from({ length: 1000 }, () => value[0]!));
      } else {
        if (path.length > 0) put('array instead of object', [value]);
        if (path.length > 0) put('unknown nested field', { ...value, unexpected: 1 });
        const isRecord = fieldSchema?.properties === undefined && typeof fieldSchema?.additionalProperties === 'object';
        if (isRecord) {
          // Record keys are codes (locales, option codes): hostile keys are refused.
          const first = Object.values(value)[0] ?? 'x';
          for (const [label, key] of [['SQL key', SQL_AND_SCRIPT[0]!], ['script key', SQL_AND_SCRIPT[5]!], ['NUL key', 'e\u0000n'], ['300-char key', 'k'.repeat(300)]] as [string, string][]) {
            put(label, { ...value, [key]: first });
          }
          put('11 entries', Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`l${String.fromCharCode(97 + i)}x`, first])));
        }
        for (const required of fieldSchema?.required ?? []) {
          if (required in value) {
            const { [required]: _dropped, ...rest } = value;
            put(`without required ${required}`, rest);
          }
        }
      }
      continue;
    }

    put('wrong type', wrongType(value));
    if (!isNullable(fieldSchema)) put('null', null);
    put('boolean', true);

    if (typeof value === 'string') {
      put('100 KB string', HUGE);
      put('empty string', '');
      for (const [label, nasty] of NASTY_TEXT) put(label, nasty);
      if (isConstrained(fieldSchema)) {
        for (const fragment of SQL_AND_SCRIPT) put(`fragment ${JSON.stringify(fragment)}`, fragment);
      }
    }

    if (typeof value === 'number') {
      const rawNumber = (label: string, literal: string) =>
        raw(`${where}: ${label}`, JSON.stringify(setAt(valid(), path, RAW)).replace(`"${RAW}"`, literal));
      rawNumber('1e309', '1e309');
      rawNumber('-1e309', '-1e309');
      rawNumber('1e308', '1e308');
      rawNumber('2^60', String(2 ** 60));
      rawNumber('99999999999999999999999', '99999999999999999999999');
      if ((fieldSchema?.minimum ?? -Infinity) > -1) put('-1', -1);
      if ((fieldSchema?.minimum ?? -Infinity) > 0) put('0', 0);
      if (typeOf(fieldSchema) === 'integer') {
        put('1.5', 1.5);
        rawNumber('1.0000000000000001e2', '1.0000000000000001e2');
      }
      put('"NaN" as a string', 'NaN');
      put('number as a string', String(value));
      if (fieldSchema?.maximum !== undefined) put('maximum + 1', fieldSchema.maximum + 1);
    }
  }
  return cases;
}

function queryCases(op: Operation, shop: Shop): { label: string; query: string; replacing?: string }[] {
  const cases: { label: string; query: string; replacing?: string }[] = [];
  const add = (label: string, query: string, replacing?: string) => cases.push({ label, query, ...(replacing ? { replacing } : {}) });
  const q = encodeURIComponent;

  // The same list at every route: bad values where a parameter exists, unknown parameters elsewhere.
  add('limit=-1', 'limit=-1');
  add('limit=abc', 'limit=abc');
  add('limit=100000', 'limit=100000');
  add('cursor=not-a-cursor!!', `cursor=${q('not-a-cursor!!')}`);
  add('cursor=["x"]', `cursor=${b64(['x'])}`);
  add('sort=evil', 'sort=evil');
  add('q=5000 chars', `q=${'q'.repeat(5000)}`);
  add("category=' OR 1=1", `category=${q("' OR 1=1")}`);
  add('unknown parameter', 'unexpected=1');
  add('__proto__[admin]', `${q('__proto__[admin]')}=true`);
  add('__proto__.admin', '__proto__.admin=true');
  add('constructor[prototype][admin]', `${q('constructor[prototype][admin]')}=true`);

  for (const [name, schema] of op.query) {
    if (name === 'tenant') continue; // covered without the X-Tenant header
    const type = typeOf(pickBranch(schema));
    const real = realQuery(shop, name);
    if (op.requiredQuery.includes(name)) add(`without required ${name}`, '', name);
    const bad = (label: string, value: string) => add(`${name}${label}`, `${name}=${value}`, name);
    add(`${name} repeated`, `${name}=${q(sample(schema))}&${name}=${q(sample(schema))}`, name);
    add(`${name}[] array syntax`, `${q(`${name}[]`)}=${q(real ?? sample(schema))}`, name);
    bad('=%FF%FE (invalid UTF-8)', '%FF%FE');
    bad('=%ED%A0%80 (encoded surrogate)', '%ED%A0%80');
    bad('=%C0%AF (overlong)', '%C0%AF');
    bad('=%00', '%00');
    bad('=%07', '%07');
    bad('=5000 chars', '9'.repeat(5000));
    if (real) bad('=real value + %00', `${q(real)}%00`);
    if (type === 'integer' || type === 'number') {
      for (const value of ['-1', '0', 'abc', '1.5', '1e309', 'NaN', 'Infinity', '-Infinity', String(2 ** 60), '', '1e2x']) {
        if (value === '0' && (schema.minimum ?? -Infinity) <= 0) continue;
        if (value === '-1' && (schema.minimum ?? -Infinity) <= -1) continue;
        bad(`=${value || '(empty)'}`, q(value));
      }
    } else {
      bad('=(empty)', '');
      if (isConstrained(schema)) for (const fragment of SQL_AND_SCRIPT) bad(`=${fragment}`, q(fragment));
    }
  }

  if (op.query.has('cursor')) {
    const hostileCursors: [string, unknown][] = [
      ['{}', {}],
      ['"x"', 'x'],
      ['null', null],
      ['[]', []],
      ['[null,"a"]', [null, 'a']],
      ['[1.5,"a"]', [1.5, 'a']],
      ['non-date sort key', ['x', 'prod_00000000000000000000000000']],
      ['SQL in sort key', ["' OR 1=1 --", 'a']],
      ['huge number sort key', ['99999999999999999999999', 'a']],
      ['unsafe integer', [2 ** 60, 'a']],
      ['65-char id', ['2024-01-01T00:00:00Z', 'a'.repeat(65)]],
      ['NUL in sort key', ['2024-01-01\u0000', 'a']],
      ['NUL in id', ['2024-01-01T00:00:00Z', 'prod_\u0000']],
      ['lone surrogate in id', ['2024-01-01T00:00:00Z', 'prod_\ud800']],
    ];
    const sorts = (pickBranch(op.query.get('sort'))?.enum as string[] | undefined) ?? [undefined];
    for (const sort of sorts) {
      const prefix = sort ? `sort=${sort}&q=tea&` : '';
      const label = sort ? `sort=${sort} cursor` : 'cursor';
      for (const [name, key] of hostileCursors) add(`${label} ${name}`, `${prefix}cursor=${b64(key)}`, 'cursor');
      add(`${label} of bytes that are not JSON`, `${prefix}cursor=${Buffer.from([0xff, 0xfe, 0x00]).toString('base64url')}`, 'cursor');
    }
  }
  return cases;
}

function hostileParamValues(): [string, string][] {
  const q = encodeURIComponent;
  return [
    ["' OR 1=1 --", q("' OR 1=1 --")],
    ['../../etc/passwd (encoded)', q('../../etc/passwd')],
    ['300 chars', 'a'.repeat(300)],
    ['%00', '%00'],
    ['%FF%FE (invalid UTF-8)', '%FF%FE'],
    ['<script> (encoded)', q('<script>alert(1)</script>')],
    ['{{7*7}}', q('{{7*7}}')],
    ['; DROP TABLE', q("x'; DROP TABLE products; --")],
  ];
}

function paramCases(real: string, method: string): [string, string][] {
  const prefix = /^[a-z]+_/.exec(real)?.[0];
  const cases: [string, string][] = [
    ...hostileParamValues(),
    ['../../etc/passwd (raw)', '../../etc/passwd'],
    ['%2e%2e', '%2e%2e'],
    ['199 chars', 'b'.repeat(199)],
    ['real value + %00', `${encodeURIComponent(real)}%00`],
    ['real value + space', `${encodeURIComponent(real)}%20`],
    ['real value in upper case', encodeURIComponent(real.toUpperCase())],
    ['%ED%A0%80 (encoded surrogate)', '%ED%A0%80'],
  ];
  if (prefix) cases.push(['id of another kind', `zzz_${real.slice(prefix.length)}`]);
  // Not malformed, just absent: a write must find nothing to change (a read may list nothing).
  if (method !== 'GET') {
    cases.push(['value that does not exist', prefix ? `${prefix}${'0'.repeat(26)}` : real.includes('.') ? `e30.${'A'.repeat(43)}` : 'no-such-thing']);
  }
  return cases;
}

function headerCases(op: Operation, shop: Shop, other: Shop, needsAuth: boolean): [string, Headers, number?][] {
  const cases: [string, Headers, number?][] = [];
  if (tenantScoped(op)) {
    for (const [label, value] of [
      ["X-Tenant ' OR 1=1 --", "' OR 1=1 --"],
      ['X-Tenant <script>', '<script>alert(1)</script>'],
      ['X-Tenant 300 chars', 'a'.repeat(300)],
      ['X-Tenant empty', ''],
      ['X-Tenant unknown', 'no-such-shop'],
      ['X-Tenant upper case', shop.slug.toUpperCase()],
      ['X-Tenant with spaces', ` ${shop.slug} x`],
    ] as [string, string][]) {
      cases.push([label, { 'x-tenant': value }]);
    }
    for (const [label, host] of [
      ["Host ' OR 1=1 --", "' OR 1=1 --"],
      ['Host <script>', '<script>alert(1)</script>'],
      ['Host 300 chars', `${'h'.repeat(296)}.com`],
      ['Host unknown', 'unknown.example.com'],
    ] as [string, string][]) {
      cases.push([`${label} without X-Tenant`, { 'x-tenant': null, host }]);
    }
  }
  if (needsAuth) {
    const tokens: [string, string | null][] = [
      ['none', null],
      ['Bearer with SQL', "Bearer ' OR 1=1 --"],
      ['Bearer quote', "Bearer '--"],
      ['well-formed unknown staff token', `Bearer bzs_${'A'.repeat(43)}`],
      ['well-formed unknown customer token', `Bearer bzc_${'A'.repeat(43)}`],
      ['10000-char token', `Bearer ${'t'.repeat(10_000)}`],
      ['Basic scheme', 'Basic YWRtaW46YWRtaW4='],
      ['empty bearer', 'Bearer '],
      ['token of another platform', `Bearer ${op.path.startsWith('/api/store/') ? other.customerToken : other.ownerToken}`],
      ['token of the other kind', `Bearer ${op.path.startsWith('/api/admin/') ? shop.customerToken : shop.ownerToken}`],
      ['operator token with a suffix', `Bearer ${OPERATOR_TOKEN}x`],
    ];
    for (const [label, value] of tokens) cases.push([`Authorization: ${label}`, { authorization: value }]);
    // This platform's token sent to the other platform.
    if (tenantScoped(op)) cases.push(['X-Tenant of another platform with this token', { 'x-tenant': other.slug }]);
  }
  for (const [name, { schema, required }] of op.headerParams) {
    if (required) cases.push([`${name} missing`, { [name]: null }]);
    for (const value of ['', 'short', 'k'.repeat(101), 'k'.repeat(10_000), ...(isConstrained(schema) ? SQL_AND_SCRIPT : [])]) {
      cases.push([`${name}: ${JSON.stringify(value.slice(0, 40))}`, { [name]: value }]);
    }
  }
  if (op.path.includes('/webhook')) {
    for (const value of ['', 't=0,v1=', `t=1,v1=${'0'.repeat(64)}`, `t=9999999999999,v1=${'0'.repeat(64)}`, `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`, 'x'.repeat(10_000)]) {
      cases.push([`bazaar-signature: ${JSON.stringify(value.slice(0, 30))}`, { 'bazaar-signature': value }]);
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// JSON and schema helpers.

function walk(value: Json, path: PathKey[] = []): { path: PathKey[]; value: Json }[] {
  const here = { path, value };
  if (Array.isArray(value)) return [here, ...value.flatMap((item, i) => walk(item, [...path, i]))];
  if (value !== null && typeof value === 'object') return [here, ...Object.entries(value).flatMap(([key, item]) => walk(item, [...path, key]))];
  return [here];
}

function setAt(root: JsonObject, path: PathKey[], replacement: Json): Json {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Json;
  let node = copy as Record<PathKey, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<PathKey, Json>;
  node[path[path.length - 1]!] = replacement;
  return copy;
}

function withBytes(valid: JsonObject, bytes: number[]): Buffer {
  const firstString = walk(valid).find((leaf) => typeof leaf.value === 'string');
  const marked = firstString ? setAt(valid, firstString.path, `x${MARK}x`) : { ...valid, unexpected: `x${MARK}x` };
  const [head, tail] = JSON.stringify(marked).split(MARK) as [string, string];
  return Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)]);
}

function wrongType(value: Json): Json {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return 'true';
  if (Array.isArray(value)) return { length: value.length };
  if (value === null) return [];
  return 'object';
}

function schemaAt(schema: JsonSchema | undefined, path: PathKey[]): JsonSchema | undefined {
  let node = schema;
  for (const key of path) {
    node = pickBranch(node);
    if (!node) return undefined;
    if (typeof key === 'number') node = node.items;
    else node = node.properties?.[key] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
  }
  return node;
}

function pickBranch(schema: JsonSchema | undefined): JsonSchema | undefined {
  const branches = schema?.anyOf ?? schema?.oneOf;
  if (!branches) return schema;
  return branches.find((branch) => typeOf(branch) !== 'null');
}

function typeOf(schema: JsonSchema | undefined): string | undefined {
  const type = schema?.type;
  return Array.isArray(type) ? type.find((t) => t !== 'null') : type;
}

function isNullable(schema: JsonSchema | undefined): boolean {
  if (!schema) return false;
  if (schema.nullable) return true;
  if (Array.isArray(schema.type) && schema.type.includes('null')) return true;
  return (schema.anyOf ?? schema.oneOf ?? []).some((branch) => typeOf(branch) === 'null' || branch.type === 'null');
}

/** A string the schema constrains beyond length (pattern, format or enum): any fragment is invalid there. */
function isConstrained(schema: JsonSchema | undefined): boolean {
  if (!schema) return false;
  const branches = (schema.anyOf ?? schema.oneOf)?.filter((branch) => typeOf(branch) !== 'null');
  if (branches) return branches.length > 0 && branches.every(isConstrained);
  return schema.pattern !== undefined || schema.format !== undefined || schema.enum !== undefined || schema.const !== undefined;
}

/** A plausible value for a query parameter, for the repeated-parameter cases. */
function sample(schema: JsonSchema): string {
  const branch = pickBranch(schema);
  if (branch?.enum?.[0] !== undefined) return String(branch.enum[0]);
  const type = typeOf(branch);
  if (type === 'integer' || type === 'number') return '1';
  return 'a';
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

// ---------------------------------------------------------------------------------------------
// "Nothing is written": row count and content digest of every table.

function changedTables(before: Map<string, TableState>, after: Map<string, TableState>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])]
    .filter((table) => JSON.stringify(before.get(table)) !== JSON.stringify(after.get(table)))
    .map((table) => {
      const [was, is] = [before.get(table)?.rows ?? 0, after.get(table)?.rows ?? 0];
      return was === is ? `${table} (rows changed)` : `${table} (${was} -> ${is} rows)`;
    });
}

interface TableState {
  rows: number;
  digest: string | null;
}

async function snapshot(t: TestApp, tenantId: string): Promise<Map<string, TableState>> {
  return t.db.owner.transaction().execute(async (tx) => {
    // The schema owner is subject to FORCE ROW LEVEL SECURITY unless it is a superuser; with the
    // tenant set it sees at least the fuzzed platform's rows either way.
    await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(tx);
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(tx);
    const result = new Map<string, TableState>();
    for (const { name } of tables.rows) {
      const counted = await sql<TableState>`
        select count(*)::int as rows, md5(string_agg(t::text, E'\n' order by t::text)) as digest
        from ${sql.table(name)} as t`.execute(tx);
      result.set(name, counted.rows[0]!);
    }
    return result;
  });
}
