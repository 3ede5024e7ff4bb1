/**
 * npm run bench:peers — Bazaar beside two peers installed from npm (Vendure 3, Medusa 2), each its
 * own process on its own fresh PostgreSQL database, loaded from this process with the same closed
 * loop and concurrency, on the same catalog (100 products, one variant each, 10.00–10.99 CNY,
 * stock 1,000,000):
 *   product page · listing (first 20) · search (a word naming 10 products) · a paid checkout.
 * Per row: rate, p50, p99, and CPU per operation of the server process plus its database backends
 * (/proc/<pid>/stat before and after the scenario). Statements per checkout are counted exactly in
 * a second, unmeasured pass on a fresh database whose sessions log every statement
 * (ALTER DATABASE … SET log_statement = 'all'), so logging never slows the measured runs.
 * The peers are installed on first use into BENCH_PEERS_DIR (default <tmp>/bazaar-peers).
 *
 *   BENCH_SECONDS (per read scenario, default 10)  BENCH_CHECKOUT_SECONDS (default 30)
 *   BENCH_CONCURRENCY (default 32)  BENCH_COUNTED (checkouts in the counting pass, default 10)
 *   BENCH_CUSTOMERS (Bazaar's registered shoppers, taken in turn, default 600)
 *   BENCH_PEERS (default bazaar,vendure,medusa)
 */
import { measureBareFastify } from './support/bare-fastify.ts';
import { runLoad, type LoadResult } from './support/load.ts';
import { machine, printColumns, writeResults } from './support/report.ts';
import { postgresReachable } from './support/server.ts';
import { bazaar } from './peers/bazaar.ts';
import {
  CONCURRENCY, cpuBetween, createDatabase, dropDatabase, logSize, postgresLogFile, PRODUCTS, rssMiB, sampleCpu, statementsLogged,
  type Peer, type PeerDriver,
} from './peers/common.ts';
import { installMedusa, medusa } from './peers/medusa.ts';
import { installVendure, vendure } from './peers/vendure.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// Time-bound, not a fixed count: the slowest peer completes about one checkout a second.
const CHECKOUT_SECONDS = Number(process.env.BENCH_CHECKOUT_SECONDS ?? 30);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 600);
const COUNTED = Number(process.env.BENCH_COUNTED ?? 10);
const WARM_UP_CHECKOUTS = 3; // before the counted ones, one at a time
const SELECTED = (process.env.BENCH_PEERS ?? 'bazaar,vendure,medusa').split(',');
const DRIVERS: Record<string, PeerDriver> = { bazaar, vendure, medusa };

const log = (line: string) => process.stdout.write(`${line}\n`);

interface Scenario {
  name: string;
  unit: string;
  /** JIT, caches and pools warmed before the measurement (and its CPU sample) begins. */
  warmUp: (peer: Peer) => Promise<LoadResult>;
  run: (peer: Peer) => Promise<LoadResult>;
}

/** Reads: one second of warm-up, then SECONDS measured. */
const read = (name: string, op: (peer: Peer, i: number) => Promise<void>): Scenario => ({
  name,
  unit: 'req',
  warmUp: (peer) => runLoad({ concurrency: CONCURRENCY, seconds: 1, task: (i) => op(peer, i) }),
  run: (peer) => runLoad({ concurrency: CONCURRENCY, seconds: SECONDS, task: (i) => op(peer, i) }),
});
const SCENARIOS: Scenario[] = [
  read('product page', (peer, i) => peer.productPage(i)),
  read('listing, first 20', (peer, i) => peer.listing(i)),
  read('search, one word', (peer, i) => peer.search(i)),
  {
    name: 'paid checkout',
    unit: 'order',
    // One checkout per worker first: every code path and pool connection has been used once.
    warmUp: (peer) => runLoad({ concurrency: CONCURRENCY, iterations: CONCURRENCY, task: (i) => peer.checkout(i) }),
    run: (peer) => runLoad({ concurrency: CONCURRENCY, seconds: CHECKOUT_SECONDS, task: (i) => peer.checkout(i) }),
  },
];

