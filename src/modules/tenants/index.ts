export { PlatformDocumentSchema, PlatformSettingsSchema, PLATFORM_MODULES, type PlatformDocument, type PlatformDocumentInput } from './platform-document.ts';
export { assertSellsIn, hasModule, type Platform } from './platform.ts';
export { createTenantService, type TenantService, type ProvisionStep } from './tenant-service.ts';
export { createTenantRateLimiter, type TenantRateLimiter } from './tenant-rate-limiter.ts';
export { useTenantScope, requireModule } from './tenant-scope.ts';
export { operatorRoutes, platformView } from './operator-routes.ts';
export { storePlatformRoutes, adminPlatformRoutes } from './platform-routes.ts';
export { requireOperatorToken } from './operator-auth.ts';
