import type { FastifyBaseLogger } from 'fastify';
import type { OutboxDispatcher } from '../infra/outbox/outbox-dispatcher.ts';
import type { Services } from './create-app.ts';

/**
 * Work the server does on its own: deliver outbox events, and cancel unpaid orders past their
 * deadline (releasing their stock). Both are safe to run on several nodes at once: checkpoints
 * are per subscriber and consumers dedupe; expiry locks orders with SKIP LOCKED.
 */
export interface BackgroundJobs {
  start(): void;
  stop(): Promise<void>;
}

const EXPIRY_INTERVAL_MS = 15_000;

export function createBackgroundJobs(deps: { services: Services; dispatcher: OutboxDispatcher; log: FastifyBaseLogger }): BackgroundJobs {
  let timer: NodeJS.Timeout | undefined;
  let expiring: Promise<void> | undefined;

  async function expireUnpaid(): Promise<void> {
    try {
      const expired = await deps.services.orders.expireUnpaidOrders(await deps.services.tenants.listPlatforms());
      if (expired > 0) deps.log.info({ expired }, 'cancelled unpaid orders past their deadline');
    } catch (error) {
      deps.log.error({ err: error }, 'expiring unpaid orders failed; will retry');
    }
  }

  return {
    start() {
      deps.dispatcher.start();
      timer = setInterval(() => {
        expiring ??= expireUnpaid().finally(() => (expiring = undefined));
      }, EXPIRY_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await expiring;
      await deps.dispatcher.stop();
    },
  };
}
