import type { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { PostgresPool } from 'kysely';
import pg from 'pg';

/**
 * One PGlite instance as a node-postgres pool of exactly one client, through PGlite's own
 * node-postgres connection: the embedded database then speaks the same protocol, through the
 * same client, as a PostgreSQL server (command tags, prepared statements, errors). PGlite is a
 * single connection, so the pool's one client is handed to one caller at a time, and a
 * transaction's statements never interleave with another caller's.
 */
export function createPglitePool(pglite: PGlite, types: pg.CustomTypesConfig): PostgresPool {
  // The client is never closed for idling: its connection is the database itself. Pipeline mode
  // as on PostgreSQL, so that a transaction's opening and first statement are queued together.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0, types, pipeline: true });
  return {
    options: {},
    connect: () => pool.connect(),
    async end() {
      await pool.end();
      await pglite.close();
    },
  };
}
