import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import type { PlatformModule } from './platform-document.ts';
import { hasModule, type Platform } from './platform.ts';
import type { TenantRateLimiter } from './tenant-rate-limiter.ts';
import type { TenantService } from './tenant-service.ts';

const SLUG_PATTERN = /^[a-z0-9-]{1,40}$/;

/**
 * Makes every route registered inside `app` tenant-scoped: the platform is found from the
 * `X-Tenant` header, a `?tenant=` query parameter (browsers), or the Host header, in that order,
 * and the platform's rate limit is taken before anything else runs.
 */
export function useTenantScope(
  app: FastifyInstance,
  deps: { tenants: TenantService; rateLimiter: TenantRateLimiter },
): void {
  app.addHook('onRequest', async (request) => {
    const platform = await resolvePlatform(request, deps.tenants);
    if (platform.status !== 'active') {
      throw new Forbidden('platform_suspended', `Platform "${platform.slug}" is suspended.`);
    }
    request.platform = platform;
    await deps.rateLimiter.take(platform);
  });
}

async function resolvePlatform(request: FastifyRequest, tenants: TenantService): Promise<Platform> {
  const header = request.headers['x-tenant'];
  const query = (request.query as Record<string, unknown> | undefined)?.tenant;
  const slug = typeof header === 'string' ? header : typeof query === 'string' ? query : undefined;
  if (slug !== undefined) {
    const platform = SLUG_PATTERN.test(slug) ? await tenants.findBySlug(slug) : undefined;
    if (!platform) throw new NotFound('platform_not_found', `No platform "${slug.slice(0, 40)}".`);
    return platform;
  }
  const host = request.headers.host ?? '';
  const platform = host.length <= 260 ? await tenants.findByHost(host) : undefined;
  if (!platform) {
    throw new NotFound('platform_not_found', 'No platform serves this host; send an X-Tenant header with its slug.');
  }
  return platform;
}

/** A hook for a module's routes: a platform that has not enabled the module doesn't have them. */
export function requireModule(module: PlatformModule) {
  return async (request: FastifyRequest) => {
    if (request.platform && !hasModule(request.platform, module)) {
      throw new NotFound('module_disabled', `This platform has not enabled ${module}.`);
    }
  };
}
