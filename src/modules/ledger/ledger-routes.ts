import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { platformOf } from '../../app/request-context.ts';
import { customerOf, staffOf, type AuthGuards } from '../identity/index.ts';
import type { GiftCardService } from './gift-card-service.ts';
import {
  CustomerParams,
  GiftCardBalanceQuery,
  GiftCardListQuery,
  GiftCardParams,
  GiftCardStatusBody,
  GrantStoreCreditBody,
  IssueGiftCardBody,
  OptionalIdempotencyHeaders,
  StoreCreditLookupQuery,
} from './ledger-schema.ts';
import type { StoreCreditService } from './store-credit-service.ts';

interface Deps {
  giftCards: GiftCardService;
  storeCredit: StoreCreditService;
  guards: AuthGuards;
}

/** Gift cards and store credit for staff. Mounted under /api/admin. */
export async function adminLedgerRoutes(app: FastifyInstance, { giftCards, storeCredit, guards }: Deps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['gift cards and store credit'];

  r.post('/gift-cards', { schema: { tags, headers: OptionalIdempotencyHeaders, body: IssueGiftCardBody }, preHandler: guards.staff('operator') }, async (request, reply) => {
    const issued = await giftCards.issue(platformOf(request), staffOf(request).staffId, { ...request.body, idempotencyKey: request.headers['idempotency-key'] });
    if (issued.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(issued.replayed ? 200 : 201).send({ ...issued.giftCard, fullCode: issued.code });
  });
  r.get('/gift-cards', { schema: { tags, querystring: GiftCardListQuery }, preHandler: guards.staff('viewer') }, async (request) => ({
    items: await giftCards.list(platformOf(request), { search: request.query.q, status: request.query.status, limit: request.query.limit }),
  }));
  r.get('/gift-cards/:id', { schema: { tags, params: GiftCardParams }, preHandler: guards.staff('viewer') }, async (request) => giftCards.get(platformOf(request), request.params.id));
  r.patch('/gift-cards/:id', { schema: { tags, params: GiftCardParams, body: GiftCardStatusBody }, preHandler: guards.staff('operator') }, async (request) =>
    giftCards.setStatus(platformOf(request), request.params.id, request.body.status),
  );

  r.get('/store-credit', { schema: { tags, querystring: StoreCreditLookupQuery }, preHandler: guards.staff('viewer') }, async (request) => {
    const platform = platformOf(request);
    return storeCredit.view(platform, await storeCredit.resolve(platform, { email: request.query.email }));
  });
  r.get('/customers/:id/store-credit', { schema: { tags, params: CustomerParams }, preHandler: guards.staff('viewer') }, async (request) => {
    const platform = platformOf(request);
    return storeCredit.view(platform, await storeCredit.resolve(platform, { id: request.params.id }));
  });
  r.post(
    '/customers/:id/store-credit',
    { schema: { tags, params: CustomerParams, headers: OptionalIdempotencyHeaders, body: GrantStoreCreditBody }, preHandler: guards.staff('operator') },
    async (request, reply) => {
      const platform = platformOf(request);
      const customerId = await storeCredit.resolve(platform, { id: request.params.id });
      const granted = await storeCredit.grant(platform, staffOf(request).staffId, customerId, { ...request.body, idempotencyKey: request.headers['idempotency-key'] });
      if (granted.replayed) void reply.header('idempotent-replayed', 'true');
      const { replayed, ...view } = granted;
      return reply.status(replayed ? 200 : 201).send(view);
    },
  );
}

/** A shopper's gift card balance and store credit. Mounted under /api/store. */
export async function storeLedgerRoutes(app: FastifyInstance, { giftCards, storeCredit, guards }: Deps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['gift cards and store credit (store)'];

  // Codes are looked up by hash, answers are never cached (a balance changes), and wrong codes
  // are throttled per address: guessing one is hopeless, checking one's own is always possible.
  r.get('/gift-cards/balance', { schema: { tags, querystring: GiftCardBalanceQuery } }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return giftCards.checkBalance(platformOf(request), request.query.code, request.ip);
  });
  r.get('/account/store-credit', { schema: { tags }, preHandler: guards.customer }, async (request) => storeCredit.view(platformOf(request), customerOf(request).customerId));
}