interface Measured {
  scenario: string;
  unit: string;
  load: LoadResult;
  serverCpuMsPerOp: number;
  databaseCpuMsPerOp: number;
}

async function measure(peer: Peer): Promise<Measured[]> {
  const results: Measured[] = [];
  for (const scenario of SCENARIOS) {
    log(`[${peer.name.toLowerCase()}] ${scenario.name}…`);
    const warm = await scenario.warmUp(peer);
    if (warm.failures.length > 0) log(`[${peer.name.toLowerCase()}] ${scenario.name} warm-up failures: ${warm.failures.join('; ')}`);
    const before = await sampleCpu(peer.pid, peer.database);
    const load = await scenario.run(peer);
    const after = await sampleCpu(peer.pid, peer.database);
    const { serverMs, databaseMs } = cpuBetween(before, after);
    const ops = load.completed + load.failed;
    if (load.failures.length > 0) log(`[${peer.name.toLowerCase()}] ${scenario.name} failures: ${load.failures.join('; ')}`);
    results.push({ scenario: scenario.name, unit: scenario.unit, load, serverCpuMsPerOp: serverMs / ops, databaseCpuMsPerOp: databaseMs / ops });
  }
  return results;
}

/**
 * The counting pass: the peer again, on a fresh database that logs every statement; a few
 * checkouts one at a time to warm it, then COUNTED more, whose statements and explicit
 * transactions are counted in the log. A server's own background work (pollers, job queues)
 * would land in the same window, so the same count over an idle window as long is subtracted.
 * (pg_stat_database.xact_commit is no help: backends publish it lazily, up to 10 s late.)
 */
async function countStatements(driver: PeerDriver, database: string) {
  await createDatabase(database, true);
  const peer = await driver.start(database, log, WARM_UP_CHECKOUTS + COUNTED);
  try {
    for (let i = 0; i < WARM_UP_CHECKOUTS; i++) await peer.checkout(i);
    const logFile = await postgresLogFile();
    const mark = async () => ({ at: performance.now(), offset: await logSize(logFile) });
    await settleLog();
    const start = await mark();
    for (let i = 0; i < COUNTED; i++) await peer.checkout(WARM_UP_CHECKOUTS + i);
    await settleLog();
    const end = await mark();
    await new Promise((resolve) => setTimeout(resolve, end.at - start.at));
    const idleEnd = await mark();
    const busy = await statementsLogged(logFile, start.offset, database, end.offset);
    const idle = await statementsLogged(logFile, end.offset, database, idleEnd.offset);
    return {
      statementsPerCheckout: (busy.statements - idle.statements) / COUNTED,
      transactionsPerCheckout: (busy.transactions - idle.transactions) / COUNTED,
      idleWindow: { seconds: (idleEnd.at - end.at) / 1000, ...idle },
    };
  } finally {
    await peer.stop();
    await dropDatabase(database);
  }
}

/** Work a checkout set off after its last response (outbox, events) gets a moment to reach the log. */
const settleLog = () => new Promise((resolve) => setTimeout(resolve, 1000));

async function benchPeer(name: string, driver: PeerDriver) {
  const database = `bench_${name}_${process.pid}`;
  await createDatabase(database, false);
  let peer: Peer | undefined;
  try {
    peer = await driver.start(database, log, CUSTOMERS);
    const scenarios = await measure(peer);
    await peer.verifyPaid();
    const rss = await rssMiB(peer.pid);
    const { startupMs, migrateMs, checkoutRequests, checkoutSteps, customers, version } = peer;
    await peer.stop();
    peer = undefined;
    await dropDatabase(database);
    log(`[${name}] counting statements over ${COUNTED} checkouts (statement log on, not timed)…`);
    const counted = await countStatements(driver, `${database}_stmts`);
    return { name: driver.name, version, startupMs, migrateMs, rssMiB: rss, checkoutRequests, checkoutSteps, customers, scenarios, ...counted };
  } finally {
    await peer?.stop();
    await dropDatabase(database);
  }
}

