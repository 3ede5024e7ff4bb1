import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { platformOf } from '../../app/request-context.ts';
import { customerOf, staffOf, type AuthGuards } from '../identity/auth-guards.ts';
import type { PaymentService } from '../payments/payment-service.ts';
import type { Platform } from '../tenants/platform.ts';
import { requireModule } from '../tenants/tenant-scope.ts';
import type { Checkout } from './checkout-workflow.ts';
import { z } from 'zod';
import { ApplyOrderEditBody, CancelBody, CartParams, CheckoutBody, IdempotencyHeaders, OrderEditBody, OrderListQuery, OrderParams, RefundBody, ShippingAddressSchema } from './order-schema.ts';
import type { OrderEditService } from './order-edit-service.ts';
import type { OrderService } from './order-service.ts';

interface Deps {
  orders: OrderService;
  payments: PaymentService;
  checkout: Checkout;
  guards: AuthGuards;
  edits: OrderEditService;
  /** The order's shipments (the fulfillment module's), shown as the view's `fulfillment`. */
  fulfillmentOf(platform: Platform, orderId: string): Promise<object>;
}

/** Checkout and "my orders". Mounted under /api/store. */
export async function storeOrderRoutes(app: FastifyInstance, { orders, payments, checkout, guards, fulfillmentOf }: Deps): Promise<void> {
  app.addHook('onRequest', requireModule('orders'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['orders (store)'];

  r.post(
    '/carts/:id/checkout',
    { schema: { tags, params: CartParams, headers: IdempotencyHeaders, body: CheckoutBody }, preHandler: guards.customer },
    async (request, reply) => {
      const result = await checkout(platformOf(request), customerOf(request).customerId, {
        cartId: request.params.id,
        shippingAddress: request.body.shippingAddress,
        shippingMethodId: request.body.shippingMethodId,
        invoice: request.body.invoice,
        tenders: request.body.tenders,
        idempotencyKey: request.headers['idempotency-key'],
      });
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.status(result.replayed ? 200 : 201).send({ order: result.order, payment: result.payment });
    },
  );

  r.get('/orders', { schema: { tags, querystring: OrderListQuery }, preHandler: guards.customer }, async (request) =>
    orders.listOrders(platformOf(request), { ...request.query, search: request.query.q, customerId: customerOf(request).customerId }),
  );

  r.get('/orders/:id', { schema: { tags, params: OrderParams }, preHandler: guards.customer }, async (request) => {
    const platform = platformOf(request);
    // Read together: someone else's order is a 404 from getOrder, whatever its shipments are.
    const [order, fulfillment] = await Promise.all([orders.getOrder(platform, request.params.id, customerOf(request).customerId), fulfillmentOf(platform, request.params.id)]);
    return { ...order, fulfillment };
  });

  r.post('/orders/:id/payments', { schema: { tags, params: OrderParams }, preHandler: guards.customer }, async (request, reply) =>
    reply.status(201).send(await payments.openPayment(platformOf(request), request.params.id, customerOf(request).customerId)),
  );
}

/** Orders for staff. Mounted under /api/admin. */
export async function adminOrderRoutes(app: FastifyInstance, { orders, payments, edits, guards, fulfillmentOf }: Deps): Promise<void> {
  app.addHook('onRequest', requireModule('orders'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['orders (admin)'];
  const reader = guards.staff('viewer');
  const operator = guards.staff('operator');

  r.get('/orders', { schema: { tags, querystring: OrderListQuery }, preHandler: reader }, async (request) =>
    orders.listOrders(platformOf(request), { ...request.query, search: request.query.q }),
  );

  r.get('/orders/:id', { schema: { tags, params: OrderParams }, preHandler: reader }, async (request) => {
    const platform = platformOf(request);
    const [order, orderPayments, fulfillment, orderEdits] = await Promise.all([
      orders.getOrder(platform, request.params.id),
      payments.listPayments(platform, request.params.id),
      fulfillmentOf(platform, request.params.id),
      edits.listEdits(platform, request.params.id),
    ]);
    return { ...order, payments: orderPayments, fulfillment, edits: orderEdits };
  });

  // Before anything ships: new quantities for the order's lines, lines added. Preview first; the
  // edit itself collects or pays back the difference.
  r.post('/orders/:id/edits/preview', { schema: { tags, params: OrderParams, body: OrderEditBody }, preHandler: operator }, async (request) =>
    edits.previewEdit(platformOf(request), request.params.id, request.body),
  );
  r.post('/orders/:id/edits', { schema: { tags, params: OrderParams, body: ApplyOrderEditBody }, preHandler: operator }, async (request, reply) =>
    reply.status(201).send(await edits.editOrder(platformOf(request), request.params.id, request.body, staffOf(request).staffId)),
  );

  r.post('/orders/:id/complete', { schema: { tags, params: OrderParams }, preHandler: operator }, async (request) =>
    orders.completeOrder(platformOf(request), request.params.id),
  );

  r.post('/orders/:id/cancel', { schema: { tags, params: OrderParams, body: CancelBody }, preHandler: operator }, async (request) =>
    orders.cancelOrder(platformOf(request), request.params.id, request.body.reason),
  );

  r.patch(
    '/orders/:id/shipping-address',
    { schema: { tags, params: OrderParams, body: z.object({ shippingAddress: ShippingAddressSchema }).strict() }, preHandler: operator },
    async (request) => orders.changeShippingAddress(platformOf(request), request.params.id, request.body.shippingAddress),
  );
  r.post('/orders/:id/refunds', { schema: { tags, params: OrderParams, body: RefundBody }, preHandler: guards.staff('admin') }, async (request, reply) =>
    reply.status(201).send(await payments.refundOrder(platformOf(request), request.params.id, request.body)),
  );
}
