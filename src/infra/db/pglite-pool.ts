import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { Mutex } from 'async-mutex';

/**
 * Presents one PGlite instance to Kysely's PostgresDialect as a pool of exactly one connection.
 *
 * Why hand-written: the community dialect (kysely-pglite-dialect) does not support PGlite 0.5,
 * and PGlite is a single connection, so a transaction's statements must never interleave with
 * another caller's. The mutex hands the connection to one caller at a time, which also makes
 * every PGlite transaction serializable in practice.
 */
export function createPglitePool(pglite: PGlite): PostgresPool {
  const mutex = new Mutex();

  return {
    options: {},
    async connect(): Promise<PostgresPoolClient> {
      const release = await mutex.acquire();
      let released = false;
      return {
        query: ((sql: string, parameters: readonly unknown[]) =>
          runQuery(pglite, sql, parameters)) as PostgresPoolClient['query'],
        release() {
          if (!released) {
            released = true;
            release();
          }
        },
      };
    },
    async end() {
      await mutex.waitForUnlock();
      await pglite.close();
    },
  };
}

async function runQuery<R>(
  pglite: PGlite,
  sql: string,
  parameters: readonly unknown[],
): Promise<PostgresQueryResult<R>> {
  // Parameterless statements may be whole migration scripts with several statements, which only
  // the simple-query protocol (`exec`) accepts.
  if (parameters.length === 0) {
    if (COMMIT.test(sql) && (await transactionFailed(pglite))) {
      // PostgreSQL answers COMMIT of a failed transaction with the tag ROLLBACK, which callers
      // check; PGlite names no tag, so the pool finds out and answers as the server would.
      await pglite.exec('rollback');
      return { command: 'ROLLBACK', rowCount: 0, rows: [] };
    }
    const results = await pglite.exec(sql);
    const last = results[results.length - 1];
    return {
      command: commandOf(sql),
      rowCount: last?.affectedRows ?? 0,
      rows: (last?.rows ?? []) as R[],
    };
  }
  const result = await pglite.query<R>(sql, parameters as unknown[]);
  return { command: commandOf(sql), rowCount: result.affectedRows ?? 0, rows: result.rows };
}

const COMMIT = /^\s*commit\s*;?\s*$/i;

/** Whether the open transaction has failed (an error inside it was caught and not rethrown). */
async function transactionFailed(pglite: PGlite): Promise<boolean> {
  try {
    await pglite.query('select 1');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === '25P02') return true; // in_failed_sql_transaction
    throw error;
  }
}

function commandOf(sql: string): PostgresQueryResult<unknown>['command'] {
  const word = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1]?.toUpperCase();
  switch (word) {
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'COMMIT':
    case 'ROLLBACK':
      return word;
    default:
      return 'SELECT';
  }
}
