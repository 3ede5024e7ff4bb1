import { EventEmitter } from 'node:events';
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
