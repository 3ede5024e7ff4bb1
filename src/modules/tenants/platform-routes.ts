import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { platformOf } from '../../app/request-context.ts';
import type { AuthGuards } from '../identity/auth-guards.ts';
import { platformView } from './operator-routes.ts';
import { PlatformSettingsSchema } from './platform-document.ts';
import type { TenantService } from './tenant-service.ts';

/** The platform a storefront was reached by: name, locales, currencies and theme. */
export async function storePlatformRoutes(app: FastifyInstance): Promise<void> {
  app.get('/platform', { schema: { tags: ['platform'] } }, async (request) => {
    const platform = platformOf(request);
    return {
      slug: platform.slug,
      name: platform.name,
      defaultCurrency: platform.defaultCurrency,
      currencies: platform.currencies,
      defaultLocale: platform.defaultLocale,
      locales: platform.locales,
      modules: platform.modules,
      theme: platform.theme,
    };
  });
}

/** The platform's own settings, for its staff. Mounted under /api/admin. */
export async function adminPlatformRoutes(app: FastifyInstance, deps: { tenants: TenantService; guards: AuthGuards }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['platform'];
  r.get('/platform', { schema: { tags }, preHandler: deps.guards.staff('viewer') }, async (request) => platformView(platformOf(request)));
  r.patch('/platform', { schema: { tags, body: PlatformSettingsSchema }, preHandler: deps.guards.staff('admin') }, async (request) =>
    platformView(await deps.tenants.updateSettings(platformOf(request), request.body)),
  );
}
