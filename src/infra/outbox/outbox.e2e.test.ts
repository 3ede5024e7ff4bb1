import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, databaseKinds, dropScratchDatabase, freshDatabase } from '../../../test/support/databases.ts';
import { waitFor } from '../../../test/support/wait-for.ts';
import type { Database } from '../db/database.ts';
import { appendEvent, type OutboxEvent } from './outbox.ts';
import { createOutboxDispatcher, markProcessed, type Subscriber } from './outbox-dispatcher.ts';

const TENANT = 'ten_outbox';

function recorder(name: string, fail?: (event: OutboxEvent) => boolean): Subscriber & { seen: string[] } {
  const seen: string[] = [];
  return {
    name,
    types: ['thing.happened'],
    seen,
    async handle(event) {
      if (fail?.(event)) throw new Error('handler crashed');
      seen.push(String(event.payload.n));
    },
  };
}

const append = (db: Database, n: number) =>
  db.withTenant(TENANT, (tx) => appendEvent(tx, TENANT, { type: 'thing.happened', aggregateType: 'thing', aggregateId: `t${n}`, payload: { n } }, new Date()));

describe.each(await databaseKinds())('the outbox on %s', (kind) => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Database;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    db = database.db;
    await db.owner.insertInto('tenants').values({ id: TENANT, slug: 'outbox', name: 'Outbox', defaultCurrency: 'CNY', defaultLocale: 'en', settings: '{}' }).execute();
  });
  afterAll(() => database?.drop());

  it('delivers every committed event once per subscriber, in order', async () => {
    for (let n = 1; n <= 5; n++) await append(db, n);
    const a = recorder('a');
    const b = recorder('b');
    await createOutboxDispatcher({ db, subscribers: [a, b] }).drain();
    expect(a.seen).toEqual(['1', '2', '3', '4', '5']);
    expect(b.seen).toEqual(a.seen);
  });

  it('loses nothing when the process dies between commit and dispatch', async () => {
    // The first dispatcher crashes on event 7: its checkpoint stays at 6.
    const crashing = recorder('c', (event) => event.payload.n === 7);
    await createOutboxDispatcher({ db, subscribers: [crashing] }).drain();
    for (let n = 6; n <= 8; n++) await append(db, n);
    await createOutboxDispatcher({ db, subscribers: [crashing] }).drain();
    expect(crashing.seen.slice(-1)).toEqual(['6']);
    // A new process (a new dispatcher) resumes from the stored checkpoint.
    const restarted = recorder('c');
    await createOutboxDispatcher({ db, subscribers: [restarted] }).drain();
    expect(restarted.seen).toEqual(['7', '8']);
  });

  it('never steps over an event whose transaction commits later', async () => {
    if (kind !== 'postgres') return; // PGlite runs one transaction at a time
    const late = recorder('late');
    const dispatcher = createOutboxDispatcher({ db, subscribers: [late] });
    await dispatcher.drain();
    late.seen.length = 0; // forget the backlog a new subscriber starts with
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Transaction A appends first (lower seq) but commits last.
    let appended!: () => void;
    const slowAppended = new Promise<void>((resolve) => (appended = resolve));
    const slow = db.withTenant(TENANT, async (tx) => {
      await appendEvent(tx, TENANT, { type: 'thing.happened', aggregateType: 'thing', aggregateId: 'slow', payload: { n: 'slow' } }, new Date());
      appended();
      await held;
    });
    await slowAppended;
    await append(db, 100);
    await dispatcher.drain();
    const beforeCommit = [...late.seen];
    release();
    await slow;
    await dispatcher.drain();
    expect(beforeCommit).toEqual([]);
    expect(late.seen).toEqual(['slow', '100']);
  });

  it('is not held back by a transaction that wrote no event, in another database or in this one', async () => {
    if (kind !== 'postgres') return; // PGlite has neither other databases nor concurrent transactions
    const idle = recorder('idle');
    const dispatcher = createOutboxDispatcher({ db, subscribers: [idle] });
    await dispatcher.drain();
    idle.seen.length = 0;
    // Another program's session, idle in a transaction that has an xid, in another database…
    const otherUrl = await createScratchDatabase();
    const other = new pg.Client({ connectionString: otherUrl });
    await other.connect();
    await other.query('begin; create table hold (n int); select pg_current_xact_id()');
    // …and one in this database that writes, but no event.
    const local = new pg.Client({ connectionString: database.url });
    await local.connect();
    await local.query(`begin; insert into outbox_checkpoints (subscriber, last_seq) values ('someone-else', 0)`);
    try {
      for (let n = 200; n < 203; n++) await append(db, n);
      await dispatcher.drain();
      expect(idle.seen).toEqual(['200', '201', '202']);
    } finally {
      await local.query('rollback').finally(() => local.end());
      await other.query('rollback').finally(() => other.end());
      await dropScratchDatabase(otherUrl);
    }
  });

  it('is woken by a commit instead of polling, and a transaction without events wakes nothing', async () => {
    let queries = 0;
    const counted: Database = {
      ...db,
      withTenant: (tenantId, work) => (queries++, db.withTenant(tenantId, work)),
      withoutTenant: (work) => (queries++, db.withoutTenant(work)),
      asOutboxReader: (work) => (queries++, db.asOutboxReader(work)),
    };
    const woken = recorder('woken');
    // Polling once an hour: only a wake-up can deliver within this test.
    const dispatcher = createOutboxDispatcher({ db: counted, subscribers: [woken], pollIntervalMs: 3_600_000 });
    await dispatcher.drain();
    woken.seen.length = 0;
    dispatcher.start();
    try {
      await append(db, 300);
      await waitFor(() => woken.seen.includes('300'));
      const afterDelivery = queries;
      // A transaction that writes no event wakes nothing; neither does time passing.
      await db.withTenant(TENANT, async () => undefined);
      await db.withoutTenant(async () => undefined);
      expect(queries).toBe(afterDelivery);
      await append(db, 301);
      await waitFor(() => woken.seen.includes('301'));
      expect(woken.seen).toEqual(['300', '301']);
    } finally {
      await dispatcher.stop();
    }
  });

  it('a consumer can tell a redelivered event by its id', async () => {
    const first = await db.withTenant(TENANT, (tx) => markProcessed(tx, TENANT, 'ledger', 'evt_1'));
    const again = await db.withTenant(TENANT, (tx) => markProcessed(tx, TENANT, 'ledger', 'evt_1'));
    expect([first, again]).toEqual([true, false]);
  });
});
