import { sql } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import { outboxCommits, type OutboxEvent } from './outbox.ts';

/**
 * Delivers outbox events to in-process subscribers, at least once and in seq order.
 *
 * Each subscriber keeps its own checkpoint (a seq) in the database, moved only after its handler
 * succeeded, so an event committed before a crash is delivered after the restart. A handler
 * that fails is retried (with back-off) before that subscriber moves on; subscribers must be
 * idempotent, which `markProcessed` helps with.
 *
 * Events are delivered only up to the delivery horizon (migration 0006): the seq below which
 * every event is settled. Only transactions that are writing events hold it back. The
 * dispatcher runs when a transaction of this process that appended events commits, when a
 * failed handler is due again, and otherwise once per poll interval (for events of other nodes);
 * it does not query the database while nothing happens.
 */
export interface Subscriber {
  name: string;
  /** Event types this subscriber wants; others only move its checkpoint. */
  types: readonly string[];
  handle(event: OutboxEvent): Promise<void>;
}

export interface OutboxDispatcher {
  start(): void;
  /** Stops after the current pass. */
  stop(): Promise<void>;
  /** Delivers everything deliverable now to every subscriber (tests, shutdown). */
  drain(): Promise<void>;
}

export interface DispatcherOptions {
  db: Database;
  subscribers: Subscriber[];
  /** How often to look for events written by other nodes. */
  pollIntervalMs?: number;
  batchSize?: number;
  onError?: (subscriber: string, event: OutboxEvent | undefined, error: unknown) => void;
}

/** How soon to ask again when a writer was caught between its two announcements (microseconds). */
const UNSETTLED_RETRY_MS = 2;

export function createOutboxDispatcher(options: DispatcherOptions): OutboxDispatcher {
  const { db, subscribers } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const batchSize = options.batchSize ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let wanted = false;
  let stopped = true;
  /** The horizon every subscriber had reached at the end of the last pass. */
  let caughtUpTo: number | undefined;
  const failures = new Map<string, { count: number; retryAt: number }>();

  /**
   * Hands one subscriber the events of a batch it has not had; its new checkpoint (past the last
   * event handled, whatever its type), and whether a handler failed.
   */
  async function deliver(subscriber: Subscriber, checkpoint: number, events: OutboxEvent[]): Promise<{ checkpoint: number; failed: boolean }> {
    let handled = checkpoint;
    for (const event of events) {
      if (event.seq <= checkpoint) continue;
      if (subscriber.types.includes(event.type)) {
        try {
          await subscriber.handle(event);
        } catch (error) {
          const count = (failures.get(subscriber.name)?.count ?? 0) + 1;
          failures.set(subscriber.name, { count, retryAt: Date.now() + Math.min(30_000, 100 * 2 ** count) });
          options.onError?.(subscriber.name, event, error);
          return { checkpoint: handled, failed: true };
        }
      }
      failures.delete(subscriber.name);
      handled = event.seq;
    }
    return { checkpoint: handled, failed: false };
  }

  /**
   * One pass over every subscriber; false when the horizon could not be settled (ask again soon).
   * The subscribers share each batch: one read serves them all, and their checkpoints move
   * together in one write per batch (a crash mid-batch redelivers the rest of it, at least once
   * as promised), so a busy outbox costs the database a few round trips per batch, not per
   * subscriber.
   */
  async function pass(): Promise<boolean> {
    const { horizon, checkpoints } = await readHorizon(db);
    if (horizon === null) return false;
    // Nothing settled since every subscriber last caught up: an idle pass is this one query.
    if (horizon === caughtUpTo) return true;
    let allCaughtUp = true;
    const due = new Map<Subscriber, number>();
    for (const subscriber of subscribers) {
      const backoff = failures.get(subscriber.name);
      if (backoff && backoff.retryAt > Date.now()) allCaughtUp = false;
      else due.set(subscriber, checkpoints.get(subscriber.name) ?? 0);
    }
    for (;;) {
      const behind = [...due].filter(([, checkpoint]) => checkpoint < horizon);
      if (behind.length === 0) break;
      const events = await readEvents(db, Math.min(...behind.map(([, checkpoint]) => checkpoint)), horizon, batchSize);
      const moved = new Map<string, number>();
      for (const [subscriber, checkpoint] of behind) {
        const reached = await deliver(subscriber, checkpoint, events);
        if (reached.checkpoint > checkpoint) moved.set(subscriber.name, reached.checkpoint);
        if (reached.failed) {
          due.delete(subscriber);
          allCaughtUp = false;
        } else {
          due.set(subscriber, reached.checkpoint);
        }
      }
      await writeCheckpoints(db, moved);
      // A short batch held everything up to the horizon (seqs of rolled-back writers leave gaps).
      if (events.length < batchSize) break;
    }
    if (allCaughtUp) caughtUpTo = horizon;
    return true;
  }

  /** The delay until the next pass when nothing wakes the dispatcher sooner. */
  function nextDelay(settled: boolean): number {
    if (!settled) return UNSETTLED_RETRY_MS;
    const dueRetries = [...failures.values()].map((failure) => failure.retryAt - Date.now());
    return Math.max(0, Math.min(pollIntervalMs, ...dueRetries));
  }

  function run(): void {
    if (stopped) return;
    if (running) {
      wanted = true;
      return;
    }
    if (timer) clearTimeout(timer);
    wanted = false;
    running = pass()
      .catch((error: unknown) => {
        options.onError?.('dispatcher', undefined, error);
        return true;
      })
      .then((settled) => {
        running = undefined;
        if (wanted) run();
        else schedule(nextDelay(settled));
      });
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(run, delay);
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      outboxCommits.on('committed', run);
      run();
    },
    async stop() {
      stopped = true;
      outboxCommits.off('committed', run);
      if (timer) clearTimeout(timer);
      await running;
    },
    async drain() {
      await running;
      failures.clear();
      while (!(await pass())) await new Promise((resolve) => setTimeout(resolve, UNSETTLED_RETRY_MS));
    },
  };
}

