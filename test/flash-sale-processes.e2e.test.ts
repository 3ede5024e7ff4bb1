import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADDRESS } from './support/commerce.ts';
import { createScratchDatabase, dropScratchDatabase } from './support/databases.ts';
import { platformClient } from './support/http-client.ts';
import { flashSaleSizes } from './support/redis.ts';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from './support/server-process.ts';

type Json = Record<string, any>;
const OPERATOR_TOKEN = 'flash-process-test-operator-token-0123456789';
const sizes = await flashSaleSizes();

/** A platform with one product on a flash sale that has started, and registered customers. */
async function openSale(url: () => string, slug: string, options: { quantity: number; customers: number; perCustomerLimit?: number }) {
  const call = platformClient(url, slug);
  expect((await call('POST', '/api/operator/platforms', {
    slug, name: slug, defaultCurrency: 'CNY', quotas: { requestsPerSecond: 1_000_000 },
    owner: { email: `owner@${slug}.test`, password: 'owner-password' },
  }, { authorization: `Bearer ${OPERATOR_TOKEN}` })).status).toBe(201);
  const staff = { authorization: `Bearer ${(await call('POST', '/api/admin/auth/login', { email: `owner@${slug}.test`, password: 'owner-password' })).body.session.token}` };
  const product = await call('POST', '/api/admin/products', { title: { en: 'Phone' }, status: 'active', variants: [{ sku: 'PHONE', prices: [{ currency: 'CNY', amount: 399900 }] }] }, staff);
  const variantId = product.body.variants[0].id;
  await call('POST', '/api/admin/inventory/adjustments', { variantId, delta: options.quantity * 3, reason: 'opening' }, staff);
  const sale = await call('POST', '/api/admin/flash-sales', {
    variantId, price: 99900, quantity: options.quantity, perCustomerLimit: options.perCustomerLimit ?? 1,
    startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  }, staff);
  expect(sale.status).toBe(201);
  const customers: string[] = [];
  for (let i = 0; i < options.customers; i++) {
    customers.push((await call('POST', '/api/store/auth/register', { email: `c${i}@${slug}.test`, password: 'customer-pass' })).body.session.token);
  }
  const tokens = await Promise.all(customers.map(async (customer) =>
    (await call('POST', `/api/store/flash-sales/${sale.body.id}/purchase-token`, undefined, { authorization: `Bearer ${customer}` })).body.token as string));
  return { call, staff, saleId: sale.body.id as string, tokens };
}

function attempt(url: string, slug: string, saleId: string, token: string, key: string): Promise<{ status: number; body: Json } | 'no answer'> {
  return platformClient(() => url, slug)('POST', `/api/store/flash-sales/${saleId}/attempts`, { token, shippingAddress: ADDRESS }, { 'idempotency-key': key })
    .catch(() => 'no answer' as const);
}

/**
 * Bazaar servers started as child processes on one database (and one Redis, for the server size),
 * as a deployment of several nodes would be; `stopAll` kills them and drops what they used.
 */
