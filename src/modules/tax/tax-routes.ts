import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { platformOf } from '../../app/request-context.ts';
import { id, text } from '../../platform/validation.ts';
import type { AuthGuards } from '../identity/auth-guards.ts';
import { invoiceRequestsCsv } from './invoice-csv.ts';
import type { TaxService } from './tax-service.ts';

export const taxClassCode = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lowercase letters, digits and - (e.g. standard, reduced, shipping)');

const RateBody = z
  .object({
    country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code such as CN'),
    province: text(100).optional(),
    taxClass: taxClassCode.default('standard'),
    rateBp: z.number().int().min(0).max(10_000).describe('basis points: 1300 = 13 %'),
    name: text(60),
  })
  .strict();
const RateUpdateBody = z
  .object({ rateBp: z.number().int().min(0).max(10_000).optional(), name: text(60).optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field');
const RateParams = z.object({ id: id('txr') }).strict();

const day = z.iso.date().transform((value) => new Date(`${value}T00:00:00Z`));
const instant = z.union([day, z.iso.datetime({ offset: true }).transform((value) => new Date(value))]);
const ReportQuery = z.object({ from: instant, to: instant, tenant: z.string().max(40).optional() }).strict();
const InvoiceQuery = z
  .object({
    status: z.enum(['requested', 'issued', 'cancelled']).optional(),
    from: instant.optional(),
    to: instant.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(100),
    tenant: z.string().max(40).optional(),
  })
  .strict();

/** Tax rates, the tax report and invoice requests, for staff. Mounted under /api/admin. */
export async function adminTaxRoutes(app: FastifyInstance, deps: { tax: TaxService; guards: AuthGuards }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tax'];
  const { tax, guards } = deps;
  const read = guards.staff('viewer');
  const write = guards.staff('admin');

  r.get('/tax/rates', { schema: { tags }, preHandler: read }, async (request) => ({ items: await tax.listRates(platformOf(request)) }));
  r.post('/tax/rates', { schema: { tags, body: RateBody }, preHandler: write }, async (request, reply) =>
    reply.status(201).send(await tax.createRate(platformOf(request), request.body)),
  );
  r.patch('/tax/rates/:id', { schema: { tags, params: RateParams, body: RateUpdateBody }, preHandler: write }, async (request) =>
    tax.updateRate(platformOf(request), request.params.id, request.body),
  );
  r.delete('/tax/rates/:id', { schema: { tags, params: RateParams }, preHandler: write }, async (request, reply) => {
    await tax.deleteRate(platformOf(request), request.params.id);
    return reply.status(204).send();
  });

  r.get('/tax/report', { schema: { tags, querystring: ReportQuery }, preHandler: read }, async (request) =>
    tax.report(platformOf(request), { from: request.query.from, to: request.query.to }),
  );

  r.get('/invoices', { schema: { tags, querystring: InvoiceQuery }, preHandler: read }, async (request) => ({
    items: await tax.listInvoiceRequests(platformOf(request), request.query),
  }));
  r.get('/invoices/export.csv', { schema: { tags, querystring: InvoiceQuery }, preHandler: read }, async (request, reply) => {
    const rows = await tax.listInvoiceRequests(platformOf(request), request.query);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="invoice-requests-${platformOf(request).slug}.csv"`)
      .send(invoiceRequestsCsv(rows));
  });
  r.post(
    '/invoices/:orderId/issue',
    { schema: { tags, params: z.object({ orderId: id('ord') }).strict(), body: z.object({ invoiceNumber: z.string().regex(/^[A-Za-z0-9-]{4,40}$/, '4-40 letters, digits and -') }).strict() }, preHandler: write },
    async (request) => tax.markInvoiceIssued(platformOf(request), request.params.orderId, request.body.invoiceNumber),
  );
}