/** The delivery horizon and every subscriber's checkpoint, in one query. */
async function readHorizon(db: Database): Promise<{ horizon: number | null; checkpoints: Map<string, number> }> {
  const result = await db.withoutTenant((tx) =>
    sql<{ horizon: number | null; checkpoints: [string, number][] }>`
      select outbox_delivery_horizon() as horizon,
             coalesce((select json_agg(json_build_array(subscriber, last_seq)) from outbox_checkpoints), '[]'::json) as checkpoints`.execute(tx),
  );
  const row = result.rows[0];
  const horizon = row?.horizon;
  return {
    horizon: horizon === null || horizon === undefined ? null : Number(horizon),
    checkpoints: new Map((row?.checkpoints ?? []).map(([subscriber, seq]) => [subscriber, Number(seq)])),
  };
}

async function readCheckpoints(db: Database): Promise<Map<string, number>> {
  const rows = await db.withoutTenant((tx) => tx.selectFrom('outboxCheckpoints').select(['subscriber', 'lastSeq']).execute());
  return new Map(rows.map((row) => [row.subscriber, Number(row.lastSeq)]));
}

async function writeCheckpoints(db: Database, checkpoints: Map<string, number>): Promise<void> {
  if (checkpoints.size === 0) return;
  const rows = [...checkpoints].map(([subscriber, seq]) => sql`(${subscriber}, ${seq}::bigint, now())`);
  await db.withoutTenant((tx) =>
    sql`insert into outbox_checkpoints (subscriber, last_seq, updated_at) values ${sql.join(rows)}
        on conflict (subscriber) do update set last_seq = excluded.last_seq, updated_at = now()`.execute(tx),
  );
}

async function readEvents(db: Database, after: number, horizon: number, limit: number): Promise<OutboxEvent[]> {
  return db.asOutboxReader(async (tx: Tx) => {
    const result = await sql<OutboxEvent>`
      select seq, tenant_id, id, type, aggregate_type, aggregate_id, payload, trace_id, occurred_at
      from outbox_events
      where seq > ${after} and seq <= ${horizon}
      order by seq
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
  const checkpoints = await readCheckpoints(db);
  const backlog = [];
  for (const subscriber of subscriberNames) {
    const checkpoint = checkpoints.get(subscriber) ?? 0;
    const pending = await db.asOutboxReader(async (tx) => {
      const result = await sql<{ n: number }>`select count(*)::int as n from outbox_events where seq > ${checkpoint}`.execute(tx);
      return result.rows[0]?.n ?? 0;
    });
    backlog.push({ subscriber, pending });
  }
  return backlog;
}
