import { Counter, type Registry } from 'prom-client';
import type { Subscriber } from '../infra/outbox/outbox-dispatcher.ts';

/**
 * Domain counters for Prometheus, fed from the outbox: orders placed, paid and cancelled, and
 * revenue, per currency. Delivery is at least once, so after a crash a counter can run ahead by
 * the events redelivered; rates and dashboards tolerate that, the books use the database.
 */
export function createOrderMetricsSubscriber(registry: Registry): Subscriber {
  const orders = new Counter({
    name: 'bazaar_orders_total',
    help: 'Orders by lifecycle event.',
    labelNames: ['event'] as const,
    registers: [registry],
  });
  const revenue = new Counter({
    name: 'bazaar_revenue_minor_units_total',
    help: 'Paid order totals in minor units, by currency.',
    labelNames: ['currency'] as const,
    registers: [registry],
  });
  return {
    name: 'order-metrics',
    types: ['order.placed', 'order.paid', 'order.cancelled', 'order.refunded'],
    async handle(event) {
      orders.inc({ event: event.type.replace('order.', '') });
      if (event.type === 'order.paid') revenue.inc({ currency: String(event.payload.currency) }, Number(event.payload.total));
    },
  };
}
