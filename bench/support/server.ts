import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchServer {
  url: string;
  operatorToken: string;
  database: 'pglite' | 'postgres';
  /** The server's process id (its CPU is read from /proc). */
  pid: number;
  rssBytes(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts Bazaar as its own process (the load comes from this one) on a fresh database: a scratch
 * one made and dropped here, or `databaseUrl` (PostgreSQL), which the caller made and drops.
 */
export async function startBenchServer(database: 'pglite' | 'postgres', env: Record<string, string> = {}, databaseUrl?: string): Promise<BenchServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bazaar-bench-'));
  const scratch = database === 'postgres' && !databaseUrl ? await createScratchDatabase() : undefined;
  const url = databaseUrl ?? scratch;
  // BENCH_PROFILE_DIR=<dir>: the server writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/app/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      BAZAAR_SEED_DEMO: '0',
      BAZAAR_BENCH_ROUTES: '1',
      ...(url ? { DATABASE_URL: url } : { DATABASE_URL: '' }),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const serverUrl = await waitForBanner(child);
  const operatorToken = (await readFile(join(dataDir, 'operator-token'), 'utf8')).trim();
  return {
    url: serverUrl,
    operatorToken,
    database,
    pid: child.pid!,
    async rssBytes() {
      const metrics = await (await fetch(`${serverUrl}/metrics`, { headers: { authorization: `Bearer ${operatorToken}` } })).text();
      return Number(/^process_resident_memory_bytes (\d+)/m.exec(metrics)?.[1] ?? 0);
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      if (scratch) await dropScratchDatabase(scratch);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function waitForBanner(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Bazaar is running on (http:\/\/\S+)/.exec(output);
      if (match && output.includes('Operator token:')) {
        clearTimeout(timer);
        resolve(match[1]!.replace('localhost', '127.0.0.1'));
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function createScratchDatabase(): Promise<string> {
  const name = `bazaar_bench_${Date.now().toString(36)}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropScratchDatabase(url: string): Promise<void> {
  await adminQuery(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
}
