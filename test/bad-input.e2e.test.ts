import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/databases.ts';
import { OPERATOR_TOKEN, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Hostile input at every route the OpenAPI document lists: malformed JSON, wrong types, huge
 * strings, unknown fields, SQL and script fragments, invalid UTF-8, out-of-range numbers, bad
 * path parameters, query strings and headers. Every answer must be a 4xx problem response,
 * never a 5xx, and not one row in any table may change.
 *
 * Routes are read from the app's own OpenAPI document, so a new route is fuzzed without
 * touching this file; only a route with a JSON body needs a valid body template below, and the
 * suite says so when one is missing. Each template is first sent as is to a twin platform and
 * must be accepted there: that proves that on the fuzzed platform the one mutation is all that
 * makes a request bad, so a refusal is a refusal of that mutation.
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
  body: JsonSchema | undefined;
}

interface Shop {
  slug: string;
  id: string;
  ownerEmail: string;
  ownerPassword: string;
  ownerToken: string;
  /** A second owner session, for logout routes, so the main one survives a wrongly accepted logout. */
  spareOwnerToken: string;
  customerEmail: string;
  customerPassword: string;
  customerToken: string;
  spareCustomerToken: string;
  categoryId: string;
  productId: string;
  staffId: string;
  apiTokenId: string;
}

