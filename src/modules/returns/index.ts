export { createReturnService, type ReturnService, type ReturnView } from './returns-service.ts';
export { storeReturnRoutes, adminReturnRoutes } from './returns-routes.ts';
export { RETURN_REASONS, MAX_RETURN_PHOTOS } from './returns-schema.ts';
export type { ReturnRequestsTable, ReturnLinesTable } from './returns-store.ts';
