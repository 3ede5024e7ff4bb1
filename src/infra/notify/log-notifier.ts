import type { Logger } from 'pino';
import type { Notifier } from './notifier.ts';

/** Writes each message, link included, as one JSON log line: the operator passes it on by hand. */
export function createLogNotifier(log: Pick<Logger, 'info'>): Notifier {
  return {
    kind: 'log',
    async send(notification) {
      log.info({ notification }, 'notification');
    },
    async close() {},
  };
}
