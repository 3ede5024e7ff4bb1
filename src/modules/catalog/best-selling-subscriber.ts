import type { Subscriber } from '../../infra/outbox/outbox-dispatcher.ts';
import type { DiscoveryService } from './discovery-service.ts';

/**
 * Keeps the units sold per product (the "best-selling" sort) from paid orders. Delivered at least
 * once; the service counts each event once. Refunds don't take units back: the sort ranks demand.
 */
export function createBestSellingSubscriber(discovery: DiscoveryService): Subscriber {
  return {
    name: 'catalog.best-selling',
    types: ['order.paid'],
    handle: (event) => discovery.countPaidOrder(event.tenantId, event.id, event.aggregateId),
  };
}
