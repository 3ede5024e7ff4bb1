export { createPricingService, type PricingService } from './pricing-service.ts';
export { adminPricingRoutes, storePricingRoutes } from './pricing-routes.ts';
export { bestListEntry, type PricingContext } from './price-lists.ts';
