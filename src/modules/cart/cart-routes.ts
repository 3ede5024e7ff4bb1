import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { platformOf } from '../../app/request-context.ts';
import { currencyCode, id, localeCode } from '../../platform/validation.ts';
import type { AuthGuards } from '../identity/auth-guards.ts';
import { pick } from '../catalog/catalog-views.ts';
import { requireModule } from '../tenants/tenant-scope.ts';
import { ShippingAddressSchema } from '../orders/order-schema.ts';
import { MAX_LINE_QUANTITY, type CartService, type CartView, type Shopper } from './cart-service.ts';

const CartParams = z.object({ id: id('cart') }).strict();
const LineParams = z.object({ id: id('cart'), variantId: id('var') }).strict();
const Locale = z.object({ locale: localeCode.optional(), tenant: z.string().max(40).optional() }).strict();
const quantity = z.number().int().min(1).max(MAX_LINE_QUANTITY);

function shopperOf(request: FastifyRequest): Shopper {
  return { customerId: request.principal?.kind === 'customer' ? request.principal.customerId : null };
}

/** Carts for guests and customers. Mounted under /api/store. */
export async function cartRoutes(app: FastifyInstance, deps: { carts: CartService; guards: AuthGuards }): Promise<void> {
  app.addHook('onRequest', requireModule('cart'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cart'];
  const { carts, guards } = deps;
  const localized = (request: FastifyRequest, cart: CartView) => cartView(cart, (request.query as { locale?: string }).locale ?? platformOf(request).defaultLocale);

  r.post(
    '/carts',
    { schema: { tags, querystring: Locale, body: z.object({ currency: currencyCode.optional() }).strict().optional() }, preHandler: guards.optionalCustomer },
    async (request, reply) => reply.status(201).send(localized(request, await carts.createCart(platformOf(request), shopperOf(request), request.body ?? {}))),
  );

  r.get('/carts/:id', { schema: { tags, params: CartParams, querystring: Locale }, preHandler: guards.optionalCustomer }, async (request) =>
    localized(request, await carts.getCart(platformOf(request), shopperOf(request), request.params.id)),
  );

  r.post(
    '/carts/:id/lines',
    { schema: { tags, params: CartParams, querystring: Locale, body: z.object({ variantId: id('var'), quantity }).strict() }, preHandler: guards.optionalCustomer },
    async (request) => localized(request, await carts.addLine(platformOf(request), shopperOf(request), request.params.id, request.body)),
  );

  r.patch(
    '/carts/:id/lines/:variantId',
    {
      schema: { tags, params: LineParams, querystring: Locale, body: z.object({ quantity: z.number().int().min(0).max(MAX_LINE_QUANTITY) }).strict() },
      preHandler: guards.optionalCustomer,
    },
    async (request) =>
      localized(request, await carts.setQuantity(platformOf(request), shopperOf(request), request.params.id, request.params.variantId, request.body.quantity)),
  );

  r.delete('/carts/:id/lines/:variantId', { schema: { tags, params: LineParams, querystring: Locale }, preHandler: guards.optionalCustomer }, async (request) =>
    localized(request, await carts.removeLine(platformOf(request), shopperOf(request), request.params.id, request.params.variantId)),
  );

  r.put(
    '/carts/:id/coupon',
    {
      schema: { tags, params: CartParams, querystring: Locale, body: z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and -') }).strict() },
      preHandler: guards.optionalCustomer,
    },
    async (request) => localized(request, await carts.applyCoupon(platformOf(request), shopperOf(request), request.params.id, request.body.code)),
  );

  r.post(
    '/carts/:id/checkout-preview',
    {
      schema: {
        tags,
        params: CartParams,
        querystring: Locale,
        body: z.object({ shippingAddress: ShippingAddressSchema.partial({ name: true, phone: true, line1: true }), shippingMethodId: id('shm').optional() }).strict(),
      },
      preHandler: guards.optionalCustomer,
    },
    async (request) => {
      const preview = await carts.previewCheckout(platformOf(request), shopperOf(request), request.params.id, request.body);
      return { ...localized(request, preview), shippingRequired: preview.shippingRequired, shippingOptions: preview.shippingOptions };
    },
  );

  r.delete('/carts/:id/coupon', { schema: { tags, params: CartParams, querystring: Locale }, preHandler: guards.optionalCustomer }, async (request) =>
    localized(request, await carts.applyCoupon(platformOf(request), shopperOf(request), request.params.id, null)),
  );
}

export function cartView(cart: CartView, locale: string) {
  return { ...cart, lines: cart.lines.map((line) => ({ ...line, title: pick(line.title, locale) })) };
}
