import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { platformOf } from '../../app/request-context.ts';
import { currencyCode, id } from '../../platform/validation.ts';
import type { AuthGuards } from '../identity/auth-guards.ts';
import type { PromotionService } from './promotion-service.ts';

/** An ISO 8601 time with its offset; numbers, booleans and null are not times. */
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

const CreateCouponBody = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{3,40}$/, '3-40 letters, digits, _ and -'),
    kind: z.enum(['fixed', 'percentage']),
    value: z.number().int().min(1).max(1_000_000_000),
    currency: currencyCode.optional(),
    minSpend: z.number().int().min(0).max(1_000_000_000_000).default(0),
    startsAt: instant.optional(),
    endsAt: instant.optional(),
    usageLimit: z.number().int().min(1).max(100_000_000).optional(),
    perCustomerLimit: z.number().int().min(1).max(1000).optional(),
    productIds: z.array(id('prod')).max(500).default([]),
    categoryIds: z.array(id('cat')).max(100).default([]),
  })
  .strict()
  .refine((body) => body.kind !== 'percentage' || body.value <= 10_000, { message: 'a percentage is at most 10000 basis points', path: ['value'] });

/** Coupons for staff. Mounted under /api/admin. */
export async function adminPromotionRoutes(app: FastifyInstance, deps: { promotions: PromotionService; guards: AuthGuards }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['coupons'];

  r.post('/coupons', { schema: { tags, body: CreateCouponBody }, preHandler: deps.guards.staff('operator') }, async (request, reply) =>
    reply.status(201).send(await deps.promotions.createCoupon(platformOf(request), request.body)),
  );
  r.get('/coupons', { schema: { tags }, preHandler: deps.guards.staff('viewer') }, async (request) => ({
    items: await deps.promotions.listCoupons(platformOf(request)),
  }));
  r.patch(
    '/coupons/:id',
    { schema: { tags, params: z.object({ id: id('cpn') }).strict(), body: z.object({ status: z.enum(['active', 'disabled']) }).strict() }, preHandler: deps.guards.staff('operator') },
    async (request) => deps.promotions.setCouponStatus(platformOf(request), request.params.id, request.body.status),
  );
}
