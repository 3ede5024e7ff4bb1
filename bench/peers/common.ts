/**
 * What the three drivers of bench:peers share: the peer's install folder, its scratch database,
 * its child process, an HTTP client, and the measurements read from /proc and PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Pool } from 'undici';
import { POSTGRES_URL } from '../support/server.ts';

export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
export const PRODUCTS = 100;
/** Each word names PRODUCTS / WORDS.length products, so a search finds a few (10) of them. */
export const WORDS = ['teapot', 'scarf', 'lantern', 'notebook', 'umbrella', 'kettle', 'blanket', 'candle', 'basket', 'mirror'];
export const productTitle = (i: number) => `Bench ${WORDS[i % WORDS.length]} ${i}`;
export const productSlug = (i: number) => `bench-${WORDS[i % WORDS.length]}-${i}`;
/** Minor units: 10.00 … 10.99 (CNY in every store). */
export const productPrice = (i: number) => 1000 + i;
export const STOCK = 1_000_000;

/** A running peer, ready for load: each method is one storefront operation. */
export interface Peer {
  name: string;
  version: string;
  pid: number;
  database: string;
  startupMs: number;
  /** Schema set-up run before the server starts (Medusa's migrations), if any. */
  migrateMs?: number;
  /** HTTP requests one `checkout` makes, and what they are. */
  checkoutRequests: number;
  checkoutSteps: string;
  customers: string;
  productPage(i: number): Promise<void>;
  listing(i: number): Promise<void>;
  search(i: number): Promise<void>;
  checkout(i: number): Promise<void>;
  /** Throws unless the orders placed so far are paid (settled / captured). */
  verifyPaid(): Promise<void>;
  stop(): Promise<void>;
}

export interface PeerDriver {
  name: string;
  version: string;
  /** Starts the peer on `database` (created and empty) and seeds the bench catalog (and `customers` accounts, where the peer's checkout needs one). */
  start(database: string, log: (line: string) => void, customers: number): Promise<Peer>;
}

// ---------------------------------------------------------------- install

export const PEERS_DIR = process.env.BENCH_PEERS_DIR ?? join(tmpdir(), 'bazaar-peers');

/**
 * Installs `dependencies` (exact versions) with npm into PEERS_DIR/<name>, outside the repo, once:
 * a marker file records what was installed, so a later run with the same versions skips npm.
 */
export async function ensureInstalled(name: string, dependencies: Record<string, string>, log: (line: string) => void) {
  const dir = join(PEERS_DIR, name);
  const marker = join(dir, '.bench-installed');
  const wanted = JSON.stringify(dependencies);
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === wanted) {
    log(`${name}: already installed in ${dir}`);
    return { dir, installSeconds: 0, sizeMiB: await duMiB(dir), cached: true };
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: `bazaar-peer-${name}`, private: true, type: 'commonjs', dependencies }, null, 2)}\n`);
  log(`${name}: npm install ${Object.entries(dependencies).map(([p, v]) => `${p}@${v}`).join(' ')} into ${dir} …`);
  const started = performance.now();
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir, log);
  await writeFile(marker, wanted);
  const installSeconds = (performance.now() - started) / 1000;
  log(`${name}: installed in ${installSeconds.toFixed(0)} s`);
  return { dir, installSeconds, sizeMiB: await duMiB(dir), cached: false };
}

/** Runs a command to completion, its output shown as progress lines. */
export function run(command: string, args: string[], cwd: string, log: (line: string) => void, env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      for (const line of chunk.toString().split('\n')) if (line.trim()) log(`  ${line.replace(/\x1b\[[0-9;]*m/g, '').trimEnd()}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail}`))));
  });
}

async function duMiB(dir: string): Promise<number> {
  let bytes = 0;
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) bytes += (await stat(full)).size;
    }
  };
  await walk(dir);
  return Math.round(bytes / 2 ** 20);
}

// ---------------------------------------------------------------- child process

export interface Child {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns a peer's server with node, from its install folder; its output goes to `log` on failure only. */
export function spawnServer(args: string[], cwd: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', (code, signal) => {
    if (!stopping) process.stdout.write(`server ${args.join(' ')} exited (${code ?? signal}):\n${output}\n`);
  });
  let stopping = false;
  return {
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs `work` on a freshly spawned server, which is stopped if the work fails (nothing left running). */
export async function orStop<T>(child: Child, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** Polls `probe` until it answers: the start-up time is spawn → first successful request. */
export async function waitUntilReady(child: Child, probe: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error('server exited during start-up');
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('server did not start in time');
}

export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- HTTP

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any;
}

/** One keep-alive pool per server, as many connections as workers. */
export class Http {
  private readonly pool: Pool;
  constructor(readonly url: string) {
    this.pool = new Pool(url, { connections: CONCURRENCY });
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const response = await this.pool.request({
      method: method as 'GET',
      path,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.body.text();
    const json = String(response.headers['content-type'] ?? '').includes('json') && text ? JSON.parse(text) : text;
    if (response.statusCode >= 300) throw new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 300)}`);
    return { status: response.statusCode, headers: response.headers, json };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

