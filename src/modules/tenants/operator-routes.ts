import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFound } from '../../platform/errors.ts';
import { requireOperatorToken } from './operator-auth.ts';
import { PlatformDocumentSchema } from './platform-document.ts';
import type { Platform } from './platform.ts';
import type { TenantService } from './tenant-service.ts';

/** The installation operator's API: platforms are created here, from a metadata document. */
export async function operatorRoutes(
  app: FastifyInstance,
  deps: { tenants: TenantService; operatorToken: string; outboxBacklog: () => Promise<{ subscriber: string; pending: number }[]> },
): Promise<void> {
  app.addHook('onRequest', requireOperatorToken(deps.operatorToken));

  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['operator'];

  r.post('/platforms', { schema: { tags, body: PlatformDocumentSchema } }, async (request, reply) => {
    const started = performance.now();
    const platform = await deps.tenants.createPlatform(request.body);
    request.log.info({ platform: platform.slug, ms: Math.round(performance.now() - started) }, 'platform created');
    return reply.status(201).send(platformView(platform));
  });

  r.get('/platforms', { schema: { tags } }, async () => ({
    items: (await deps.tenants.listPlatforms()).map(platformView),
  }));

  r.get('/outbox', { schema: { tags } }, async () => ({ subscribers: await deps.outboxBacklog() }));

  r.get('/platforms/:slug', { schema: { tags, params: z.object({ slug: z.string().max(40) }).strict() } }, async (request) => {
    const platform = await deps.tenants.findBySlug(request.params.slug);
    if (!platform) throw new NotFound('platform_not_found', `No platform "${request.params.slug}".`);
    return platformView(platform);
  });
}

export function platformView(platform: Platform) {
  return {
    id: platform.id,
    slug: platform.slug,
    name: platform.name,
    status: platform.status,
    domains: platform.domains,
    defaultCurrency: platform.defaultCurrency,
    currencies: platform.currencies,
    defaultLocale: platform.defaultLocale,
    locales: platform.locales,
    modules: platform.modules,
    quotas: platform.quotas,
    theme: platform.theme,
    checkout: platform.checkout,
    tax: platform.tax,
    returns: platform.returns,
    createdAt: platform.createdAt,
  };
}
