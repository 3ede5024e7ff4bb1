import type { FastifyBaseLogger } from 'fastify';
import type { OutboxDispatcher } from '../infra/outbox/outbox-dispatcher.ts';
import type { Services } from './create-app.ts';

/**
 * Work the server does on its own: deliver outbox events; cancel unpaid orders past their
 * deadline (releasing their stock); close ended flash sales (their unsold units go back to
 * stock); close approved returns not shipped back in time; settle flash admissions a dead node left pending; sweep uploads left unattached for a day. All are safe to run on several nodes
 * at once: checkpoints are per subscriber and consumers dedupe; expiry and closing lock rows with
 * SKIP LOCKED; settling is idempotent.
 */
export interface BackgroundJobs {
  start(): void;
  stop(): Promise<void>;
}

const EXPIRY_INTERVAL_MS = 15_000;
// Stray uploads only cost disk space, so they are swept hourly, not at every upkeep round.
const SWEEP_INTERVAL_MS = 3_600_000;

export function createBackgroundJobs(deps: { services: Services; dispatcher: OutboxDispatcher; log: FastifyBaseLogger }): BackgroundJobs {
  let timer: NodeJS.Timeout | undefined;
  let expiring: Promise<void> | undefined;
  let lastSweep = 0;

  async function expireUnpaid(): Promise<void> {
    try {
      const platforms = await deps.services.tenants.listPlatforms();
      const expired = await deps.services.orders.expireUnpaidOrders(platforms);
      if (expired > 0) deps.log.info({ expired }, 'cancelled unpaid orders past their deadline');
      const closed = await deps.services.flashSales.closeEndedSales(platforms);
      if (closed > 0) deps.log.info({ closed }, 'closed ended flash sales');
      if (Date.now() - lastSweep >= SWEEP_INTERVAL_MS) {
        lastSweep = Date.now();
        const swept = await deps.services.files.sweepUnattached(platforms);
        if (swept > 0) deps.log.info({ swept }, 'removed uploads nobody attached within a day');
      }
      const lapsed = await deps.services.returns.expireOverdueReturns(platforms);
      if (lapsed > 0) deps.log.info({ lapsed }, 'closed approved returns not shipped back in time');
      const settled = await deps.services.flashSales.recoverStaleAdmissions();
      if (settled > 0) deps.log.warn({ settled }, 'settled flash-sale admissions left pending by a stopped node');
    } catch (error) {
      deps.log.error({ err: error }, 'background upkeep failed; will retry');
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
