import { PGlite } from '@electric-sql/pglite';
import { PostgresDialect, Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPglitePool } from '../src/infra/db/pglite-pool.ts';
import { withPreparedStatements } from '../src/infra/db/prepared-statements.ts';
import { createScratchDatabase, databaseKinds, dropScratchDatabase } from './support/databases.ts';

/**
 * Statements go to the database prepared, one plan per text and connection. One connection, so
 * that what the database holds is what this test's queries left there.
 */
describe.each(await databaseKinds())('prepared statements on %s', (kind) => {
  let url: string;
  let db: Kysely<any>;
  const open = async (perConnection?: number) => {
    const pool = kind === 'postgres' ? new pg.Pool({ connectionString: url, max: 1 }) : createPglitePool(await PGlite.create(), pg.types);
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool, perConnection) }) });
    await sql`create table if not exists items (id int primary key, name text)`.execute(db);
    await sql`insert into items values (1, 'one'), (2, 'two') on conflict do nothing`.execute(db);
  };
  /** What the server holds for this connection, read on the same connection. */
  const held = async () =>
    (await sql<{ statement: string; calls: number }>`
      select statement, (generic_plans + custom_plans)::int as calls from pg_prepared_statements where not from_sql order by statement`.execute(db)).rows;

  beforeAll(async () => {
    if (kind === 'postgres') url = await createScratchDatabase();
    await open();
  });
  afterAll(async () => {
    await db?.destroy();
    if (url) await dropScratchDatabase(url);
  });

  it('prepares a text once and runs it again from its plan', async () => {
    for (const id of [1, 2, 1]) {
      const row = (await sql<{ name: string }>`select name from items where id = ${id}`.execute(db)).rows[0];
      expect(row?.name).toBe(id === 1 ? 'one' : 'two');
    }
    const statements = await held();
    expect(statements).toEqual([{ statement: 'select name from items where id = $1', calls: 3 }]);
  });

  it('leaves parameterless texts unprepared: several statements in one text still run', async () => {
    await sql.raw(`begin; select set_config('app.x', 'y', true)`).execute(db);
    await sql.raw('commit').execute(db);
    expect((await held()).map((row) => row.statement)).not.toContain('commit');
  });

  it('a statement that does not parse fails alone, and the connection goes on', async () => {
    await expect(sql`select name from nowhere where id = ${1}`.execute(db)).rejects.toThrow(/nowhere/);
    const row = (await sql<{ name: string }>`select name from items where id = ${2}`.execute(db)).rows[0];
    expect(row?.name).toBe('two');
  });

  it('after a column is added under a prepared select *, fails that once and prepares it afresh', async () => {
    const read = () => sql<{ id: number }>`select * from items where id = ${1}`.execute(db);
    await read();
    await sql`alter table items add column note text`.execute(db);
    await expect(read()).rejects.toThrow(/cached plan must not change result type/);
    expect((await read()).rows[0]).toEqual({ id: 1, name: 'one', note: null });
  });

  it('past its limit a connection sends texts unprepared, and they still run', async () => {
    await db.destroy();
    await open(2);
    for (const id of [1, 2]) await sql`select name from items where id = ${id} and ${id} > 0`.execute(db);
    await sql`select id from items where name = ${'one'}`.execute(db);
    const third = await sql<{ id: number }>`select id from items where name <> ${'one'} order by id`.execute(db);
    expect(third.rows).toEqual([{ id: 2 }]);
    expect((await held()).map((row) => row.statement)).toEqual(['select id from items where name = $1', 'select name from items where id = $1 and $2 > 0']);
  });
});