if (!(await postgresReachable())) throw new Error('bench:peers needs PostgreSQL on 127.0.0.1:5432 (BENCH_DATABASE_URL)');
log('installing the peers (once; later runs reuse the folder)…');
const installs: Record<string, unknown> = {};
if (SELECTED.includes('vendure')) installs.vendure = await installVendure(log);
if (SELECTED.includes('medusa')) installs.medusa = await installMedusa(log);

log(`bare Fastify hello-world for ${SECONDS}s…`);
const bare = await measureBareFastify(CONCURRENCY, SECONDS);
const peers = [];
for (const name of SELECTED) peers.push(await benchPeer(name, DRIVERS[name]!));

const f = (n: number, digits = 1) => n.toFixed(digits);
const lines = [['bare Fastify', 'hello-world', `${f(bare.perSecond, 0)} req/s`, f(bare.p50Ms, 2), f(bare.p99Ms, 2), '—', '—', '—', '—', '—', String(bare.failed)]];
for (const peer of peers) {
  for (const s of peer.scenarios) {
    const checkout = s.unit === 'order';
    lines.push([
      `${peer.name} ${peer.version}`, s.scenario, `${f(s.load.perSecond, 0)} ${s.unit}/s`, f(s.load.p50Ms, 2), f(s.load.p99Ms, 2),
      f(s.serverCpuMsPerOp + s.databaseCpuMsPerOp, 2), f(s.serverCpuMsPerOp, 2), f(s.databaseCpuMsPerOp, 2),
      checkout ? String(peer.checkoutRequests) : '1', checkout ? `${f(peer.statementsPerCheckout)} / ${f(peer.transactionsPerCheckout)}` : '—', String(s.load.failed),
    ]);
  }
}
printColumns(
  `Peers benchmark — ${CONCURRENCY} at a time, ${SECONDS}s per read scenario, ${CHECKOUT_SECONDS}s of checkouts, ${PRODUCTS} products; CPU = server process + its PostgreSQL backends`,
  ['server', 'scenario', 'rate', 'p50 ms', 'p99 ms', 'CPU ms/op', 'server', 'db', 'HTTP req/op', 'SQL stmts / xacts per op', 'failed'],
  lines,
);
printColumns('Servers (start-up: spawn → first successful request)', ['server', 'customers', 'start-up s', 'migrations s', 'RSS after load MiB', 'checkout requests'], peers.map((p) => [
  `${p.name} ${p.version}`, p.customers, f(p.startupMs / 1000), p.migrateMs === undefined ? '—' : f(p.migrateMs / 1000), String(p.rssMiB), `${p.checkoutRequests}: ${p.checkoutSteps}`,
]));
log(`SQL statements: counted exactly from the PostgreSQL log (log_statement = all, on a separate unmeasured database) over ${COUNTED} sequential checkouts, BEGIN/COMMIT included; xacts = explicit transactions (BEGIN / START TRANSACTION; other statements commit on their own); both less the server's background work over an idle window as long.`);
for (const p of peers) log(`  ${p.name}: idle window ${f(p.idleWindow.seconds)} s had ${p.idleWindow.statements} statements, ${p.idleWindow.transactions} transactions`);
const path = await writeResults('peers', {
  machine: machine(), concurrency: CONCURRENCY, seconds: SECONDS, checkoutSeconds: CHECKOUT_SECONDS, customers: CUSTOMERS, counted: COUNTED, products: PRODUCTS, installs, bareFastify: bare,
  peers: peers.map((p) => ({ ...p, scenarios: p.scenarios.map(({ load: { failures: _failures, ...load }, ...rest }) => ({ ...rest, load })) })),
});
log(`Results written to ${path}`);
