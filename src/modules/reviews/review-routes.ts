import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { platformOf } from '../../app/request-context.ts';
import { customerOf, staffOf, type AuthGuards } from '../identity/auth-guards.ts';
import { requireModule } from '../tenants/tenant-scope.ts';
import { ModerationQuery, ProductParams, PublishedReviewsQuery, RejectReviewBody, ReviewParams, SubmitReviewBody } from './review-schema.ts';
import type { ReviewService } from './review-service.ts';

interface Deps {
  reviews: ReviewService;
  guards: AuthGuards;
}

/** Published reviews, and buyers writing theirs. Mounted under /api/store. */
export async function storeReviewRoutes(app: FastifyInstance, { reviews, guards }: Deps): Promise<void> {
  app.addHook('onRequest', requireModule('catalog'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reviews (store)'];

  r.get('/products/:id/reviews', { schema: { tags, params: ProductParams, querystring: PublishedReviewsQuery } }, async (request) =>
    reviews.listPublished(platformOf(request), request.params.id, request.query),
  );

  r.get('/products/:id/reviews/eligibility', { schema: { tags, params: ProductParams }, preHandler: guards.optionalCustomer }, async (request) => {
    if (request.principal?.kind !== 'customer') return { canReview: false, reason: 'login_required' };
    return reviews.eligibility(platformOf(request), request.principal.customerId, request.params.id);
  });

  r.post('/products/:id/reviews', { schema: { tags, params: ProductParams, body: SubmitReviewBody }, preHandler: guards.customer }, async (request, reply) =>
    reply.status(201).send(await reviews.submitReview(platformOf(request), customerOf(request).customerId, request.params.id, request.body)),
  );
}

/** The moderation queue for staff. Mounted under /api/admin. */
export async function adminReviewRoutes(app: FastifyInstance, { reviews, guards }: Deps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reviews (admin)'];
  const moderator = guards.staff('operator');

  r.get('/reviews', { schema: { tags, querystring: ModerationQuery }, preHandler: guards.staff('viewer') }, async (request) =>
    reviews.listForModeration(platformOf(request), request.query),
  );
  r.post('/reviews/:id/approve', { schema: { tags, params: ReviewParams }, preHandler: moderator }, async (request) =>
    reviews.approve(platformOf(request), staffOf(request).staffId, request.params.id),
  );
  r.post('/reviews/:id/reject', { schema: { tags, params: ReviewParams, body: RejectReviewBody }, preHandler: moderator }, async (request) =>
    reviews.reject(platformOf(request), staffOf(request).staffId, request.params.id, request.body.reason),
  );
  r.delete('/reviews/:id', { schema: { tags, params: ReviewParams }, preHandler: moderator }, async (request, reply) => {
    await reviews.remove(platformOf(request), staffOf(request).staffId, request.params.id);
    return reply.status(204).send();
  });
}
