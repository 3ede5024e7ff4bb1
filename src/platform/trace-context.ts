import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The W3C trace id of the work in progress, carried implicitly from the HTTP request into the
 * events it appends, so that one purchase can be followed from request to every consumer.
 */
const storage = new AsyncLocalStorage<{ traceId: string }>();

export function runWithTrace<T>(traceId: string, work: () => T): T {
  return storage.run({ traceId }, work);
}

export function currentTraceId(): string | undefined {
  return storage.getStore()?.traceId;
}

/**
 * 32 hex digits, as W3C traceparent wants. From randomUUID, which draws on a cached pool of
 * entropy: randomBytes(16) per request cost more than the rest of a sold-out flash answer.
 */
export function newTraceId(): string {
  return randomUUID().replaceAll('-', '');
}
