import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

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

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}
