export { createCatalogService, type CatalogService } from './catalog-service.ts';
export { createCatalogCache, type CatalogCache } from './catalog-cache.ts';
export { createDiscoveryService, type DiscoveryService } from './discovery-service.ts';
export { createBestSellingSubscriber } from './best-selling-subscriber.ts';
export { storeCatalogRoutes, adminCatalogRoutes } from './catalog-routes.ts';
export { storeDiscoveryRoutes, adminDiscoveryRoutes } from './discovery-routes.ts';
export type { ProductRecord, CategoryRecord } from './product-record.ts';
export type { CreateProductInput } from './catalog-schema.ts';
export { pick, presentationFor, type Presentation } from './catalog-views.ts';
