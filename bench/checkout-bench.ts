/**
 * npm run bench:checkout — shoppers check out, from this process against Bazaar running as its
 * own process, on embedded PGlite and on PostgreSQL (when reachable). Many SKUs, so that stock
 * rows are not all hot. Three runs per database, each shopper with a fresh cart every time:
 *   - the checkout request alone (carts and lines made beforehand, not timed);
 *   - cart + add + checkout, three requests per shopper;
 *   - a paid purchase: cart + add + checkout + the provider's signed webhook, after which the
 *     order is paid;
 *   - the same paid purchase with the whole commerce core on: the address's zone and a by-weight
 *     shipping method, tax per line and on shipping, a member price list (half the shoppers are
 *     members), a gift card paying part of every order and an invoice request on every fifth.
 * The same server's hello-world route, loaded by the same client, is the ceiling each figure is
 * compared with.
 *
 *   BENCH_CUSTOMERS (default 600)  BENCH_CONCURRENCY (default 32)  BENCH_SECONDS (hello-world, default 5)
 */
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { decodeSessionToken } from '../src/modules/payments/sandbox-checkout-token.ts';
import { createSandboxProvider, SIGNATURE_HEADER } from '../src/modules/payments/sandbox-provider.ts';
import { ADDRESS } from '../test/support/commerce.ts';
import { measureBareFastify } from './support/bare-fastify.ts';
import { inParallel, runLoad, type LoadResult } from './support/load.ts';
import { machine, printTable, ratio, writeResults, type Row } from './support/report.ts';
import { postgresReachable, startBenchServer, type BenchServer } from './support/server.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 600);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const HELLO_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SKUS = 100;

const pools = new Map<string, Pool>();

