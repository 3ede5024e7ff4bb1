export { createCatalogService, type CatalogService } from './catalog-service.ts';
export { storeCatalogRoutes, adminCatalogRoutes } from './catalog-routes.ts';
export type { ProductRecord, CategoryRecord } from './product-record.ts';
export type { CreateProductInput } from './catalog-schema.ts';
export { pick, presentationFor, type Presentation } from './catalog-views.ts';
