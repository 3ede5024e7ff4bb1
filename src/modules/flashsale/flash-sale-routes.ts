import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem, sendProblem } from '../../app/problem-handler.ts';
import { platformOf } from '../../app/request-context.ts';
import { localeCode } from '../../platform/validation.ts';
import { pick } from '../catalog/catalog-views.ts';
import { customerOf, type AuthGuards } from '../identity/auth-guards.ts';
import { requireModule } from '../tenants/index.ts';
import { AttemptBody, CreateFlashSaleBody, FlashSaleParams, IdempotencyHeaders } from './flash-sale-schema.ts';
import type { FlashSaleService, FlashSaleView } from './flash-sale-service.ts';

const LocaleQuery = z.object({ locale: localeCode.optional(), tenant: z.string().max(40).optional() }).strict();

function storeView(request: FastifyRequest, sale: FlashSaleView, serverTime: Date) {
  const locale = (request.query as { locale?: string }).locale ?? platformOf(request).defaultLocale;
  return { ...sale, title: pick(sale.title, locale), serverTime };
}

/** Flash sales for shoppers: see them, get a purchase token once live, attempt. Under /api/store. */
export async function storeFlashSaleRoutes(app: FastifyInstance, deps: { flashSales: FlashSaleService; guards: AuthGuards }): Promise<void> {
  app.addHook('onRequest', requireModule('flashsale'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['flash sales (store)'];
  const { flashSales, guards } = deps;

  r.get('/flash-sales', { schema: { tags, querystring: LocaleQuery } }, async (request) => ({
    items: (await flashSales.listSales(platformOf(request))).filter((sale) => sale.phase !== 'ended').map((sale) => storeView(request, sale, flashSales.serverTime())),
    serverTime: flashSales.serverTime(),
  }));

  r.get('/flash-sales/:id', { schema: { tags, params: FlashSaleParams, querystring: LocaleQuery } }, async (request) => {
    const platform = platformOf(request);
    const sale = await flashSales.getSale(platform, request.params.id);
    return { ...storeView(request, sale, flashSales.serverTime()), soldOut: await flashSales.isSoldOut(platform, sale.id) };
  });

  // Only from the start on: before it, nobody can hold a token, so nobody can attempt early.
  r.post('/flash-sales/:id/purchase-token', { schema: { tags, params: FlashSaleParams }, preHandler: guards.customer }, async (request, reply) =>
    reply.status(201).send(await flashSales.issuePurchaseToken(platformOf(request), request.params.id, customerOf(request))),
  );

  r.post('/flash-sales/:id/attempts', { schema: { tags, params: FlashSaleParams, headers: IdempotencyHeaders, body: AttemptBody } }, async (request, reply) => {
    const result = await flashSales.attempt(platformOf(request), request.params.id, {
      token: request.body.token,
      idempotencyKey: request.headers['idempotency-key'],
      shippingAddress: request.body.shippingAddress,
      ip: request.ip,
    });
    if (result.outcome !== 'admitted') {
      if (result.retryAfterSeconds) void reply.header('retry-after', String(result.retryAfterSeconds));
      return sendProblem(reply, problem(request, result.status, result.outcome, result.detail));
    }
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(result.replayed ? 200 : 201).send(result);
  });
}

/** Flash sales for staff: create one, list them, watch one live. Under /api/admin. */
export async function adminFlashSaleRoutes(app: FastifyInstance, deps: { flashSales: FlashSaleService; guards: AuthGuards }): Promise<void> {
  app.addHook('onRequest', requireModule('flashsale'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['flash sales (admin)'];
  const { flashSales, guards } = deps;

  r.post('/flash-sales', { schema: { tags, body: CreateFlashSaleBody }, preHandler: guards.staff('operator') }, async (request, reply) =>
    reply.status(201).send(await flashSales.createSale(platformOf(request), request.body)),
  );

  r.get('/flash-sales', { schema: { tags }, preHandler: guards.staff('viewer') }, async (request) => ({ items: await flashSales.listSales(platformOf(request)) }));

  r.get('/flash-sales/:id', { schema: { tags, params: FlashSaleParams }, preHandler: guards.staff('viewer') }, async (request) => {
    const platform = platformOf(request);
    const [sale, live] = await Promise.all([flashSales.getSale(platform, request.params.id), flashSales.liveStats(platform, request.params.id)]);
    return { ...sale, live };
  });
}
