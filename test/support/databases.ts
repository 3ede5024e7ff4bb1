import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type QueryObserver } from '../../src/infra/db/database.ts';
import { migrateToLatest } from '../../src/infra/db/migrate.ts';

/**
 * The database sizes the integration suites run on: PGlite always; PostgreSQL when a server
 * answers at BAZAAR_TEST_DATABASE_URL (default: the local `test` database). With
 * BAZAAR_REQUIRE_SERVICES=1 (CI) a missing server fails the run instead of skipping.
 */
export type DatabaseKind = 'pglite' | 'postgres';

export const ADMIN_URL = process.env.BAZAAR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REQUIRED = process.env.BAZAAR_REQUIRE_SERVICES === '1';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    if (REQUIRED) {
      throw new Error(`BAZAAR_REQUIRE_SERVICES=1 but PostgreSQL at ${ADMIN_URL} is unreachable: ${(error as Error).message}`);
    }
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let probed: Promise<DatabaseKind[]> | undefined;

export function databaseKinds(): Promise<DatabaseKind[]> {
  probed ??= postgresReachable().then((reachable) => {
    if (!reachable) {
      process.stdout.write(`\n[notice] PostgreSQL suites skipped: no server at ${ADMIN_URL} (set BAZAAR_REQUIRE_SERVICES=1 to fail instead)\n`);
    }
    return reachable ? ['pglite', 'postgres'] : ['pglite'];
  });
  return probed;
}

/** A fresh, migrated database of the given kind; `drop` removes it again. */
export async function freshDatabase(kind: DatabaseKind, options: { observe?: QueryObserver } = {}): Promise<{ db: Database; url?: string; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDatabase({ kind: 'pglite', dataDir: undefined }, options);
    await migrateToLatest(db.owner);
    return { db, drop: () => db.close() };
  }
  const url = await createScratchDatabase();
  const db = await openDatabase({ kind: 'postgres', url, poolSize: 20 }, options);
  await migrateToLatest(db.owner);
  return {
    db,
    url,
    async drop() {
      await db.close();
      await dropScratchDatabase(url);
    },
  };
}

/** An empty PostgreSQL database of its own, so test files can run in parallel. */
export async function createScratchDatabase(): Promise<string> {
  const name = `bazaar_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropScratchDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await adminQuery(`drop database if exists ${name} with (force)`);
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
