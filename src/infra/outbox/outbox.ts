import { EventEmitter } from 'node:events';
import { sql, type RawBuilder } from 'kysely';
import { afterCommit, type Tx } from '../db/database.ts';
import { newId } from '../../platform/ids.ts';
import { currentTraceId } from '../../platform/trace-context.ts';

/** A fact a module records about a change it made, in the same transaction as the change. */
export interface DomainEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/** An event as dispatchers deliver it. */
export interface OutboxEvent extends DomainEvent {
  id: string;
  seq: number;
  tenantId: string;
  traceId: string | null;
  occurredAt: Date;
}

/**
 * Emits 'committed' after every transaction of this process that appended events commits, so
 * that dispatchers deliver at once instead of polling the database while nothing happens.
 */
export const outboxCommits = new EventEmitter().setMaxListeners(0);
const announceCommit = () => outboxCommits.emit('committed');

export async function appendEvent(tx: Tx, tenantId: string, event: DomainEvent, at: Date): Promise<string> {
  const id = newId('evt');
  await tx
    .insertInto('outboxEvents')
    .values({
      tenantId,
      id,
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      payload: JSON.stringify(event.payload),
      traceId: currentTraceId() ?? null,
      occurredAt: at,
    })
    .execute();
  afterCommit(tx, announceCommit);
  return id;
}

/** Many events in one INSERT, for writers that commit in batches. */
export async function appendEvents(tx: Tx, tenantId: string, events: DomainEvent[], at: Date): Promise<void> {
  if (events.length === 0) return;
  const traceId = currentTraceId() ?? null;
  await tx
    .insertInto('outboxEvents')
    .values(
      events.map((event) => ({
        tenantId,
        id: newId('evt'),
        type: event.type,
        aggregateType: event.aggregateType,
        aggregateId: event.aggregateId,
        payload: JSON.stringify(event.payload),
        traceId,
        occurredAt: at,
      })),
    )
    .execute();
  afterCommit(tx, announceCommit);
}

/**
 * Events as an `insert into outbox_events` for a writer that appends them inside a statement of
 * its own (a CTE beside the change they record), so the change and its events cost one round trip.
 * `when`, if given, is an SQL condition: the events are appended only when it holds.
 */
export function eventsInsert(tx: Tx, tenantId: string, events: DomainEvent[], at: Date, when?: RawBuilder<unknown>): RawBuilder<unknown> {
  const traceId = currentTraceId() ?? null;
  afterCommit(tx, announceCommit);
  const rows = events.map(
    (event) => sql`(${tenantId}, ${newId('evt')}, ${event.type}, ${event.aggregateType}, ${event.aggregateId}, ${JSON.stringify(event.payload)}::jsonb, ${traceId}::text, ${at}::timestamptz)`,
  );
  return sql`insert into outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload, trace_id, occurred_at)
    select * from (values ${sql.join(rows)}) as e ${when ? sql`where ${when}` : sql``}`;
}

/**
 * One event whose payload the statement computes from the rows it writes (amounts known only to
 * the database), as an `insert into outbox_events … select`, appended only when `when` holds.
 */
export function eventInsertSelect(tx: Tx, event: Omit<DomainEvent, 'payload'>, payload: RawBuilder<unknown>, at: Date, when: RawBuilder<unknown>): RawBuilder<unknown> {
  afterCommit(tx, announceCommit);
  return sql`insert into outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload, trace_id, occurred_at)
    select current_setting('app.tenant_id', true), ${newId('evt')}, ${event.type}, ${event.aggregateType}, ${event.aggregateId}, ${payload}, ${currentTraceId() ?? null}::text, ${at}::timestamptz
    where ${when}`;
}
