import type { IncomingMessage } from 'node:http';
import { newTraceId } from '../platform/trace-context.ts';

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
const TRACE_ID = Symbol('bazaar.traceId');

/**
 * The request's W3C trace id: the caller's (from `traceparent`) or a new one, decided once per
 * request and kept on it, so that the request's logger and the work it runs agree on it.
 */
export function traceIdOf(raw: IncomingMessage): string {
  const carrier = raw as IncomingMessage & { [TRACE_ID]?: string };
  carrier[TRACE_ID] ??= TRACEPARENT.exec(String(raw.headers.traceparent ?? ''))?.[1] ?? newTraceId();
  return carrier[TRACE_ID];
}
