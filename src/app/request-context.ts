import type { FastifyRequest } from 'fastify';
import type { Platform } from '../modules/tenants/platform.ts';
import type { Principal } from '../modules/identity/principal.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the tenant scope's onRequest hook for every /api/store and /api/admin route. */
    platform: Platform | undefined;
    /** Set by the auth guards once a bearer token has been verified. */
    principal: Principal | undefined;
  }
}

export function platformOf(request: FastifyRequest): Platform {
  if (!request.platform) throw new Error(`Route ${request.routeOptions.url} is outside the tenant scope`);
  return request.platform;
}
