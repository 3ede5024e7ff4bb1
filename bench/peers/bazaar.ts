/**
 * Bazaar for bench:peers: started by startBenchServer('postgres') on the bench's database, seeded
 * with the peers' catalog, and bought from exactly as bench:checkout's "paid purchase" does
 * (registered shopper: cart, add, checkout, the sandbox provider's signed webhook).
 */
import { createHmac } from 'node:crypto';
import { decodeSessionToken } from '../../src/modules/payments/sandbox-checkout-token.ts';
import { createSandboxProvider, SIGNATURE_HEADER } from '../../src/modules/payments/sandbox-provider.ts';
import { ADDRESS } from '../../test/support/commerce.ts';
import { inParallel } from '../support/load.ts';
import { startBenchServer, type BenchServer } from '../support/server.ts';
import { databaseUrl, Http, PRODUCTS, productPrice, productSlug, productTitle, STOCK, WORDS, type Peer, type PeerDriver } from './common.ts';

async function seed(server: BenchServer, http: Http, customers: number, log: (line: string) => void) {
  const tenant = { 'x-tenant': 'bench' };
  await http.request('POST', '/api/operator/platforms', {
    slug: 'bench', name: 'Bench', defaultCurrency: 'CNY', quotas: { requestsPerSecond: 1_000_000, products: 100_000 },
    owner: { email: 'owner@bench.test', password: 'bench-owner-pass' },
  }, { authorization: `Bearer ${server.operatorToken}` });
  const login = await http.request('POST', '/api/admin/auth/login', { email: 'owner@bench.test', password: 'bench-owner-pass' }, tenant);
  const staff = { ...tenant, authorization: `Bearer ${login.json.session.token}` };
  log(`[bazaar] seeding ${PRODUCTS} products and ${customers} customers…`);
  const products = await inParallel(PRODUCTS, 4, async (i) => {
    const product = (await http.request('POST', '/api/admin/products', {
      title: { en: productTitle(i) }, slug: productSlug(i), description: { en: 'A product for load tests.' }, status: 'active',
      variants: [{ sku: `BENCH-${i}`, prices: [{ currency: 'CNY', amount: productPrice(i) }] }],
    }, staff)).json;
    await http.request('POST', '/api/admin/inventory/adjustments', { variantId: product.variants[0].id, delta: STOCK, reason: 'bench stock' }, staff);
    return { id: product.id as string, variantId: product.variants[0].id as string };
  });
  const shoppers = await inParallel(customers, 8, async (i) => {
    const registered = await http.request('POST', '/api/store/auth/register', { email: `shopper${i}@bench.test`, password: 'bench-shopper-pass' }, tenant);
    return { ...tenant, authorization: `Bearer ${registered.json.session.token}` };
  });
  return { products, shoppers, staff };
}

/** What the provider would send once the shopper paid: the sandbox's signed webhook. */
function paidWebhook(server: BenchServer, redirectUrl: string): { body: string; signature: string } {
  const secret = createHmac('sha256', server.operatorToken).update('sandbox-payments').digest('hex');
  const session = decodeSessionToken(new URL(redirectUrl, server.url).pathname.split('/').pop()!, secret);
  return createSandboxProvider({ secret, clock: { now: () => new Date() } }).completeSession(session, 'succeeded');
}

export const bazaar: PeerDriver = {
  name: 'Bazaar',
  version: 'this repo',
  async start(database, log, customers) {
    const spawned = performance.now();
    // Every shopper signs up from the benchmark's one address.
    const server = await startBenchServer('postgres', { REGISTRATIONS_PER_ADDRESS_PER_HOUR: '10000000', REGISTRATIONS_PER_PLATFORM_PER_MINUTE: '10000000' }, databaseUrl(database));
    const http = new Http(server.url);
    await http.request('GET', '/bench/hello');
    const startupMs = performance.now() - spawned;
    log(`[bazaar] up in ${(startupMs / 1000).toFixed(1)} s`);
    const { products, shoppers, staff } = await seed(server, http, customers, log);
    const tenant = { 'x-tenant': 'bench' };
    let purchases = 0; // each purchase its own idempotency key and, in turn, its own shopper

    const peer: Peer = {
      name: 'Bazaar',
      version: 'this repo',
      pid: server.pid,
      database,
      startupMs,
      checkoutRequests: 4,
      checkoutSteps: 'POST cart, POST line, POST checkout (address in body), POST sandbox webhook (signed, the provider\'s call)',
      customers: 'registered customers (one per checkout, signed up beforehand)',
      async productPage(i) {
        await http.request('GET', `/api/store/products/${products[i % PRODUCTS]!.id}`, undefined, tenant);
      },
      async listing() {
        const page = await http.request('GET', '/api/store/products?limit=20', undefined, tenant);
        if (page.json.items.length !== 20) throw new Error('listing short');
      },
      async search(i) {
        const page = await http.request('GET', `/api/store/products?q=${WORDS[i % WORDS.length]}&limit=20`, undefined, tenant);
        if (page.json.items.length === 0) throw new Error('search found nothing');
      },
      async checkout(i) {
        const n = purchases++;
        const auth = shoppers[n % shoppers.length]!;
        const cart = (await http.request('POST', '/api/store/carts', {}, auth)).json;
        await http.request('POST', `/api/store/carts/${cart.id}/lines`, { variantId: products[i % PRODUCTS]!.variantId, quantity: 1 }, auth);
        const placed = (await http.request('POST', `/api/store/carts/${cart.id}/checkout`, { shippingAddress: ADDRESS }, { ...auth, 'idempotency-key': `peers-purchase-${n}` })).json;
        const webhook = paidWebhook(server, placed.payment.redirectUrl);
        const delivered = await http.request('POST', '/api/payments/sandbox/webhook', webhook.body, { 'content-type': 'application/json', [SIGNATURE_HEADER]: webhook.signature });
        if (delivered.json.outcome !== 'applied') throw new Error(`webhook: ${delivered.json.outcome}`);
      },
      async verifyPaid() {
        const paid = await http.request('GET', '/api/admin/orders?status=paid&limit=1', undefined, staff);
        if (paid.json.items.length === 0) throw new Error('no Bazaar order is paid');
      },
      async stop() {
        await http.close();
        await server.stop();
      },
    };
    return peer;
  },
};
