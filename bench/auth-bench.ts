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
 *   BENCH_FLOOD (concurrent sign-ups, default 120)  BENCH_SECONDS (per scenario, default 10)
 */
import { Pool } from 'undici';
import { runLoad, type LoadResult } from './support/load.ts';
import { machine, printTable, writeResults, type Row } from './support/report.ts';
import { postgresReachable, startBenchServer, type BenchServer } from './support/server.ts';

const FLOOD = Number(process.env.BENCH_FLOOD ?? 120);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const STAFF = { email: 'owner@auth.test', password: 'auth-bench-owner' };

async function post(pool: Pool, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, any> }> {
  const response = await pool.request({ method: 'POST', path, headers: { 'x-tenant': 'auth', 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.statusCode, json: (await response.body.json()) as Record<string, any> };
}

/** Staff logins one after another for `seconds`, each timed. */
function staffLogins(pool: Pool, seconds: number): Promise<LoadResult> {
  return runLoad({
    concurrency: 1,
    seconds,
    task: async () => {
      const login = await post(pool, '/api/admin/auth/login', STAFF);
      if (login.status !== 200) throw new Error(`staff login: ${login.status} ${login.json.code}`);
    },
  });
}

interface FloodOutcome {
  accepted: number;
  refused: Record<string, number>;
}

/** `FLOOD` clients signing up back to back until `until` resolves; `address` names each client's address. */
async function flood(pool: Pool, until: Promise<unknown>, address: (n: number) => string | undefined): Promise<FloodOutcome> {
  const outcome: FloodOutcome = { accepted: 0, refused: {} };
  let stop = false;
  void until.then(() => (stop = true));
  let n = 0;
  await Promise.all(
    Array.from({ length: FLOOD }, async () => {
      while (!stop) {
        const i = n++;
        const forwarded = address(i);
        const signUp = await post(pool, '/api/store/auth/register', { email: `flood-${i}@auth.test`, password: 'flood-password-1' }, forwarded ? { 'x-forwarded-for': forwarded } : {});
        if (signUp.status === 201) outcome.accepted++;
        else outcome.refused[signUp.json.code ?? String(signUp.status)] = (outcome.refused[signUp.json.code ?? String(signUp.status)] ?? 0) + 1;
      }
    }),
  );
  return outcome;
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

    const idle = await staffLogins(pool, SECONDS);
    const oneAddressLogins = staffLogins(pool, SECONDS);
    const oneAddress = await flood(pool, oneAddressLogins, () => undefined);
    const manyAddressLogins = staffLogins(pool, SECONDS);
    const manyAddresses = await flood(pool, manyAddressLogins, (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    return {
      rows: [
        row('staff login, idle server', idle),
        row(`staff login, ${FLOOD} sign-ups at once from one address`, await oneAddressLogins),
        row(`staff login, ${FLOOD} sign-ups at once from many addresses`, await manyAddressLogins),
      ],
      floods: { oneAddress, manyAddresses },
    };
  } finally {
    await pool.close();
    await server.stop();
  }
}

const databases: ('pglite' | 'postgres')[] = (await postgresReachable()) ? ['pglite', 'postgres'] : ['pglite'];
const rows: Row[] = [];
const floods: Record<string, Record<string, FloodOutcome>> = {};
for (const database of databases) {
  const result = await benchDatabase(database);
  rows.push(...result.rows);
  floods[database] = result.floods;
}
printTable(`Staff logins during a sign-up flood (${FLOOD} concurrent sign-ups, ${SECONDS} s per scenario)`, rows.map((row) => ({ ...row, vsHello: '—' })));
for (const [database, outcome] of Object.entries(floods)) {
  for (const [scenario, { accepted, refused }] of Object.entries(outcome)) {
    process.stdout.write(`${database}, ${scenario}: ${accepted} sign-ups accepted, refused ${JSON.stringify(refused)}\n`);
  }
}
const path = await writeResults('auth', { machine: machine(), flood: FLOOD, seconds: SECONDS, rows, floods });
process.stdout.write(`\nresults: ${path}\n`);
