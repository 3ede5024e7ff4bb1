import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { platformOf } from '../../app/request-context.ts';
import { customerOf, type AuthGuards } from '../identity/auth-guards.ts';
import type { OrderService } from '../orders/index.ts';
import { requireModule } from '../tenants/tenant-scope.ts';
import { CorrectTrackingBody, CreateShipmentBody, FulfilBody, OrderParams, ShipmentParams } from './fulfillment-schema.ts';
import type { FulfillmentService } from './fulfillment-service.ts';

interface Deps {
  fulfillment: FulfillmentService;
  orders: OrderService;
  guards: AuthGuards;
}

/** Shipments for staff. Mounted under /api/admin. */
export async function adminFulfillmentRoutes(app: FastifyInstance, { fulfillment, orders, guards }: Deps): Promise<void> {
  app.addHook('onRequest', requireModule('orders'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['shipments (admin)'];
  const reader = guards.staff('viewer');
  const operator = guards.staff('operator');

  r.get('/orders/:id/shipments', { schema: { tags, params: OrderParams }, preHandler: reader }, async (request) =>
    fulfillment.orderFulfillment(platformOf(request), request.params.id),
  );

  r.get('/orders/:id/shipment-proposal', { schema: { tags, params: OrderParams }, preHandler: reader }, async (request) => ({
    items: await fulfillment.proposeShipments(platformOf(request), request.params.id),
  }));

  r.post('/orders/:id/shipments', { schema: { tags, params: OrderParams, body: CreateShipmentBody }, preHandler: operator }, async (request, reply) =>
    reply.status(201).send(await fulfillment.createShipment(platformOf(request), request.params.id, request.body)),
  );

  // The one-click "fulfil whole order" of before shipments: all that is left, as one shipment.
  r.post('/orders/:id/fulfil', { schema: { tags, params: OrderParams, body: FulfilBody }, preHandler: operator }, async (request) => {
    const platform = platformOf(request);
    await fulfillment.fulfilWholeOrder(platform, request.params.id, request.body);
    const [order, shipped] = await Promise.all([orders.getOrder(platform, request.params.id), fulfillment.orderFulfillment(platform, request.params.id)]);
    return { ...order, fulfillment: shipped };
  });

  r.post('/shipments/:id/ship', { schema: { tags, params: ShipmentParams }, preHandler: operator }, async (request) =>
    fulfillment.markShipped(platformOf(request), request.params.id),
  );

  r.put('/shipments/:id/tracking', { schema: { tags, params: ShipmentParams, body: CorrectTrackingBody }, preHandler: operator }, async (request) =>
    fulfillment.correctTracking(platformOf(request), request.params.id, request.body),
  );

  r.post('/shipments/:id/deliver', { schema: { tags, params: ShipmentParams }, preHandler: operator }, async (request) =>
    fulfillment.markDelivered(platformOf(request), request.params.id),
  );
}

/** A customer's view of their order's parcels. Mounted under /api/store. */
export async function storeFulfillmentRoutes(app: FastifyInstance, { fulfillment, guards }: Omit<Deps, 'orders'>): Promise<void> {
  app.addHook('onRequest', requireModule('orders'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/orders/:id/shipments', { schema: { tags: ['shipments (store)'], params: OrderParams }, preHandler: guards.customer }, async (request) =>
    fulfillment.orderFulfillment(platformOf(request), request.params.id, customerOf(request).customerId),
  );
}
