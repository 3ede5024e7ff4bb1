import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { platformOf } from '../../app/request-context.ts';
import { currencyCode, email, id, localized, minorUnits, text } from '../../platform/validation.ts';
import type { AuthGuards } from '../identity/auth-guards.ts';
import type { PricingService } from './pricing-service.ts';

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
/** Up to 100 ids in one query parameter, comma-separated (`?variantIds=var_a,var_b`). */
const idList = (prefix: 'var' | 'prod') =>
  z
    .string()
    .max(100 * 32)
    .transform((value) => value.split(','))
    .pipe(z.array(id(prefix)).min(1).max(100));
const priceQuery = { currency: currencyCode.optional(), tenant: z.string().max(40).optional() };
const GroupParams = z.object({ id: id('cgr') }).strict();
const ListParams = z.object({ id: id('prl') }).strict();

const PriceEntry = z
  .object({ variantId: id('var'), minQuantity: z.number().int().min(1).max(999).default(1), amount: minorUnits, compareAt: minorUnits.nullable().optional() })
  .strict();

const listFields = {
  name: text(100),
  groupId: id('cgr').nullable().optional().describe('null or absent: a sale for everyone'),
  currency: currencyCode,
  startsAt: instant.nullable().optional(),
  endsAt: instant.nullable().optional(),
  status: z.enum(['active', 'disabled']).optional(),
  prices: z.array(PriceEntry).max(5000),
};
const CreatePriceListBody = z.object(listFields).strict();
const UpdatePriceListBody = z
  .object({ name: listFields.name.optional(), startsAt: listFields.startsAt, endsAt: listFields.endsAt, status: listFields.status, prices: listFields.prices.optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field');

/** Customer groups and price lists, for staff. Mounted under /api/admin. */
export async function adminPricingRoutes(app: FastifyInstance, deps: { pricing: PricingService; guards: AuthGuards }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['pricing'];
  const { pricing, guards } = deps;
  const read = guards.staff('viewer');
  const write = guards.staff('operator');

  r.get('/customer-groups', { schema: { tags }, preHandler: read }, async (request) => ({ items: await pricing.listGroups(platformOf(request)) }));
  r.post(
    '/customer-groups',
    { schema: { tags, body: z.object({ code: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lowercase letters, digits and -'), name: localized(60) }).strict() }, preHandler: write },
    async (request, reply) => reply.status(201).send(await pricing.createGroup(platformOf(request), request.body)),
  );
  r.delete('/customer-groups/:id', { schema: { tags, params: GroupParams }, preHandler: write }, async (request, reply) => {
    await pricing.deleteGroup(platformOf(request), request.params.id);
    return reply.status(204).send();
  });
  r.get('/customer-groups/:id/members', { schema: { tags, params: GroupParams }, preHandler: read }, async (request) => ({
    items: await pricing.listMembers(platformOf(request), request.params.id),
  }));
  r.post(
    '/customer-groups/:id/members',
    {
      schema: {
        tags,
        params: GroupParams,
        body: z
          .object({ customerIds: z.array(id('cus')).max(500).default([]), emails: z.array(email).max(500).default([]) })
          .strict()
          .refine((body) => body.customerIds.length + body.emails.length > 0, 'name at least one customer'),
      },
      preHandler: write,
    },
    async (request) => pricing.addMembers(platformOf(request), request.params.id, request.body),
  );
  r.delete(
    '/customer-groups/:id/members/:customerId',
    { schema: { tags, params: z.object({ id: id('cgr'), customerId: id('cus') }).strict() }, preHandler: write },
    async (request, reply) => {
      await pricing.removeMember(platformOf(request), request.params.id, request.params.customerId);
      return reply.status(204).send();
    },
  );

  r.get('/price-lists', { schema: { tags }, preHandler: read }, async (request) => ({ items: await pricing.listPriceLists(platformOf(request)) }));
  r.post('/price-lists', { schema: { tags, body: CreatePriceListBody }, preHandler: write }, async (request, reply) =>
    reply.status(201).send(await pricing.createPriceList(platformOf(request), request.body)),
  );
  r.get('/price-lists/:id', { schema: { tags, params: ListParams }, preHandler: read }, async (request) => pricing.getPriceList(platformOf(request), request.params.id));
  r.patch('/price-lists/:id', { schema: { tags, params: ListParams, body: UpdatePriceListBody }, preHandler: write }, async (request) =>
    pricing.updatePriceList(platformOf(request), request.params.id, request.body),
  );
  r.delete('/price-lists/:id', { schema: { tags, params: ListParams }, preHandler: write }, async (request, reply) => {
    await pricing.deletePriceList(platformOf(request), request.params.id);
    return reply.status(204).send();
  });
}

/** The prices a shopper pays, for the storefront to show over the shared catalog pages. Mounted under /api/store. */
export async function storePricingRoutes(app: FastifyInstance, deps: { pricing: PricingService; guards: AuthGuards }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const customerOf = (request: FastifyRequest) => (request.principal?.kind === 'customer' ? request.principal.customerId : null);
  r.get(
    '/prices',
    {
      schema: {
        tags: ['pricing'],
        querystring: z.object({ variantIds: idList('var'), ...priceQuery }).strict(),
      },
      preHandler: deps.guards.optionalCustomer,
    },
    async (request) => {
      const platform = platformOf(request);
      return { items: await deps.pricing.effectivePrices(platform, customerOf(request), request.query.variantIds, request.query.currency ?? platform.defaultCurrency) };
    },
  );

  // Product cards: listings are cached and shared, so the shopper's own "from" price comes apart.
  r.get(
    '/prices/products',
    {
      schema: {
        tags: ['pricing'],
        querystring: z.object({ productIds: idList('prod'), ...priceQuery }).strict(),
      },
      preHandler: deps.guards.optionalCustomer,
    },
    async (request) => {
      const platform = platformOf(request);
      return { items: await deps.pricing.effectiveProductPrices(platform, customerOf(request), request.query.productIds, request.query.currency ?? platform.defaultCurrency) };
    },
  );
}