// ---------------------------------------------------------------- PostgreSQL

export function databaseUrl(database: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A connection to the maintenance database (not the peer's, so it's never counted as the peer's). */
export async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string, logStatements: boolean): Promise<void> {
  await admin(async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
    // Every session opened on it from now on logs each statement it runs (counted in the log).
    if (logStatements) await client.query(`alter database ${name} set log_statement = 'all'`);
  });
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((client) => client.query(`drop database if exists ${name} with (force)`));
}

/** CPU time (ms) of a process so far, from /proc/<pid>/stat (utime + stime, in clock ticks). */
async function cpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state is field 3, utime 14 and stime 15 (1-based), so 11 and 12 here.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined; // the process has gone
  }
}
const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux x86-64

export interface CpuSample {
  server: number;
  backends: Map<number, number>;
}

/** The server's CPU and that of each PostgreSQL backend connected to its database. */
export async function sampleCpu(pid: number, database: string): Promise<CpuSample> {
  const pids = await admin(async (client) => (await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database])).rows.map((row) => row.pid));
  const backends = new Map<number, number>();
  for (const backend of pids) {
    const ms = await cpuMs(backend);
    if (ms !== undefined) backends.set(backend, ms);
  }
  return { server: (await cpuMs(pid)) ?? 0, backends };
}

/**
 * CPU spent between two samples. A backend in both counts its difference; one that appeared in
 * between counts all its CPU (it was born during the scenario); one that left is missed, which
 * is rare here as each server keeps its pool open.
 */
export function cpuBetween(before: CpuSample, after: CpuSample): { serverMs: number; databaseMs: number } {
  let databaseMs = 0;
  for (const [backend, ms] of after.backends) databaseMs += ms - (before.backends.get(backend) ?? 0);
  return { serverMs: after.server - before.server, databaseMs };
}

export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024);
}

/** The server's log file (log_statement lines land there: the cluster logs to stderr, redirected to it). */
export async function postgresLogFile(): Promise<string> {
  if (process.env.BENCH_PG_LOG) return process.env.BENCH_PG_LOG;
  const dir = '/var/log/postgresql';
  const files = await Promise.all((await readdir(dir)).filter((f) => f.endsWith('.log')).map(async (f) => ({ f, mtime: (await stat(join(dir, f))).mtimeMs })));
  const newest = files.sort((a, b) => b.mtime - a.mtime)[0];
  if (!newest) throw new Error(`no PostgreSQL log in ${dir}; set BENCH_PG_LOG`);
  return join(dir, newest.f);
}

export async function logSize(file: string): Promise<number> {
  return (await stat(file)).size;
}

/**
 * Statements run on `database` logged between bytes `from` and `to` of the log. The default
 * log_line_prefix ('%m [%p] %q%u@%d ') names the database. An extended-protocol execution is one
 * `execute` entry and one statement; a simple query is one `statement:` entry whose text (going
 * on over the following lines that start without a timestamp) may hold several statements, split
 * at top-level `;` (outside quotes), as Bazaar's purchase-cost test counts them. Transactions are
 * the explicit ones (BEGIN / START TRANSACTION); a statement outside them commits on its own.
 */
export async function statementsLogged(file: string, from: number, database: string, to: number): Promise<{ statements: number; transactions: number }> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    await handle.read(buffer, 0, buffer.length, from);
    const marker = `@${database} LOG:  `;
    let count = 0;
    let transactions = 0;
    let simpleQuery: string | undefined;
    const flush = () => {
      if (simpleQuery !== undefined) {
        count += statementsIn(simpleQuery);
        if (/^\s*(begin|start transaction)\b/i.test(simpleQuery)) transactions++;
      }
      simpleQuery = undefined;
    };
    for (const line of buffer.toString('utf8').split('\n')) {
      if (!/^\d{4}-\d\d-\d\d /.test(line)) {
        if (simpleQuery !== undefined) simpleQuery += `\n${line}`;
        continue;
      }
      flush();
      const at = line.indexOf(marker);
      if (at < 0) continue;
      const rest = line.slice(at + marker.length);
      if (rest.startsWith('execute ')) {
        count++;
        if (/^execute [^:]*:\s*(begin|start transaction)\b/i.test(rest)) transactions++;
      }
      else if (rest.startsWith('statement: ')) simpleQuery = rest.slice('statement: '.length);
    }
    flush();
    return { statements: count, transactions };
  } finally {
    await handle.close();
  }
}

/** Non-empty statements of a query text, split at `;` outside quotes. */
function statementsIn(text: string): number {
  let count = 0;
  let current = '';
  let quote: string | undefined;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === ';') {
      if (current.trim()) count++;
      current = '';
      continue;
    }
    current += char;
  }
  if (current.trim()) count++;
  return count;
}
