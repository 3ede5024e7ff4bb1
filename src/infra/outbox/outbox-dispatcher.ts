import { sql } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import type { OutboxEvent } from './outbox.ts';

/**
 * Delivers outbox events to in-process subscribers, at least once and in commit order.
 *
 * Each subscriber keeps its own checkpoint in the database, moved only after its handler
 * succeeded, so an event committed before a crash is delivered after the restart. A handler
 * that fails is retried (with back-off) before that subscriber moves on; subscribers must be
 * idempotent, which `markProcessed` helps with.
 */
export interface Subscriber {
  name: string;
  /** Event types this subscriber wants; others only move its checkpoint. */
  types: readonly string[];
  handle(event: OutboxEvent): Promise<void>;
}

export interface OutboxDispatcher {
  start(): void;
  /** Stops polling after the current batch. */
  stop(): Promise<void>;
  /** Delivers everything committed so far to every subscriber (tests, shutdown). */
  drain(): Promise<void>;
  /** Wakes the dispatcher now instead of at the next poll. */
  nudge(): void;
}

export interface DispatcherOptions {
  db: Database;
  subscribers: Subscriber[];
  pollIntervalMs?: number;
  batchSize?: number;
  onError?: (subscriber: string, event: OutboxEvent, error: unknown) => void;
}

export function createOutboxDispatcher(options: DispatcherOptions): OutboxDispatcher {
  const { db, subscribers } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const batchSize = options.batchSize ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  const failures = new Map<string, { count: number; retryAt: number }>();

  /** Delivers one batch to one subscriber; true when it may have more. */
  async function deliverBatch(subscriber: Subscriber): Promise<boolean> {
    const backoff = failures.get(subscriber.name);
    if (backoff && backoff.retryAt > Date.now()) return false;
    const checkpoint = await readCheckpoint(db, subscriber.name);
    const events = await readEventsAfter(db, checkpoint, batchSize);
    // The checkpoint moves once per batch, past the last event handled: a crash mid-batch
    // redelivers the rest of it (at least once, as promised), and a busy outbox costs one
    // checkpoint write per batch instead of one per event.
    let handled: OutboxEvent | undefined;
    for (const event of events) {
      if (subscriber.types.includes(event.type)) {
        try {
          await subscriber.handle(event);
        } catch (error) {
          const count = (failures.get(subscriber.name)?.count ?? 0) + 1;
          failures.set(subscriber.name, { count, retryAt: Date.now() + Math.min(30_000, 100 * 2 ** count) });
          options.onError?.(subscriber.name, event, error);
          if (handled) await writeCheckpoint(db, subscriber.name, handled);
          return false;
        }
      }
      failures.delete(subscriber.name);
      handled = event;
    }
    if (handled) await writeCheckpoint(db, subscriber.name, handled);
    return events.length === batchSize;
  }

  async function pass(): Promise<void> {
    for (const subscriber of subscribers) {
      while (await deliverBatch(subscriber)) {
        // keep going until this subscriber has caught up
      }
    }
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass()
        .catch((error: unknown) => options.onError?.('dispatcher', undefined as never, error))
        .finally(() => {
          running = undefined;
          schedule(pollIntervalMs);
        });
    }, delay);
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    async drain() {
      await running;
      failures.clear();
      await pass();
    },
    nudge() {
      if (stopped || running) return;
      if (timer) clearTimeout(timer);
      schedule(0);
    },
  };
}

interface Checkpoint {
  txid: string;
  seq: number;
}

async function readCheckpoint(db: Database, subscriber: string): Promise<Checkpoint> {
  const row = await db.withoutTenant((tx) =>
    tx.selectFrom('outboxCheckpoints').select(['lastTxid', 'lastSeq']).where('subscriber', '=', subscriber).executeTakeFirst(),
  );
  return { txid: row ? String(row.lastTxid) : '0', seq: row ? Number(row.lastSeq) : 0 };
}

async function writeCheckpoint(db: Database, subscriber: string, event: OutboxEvent): Promise<void> {
  await db.withoutTenant((tx) =>
    sql`insert into outbox_checkpoints (subscriber, last_txid, last_seq, updated_at)
        values (${subscriber}, ${event.txid}::xid8, ${event.seq}, now())
        on conflict (subscriber) do update set last_txid = excluded.last_txid, last_seq = excluded.last_seq, updated_at = now()`.execute(tx),
  );
}

async function readEventsAfter(db: Database, after: Checkpoint, limit: number): Promise<OutboxEvent[]> {
  return db.asOutboxReader(async (tx: Tx) => {
    // Only transactions older than every one still running: nothing can commit below this line.
    const result = await sql<OutboxEvent>`
      select seq, txid::text as txid, tenant_id, id, type, aggregate_type, aggregate_id, payload, trace_id, occurred_at
      from outbox_events
      where (txid, seq) > (${after.txid}::xid8, ${after.seq}::bigint)
        and txid < pg_snapshot_xmin(pg_current_snapshot())
      order by txid, seq
      limit ${limit}`.execute(tx);
    return result.rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  });
}

/**
 * Records that `subscriber` handled `eventId` inside the subscriber's own transaction; false when
 * it already had, so a redelivered event changes nothing twice.
 */
export async function markProcessed(tx: Tx, tenantId: string, subscriber: string, eventId: string): Promise<boolean> {
  const result = await tx
    .insertInto('processedEvents')
    .values({ tenantId, subscriber, eventId })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** How many committed events each subscriber has still to handle. */
export async function outboxBacklog(db: Database, subscriberNames: string[]): Promise<{ subscriber: string; pending: number }[]> {
  const backlog = [];
  for (const subscriber of subscriberNames) {
    const checkpoint = await readCheckpoint(db, subscriber);
    const pending = await db.asOutboxReader(async (tx) => {
      const result = await sql<{ n: number }>`
        select count(*)::int as n from outbox_events where (txid, seq) > (${checkpoint.txid}::xid8, ${checkpoint.seq}::bigint)`.execute(tx);
      return result.rows[0]?.n ?? 0;
    });
    backlog.push({ subscriber, pending });
  }
  return backlog;
}
