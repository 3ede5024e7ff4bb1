import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { platformOf } from '../../app/request-context.ts';
import { customerOf, staffOf, type AuthGuards } from '../identity/auth-guards.ts';
import { requireModule } from '../tenants/tenant-scope.ts';
import { CreateReturnBody, MyReturnsQuery, OrderParams, ReceiveReturnBody, RejectReturnBody, ReturnParams, ReturnQueueQuery, ReturnShipmentBody } from './returns-schema.ts';
import type { ReturnService } from './returns-service.ts';

interface Deps {
  returns: ReturnService;
  guards: AuthGuards;
}

/** A customer's after-sales requests. Mounted under /api/store. */
export async function storeReturnRoutes(app: FastifyInstance, { returns, guards }: Deps): Promise<void> {
  app.addHook('onRequest', requireModule('orders'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['returns (store)'];

  r.post('/orders/:id/returns', { schema: { tags, params: OrderParams, body: CreateReturnBody }, preHandler: guards.customer }, async (request, reply) =>
    reply.status(201).send(await returns.request(platformOf(request), customerOf(request).customerId, request.params.id, request.body)),
  );
  r.get('/returns', { schema: { tags, querystring: MyReturnsQuery }, preHandler: guards.customer }, async (request) =>
    returns.listMine(platformOf(request), customerOf(request).customerId, request.query),
  );
  r.get('/returns/:id', { schema: { tags, params: ReturnParams }, preHandler: guards.customer }, async (request) =>
    returns.get(platformOf(request), request.params.id, customerOf(request).customerId),
  );
  r.post('/returns/:id/shipment', { schema: { tags, params: ReturnParams, body: ReturnShipmentBody }, preHandler: guards.customer }, async (request) =>
    returns.submitReturnShipment(platformOf(request), customerOf(request).customerId, request.params.id, request.body),
  );
  r.post('/returns/:id/cancel', { schema: { tags, params: ReturnParams }, preHandler: guards.customer }, async (request) =>
    returns.cancel(platformOf(request), customerOf(request).customerId, request.params.id),
  );
}

/** The after-sales queue for staff. Mounted under /api/admin. */
export async function adminReturnRoutes(app: FastifyInstance, { returns, guards }: Deps): Promise<void> {
  app.addHook('onRequest', requireModule('orders'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['returns (admin)'];
  const operator = guards.staff('operator');

  r.get('/returns', { schema: { tags, querystring: ReturnQueueQuery }, preHandler: guards.staff('viewer') }, async (request) =>
    returns.list(platformOf(request), request.query),
  );
  r.get('/returns/:id', { schema: { tags, params: ReturnParams }, preHandler: guards.staff('viewer') }, async (request) =>
    returns.get(platformOf(request), request.params.id),
  );
  r.post('/returns/:id/approve', { schema: { tags, params: ReturnParams }, preHandler: operator }, async (request) =>
    returns.approve(platformOf(request), staffOf(request).staffId, request.params.id),
  );
  r.post('/returns/:id/reject', { schema: { tags, params: ReturnParams, body: RejectReturnBody }, preHandler: operator }, async (request) =>
    returns.reject(platformOf(request), staffOf(request).staffId, request.params.id, request.body.reason),
  );
  r.post('/returns/:id/receive', { schema: { tags, params: ReturnParams, body: ReceiveReturnBody }, preHandler: operator }, async (request) =>
    returns.receive(platformOf(request), staffOf(request).staffId, request.params.id, request.body),
  );
  // Refunds again (or places an exchange's replacement) after an earlier attempt failed.
  r.post('/returns/:id/settle', { schema: { tags, params: ReturnParams }, preHandler: operator }, async (request) =>
    returns.settle(platformOf(request), request.params.id),
  );
}
