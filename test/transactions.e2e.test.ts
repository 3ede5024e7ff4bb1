import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/infra/db/database.ts';
import { databaseKinds, freshDatabase } from './support/databases.ts';

/** withTenant's own transaction handling, the same on both databases. */
describe.each(await databaseKinds())('transactions on %s', (kind) => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Database;
  beforeAll(async () => {
    fresh = await freshDatabase(kind);
    db = fresh.db;
  });
  afterAll(() => fresh?.drop());

  it('a transaction whose error was swallowed inside is not reported as committed', async () => {
    const work = db.withoutTenant(async (tx) => {
      await sql`select 1/0`.execute(tx).catch(() => undefined);
      return 'done';
    });
    await expect(work).rejects.toThrow(/rolled back/);
    // The connection is clean afterwards: the next transaction runs and commits.
    await expect(db.withoutTenant(async (tx) => (await sql<{ one: number }>`select 1 as one`.execute(tx)).rows[0]!.one)).resolves.toBe(1);
  });
});
