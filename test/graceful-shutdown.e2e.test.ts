import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADDRESS } from './support/commerce.ts';
import { createScratchDatabase, databaseKinds, dropScratchDatabase } from './support/databases.ts';
import { PROCESS_TEST_TIMEOUT_MS, startServerProcess, type ServerProcess } from './support/server-process.ts';

type Json = Record<string, any>;
type Outcome = { status: number; orderId?: string } | { error: string };
const SLUG = 'drain';
const OWNER = { email: 'owner@drain.test', password: 'owner-password' };
/** What the server logs once it refuses new requests (src/app/drain.ts). */
const DRAINING = 'stopping: refusing new requests';

/**
 * The server runs as a child process started the way `npm start` starts it; checkouts are in
 * flight when it gets SIGTERM. The server's own request log (with the request id each checkout
 * sends) says which requests it accepted, so "in flight" is what the server saw, not a guess.
 */
describe.each(await databaseKinds())('graceful shutdown on %s', (kind) => {
  let dataDir: string;
  let databaseUrl: string | undefined;
  let server: ServerProcess | undefined;
  const env = () => ({ DATA_DIR: dataDir, BAZAAR_SEED_DEMO: '0', LOG_LEVEL: 'info', REGISTRATIONS_PER_ADDRESS_PER_HOUR: '100000', REGISTRATIONS_PER_PLATFORM_PER_MINUTE: '100000', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  let operatorToken: string;
  let variantId: string;

  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (databaseUrl) await dropScratchDatabase(databaseUrl);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server!.url}${path}`, {
      method,
      headers: { 'x-tenant': SLUG, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Json };
  };

  async function shoppersWithCarts(count: number, prefix: string) {
    const shoppers = [];
    for (let i = 0; i < count; i++) {
      const registered = await call('POST', '/api/store/auth/register', { email: `${prefix}${i}@drain.test`, password: 'customer-pass' });
      const auth = { authorization: `Bearer ${registered.body.session.token}` };
      const cartId = (await call('POST', '/api/store/carts', {}, auth)).body.id;
      expect((await call('POST', `/api/store/carts/${cartId}/lines`, { variantId, quantity: 1 }, auth)).status).toBe(200);
      shoppers.push({ id: `${prefix}${i}`, auth, cartId });
    }
    return shoppers;
  }

  /** Every order the platform holds, read through a fresh start on the same data. */
  async function ordersAfterRestart(): Promise<Set<string>> {
    server = await startServerProcess(env());
    return ordersNow();
  }

  async function ordersNow(): Promise<Set<string>> {
    const staff = (await call('POST', '/api/admin/auth/login', OWNER)).body.session.token;
    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: Json = (await call('GET', `/api/admin/orders?limit=100${cursor ? `&cursor=${cursor}` : ''}`, undefined, { authorization: `Bearer ${staff}` })).body;
      for (const order of page.items) ids.add(order.id);
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  /**
   * Sends every shopper's checkout at once and, while some the server accepted are still
   * unanswered, sends the signals; once the server says it is draining, sends the late shoppers'
   * checkouts. Resolves when the process has exited.
   */
  async function checkoutsDuringShutdown(running: ServerProcess, shoppers: Awaited<ReturnType<typeof shoppersWithCarts>>, late: typeof shoppers, signals: number) {
    const ids = new Set([...shoppers, ...late].map((shopper) => shopper.id));
    const accepted = new Set<string>();
    const outcomes = new Map<string, Outcome>();
    const changed = new EventEmitter();
    let draining = false;
    let pending = '';
    const outputRead = new Promise((resolve) => running.child.stdout!.once('end', resolve));
    running.child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Json;
        if (entry.msg === 'incoming request' && ids.has(entry.reqId)) accepted.add(entry.reqId);
        if (typeof entry.msg === 'string' && entry.msg.startsWith(DRAINING)) draining = true;
      }
      changed.emit('change');
    });
    const unanswered = () => [...accepted].filter((id) => !outcomes.has(id));

    const checkoutOf = async (shopper: (typeof shoppers)[number]) => {
      try {
        const response = await fetch(`${running.url}/api/store/carts/${shopper.cartId}/checkout`, {
          method: 'POST',
          headers: { 'x-tenant': SLUG, 'content-type': 'application/json', 'idempotency-key': `drain-key-${shopper.id}`, 'x-request-id': shopper.id, ...shopper.auth },
          body: JSON.stringify({ shippingAddress: ADDRESS }),
        });
        const body = (await response.json().catch(() => ({}))) as Json;
        outcomes.set(shopper.id, { status: response.status, ...(body.order?.id ? { orderId: body.order.id } : {}) });
      } catch (error) {
        // No answer: the connection was refused or reset.
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        outcomes.set(shopper.id, { error: cause?.code ?? cause?.message ?? String(error) });
      }
      changed.emit('change');
    };

    // Waits for a condition, re-checked whenever a request is accepted or answered.
    const until = (what: string, condition: () => boolean, hopeless: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (condition() || hopeless()) {
            changed.off('change', check);
            if (condition()) resolve();
            else reject(new Error(`never happened: ${what}\n${running.output().slice(-2000)}`));
          }
        };
        changed.on('change', check);
        void running.exited.then(check);
        check();
      });
    const exited = () => running.child.exitCode !== null || running.child.signalCode !== null;

    const load = shoppers.map(checkoutOf);
    // At least one checkout answered and several still waiting. With PostgreSQL they wait inside
    // the server (accepted, their queries running); embedded PGlite runs each checkout to its end
    // before the event loop reads the next request, so there they wait at the server's door.
    const waiting = () => (kind === 'postgres' ? unanswered().length : shoppers.length - outcomes.size);
    await until('checkouts in flight', () => outcomes.size > 0 && waiting() >= 3, () => outcomes.size === shoppers.length || exited());
    const inFlightAtSignal = unanswered();
    const waitingAtSignal = waiting();
    running.child.kill('SIGTERM');
    await until('the server says it is draining', () => draining, exited);
    let inFlightAtSecondSignal: string[] = [];
    if (signals > 1) {
      inFlightAtSecondSignal = unanswered();
      running.child.kill('SIGTERM');
    }
    const refused = late.map(checkoutOf);
    const [code] = await Promise.all([running.exited, outputRead, ...load, ...refused]);
    return { code, accepted, outcomes, inFlightAtSignal, waitingAtSignal, inFlightAtSecondSignal, late: late.map((shopper) => shopper.id) };
  }

  function expectDrained(result: Awaited<ReturnType<typeof checkoutsDuringShutdown>>) {
    expect(result.code, running().output().slice(-2000)).toBe(0);
    expect(result.waitingAtSignal).toBeGreaterThan(0);
    if (kind === 'postgres') expect(result.inFlightAtSignal.length).toBeGreaterThan(0);
    // Every checkout the server accepted, in flight at the signal or not, got its order.
    for (const id of result.accepted) expect(result.outcomes.get(id), `accepted checkout ${id}`).toMatchObject({ status: 201 });
    // Those it didn't accept were refused: a 503, or no connection at all. Never a 2xx.
    for (const [id, outcome] of result.outcomes) {
      if (!result.accepted.has(id)) expect('status' in outcome ? outcome.status : 503, `checkout ${id}: ${JSON.stringify(outcome)}`).toBe(503);
    }
    for (const id of result.late) expect(result.accepted.has(id), `late checkout ${id} was accepted`).toBe(false);
  }

  function acknowledged(result: Awaited<ReturnType<typeof checkoutsDuringShutdown>>): string[] {
    return [...result.outcomes.values()].flatMap((outcome) => ('status' in outcome && outcome.status === 201 && outcome.orderId ? [outcome.orderId] : []));
  }

  const running = () => server!;

  it('one SIGTERM under load: checkouts in flight finish, new ones are refused, exit 0, nothing acknowledged is lost', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-drain-'));
    if (kind === 'postgres') databaseUrl = await createScratchDatabase();
    server = await startServerProcess(env());
    operatorToken = (await readFile(join(dataDir, 'operator-token'), 'utf8')).trim();
    expect((await call('POST', '/api/operator/platforms', {
      slug: SLUG, name: 'Drain', defaultCurrency: 'CNY', quotas: { requestsPerSecond: 100000 }, owner: OWNER,
    }, { authorization: `Bearer ${operatorToken}` })).status).toBe(201);
    const staff = { authorization: `Bearer ${(await call('POST', '/api/admin/auth/login', OWNER)).body.session.token}` };
    const product = await call('POST', '/api/admin/products', { title: { en: 'Tea' }, status: 'active', variants: [{ sku: 'DRAIN-TEA', prices: [{ currency: 'CNY', amount: 1200 }] }] }, staff);
    variantId = product.body.variants[0].id;
    expect((await call('POST', '/api/admin/inventory/adjustments', { variantId, delta: 1000, reason: 'opening' }, staff)).status).toBe(201);

    const shoppers = await shoppersWithCarts(40, 'first');
    const late = await shoppersWithCarts(6, 'late');
    const result = await checkoutsDuringShutdown(server, shoppers, late, 1);
    expectDrained(result);

    const orders = await ordersAfterRestart();
    expect([...orders].sort()).toEqual(acknowledged(result).sort());
  });

  it('a second SIGTERM during the drain does not cut it short', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const before = await ordersNow();
    const shoppers = await shoppersWithCarts(24, 'second');
    const result = await checkoutsDuringShutdown(server!, shoppers, [], 2);
    expectDrained(result);
    if (kind === 'postgres') expect(result.inFlightAtSecondSignal.length).toBeGreaterThan(0);

    const orders = await ordersAfterRestart();
    expect([...orders].filter((id) => !before.has(id)).sort()).toEqual(acknowledged(result).sort());
  });
});
