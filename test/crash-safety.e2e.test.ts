import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADDRESS } from './support/commerce.ts';
import { createScratchDatabase, databaseKinds, dropScratchDatabase } from './support/databases.ts';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from './support/server-process.ts';

type Json = Record<string, any>;
const SKUS = ['CRASH-A', 'CRASH-B', 'CRASH-C', 'CRASH-D'];
const UNITS = 30;
const CUSTOMERS = 60;

/**
 * The server runs as a child process; checkouts and payments are in flight when it is killed
 * with SIGKILL. After a restart on the same data, everything it acknowledged must be there.
 */
describe.each(await databaseKinds())('crash safety on %s', (kind) => {
  let dataDir: string;
  let databaseUrl: string | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (databaseUrl) await dropScratchDatabase(databaseUrl);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('every acknowledged order and payment survives kill -9, stock adds up, nothing is paid twice', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-crash-'));
    if (kind === 'postgres') databaseUrl = await createScratchDatabase();
    // All sixty customers sign up from 127.0.0.1.
    const env = { DATA_DIR: dataDir, BAZAAR_SEED_DEMO: '0', REGISTRATIONS_PER_ADDRESS_PER_HOUR: '100000', REGISTRATIONS_PER_PLATFORM_PER_MINUTE: '100000', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
    server = await startServerProcess(env);
    const operator = (await readFile(join(dataDir, 'operator-token'), 'utf8')).trim();

    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server!.url}${path}`, {
        method,
        headers: { 'x-tenant': 'crash', ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as Json };
    };

    // Set-up: a platform, four products with stock, sixty customers each with a cart.
    expect((await call('POST', '/api/operator/platforms', {
      slug: 'crash', name: 'Crash', defaultCurrency: 'CNY', quotas: { requestsPerSecond: 100000 },
      owner: { email: 'owner@crash.test', password: 'owner-password' },
    }, { authorization: `Bearer ${operator}` })).status).toBe(201);
    const staff = (await call('POST', '/api/admin/auth/login', { email: 'owner@crash.test', password: 'owner-password' })).body.session.token;
    const variants: string[] = [];
    for (const sku of SKUS) {
      const product = await call('POST', '/api/admin/products', { title: { en: sku }, status: 'active', variants: [{ sku, prices: [{ currency: 'CNY', amount: 1500 }] }] }, { authorization: `Bearer ${staff}` });
      variants.push(product.body.variants[0].id);
      await call('POST', '/api/admin/inventory/adjustments', { variantId: product.body.variants[0].id, delta: UNITS, reason: 'opening' }, { authorization: `Bearer ${staff}` });
    }
    const shoppers = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const token = (await call('POST', '/api/store/auth/register', { email: `c${i}@crash.test`, password: 'customer-pass' })).body.session.token;
      const auth = { authorization: `Bearer ${token}` };
      const cartId = (await call('POST', '/api/store/carts', {}, auth)).body.id;
      await call('POST', `/api/store/carts/${cartId}/lines`, { variantId: variants[i % SKUS.length], quantity: 1 + (i % 2) }, auth);
      shoppers.push({ auth, cartId, key: `crash-key-${i}` });
    }

    // Load: each shopper checks out and pays. The server dies part-way through.
    const acknowledgedOrders = new Map<string, { quantity: number; variantId: string }>();
    const acknowledgedPaid = new Set<string>();
    let completed = 0;
    const shop = shoppers.map(async (shopper, i) => {
      try {
        const checkout = await call('POST', `/api/store/carts/${shopper.cartId}/checkout`, { shippingAddress: ADDRESS }, { ...shopper.auth, 'idempotency-key': shopper.key });
        if (checkout.status === 201 || checkout.status === 200) {
          acknowledgedOrders.set(checkout.body.order.id, { quantity: 1 + (i % 2), variantId: variants[i % SKUS.length]! });
          const path = new URL(checkout.body.payment.redirectUrl, server!.url).pathname;
          const paid = await call('POST', `${path}/complete`, { outcome: 'succeeded' });
          if (paid.status === 200 && paid.body.webhook === 'applied') acknowledgedPaid.add(checkout.body.order.id);
        }
      } catch {
        // The connection died with the server: not acknowledged, so nothing is promised.
      } finally {
        completed++;
      }
    });
    while (completed < CUSTOMERS / 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.stop('SIGKILL');
    await Promise.all(shop);
    // The kill landed mid-load: some shoppers were served, others' checkout or payment was cut off.
    expect(acknowledgedOrders.size).toBeGreaterThan(0);
    expect(acknowledgedPaid.size).toBeLessThan(CUSTOMERS);
    process.stdout.write(`[crash ${kind}] acknowledged ${acknowledgedOrders.size} orders, ${acknowledgedPaid.size} payments before SIGKILL\n`);

    // Restart on the same data and check every promise the dead server made.
    server = await startServerProcess(env);
    const adminAuth = { authorization: `Bearer ${(await call('POST', '/api/admin/auth/login', { email: 'owner@crash.test', password: 'owner-password' })).body.session.token}` };
    const orders = new Map<string, Json>();
    let cursor: string | null = null;
    do {
      const page: Json = (await call('GET', `/api/admin/orders?limit=100${cursor ? `&cursor=${cursor}` : ''}`, undefined, adminAuth)).body;
      for (const order of page.items) orders.set(order.id, order);
      cursor = page.nextCursor;
    } while (cursor);

    for (const id of acknowledgedOrders.keys()) expect(orders.has(id), `acknowledged order ${id} is missing`).toBe(true);
    for (const id of acknowledgedPaid) expect(orders.get(id)?.status, `paid order ${id}`).toBe('paid');

    for (const variantId of variants) {
      const stock = (await call('GET', `/api/admin/inventory?variantId=${variantId}`, undefined, adminAuth)).body.items[0];
      const linesOf = (status: string) =>
        [...orders.values()].filter((o) => o.status === status).flatMap((o) => o.lines).filter((l: Json) => l.variantId === variantId).reduce((sum: number, l: Json) => sum + l.quantity, 0);
      expect(stock.onHand, `on hand of ${variantId}`).toBe(UNITS - linesOf('paid'));
      expect(stock.reserved, `reserved of ${variantId}`).toBe(linesOf('pending_payment'));
    }
    for (const order of orders.values()) {
      const detail = (await call('GET', `/api/admin/orders/${order.id}`, undefined, adminAuth)).body;
      expect(detail.payments.filter((p: Json) => p.status === 'succeeded').length).toBeLessThanOrEqual(1);
      if (order.status === 'paid') expect(detail.payments.filter((p: Json) => p.status === 'succeeded')).toHaveLength(1);
    }

    // Events committed before the crash are delivered after the restart.
    let backlog: Json[] = [];
    for (let attempt = 0; attempt < 100; attempt++) {
      backlog = (await call('GET', '/api/operator/outbox', undefined, { authorization: `Bearer ${operator}` })).body.subscribers;
      if (backlog.every((s) => s.pending === 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(backlog.length).toBeGreaterThan(0);
    expect(backlog.filter((s) => s.pending > 0)).toEqual([]);
  });
});
