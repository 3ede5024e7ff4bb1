export { createFlashSaleService, type FlashSaleService, type FlashSaleView } from './flash-sale-service.ts';
export { storeFlashSaleRoutes, adminFlashSaleRoutes } from './flash-sale-routes.ts';
export { createFlashSaleSubscriber } from './flash-sale-subscriber.ts';
export { createAdmissionWriter, type AdmissionWriter } from './admission-writer.ts';
export { createAttemptLimits } from './attempt-limits.ts';
export { createMemoryStockTokens } from './memory-stock-tokens.ts';
export { createRedisStockTokens } from './redis-stock-tokens.ts';
export type { StockTokens } from './stock-tokens.ts';
