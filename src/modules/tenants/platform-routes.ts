import type { FastifyInstance } from 'fastify';
import { platformOf } from '../../app/request-context.ts';

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
