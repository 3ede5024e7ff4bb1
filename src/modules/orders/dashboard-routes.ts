import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { platformOf } from '../../app/request-context.ts';
import { currencyCode } from '../../platform/validation.ts';
import type { AuthGuards } from '../identity/auth-guards.ts';
import type { SalesReportFn } from './sales-report.ts';

/** An IANA zone the runtime knows (Asia/Shanghai, UTC); anything else is refused, not guessed. */
const timeZone = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Asia/Shanghai');

const DashboardQuery = z
  .object({
    days: z.coerce.number().int().min(1).max(90).default(14),
    timeZone: timeZone.default('UTC'),
    currency: currencyCode.optional(),
    tenant: z.string().max(40).optional(),
  })
  .strict();

/** The admin dashboard's figures. Mounted under /api/admin. */
export async function adminDashboardRoutes(app: FastifyInstance, deps: { salesReport: SalesReportFn; guards: AuthGuards }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/dashboard', { schema: { tags: ['orders (admin)'], querystring: DashboardQuery }, preHandler: deps.guards.staff('viewer') }, async (request) =>
    deps.salesReport(platformOf(request), request.query),
  );
}
