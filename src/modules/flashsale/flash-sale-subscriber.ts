import type { Subscriber } from '../../infra/outbox/outbox-dispatcher.ts';
import type { FlashSaleService } from './flash-sale-service.ts';

/**
 * Puts a unit back on sale when a flash purchase is cancelled or expires unpaid. Delivered at
 * least once; returning the same order's unit twice is a no-op in the stock tokens.
 */
export function createFlashSaleSubscriber(flashSales: FlashSaleService): Subscriber {
  return {
    name: 'flashsale.returned-units',
    types: ['stock.returned_to_pool'],
    async handle(event) {
      const poolId = event.payload.poolId;
      if (typeof poolId === 'string' && poolId.startsWith('fs_')) await flashSales.unitReturned(event.tenantId, poolId, event.aggregateId);
    },
  };
}
