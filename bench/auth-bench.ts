/**
 * npm run bench:auth — staff logins while a crowd floods customer sign-ups, from this process
 * against Bazaar running as its own process, on embedded PGlite and on PostgreSQL (when
 * reachable). Every sign-up and login costs a password hash (scrypt), so a flood of sign-ups is
 * the cheapest way to starve logins; the limits and the hashing queue are what stand between.
 *
 * Scenarios, each beside the same logins on an idle server:
 *   - one address floods (all load from 127.0.0.1): the per-address sign-up limit refuses most;
 *   - many addresses flood (a trusted proxy forwards a different client address per request):
 *     only the per-platform limit and the hashing queue's backlog hold the crowd back.
 *
 *   BENCH_FLOOD (sign-ups per burst, default 120)  BENCH_ROUNDS (bursts per scenario, default 20)
 */
import { Pool } from 'undici';
import { measureBareFastify } from './support/bare-fastify.ts';
import type { LoadResult } from './support/load.ts';
import { machine, printTable, writeResults, type Row } from './support/report.ts';
import { postgresReachable, startBenchServer, type BenchServer } from './support/server.ts';

const FLOOD = Number(process.env.BENCH_FLOOD ?? 120);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const STAFF = { email: 'owner@auth.test', password: 'auth-bench-owner' };

async function post(pool: Pool, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, any> }> {
  const response = await pool.request({ method: 'POST', path, headers: { 'x-tenant': 'auth', 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.statusCode, json: (await response.body.json()) as Record<string, any> };
}

let staffLogins = 0;

/**
 * One staff login, timed. Each comes from an address of its own (forwarded by the trusted
 * loopback proxy): the bench logs in more often than the per-address login throttle allows a
 * minute, and a member of staff doesn't share the flooding crowd's address.
 */
async function staffLogin(pool: Pool): Promise<number> {
  const n = staffLogins++;
  const started = performance.now();
  const login = await post(pool, '/api/admin/auth/login', STAFF, { 'x-forwarded-for': `198.51.${(n >> 8) & 255}.${n & 255}` });
  if (login.status !== 200) throw new Error(`staff login: ${login.status} ${login.json.code}`);
  return performance.now() - started;
}

interface FloodOutcome {
  accepted: number;
  refused: Record<string, number>;
}

/**
 * `ROUNDS` bursts, each of `FLOOD` sign-ups sent at one instant with a staff login among them
 * (the audit's flood); the login's latency is what a member of staff waits. `address` names the
 * client address of each sign-up (undefined: the socket's, 127.0.0.1).
 */
async function bursts(pool: Pool, scenario: string, address: (n: number) => string | undefined): Promise<{ logins: LoadResult; outcome: FloodOutcome }> {
  const outcome: FloodOutcome = { accepted: 0, refused: {} };
  const latencies: number[] = [];
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    const signUps = Array.from({ length: FLOOD }, async (_, k) => {
      const i = round * FLOOD + k;
      const forwarded = address(i);
      const signUp = await post(pool, '/api/store/auth/register', { email: `${scenario}-${i}@auth.test`, password: 'flood-password-1' }, forwarded ? { 'x-forwarded-for': forwarded } : {});
      if (signUp.status === 201) outcome.accepted++;
      else {
        const code = String(signUp.json.code ?? signUp.status);
        outcome.refused[code] = (outcome.refused[code] ?? 0) + 1;
      }
    });
    // Sent after the whole burst, so it meets a full queue.
    const login = staffLogin(pool);
    const [latency] = await Promise.all([login, ...signUps]);
    latencies.push(latency as number);
  }
  return { logins: summarize(latencies, (performance.now() - started) / 1000), outcome };
}

function summarize(latencies: number[], seconds: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { completed: sorted.length, failed: 0, seconds, perSecond: sorted.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), p999Ms: at(0.999), failures: [] };
}

async function benchDatabase(database: 'pglite' | 'postgres'): Promise<{ rows: Row[]; floods: Record<string, FloodOutcome> }> {
  // Loopback is the trusted proxy, so the many-address scenario can name its clients.
  const server: BenchServer = await startBenchServer(database, { TRUST_PROXY: 'loopback' });
  const pool = new Pool(server.url, { connections: FLOOD + 4 });
  try {
    await post(pool, '/api/operator/platforms', {
      slug: 'auth', name: 'Auth bench', defaultCurrency: 'CNY', quotas: { requestsPerSecond: 1_000_000, products: 100 }, owner: STAFF,
    }, { authorization: `Bearer ${server.operatorToken}` });
    const row = (scenario: string, result: LoadResult): Row => ({ database, scenario, unit: 'login', perSecond: result.perSecond, p50Ms: result.p50Ms, p99Ms: result.p99Ms, vsHello: '', failed: result.failed });

    const idle: number[] = [];
    const idleStarted = performance.now();
    for (let round = 0; round < ROUNDS; round++) idle.push(await staffLogin(pool));
    const oneAddress = await bursts(pool, 'one-address', () => undefined);
    const manyAddresses = await bursts(pool, 'many-addresses', (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    return {
      rows: [
        row('staff login, idle server', summarize(idle, (performance.now() - idleStarted) / 1000)),
        row(`staff login amid ${FLOOD} sign-ups from one address`, oneAddress.logins),
        row(`staff login amid ${FLOOD} sign-ups from ${FLOOD} addresses`, manyAddresses.logins),
      ],
      floods: { oneAddress: oneAddress.outcome, manyAddresses: manyAddresses.outcome },
    };
  } finally {
    await pool.close();
    await server.stop();
  }
}

const databases: ('pglite' | 'postgres')[] = (await postgresReachable()) ? ['pglite', 'postgres'] : ['pglite'];
process.stdout.write('bare Fastify hello-world for 5s…\n');
const bare = await measureBareFastify(32, 5);
// Not a ceiling for logins (a password hash is meant to be slow): the framework's own rate on this
// machine in this run, so that runs on different machines can be told apart.
const rows: Row[] = [{ database: '—', scenario: 'bare Fastify hello-world (machine reference)', unit: 'req', perSecond: bare.perSecond, p50Ms: bare.p50Ms, p99Ms: bare.p99Ms, vsHello: '—', failed: bare.failed }];
const floods: Record<string, Record<string, FloodOutcome>> = {};
for (const database of databases) {
  const result = await benchDatabase(database);
  rows.push(...result.rows);
  floods[database] = result.floods;
}
printTable(`Staff logins during sign-up floods (${ROUNDS} bursts of ${FLOOD} sign-ups at one instant)`, rows.map((row) => ({ ...row, vsHello: '—' })));
for (const [database, outcome] of Object.entries(floods)) {
  for (const [scenario, { accepted, refused }] of Object.entries(outcome)) {
    process.stdout.write(`${database}, ${scenario}: ${accepted} sign-ups accepted, refused ${JSON.stringify(refused)}\n`);
  }
}
const path = await writeResults('auth', { machine: machine(), flood: FLOOD, rounds: ROUNDS, rows, floods });
process.stdout.write(`\nresults: ${path}\n`);
