import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../infra/db/database.ts';
import { NotFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { hashPassword } from '../modules/identity/password-hasher.ts';
import { hashToken, newToken } from '../modules/identity/tokens.ts';
import { requireOperatorToken, type TenantService } from '../modules/tenants/index.ts';

/**
 * Benchmark fixtures, only with BAZAAR_BENCH_ROUTES=1 and the operator token: `count` customers
 * with a live session each, inserted in bulk. A flash-sale benchmark needs 100,000 logged-in
 * customers, and registering them one by one would spend most of an hour in scrypt (by design:
 * a password hash is meant to be slow). Their password is random and thrown away; they can only
 * use the session tokens returned here.
 */
export async function benchFixtureRoutes(app: FastifyInstance, deps: { db: Database; tenants: TenantService; operatorToken: string }): Promise<void> {
  app.addHook('onRequest', requireOperatorToken(deps.operatorToken));
  const passwordHash = await hashPassword(randomBytes(24).toString('base64url'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/bench/customers',
    { schema: { hide: true, body: z.object({ tenant: z.string().max(40), count: z.number().int().min(1).max(10_000), prefix: z.string().regex(/^[a-z0-9-]{1,20}$/) }).strict() } },
    async (request, reply) => {
      const platform = await deps.tenants.findBySlug(request.body.tenant);
      if (!platform) throw new NotFound('platform_not_found', 'No such platform.');
      const customers = Array.from({ length: request.body.count }, (_, i) => ({ id: newId('cus'), email: `${request.body.prefix}-${i}@bench.invalid`, token: newToken('customer') }));
      await deps.db.withTenant(platform.id, async (tx) => {
        for (let start = 0; start < customers.length; start += 1000) {
          const chunk = customers.slice(start, start + 1000);
          await tx.insertInto('customers').values(chunk.map((c) => ({ tenantId: platform.id, id: c.id, email: c.email, phone: null, name: null, passwordHash }))).execute();
          await tx
            .insertInto('sessions')
            .values(chunk.map((c) => ({ tenantId: platform.id, id: newId('ses'), tokenHash: hashToken(c.token), kind: 'customer' as const, subjectId: c.id, label: 'bench', expiresAt: null, revokedAt: null, lastUsedAt: null })))
            .execute();
        }
      });
      return reply.status(201).send({ tokens: customers.map((c) => c.token) });
    },
  );
}