interface Attempt {
  label: string;
  method: string;
  url: string;
  headers: Record<string, string>;
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
  "1; SELECT pg_sleep(5) --",
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
// Valid bodies: one per operation with a JSON body. `tag` keeps values unique per platform.

function validBodies(shop: Shop, tag: string): Record<string, JsonObject> {
  return {
    'POST /api/operator/platforms': {
      slug: `fx-${tag}`,
      name: 'Fixture platform',
      domains: [`fx-${tag}.example.com`],
      defaultCurrency: 'CNY',
      currencies: ['USD'],
      defaultLocale: 'en',
      locales: ['zh-CN'],
      modules: ['catalog'],
      quotas: { requestsPerSecond: 10, products: 10 },
      theme: { primaryColor: '#000000', accentColor: '#ffffff', logoUrl: 'https://cdn.example.com/logo.png' },
      owner: { email: `boss@fx-${tag}.test`, password: 'fixture-password-1', name: 'Boss' },
    },
    'POST /api/store/auth/register': {
      email: `new-${tag}@example.com`,
      phone: '+8613800138000',
      password: 'new-customer-pass',
      name: 'New Shopper',
    },
    'POST /api/store/auth/login': { email: shop.customerEmail, password: CUSTOMER_PASSWORD },
    'POST /api/admin/auth/login': { email: shop.ownerEmail, password: OWNER_PASSWORD },
    'POST /api/admin/staff': { email: `new-staff-${tag}@example.com`, password: 'new-staff-pass', name: 'New Staff', role: 'viewer' },
    'PATCH /api/admin/staff/{id}': { role: 'operator', status: 'active', name: 'Renamed Clerk' },
    'POST /api/admin/api-tokens': { label: 'fixture token', expiresInDays: 30 },
    'POST /api/admin/products': {
      slug: 'fx-product',
      title: { en: 'Fixture tea', 'zh-CN': '测试茶' },
      description: { en: 'A fixture.' },
      status: 'active',
      categoryId: shop.categoryId,
      options: [{ code: 'size', name: { en: 'Size' }, values: ['S', 'M'] }],
      images: [{ url: 'https://img.example.com/tea.png', alt: 'Tea' }],
      variants: [
        { sku: 'FX-S', optionValues: { size: 'S' }, prices: [{ currency: 'CNY', amount: 1000 }, { currency: 'USD', amount: 150 }] },
        { sku: 'FX-M', optionValues: { size: 'M' }, prices: [{ currency: 'CNY', amount: 1200 }] },
      ],
    },
    'PATCH /api/admin/products/{id}': {
      slug: 'setup-product-renamed',
      title: { en: 'Renamed tea' },
      description: { en: 'Changed.' },
      status: 'active',
      categoryId: shop.categoryId,
      images: [{ url: '/static/tea.png', alt: 'Tea' }],
      variants: [{ sku: 'SETUP-2', prices: [{ currency: 'CNY', amount: 900 }] }],
    },
    'POST /api/admin/categories': { slug: 'fx-category', name: { en: 'Fixture', 'zh-CN': '类目' }, parentId: shop.categoryId, position: 3 },
    'PATCH /api/admin/categories/{id}': { name: { en: 'Renamed' }, parentId: null, position: 5 },
  };
}

/** A real value for a path parameter, by the collection it follows. */
function realParam(shop: Shop, path: string, name: string): string | undefined {
  const collection = new RegExp(`/([^/]+)/\\{${name}\\}`).exec(path)?.[1];
  const values: Record<string, string> = {
    platforms: shop.slug,
    products: shop.productId,
    categories: shop.categoryId,
    staff: shop.staffId,
    'api-tokens': shop.apiTokenId,
  };
  return collection ? values[collection] : undefined;
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

  it('every route in the OpenAPI document is known, and each valid body template is accepted on a twin platform', async () => {
    expect(operations.length).toBeGreaterThan(20);
    const templates = validBodies(twin, 'twin');
    const problems: string[] = [];
    for (const op of operations) {
      if (op.body && !templates[op.route]) problems.push(`${op.route}: add a valid body to validBodies()`);
      if (!op.body && templates[op.route]) problems.push(`${op.route}: has a template but no JSON body in the OpenAPI document`);
      if (!op.path.startsWith('/api/operator/') && !op.path.startsWith('/api/admin/') && !op.path.startsWith('/api/store/')) {
        problems.push(`${op.route}: unknown prefix; teach authHeaders() how to call it`);
      }
      for (const name of op.pathParams) {
        if (!realParam(twin, op.path, name)) problems.push(`${op.route}: no real value for {${name}}; extend realParam()`);
      }
    }
    expect(problems).toEqual([]);

    for (const op of operations) {
      const template = templates[op.route];
      if (!template) continue;
      const response = await send(t, { label: 'valid', ...baseAttempt(op, twin), payload: JSON.stringify(template) });
      expect(response.statusCode, `${op.route} with its valid template: ${response.body}`).toBeLessThan(300);
    }

    // Which routes refuse a request without a token: those get bad-token cases below.
    for (const op of operations) {
      const attempt = baseAttempt(op, twin, templates[op.route]);
      delete attempt.headers.authorization;
      const response = await send(t, { label: 'no token', ...attempt });
      expect(response.statusCode, `${op.route} without a token: ${response.body}`).toBeLessThan(500);
      if (response.statusCode === 401) needsAuth.add(op.route);
    }
    expect(needsAuth.size).toBeGreaterThan(10);
  });

  it('every route answers every bad input with a 4xx problem response and writes nothing', async () => {
    const before = await snapshot(t, fuzz.id);
    for (const table of ['tenants', 'customers', 'staff', 'sessions', 'categories', 'products', 'variants', 'variant_prices']) {
      expect(before.get(table)?.rows, `the snapshot sees rows of ${table}`).toBeGreaterThan(0);
    }

    const templates = validBodies(fuzz, 'fuzz');
    // Logout routes last, so a wrongly accepted logout cannot spoil the cases of other routes.
    const ordered = [...operations].sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
    const failures: Failure[] = [];
    let sent = 0;
    const perRoute: string[] = [];

    for (const op of ordered) {
      const attempts = attemptsFor(op, fuzz, twin, templates[op.route], needsAuth.has(op.route));
      perRoute.push(`${op.route}: ${attempts.length}`);
      for (let i = 0; i < attempts.length; i += BATCH) {
        const batch = attempts.slice(i, i + BATCH);
        const responses = await Promise.all(batch.map((attempt) => send(t, attempt)));
        responses.forEach((response, j) => {
          const failure = judge(op, batch[j]!, response);
          if (failure) failures.push(failure);
        });
      }
      sent += attempts.length;
    }

    const after = await snapshot(t, fuzz.id);
    const changed = [...new Set([...before.keys(), ...after.keys()])]
      .filter((table) => JSON.stringify(before.get(table)) !== JSON.stringify(after.get(table)))
      .map((table) => `${table}: ${before.get(table)?.rows ?? 'absent'} rows -> ${after.get(table)?.rows ?? 'absent'} rows (content changed)`);

    process.stdout.write(`[bad-input ${kind}] ${sent} requests over ${operations.length} routes:\n  ${perRoute.join('\n  ')}\n`);
    expect(failures.map(describeFailure), `${failures.length} of ${sent} bad requests were not refused with a 4xx problem`).toEqual([]);
    expect(changed, 'tables written by refused requests').toEqual([]);
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
      ]) {
        const found = await send(t, { label: 'search', method: 'GET', url, headers });
        expect(found.statusCode, `${url}: ${found.body}`).toBe(200);
        // No product's text contains any fragment: an injected condition would match them all.
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
// Setup.

async function openShop(t: TestApp, slug: string): Promise<Shop> {
  const platform = await t.createPlatform(slug, { quotas: { requestsPerSecond: 1_000_000, products: 100 } });
  const ownerEmail = `owner@${slug}.test`;
  const admin = { 'x-tenant': slug, authorization: `Bearer ${platform.ownerToken}` };
  const call = async (method: string, url: string, payload: JsonObject, headers: Record<string, string> = admin) => {
    const response = await send(t, { label: 'setup', method, url, headers: { ...headers, 'content-type': JSON_TYPE }, payload: JSON.stringify(payload) });
    if (response.statusCode >= 300) throw new Error(`setup ${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const customerEmail = `shopper@${slug}.test`;
  const registered = await call('POST', '/api/store/auth/register', { email: customerEmail, password: CUSTOMER_PASSWORD }, { 'x-tenant': slug });
  const spareCustomer = await call('POST', '/api/store/auth/login', { email: customerEmail, password: CUSTOMER_PASSWORD }, { 'x-tenant': slug });
  const spareOwner = await call('POST', '/api/admin/auth/login', { email: ownerEmail, password: OWNER_PASSWORD }, { 'x-tenant': slug });
  const category = await call('POST', '/api/admin/categories', { slug: 'setup-category', name: { en: 'Setup', 'zh-CN': '设置' } });
  const product = await call('POST', '/api/admin/products', {
    slug: 'setup-product',
    title: { en: 'Setup tea' },
    status: 'active',
    categoryId: category.id,
    variants: [{ sku: 'SETUP-1', prices: [{ currency: 'CNY', amount: 500 }] }],
  });
  const staff = await call('POST', '/api/admin/staff', { email: `clerk@${slug}.test`, password: 'clerk-password-1', role: 'viewer' });
  const token = await call('POST', '/api/admin/api-tokens', { label: 'setup token' });
  return {
    slug,
    id: platform.id,
    ownerEmail,
    ownerPassword: OWNER_PASSWORD,
    ownerToken: platform.ownerToken,
    spareOwnerToken: spareOwner.session.token,
    customerEmail,
    customerPassword: CUSTOMER_PASSWORD,
    customerToken: registered.session.token,
    spareCustomerToken: spareCustomer.session.token,
    categoryId: category.id,
    productId: product.id,
    staffId: staff.id,
    apiTokenId: token.id,
  };
}

async function readOperations(t: TestApp): Promise<Operation[]> {
  const response = await t.request({ method: 'GET', url: '/api/openapi.json' });
  expect(response.statusCode).toBe(200);
  const doc = response.json() as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: JsonSchema }[]; requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>>;
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, spec] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = spec.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        route: `${method.toUpperCase()} ${path}`,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: new Map(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema])),
        body: spec.requestBody?.content?.[JSON_TYPE]?.schema,
      });
    }
  }
  return operations;
}

// ---------------------------------------------------------------------------------------------
// Requests.

function send(t: TestApp, attempt: Attempt): Promise<LightMyRequestResponse> {
  return t.request({
    method: attempt.method as 'GET',
    url: attempt.url,
    headers: attempt.headers,
    ...(attempt.payload !== undefined ? { payload: attempt.payload } : {}),
  });
}

function authHeaders(op: Operation, shop: Shop): Record<string, string> {
  const logout = op.path.endsWith('/logout');
  if (op.path.startsWith('/api/operator/')) return { ...OPERATOR };
  if (op.path.startsWith('/api/admin/')) {
    return { 'x-tenant': shop.slug, authorization: `Bearer ${logout ? shop.spareOwnerToken : shop.ownerToken}` };
  }
  return { 'x-tenant': shop.slug, authorization: `Bearer ${logout ? shop.spareCustomerToken : shop.customerToken}` };
}

function urlFor(op: Operation, shop: Shop, override: Record<string, string> = {}, query = ''): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => override[name] ?? encodeURIComponent(realParam(shop, op.path, name) ?? name));
  return query ? `${path}?${query}` : path;
}

/** A request that is valid in every respect (real ids, right token, valid body when given). */
function baseAttempt(op: Operation, shop: Shop, template?: JsonObject): Omit<Attempt, 'label'> {
  const headers = authHeaders(op, shop);
  if (template) headers['content-type'] = JSON_TYPE;
  return {
    method: op.method,
    url: urlFor(op, shop),
    headers,
    ...(template ? { payload: JSON.stringify(template) } : {}),
  };
}

function judge(op: Operation, attempt: Attempt, response: LightMyRequestResponse): Failure | undefined {
  const fail = (why: string): Failure => ({
    route: op.route,
    label: attempt.label,
    status: response.statusCode,
    body: `${why}: ${response.body.slice(0, 240)}`,
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
// The barrage for one operation.

function attemptsFor(op: Operation, shop: Shop, other: Shop, template: JsonObject | undefined, needsAuth: boolean): Attempt[] {
  const base = baseAttempt(op, shop, template);
  const attempts: Attempt[] = [];
  const add = (label: string, change: Partial<Omit<Attempt, 'label'>>) =>
    attempts.push({ label, ...base, ...change, headers: { ...base.headers, ...change.headers } });

  if (op.method !== 'GET') {
    for (const body of bodyCases(template, op.body)) {
      add(`body: ${body.label}`, {
        payload: body.payload,
        headers: body.contentType === null ? {} : { 'content-type': body.contentType ?? JSON_TYPE },
        ...(body.status ? { status: body.status } : {}),
      });
      if (body.contentType === null) {
        const last = attempts[attempts.length - 1]!;
        delete last.headers['content-type'];
      }
    }
  }

  for (const query of queryCases(op)) add(`query: ${query.label}`, { url: urlFor(op, shop, {}, query.query) });

  for (const name of op.pathParams) {
    const real = realParam(shop, op.path, name)!;
    for (const [label, value] of paramCases(real)) add(`path {${name}}: ${label}`, { url: urlFor(op, shop, { [name]: value }) });
  }

  for (const [label, headers, status] of headerCases(op, shop, other, needsAuth)) {
    add(`header: ${label}`, { headers, ...(status ? { status } : {}) });
    const last = attempts[attempts.length - 1]!;
    for (const [key, value] of Object.entries(headers)) if (value === '') delete last.headers[key];
  }

  // The tenant also comes from ?tenant= (browsers); without X-Tenant that is what is used.
  if (!op.path.startsWith('/api/operator/')) {
    for (const [label, value] of [...hostileParamValues(), ['unknown slug', 'no-such-shop'], ['upper case', shop.slug.toUpperCase()]] as [string, string][]) {
      add(`query tenant (no header): ${label}`, { url: urlFor(op, shop, {}, `tenant=${value}`), headers: { 'x-tenant': '' } });
      delete attempts[attempts.length - 1]!.headers['x-tenant'];
    }
  }
  return attempts;
}

interface BodyCase {
  label: string;
  payload: string | Buffer;
  /** null: send no content type at all. */
  contentType?: string | null;
  status?: number;
}

function bodyCases(template: JsonObject | undefined, schema: JsonSchema | undefined): BodyCase[] {
  // A route that takes no body gets a body anyway: it must refuse it, not ignore it.
  const valid: JsonObject = template ?? { unexpected: 1 };
  const text = JSON.stringify(valid);
  const cases: BodyCase[] = [];
  const json = (label: string, value: unknown, extra: Partial<BodyCase> = {}) => cases.push({ label, payload: JSON.stringify(value), ...extra });
  const raw = (label: string, payload: string | Buffer, extra: Partial<BodyCase> = {}) => cases.push({ label, payload, ...extra });

  // Malformed JSON and wrong framing.
  for (const malformed of ['{', '{"a":}', '[1,2', 'nul', '{"a":1}}', "{'a':1}", '{"a":1,}', 'NaN', '\uFEFF{}', `${text}x`]) {
    raw(`malformed ${JSON.stringify(malformed.slice(0, 20))}`, malformed);
  }
  raw('empty body with a JSON content type', '');
  raw('JSON sent as text/plain', text, { contentType: 'text/plain' });
  raw('XML', '<product><title>x</title></product>', { contentType: 'application/xml' });
  raw('form-urlencoded', 'title=x&admin=true', { contentType: 'application/x-www-form-urlencoded' });
  raw('multipart', '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--', { contentType: 'multipart/form-data; boundary=b' });
  raw('body without a content type', text, { contentType: null });
  raw('UTF-16 body labelled as such', Buffer.from(text, 'utf16le'), { contentType: 'application/json; charset=utf-16' });

  // Invalid UTF-8.
  raw('invalid UTF-8 bytes', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
  for (const [label, bytes] of [
    ['0xFF in a string', [0xff]],
    ['overlong encoding of /', [0xc0, 0xaf]],
    ['UTF-8 encoded surrogate', [0xed, 0xa0, 0x80]],
    ['truncated sequence', [0xe4, 0xb8]],
  ] as [string, number[]][]) {
    raw(`invalid UTF-8: ${label}`, withBytes(valid, bytes));
  }

  // Wrong types for the whole body.
  for (const value of [[], 'str', 123, null, true, { title: 5 }, [valid]]) json(`whole body ${JSON.stringify(value).slice(0, 30)}`, value);
  if (template && Object.keys(template).length > 0) {
    json('every field of the wrong type', Object.fromEntries(Object.entries(template).map(([key, value]) => [key, wrongType(value)])));
  }
  // Every route with a body needs at least one field (create: required ones; update: some change).
  if (template) json('empty object', {});

  // Unknown and prototype-poisoning fields.
  json('unknown field', { ...valid, unexpected: 1 });
  raw('__proto__ only', '{"__proto__": {"admin": true}}');
  raw('__proto__ beside valid fields', `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}"__proto__":{"admin":true}}`);
  raw('constructor.prototype', '{"constructor": {"prototype": {"admin": true}}}');
  json('constructor beside valid fields', { ...valid, constructor: { prototype: { admin: true } } });

  // Size.
  json('body over the 1 MiB limit', { ...valid, padding: 'x'.repeat(BODY_LIMIT + 1024) }, { status: 413 });
  raw('whitespace over the 1 MiB limit', ' '.repeat(BODY_LIMIT + 1) + text, { status: 413 });
  raw('nesting 100000 deep', '['.repeat(100_000) + ']'.repeat(100_000));
  json('20000 unknown keys', Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])));

  if (!template) return cases;

  // Field by field.
  for (const { path, value } of walk(template)) {
    const fieldSchema = schemaAt(schema, path);
    const where = path.join('.') || '(root)';
    const put = (label: string, replacement: Json) => json(`${where}: ${label}`, setAt(template, path, replacement));

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
          for (const [label, key] of [['SQL key', SQL_AND_SCRIPT[0]!], ['script key', SQL_AND_SCRIPT[5]!], ['NUL key', 'e\u0000n'], ['300-char key', 'k'.repeat(300)]] as [string, string][]) {
            const first = Object.values(value)[0] ?? 'x';
            put(label, { ...value, [key]: first });
          }
          put('11 entries', Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`l${String.fromCharCode(97 + i)}x`, Object.values(value)[0] ?? 'x'])));
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

    if (typeof value === 'string') {
      put('100 KB string', HUGE);
      put('empty string', '');
      for (const [label, nasty] of NASTY_TEXT) put(label, nasty);
      if (isConstrained(fieldSchema)) {
        for (const fragment of SQL_AND_SCRIPT) put(`fragment ${JSON.stringify(fragment)}`, fragment);
      }
    }

    if (typeof value === 'number') {
      const rawNumber = (label: string, literal: string) => raw(`${where}: ${label}`, JSON.stringify(setAt(template, path, RAW)).replace(`"${RAW}"`, literal));
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

function queryCases(op: Operation): { label: string; query: string }[] {
  const cases: { label: string; query: string }[] = [];
  const add = (label: string, query: string) => cases.push({ label, query });
  const q = encodeURIComponent;

  // The same generic list at every route: bad values where a parameter exists, unknown ones elsewhere.
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
    const kindOf = typeOf(schema);
    add(`${name} repeated`, `${name}=${q(sample(schema))}&${name}=${q(sample(schema))}`);
    add(`${name}[] array syntax`, `${q(`${name}[]`)}=${q(sample(schema))}`);
    add(`${name}=%FF%FE (invalid UTF-8)`, `${name}=%FF%FE`);
    add(`${name}=%ED%A0%80 (encoded surrogate)`, `${name}=%ED%A0%80`);
    add(`${name}=%00`, `${name}=%00`);
    add(`${name}=%07`, `${name}=%07`);
    add(`${name}=5000 chars`, `${name}=${'9'.repeat(5000)}`);
    if (kindOf === 'integer' || kindOf === 'number') {
      for (const value of ['-1', '0', 'abc', '1.5', '1e309', 'NaN', 'Infinity', '-Infinity', String(2 ** 60), '', '1e2x']) {
        if (value === '0' && (schema.minimum ?? -Infinity) <= 0) continue;
        if (value === '-1' && (schema.minimum ?? -Infinity) <= -1) continue;
        add(`${name}=${value || '(empty)'}`, `${name}=${q(value)}`);
      }
    } else if (isConstrained(schema)) {
      add(`${name}=(empty)`, `${name}=`);
      for (const fragment of SQL_AND_SCRIPT) add(`${name}=${fragment}`, `${name}=${q(fragment)}`);
    } else {
      add(`${name}=(empty)`, `${name}=`);
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
    const sorts = (op.query.get('sort')?.enum as string[] | undefined) ?? [undefined];
    for (const sort of sorts) {
      const prefix = sort ? `sort=${sort}&q=tea&` : '';
      for (const [label, key] of hostileCursors) add(`${sort ? `sort=${sort} ` : ''}cursor ${label}`, `${prefix}cursor=${b64(key)}`);
      add(`${sort ? `sort=${sort} ` : ''}cursor of bytes that are not JSON`, `${prefix}cursor=${Buffer.from([0xff, 0xfe, 0x00]).toString('base64url')}`);
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

function paramCases(real: string): [string, string][] {
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
  if (prefix) {
    cases.push(['well-formed id that does not exist', `${prefix}${'0'.repeat(26)}`]);
    cases.push(['id of another kind', prefix === 'zzz_' ? 'yyy_' : `zzz_${real.slice(prefix.length)}`]);
  } else {
    cases.push(['slug that does not exist', 'no-such-thing']);
  }
  return cases;
}

function headerCases(op: Operation, shop: Shop, other: Shop, needsAuth: boolean): [string, Record<string, string>, number?][] {
  const cases: [string, Record<string, string>, number?][] = [];
  if (!op.path.startsWith('/api/operator/')) {
    for (const [label, value] of [
      ["X-Tenant ' OR 1=1 --", "' OR 1=1 --"],
      ['X-Tenant <script>', '<script>alert(1)</script>'],
      ['X-Tenant 300 chars', 'a'.repeat(300)],
      ['X-Tenant unknown', 'no-such-shop'],
      ['X-Tenant upper case', shop.slug.toUpperCase()],
      ['X-Tenant with spaces', ` ${shop.slug} `],
      ['X-Tenant non-ASCII', 'ｆｕｚｚ'],
    ]) {
      cases.push([label!, { 'x-tenant': value! }]);
    }
    for (const [label, host] of [
      ["Host ' OR 1=1 --", "' OR 1=1 --"],
      ['Host <script>', '<script>alert(1)</script>'],
      ['Host 300 chars', `${'h'.repeat(296)}.com`],
      ['Host unknown', 'unknown.example.com'],
    ]) {
      cases.push([`${label!} (no X-Tenant)`, { 'x-tenant': '', host: host! }]);
    }
  }
  if (needsAuth) {
    const tokens: [string, string][] = [
      ['Bearer with SQL', "Bearer ' OR 1=1 --"],
      ['Bearer quote', "Bearer '--"],
      ['well-formed unknown staff token', `Bearer bzs_${'A'.repeat(43)}`],
      ['well-formed unknown customer token', `Bearer bzc_${'A'.repeat(43)}`],
      ['10000-char token', `Bearer ${'t'.repeat(10_000)}`],
      ['Basic scheme', 'Basic YWRtaW46YWRtaW4='],
      ['empty bearer', 'Bearer '],
      ['token of another platform', `Bearer ${op.path.startsWith('/api/store/') ? other.customerToken : other.ownerToken}`],
      ['owner token at the wrong door', `Bearer ${op.path.startsWith('/api/admin/') ? shop.customerToken : shop.ownerToken}`],
      ['operator token with a suffix', `Bearer ${OPERATOR_TOKEN}x`],
    ];
    for (const [label, value] of tokens) cases.push([`Authorization: ${label}`, { authorization: value }]);
    if (!op.path.startsWith('/api/operator/')) {
      // This platform's token sent to the other platform.
      cases.push(['X-Tenant of another platform with this token', { 'x-tenant': other.slug }]);
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

async function snapshot(t: TestApp, tenantId: string): Promise<Map<string, { rows: number; digest: string | null }>> {
  return t.db.owner.transaction().execute(async (tx) => {
    // The schema owner is subject to FORCE ROW LEVEL SECURITY unless it is a superuser; with the
    // tenant set it sees at least the fuzzed platform's rows either way.
    await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(tx);
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(tx);
    const result = new Map<string, { rows: number; digest: string | null }>();
    for (const { name } of tables.rows) {
      const counted = await sql<{ rows: number; digest: string | null }>`
        select count(*)::int as rows, md5(string_agg(t::text, E'\n' order by t::text)) as digest
        from ${sql.table(name)} as t`.execute(tx);
      result.set(name, counted.rows[0]!);
    }
    return result;
  });
}