async function api(server: BenchServer, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) {
  let pool = pools.get(server.url);
  if (!pool) pools.set(server.url, (pool = new Pool(server.url, { connections: CONCURRENCY })));
  const response = await pool.request({
    method,
    path,
    headers: { 'x-tenant': 'bench', ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const json = (await response.body.json()) as Record<string, any>;
  if (response.statusCode >= 300) throw new Error(`${method} ${path}: ${response.statusCode} ${json.code ?? ''}`);
  return json;
}

/** The server's own ceiling: its hello-world route under autocannon, from this process. */
async function helloWorld(server: BenchServer, seconds: number): Promise<LoadResult> {
  const result = await autocannon({ url: `${server.url}/bench/hello`, connections: CONCURRENCY, duration: seconds });
  return {
    completed: result.requests.total,
    failed: result.non2xx + result.errors,
    seconds,
    perSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    p999Ms: result.latency.p99_9 ?? result.latency.p99,
    failures: [],
  };
}

async function prepare(server: BenchServer) {
  await api(server, 'POST', '/api/operator/platforms', {
    slug: 'bench', name: 'Bench', defaultCurrency: 'CNY', quotas: { requestsPerSecond: 1_000_000, products: 100_000 },
    owner: { email: 'owner@bench.test', password: 'bench-owner-pass' },
  }, { authorization: `Bearer ${server.operatorToken}` });
  const staff = { authorization: `Bearer ${(await api(server, 'POST', '/api/admin/auth/login', { email: 'owner@bench.test', password: 'bench-owner-pass' })).session.token}` };
  const variants = await inParallel(SKUS, 4, async (i) => {
    const product = await api(server, 'POST', '/api/admin/products', { title: { en: `Bench product ${i}`, 'zh-CN': `压测商品 ${i}` }, status: 'active', variants: [{ sku: `BENCH-${i}`, prices: [{ currency: 'CNY', amount: 1000 + i }] }] }, staff);
    await api(server, 'POST', '/api/admin/inventory/adjustments', { variantId: product.variants[0].id, delta: 1_000_000, reason: 'bench stock' }, staff);
    return product.variants[0].id as string;
  });
  const customers = await inParallel(CUSTOMERS, 8, async (i) => {
    const registered = await api(server, 'POST', '/api/store/auth/register', { email: `shopper${i}@bench.test`, password: 'bench-shopper-pass' });
    return { authorization: `Bearer ${registered.session.token}` };
  });
  return { variants, customers, staff };
}

/** What the provider would send once the shopper paid: the sandbox's signed webhook. */
function paidWebhook(server: BenchServer, redirectUrl: string): { body: string; signature: string } {
  const secret = createHmac('sha256', server.operatorToken).update('sandbox-payments').digest('hex');
  const session = decodeSessionToken(new URL(redirectUrl, server.url).pathname.split('/').pop()!, secret);
  return createSandboxProvider({ secret, clock: { now: () => new Date() } }).completeSession(session, 'succeeded');
}

async function measure(server: BenchServer) {
  process.stdout.write(`[${server.database}] preparing ${SKUS} products and ${CUSTOMERS} customers…\n`);
  const { variants, customers, staff } = await prepare(server);
  const cartWithLine = async (i: number) => {
    const auth = customers[i]!;
    const cart = await api(server, 'POST', '/api/store/carts', {}, auth);
    await api(server, 'POST', `/api/store/carts/${cart.id}/lines`, { variantId: variants[i % SKUS], quantity: 1 }, auth);
    return cart.id as string;
  };
  const checkout = (i: number, cartId: string, run: string) =>
    api(server, 'POST', `/api/store/carts/${cartId}/checkout`, { shippingAddress: ADDRESS }, { ...customers[i]!, 'idempotency-key': `bench-${run}-${i}` });

  process.stdout.write(`[${server.database}] hello-world for ${HELLO_SECONDS}s…\n`);
  await helloWorld(server, 1);
  const hello = await helloWorld(server, HELLO_SECONDS);

  process.stdout.write(`[${server.database}] ${CUSTOMERS} carts, then ${CUSTOMERS} checkout requests…\n`);
  const carts = await inParallel(CUSTOMERS, CONCURRENCY, cartWithLine);
  const checkoutAlone = await runLoad({ concurrency: CONCURRENCY, iterations: CUSTOMERS, task: async (i) => void (await checkout(i, carts[i]!, 'alone')) });

  process.stdout.write(`[${server.database}] ${CUSTOMERS} shoppers: cart, add, checkout…\n`);
  const flow = await runLoad({ concurrency: CONCURRENCY, iterations: CUSTOMERS, task: async (i) => void (await checkout(i, await cartWithLine(i), 'flow')) });

  process.stdout.write(`[${server.database}] ${CUSTOMERS} paid purchases: cart, add, checkout, webhook…\n`);
  const purchase = await runLoad({
    concurrency: CONCURRENCY,
    iterations: CUSTOMERS,
    task: async (i) => {
      const placed = await checkout(i, await cartWithLine(i), 'paid');
      const webhook = paidWebhook(server, placed.payment.redirectUrl);
      const delivered = await api(server, 'POST', '/api/payments/sandbox/webhook', webhook.body, { 'content-type': 'application/json', [SIGNATURE_HEADER]: webhook.signature });
      if (delivered.outcome !== 'applied') throw new Error(`webhook: ${delivered.outcome}`);
    },
  });
  const paid = await api(server, 'GET', '/api/admin/orders?status=paid&limit=1', undefined, staff);
  if (paid.items.length === 0) throw new Error('no order was paid');

  process.stdout.write(`[${server.database}] ${CUSTOMERS} paid purchases with shipping, tax, member prices, a gift card and invoices…\n`);
  const full = await prepareFullCommerce(server, staff, variants, customers);
  const fullPurchase = await runLoad({
    concurrency: CONCURRENCY,
    iterations: CUSTOMERS,
    task: async (i) => {
      const placed = await checkoutWith(server, i, await cartWithLine(i), {
        shippingAddress: ADDRESS,
        shippingMethodId: full.methodId,
        tenders: [{ kind: 'gift_card', code: full.giftCards[i]! }],
        ...(i % 5 === 0 ? { invoice: { titleType: 'company', title: '压测科技有限公司', taxId: '91350100M000100Y43' } } : {}),
      }, customers[i]!);
      if (placed.order.shippingTotal <= 0 || placed.order.taxTotal <= 0 || placed.order.tenderTotal <= 0) throw new Error('the order was not priced with shipping, tax and a gift card');
      const webhook = paidWebhook(server, placed.payment.redirectUrl);
      const delivered = await api(server, 'POST', '/api/payments/sandbox/webhook', webhook.body, { 'content-type': 'application/json', [SIGNATURE_HEADER]: webhook.signature });
      if (delivered.outcome !== 'applied') throw new Error(`webhook: ${delivered.outcome}`);
    },
  });
  const rss = await server.rssBytes();
  return { hello, checkoutAlone, flow, purchase, fullPurchase, rss };
}

function checkoutWith(server: BenchServer, i: number, cartId: string, body: Record<string, unknown>, auth: Record<string, string>) {
  return api(server, 'POST', `/api/store/carts/${cartId}/checkout`, body, { ...auth, 'idempotency-key': `bench-full-${i}` });
}

/**
 * The platform set up as a Chinese shop would be: a zone for China with a by-weight method, VAT
 * on goods and on shipping, a member price list over every SKU with half the shoppers in the
 * group, and a gift card per shopper that pays part of the order.
 */
async function prepareFullCommerce(server: BenchServer, staff: Record<string, string>, variants: string[], customers: Record<string, string>[]) {
  const zone = await api(server, 'POST', '/api/admin/shipping/zones', { name: 'China', regions: [{ country: 'CN' }] }, staff);
  const method = await api(server, 'POST', `/api/admin/shipping/zones/${zone.id}/methods`, {
    name: { en: 'Standard', 'zh-CN': '标准快递' }, kind: 'standard', currency: 'CNY',
    rate: { type: 'weight', firstGrams: 1000, firstAmount: 800, stepGrams: 1000, stepAmount: 400 }, freeOver: 99_900, minDays: 2, maxDays: 4,
  }, staff);
  await api(server, 'POST', '/api/admin/tax/rates', { country: 'CN', rateBp: 1300, name: 'VAT 13%' }, staff);
  await api(server, 'POST', '/api/admin/tax/rates', { country: 'CN', taxClass: 'shipping', rateBp: 900, name: 'VAT 9%' }, staff);
  const group = await api(server, 'POST', '/api/admin/customer-groups', { code: 'members', name: { en: 'Members', 'zh-CN': '会员' } }, staff);
  const emails = customers.map((_, i) => `shopper${i}@bench.test`).filter((_, i) => i % 2 === 0);
  for (let start = 0; start < emails.length; start += 500) {
    await api(server, 'POST', `/api/admin/customer-groups/${group.id}/members`, { emails: emails.slice(start, start + 500) }, staff);
  }
  await api(server, 'POST', '/api/admin/price-lists', {
    name: 'Member prices', groupId: group.id, currency: 'CNY', prices: variants.map((variantId, i) => ({ variantId, amount: 900 + i })),
  }, staff);
  const giftCards = await inParallel(customers.length, 8, async () => (await api(server, 'POST', '/api/admin/gift-cards', { amount: 300 }, staff)).fullCode as string);
  return { methodId: method.id as string, giftCards };
}


const databases: ('pglite' | 'postgres')[] = ['pglite', ...((await postgresReachable()) ? (['postgres'] as const) : [])];
process.stdout.write(`bare Fastify hello-world for ${HELLO_SECONDS}s…\n`);
const bare = await measureBareFastify(CONCURRENCY, HELLO_SECONDS);
// The framework's own ceiling, beside Bazaar's (its share shows what Bazaar's pipeline costs).
const rows: Row[] = [{ database: '—', scenario: 'bare Fastify hello-world', unit: 'req', perSecond: bare.perSecond, p50Ms: bare.p50Ms, p99Ms: bare.p99Ms, vsHello: '—', failed: bare.failed }];
const results: Record<string, unknown> = { bareFastify: bare };
for (const database of databases) {
  // Every shopper signs up from the benchmark's one address.
  const server = await startBenchServer(database, { REGISTRATIONS_PER_ADDRESS_PER_HOUR: '10000000', REGISTRATIONS_PER_PLATFORM_PER_MINUTE: '10000000' });
  try {
    const { hello, checkoutAlone, flow, purchase, fullPurchase, rss } = await measure(server);
    const row = (scenario: string, unit: string, result: LoadResult, requests: number): Row => ({
      database, scenario, unit, perSecond: result.perSecond, p50Ms: result.p50Ms, p99Ms: result.p99Ms, vsHello: ratio(result.perSecond * requests, hello.perSecond), failed: result.failed,
    });
    rows.push(
      { ...row('hello-world (ceiling)', 'req', hello, 1), scenario: `hello-world (ceiling; ${ratio(hello.perSecond, bare.perSecond)} of bare Fastify)` },
      row('checkout request', 'order', checkoutAlone, 1),
      row('cart + add + checkout (3 req)', 'shopper', flow, 3),
      row('paid purchase (4 req, with webhook)', 'order', purchase, 4),
      row('paid purchase + shipping, tax, member price, gift card (4 req)', 'order', fullPurchase, 4),
    );
    results[database] = {
      hello: summary(hello),
      checkout: summary(checkoutAlone),
      flow: summary(flow),
      paidPurchase: summary(purchase),
      fullCommercePurchase: summary(fullPurchase),
      rssMiB: Math.round(rss / 2 ** 20),
    };
    for (const [name, result] of Object.entries({ checkout: checkoutAlone, flow, purchase, fullPurchase })) {
      if (result.failures.length > 0) process.stdout.write(`[${database}] ${name} failures: ${result.failures.join('; ')}\n`);
    }
    process.stdout.write(`[${database}] server RSS after load: ${Math.round(rss / 2 ** 20)} MiB\n`);
  } finally {
    await pools.get(server.url)?.close();
    await server.stop();
  }
}

printTable(`Checkout benchmark — ${CUSTOMERS} shoppers, ${CONCURRENCY} at a time, ${SKUS} SKUs ("vs hello-world" compares requests/s)`, rows);
const path = await writeResults('checkout', { machine: machine(), customers: CUSTOMERS, concurrency: CONCURRENCY, skus: SKUS, rows, results });
process.stdout.write(`Results written to ${path}\n`);

function summary(result: LoadResult) {
  const { failures: _failures, ...rest } = result;
  return rest;
}
