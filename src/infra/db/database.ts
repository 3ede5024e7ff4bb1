import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { CamelCasePlugin, Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient, type Transaction } from 'kysely';
import pg from 'pg';
import { createPglitePool } from './pglite-pool.ts';
import { withPreparedStatements } from './prepared-statements.ts';
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

/**
 * Hears every query text sent to the database, as sent (one call per round trip; a text may hold
 * several statements). For tests and benches that count what a request costs.
 */
export type QueryObserver = (sql: string) => void;

export async function openDatabase(target: DatabaseTarget, options: { observe?: QueryObserver } = {}): Promise<Database> {
  const pool = withPreparedStatements(
    target.kind === 'pglite' ? createPglitePool(await openPglite(target.dataDir), int8AsNumber) : createPostgresPool(target.url, target.poolSize ?? 10),
  );
  const dialect = new PostgresDialect({ pool: options.observe ? observed(pool, options.observe) : pool });
  const owner = new Kysely<DB>({ dialect, plugins: [new CamelCasePlugin()] });
  return createDatabase(target.kind, owner);
}

async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  return PGlite.create(dataDir, { extensions: { pg_trgm } });
}

/** int8 (counts, money in minor units) as a JS number; minor units stay far below 2^53. */
const int8AsNumber: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function createPostgresPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types: int8AsNumber, pipeline: true });
  // An idle connection can be cut by the server (restart, failover, admin command). pg reports
  // that on the pool; unheard, it would crash the process. The pool replaces the connection on
  // the next checkout, so a line on stderr is all that is needed.
  pool.on('error', (error) => {
    process.stderr.write(`postgres: idle connection lost: ${error.message}\n`);
  });
  return pool;
}

/** The pool with every client's queries reported to `observe` before they are sent. */
function observed(pool: PostgresPool, observe: QueryObserver): PostgresPool {
  return {
    options: {},
    async connect() {
      const client = await pool.connect();
      const query = client.query.bind(client) as (sql: string, parameters: readonly unknown[]) => Promise<unknown>;
      return {
        query: ((text: string, parameters: readonly unknown[]) => {
          observe(text);
          return query(text, parameters);
        }) as PostgresPoolClient['query'],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
}

/** A string as an SQL literal; standard_conforming_strings is on, so only quotes need doubling. */
function literal(value: string): string {
  if (value.includes('\0')) throw new Error('a NUL byte cannot be sent in an SQL literal');
  return `'${value.replaceAll("'", "''")}'`;
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
    // BEGIN and the settings go in one round trip: a simple-protocol text of two statements,
    // so the values are literals (quoted by `literal`) rather than parameters. The settings are
    // local to this transaction: a pooled connection carries nothing to the next caller.
    const opening =
      `begin; select set_config('role', ${literal(APP_ROLE)}, true), set_config('app.tenant_id', ${literal(tenantId)}, true), ` +
      `set_config('app.outbox_reader', '${grants.outboxReader ? 'on' : 'off'}', true), ` +
      `set_config('app.registry_writer', '${grants.registryWriter ? 'on' : 'off'}', true)`;
    const { result, transaction } = await owner.connection().execute(async (connection) => {
      // The connection is held for the whole transaction, which is all Kysely's Transaction adds.
      const tx = connection as unknown as Tx;
      // The opening is not awaited before the work's first statement: in node-postgres's pipeline
      // mode that statement follows it on the wire, and the transaction costs one round trip less.
      // The backend runs them in order; an opening that failed leaves the transaction aborted,
      // so what follows it fails too, and its own error is the one reported.
      const opened = sql.raw(opening).execute(connection).then(() => undefined, (error: unknown) => ({ error }));
      try {
        let value: T;
        try {
          value = await work(tx);
        } finally {
          const failed = await opened;
          if (failed) throw failed.error;
        }
        const committed = await sql<{ command?: string }>`commit`.execute(connection);
        // COMMIT of a transaction that failed inside (an error swallowed by its caller) rolls back,
        // and says so in its tag, which Kysely hands back as a row (as its own transaction checks).
        if (committed.rows[0]?.command === 'ROLLBACK') throw new Error('the transaction was rolled back by the database');
        return { result: value, transaction: tx };
      } catch (error) {
        await sql`rollback`.execute(connection).catch(() => undefined);
        throw error;
      }
    });
    const hooks = commitHooks.get(transaction);
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
