import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { platformOf } from '../../app/request-context.ts';
import { id, text } from '../../platform/validation.ts';
import { staffOf, type AuthGuards } from '../identity/auth-guards.ts';
import type { InventoryService } from './inventory-service.ts';

const AdjustmentBody = z
  .object({ variantId: id('var'), delta: z.number().int().min(-1_000_000).max(1_000_000).refine((n) => n !== 0, 'must not be 0'), reason: text(200) })
  .strict();
const StockQuery = z.object({ variantId: z.union([id('var'), z.array(id('var')).max(100)]), tenant: z.string().max(40).optional() }).strict();
const VariantParams = z.object({ variantId: id('var') }).strict();

/** Stock for staff. Mounted under /api/admin. */
export async function adminInventoryRoutes(app: FastifyInstance, deps: { inventory: InventoryService; guards: AuthGuards }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['inventory'];

  r.post('/inventory/adjustments', { schema: { tags, body: AdjustmentBody }, preHandler: deps.guards.staff('operator') }, async (request, reply) =>
    reply.status(201).send(await deps.inventory.adjustStock(platformOf(request), staffOf(request).staffId, request.body)),
  );

  r.get('/inventory', { schema: { tags, querystring: StockQuery }, preHandler: deps.guards.staff('viewer') }, async (request) => {
    const ids = Array.isArray(request.query.variantId) ? request.query.variantId : [request.query.variantId];
    return { items: await deps.inventory.getStock(platformOf(request), ids) };
  });

  r.get('/inventory/:variantId/movements', { schema: { tags, params: VariantParams }, preHandler: deps.guards.staff('viewer') }, async (request) => ({
    items: await deps.inventory.listMovements(platformOf(request), request.params.variantId),
  }));
}