function serverFleet(size: (typeof sizes)[number]) {
  let dataDir: string | undefined;
  let databaseUrl: string | undefined;
  const servers: ServerProcess[] = [];
  return {
    async start(): Promise<ServerProcess> {
      dataDir ??= await mkdtemp(join(tmpdir(), 'bazaar-flash-'));
      if (size.kind === 'postgres') databaseUrl ??= await createScratchDatabase();
      const server = await startServerProcess({
        DATA_DIR: dataDir,
        BAZAAR_SEED_DEMO: '0',
        BAZAAR_OPERATOR_TOKEN: OPERATOR_TOKEN,
        // Every test request comes from 127.0.0.1: the per-address limit would stop the crowd.
        FLASH_ATTEMPTS_PER_IP_PER_SECOND: '1000000',
        FLASH_ATTEMPTS_PER_CUSTOMER_PER_SECOND: '1000',
        REGISTRATIONS_PER_ADDRESS_PER_HOUR: '100000',
        REGISTRATIONS_PER_PLATFORM_PER_MINUTE: '100000',
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        ...(size.redisUrl ? { REDIS_URL: size.redisUrl } : {}),
      });
      servers.push(server);
      return server;
    },
    async stopAll(): Promise<void> {
      await Promise.all(servers.map((server) => server.stop('SIGKILL')));
      if (databaseUrl) await dropScratchDatabase(databaseUrl);
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describe.each(sizes)('a flash sale through kill -9, $name', (size) => {
  const fleet = serverFleet(size);
  afterAll(() => fleet.stopAll());

  it('every purchase answered "admitted" has its order after kill -9 and restart, and the sale still sells out exactly', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    let server = await fleet.start();
    const QUANTITY = 600;
    const { call, staff, saleId, tokens } = await openSale(() => server.url, 'crash', { quantity: QUANTITY, customers: 40, perCustomerLimit: 50 });

    // Forty customers each buy again and again; the server is killed once some purchases were
    // admitted, while the rest are in flight.
    const admitted: string[] = [];
    let killed = false;
    const shopper = async (token: string, i: number) => {
      for (let n = 0; !killed; n++) {
        const answer = await attempt(server.url, 'crash', saleId, token, `crash-first-${i}-${n}`);
        if (answer === 'no answer' || answer.status !== 201) return;
        admitted.push(answer.body.orderId);
      }
    };
    const crowd = Promise.all(tokens.map(shopper));
    await expect.poll(() => admitted.length, { timeout: 30_000, interval: 5 }).toBeGreaterThanOrEqual(100);
    killed = true;
    await server.stop('SIGKILL');
    await crowd;
    process.stdout.write(`[flash crash ${size.kind}] ${admitted.length} of ${QUANTITY} admitted before SIGKILL\n`);
    expect(admitted.length).toBeLessThan(QUANTITY);

    server = await fleet.start();
    for (const orderId of admitted) {
      const order = await call('GET', `/api/admin/orders/${orderId}`, undefined, staff);
      expect(order.status, `admitted order ${orderId}`).toBe(200);
      expect(order.body).toMatchObject({ status: 'pending_payment', total: 99900 });
    }

    // Demand is above supply: once the node's lost admissions are settled, every unit sells.
    await expect.poll(async () => {
      await Promise.all(tokens.map(async (token, i) => {
        for (let n = 0; n < 20; n++) await attempt(server.url, 'crash', saleId, token, `crash-again-${i}-${Date.now()}-${n}`);
      }));
      return (await call('GET', `/api/admin/flash-sales/${saleId}`, undefined, staff)).body.live.sold;
    }, { timeout: 90_000, interval: 2_000 }).toBe(QUANTITY);
    const live = (await call('GET', `/api/admin/flash-sales/${saleId}`, undefined, staff)).body.live;
    expect(live).toMatchObject({ sold: QUANTITY, remaining: 0 });
  });
});

const serverSize = sizes.find((size) => size.redisUrl);

describe.runIf(serverSize)('a flash sale on two nodes sharing Redis', () => {
  const fleet = serverFleet(serverSize!);
  afterAll(() => fleet.stopAll());

  it('two app processes sharing Redis sell exactly the quantity between them', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const first = await fleet.start();
    const second = await fleet.start();
    const QUANTITY = 60;
    const { call, staff, saleId, tokens } = await openSale(() => first.url, 'twins', { quantity: QUANTITY, customers: 150 });
    const answers = await Promise.all(tokens.flatMap((token, i) => [
      attempt(first.url, 'twins', saleId, token, `twin-a-${i}`),
      attempt(second.url, 'twins', saleId, token, `twin-b-${i}`),
    ]));
    const admitted = answers.filter((answer) => answer !== 'no answer' && answer.status === 201);
    expect(admitted).toHaveLength(QUANTITY);
    expect(answers.every((answer) => answer !== 'no answer' && [201, 409].includes(answer.status))).toBe(true);
    const orders = await call('GET', '/api/admin/orders?limit=100', undefined, staff);
    expect(orders.body.items).toHaveLength(QUANTITY);
    const perCustomer = new Set(orders.body.items.map((order: Json) => order.customerId));
    expect(perCustomer.size).toBe(QUANTITY); // the limit is one each, across both nodes
    expect((await call('GET', `/api/admin/flash-sales/${saleId}`, undefined, staff)).body.live).toMatchObject({ sold: QUANTITY, remaining: 0 });
  });
});
