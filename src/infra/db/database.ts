import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { CamelCasePlugin, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { createPglitePool } from './pglite-pool.ts';
import type { DB } from './schema.ts';

export type Tx = Transaction<DB>;
export type DatabaseKind = 'pglite' | 'postgres';

/** The role application transactions run as; it owns no table, so RLS applies to it. */
export const APP_ROLE = 'bazaar_app';

/**
 * The database port: the same Kysely API over embedded PGlite or a PostgreSQL server.
 * Domain code only ever sees a transaction that is already scoped to one tenant.
 */
export interface Database {
  readonly kind: DatabaseKind;
  /** Schema owner access, for migrations and tests only. */
  readonly owner: Kysely<DB>;
  /** Runs `work` in one transaction as the app role with `app.tenant_id` set. */
  withTenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs `work` in one transaction as the app role with no tenant: only the registry is visible. */
  withoutTenant<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Like withoutTenant, but every platform's outbox events are readable (not writable). */
  asOutboxReader<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Like withTenant, but the platform `tenantId` and its domains may be inserted into the
   * registry: for platform creation only, never for a request's work.
   */
  asRegistryWriter<T>(tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string | undefined }
  | { kind: 'postgres'; url: string; poolSize?: number };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const dialect =
    target.kind === 'pglite'
      ? new PostgresDialect({ pool: createPglitePool(await openPglite(target.dataDir)) })
      : new PostgresDialect({ pool: createPostgresPool(target.url, target.poolSize ?? 10) });
  const owner = new Kysely<DB>({ dialect, plugins: [new CamelCasePlugin()] });
  return createDatabase(target.kind, owner);
}

async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // int8 (counts, money in minor units) as a JS number; minor units stay far below 2^53.
  return PGlite.create(dataDir, { extensions: { pg_trgm }, parsers: { 20: Number } });
}

function createPostgresPool(url: string, max: number): pg.Pool {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, max, types });
  // An idle connection can be cut by the server (restart, failover, admin command). pg reports
  // that on the pool; unheard, it would crash the process. The pool replaces the connection on
  // the next checkout, so a line on stderr is all that is needed.
  pool.on('error', (error) => {
    process.stderr.write(`postgres: idle connection lost: ${error.message}\n`);
  });
  return pool;
}

const commitHooks = new WeakMap<Tx, Set<() => void>>();

/**
 * Runs `hook` once the transaction `tx` has committed (never if it rolls back). Registering the
 * same function twice in one transaction runs it once.
 */
export function afterCommit(tx: Tx, hook: () => void): void {
  const hooks = commitHooks.get(tx);
  if (hooks) hooks.add(hook);
  else commitHooks.set(tx, new Set([hook]));
}

function createDatabase(kind: DatabaseKind, owner: Kysely<DB>): Database {
  const run = async <T>(tenantId: string, work: (tx: Tx) => Promise<T>, grants: { outboxReader?: boolean; registryWriter?: boolean } = {}): Promise<T> => {
    let transaction: Tx | undefined;
    const result = await owner.transaction().execute(async (tx) => {
      transaction = tx;
      // Local to this transaction: a pooled connection carries nothing to the next caller.
      await sql`select set_config('role', ${APP_ROLE}, true), set_config('app.tenant_id', ${tenantId}, true),
                       set_config('app.outbox_reader', ${grants.outboxReader ? 'on' : 'off'}, true),
                       set_config('app.registry_writer', ${grants.registryWriter ? 'on' : 'off'}, true)`.execute(tx);
      return work(tx);
    });
    const hooks = transaction && commitHooks.get(transaction);
    if (hooks) for (const hook of hooks) hook();
    return result;
  };

  return {
    kind,
    owner,
    withTenant: (tenantId, work) => run(tenantId, work),
    withoutTenant: (work) => run('', work),
    asOutboxReader: (work) => run('', work, { outboxReader: true }),
    asRegistryWriter: (tenantId, work) => run(tenantId, work, { registryWriter: true }),
    async ping() {
      await sql`select 1`.execute(owner);
    },
    async close() {
      await owner.destroy();
    },
  };
}
