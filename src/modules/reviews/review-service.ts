import type { Selectable } from 'kysely';
import type { Database, Tx } from '../../infra/db/database.ts';
import { appendEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Forbidden, NotFound, Unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Page } from '../../platform/pagination.ts';
import { attachFiles, detachFiles } from '../files/index.ts';
import type { Platform } from '../tenants/platform.ts';
import * as store from './review-store.ts';
import type { ReviewRow, ReviewStatus, ReviewsTable } from './review-store.ts';

export const MAX_REVIEW_PHOTOS = 6;

export interface SubmitReviewInput {
  rating: number;
  title: string;
  body: string;
  photoIds: string[];
}

export interface ReviewView {
  id: string;
  productId: string;
  rating: number;
  title: string;
  body: string;
  photos: { id: string; url: string }[];
  authorName: string | null;
  status: ReviewStatus;
  rejectReason: string | null;
  createdAt: Date;
  moderatedAt: Date | null;
}

export type Eligibility = { canReview: true } | { canReview: false; reason: 'login_required' | 'not_purchased' | 'already_reviewed' };

export interface ReviewService {
  submitReview(platform: Platform, customerId: string, productId: string, input: SubmitReviewInput): Promise<ReviewView>;
  eligibility(platform: Platform, customerId: string, productId: string): Promise<Eligibility>;
  /** Approved reviews of an active product, newest first. */
  listPublished(platform: Platform, productId: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<ReviewView>>;
  listForModeration(platform: Platform, filter: { status: ReviewStatus; limit: number; cursor?: string | undefined }): Promise<Page<ReviewView>>;
  approve(platform: Platform, staffId: string, reviewId: string): Promise<ReviewView>;
  reject(platform: Platform, staffId: string, reviewId: string, reason: string): Promise<ReviewView>;
  /** Deletes the review; its photos are let go and swept later. */
  remove(platform: Platform, staffId: string, reviewId: string): Promise<void>;
}

export function createReviewService(deps: {
  db: Database;
  clock: Clock;
  /** Told after a commit that changed a product's published rating, so cached catalog views go. */
  onRatingsChanged: (platform: Platform) => void;
}): ReviewService {
  const { db, clock } = deps;

  async function mustFindActiveProduct(tx: Tx, productId: string): Promise<void> {
    if (!(await store.productIsActive(tx, productId))) throw new NotFound('product_not_found', 'No such product.');
  }

  async function mustLock(tx: Tx, reviewId: string): Promise<Selectable<ReviewsTable>> {
    const review = await store.lockReview(tx, reviewId);
    if (!review) throw new NotFound('review_not_found', 'No such review.');
    return review;
  }

  /**
   * The one place a review's status changes. The product's summary moves by what leaves or
   * joins the published set, in the same transaction, under the review's row lock, so
   * concurrent decisions on one review can't count it twice.
   */
  async function moderate(platform: Platform, staffId: string, reviewId: string, next: 'approved' | 'rejected', reason: string | null): Promise<ReviewView> {
    let ratingsChanged = false;
    const review = await db.withTenant(platform.id, async (tx) => {
      const current = await mustLock(tx, reviewId);
      if (current.status === next && current.rejectReason === reason) return (await store.findReview(tx, reviewId))!;
      const at = clock.now();
      const sign = (next === 'approved' ? 1 : 0) - (current.status === 'approved' ? 1 : 0);
      if (sign !== 0) {
        await store.adjustRatingSummary(tx, platform.id, current.productId, { count: sign, total: sign * current.rating });
        ratingsChanged = true;
      }
      await store.setModeration(tx, reviewId, { status: next, rejectReason: reason, moderatedBy: staffId, moderatedAt: at });
      await appendEvent(
        tx,
        platform.id,
        {
          type: next === 'approved' ? 'review.approved' : 'review.rejected',
          aggregateType: 'review',
          aggregateId: reviewId,
          payload: { productId: current.productId, customerId: current.customerId, rating: current.rating, staffId, ...(reason ? { reason } : {}) },
        },
        at,
      );
      return (await store.findReview(tx, reviewId))!;
    });
    if (ratingsChanged) deps.onRatingsChanged(platform);
    return reviewView(review);
  }

  return {
    async submitReview(platform, customerId, productId, input) {
      const id = newId('rev');
      const review = await db.withTenant(platform.id, async (tx) => {
        await mustFindActiveProduct(tx, productId);
        if (!(await store.hasBought(tx, customerId, productId))) {
          throw new Forbidden('review_requires_purchase', 'Only customers who bought this product can review it.');
        }
        const at = clock.now();
        const inserted = await store.insertReview(tx, {
          tenantId: platform.id,
          id,
          productId,
          customerId,
          rating: input.rating,
          title: input.title,
          body: input.body,
          photoIds: input.photoIds,
          status: 'pending',
          rejectReason: null,
          moderatedBy: null,
          moderatedAt: null,
          createdAt: at,
        });
        if (!inserted) throw new Conflict('review_exists', 'You have reviewed this product already.');
        const attached = new Set(await attachFiles(tx, input.photoIds, { uploadedBy: customerId, purpose: 'review_photo', attachTo: id, at }));
        const missing = input.photoIds.map((photoId, index) => ({ photoId, index })).filter(({ photoId }) => !attached.has(photoId));
        if (missing.length > 0) {
          throw new Unprocessable(
            'photo_not_found',
            'A photo is not one of your unused uploads.',
            missing.map(({ index }) => ({ path: `body.photoIds.${index}`, message: 'no such upload of yours, or used already' })),
          );
        }
        await appendEvent(
          tx,
          platform.id,
          { type: 'review.submitted', aggregateType: 'review', aggregateId: id, payload: { productId, customerId, rating: input.rating, photoCount: input.photoIds.length } },
          at,
        );
        return (await store.findReview(tx, id))!;
      });
      return reviewView(review);
    },

    eligibility: (platform, customerId, productId) =>
      db.withTenant(platform.id, async (tx): Promise<Eligibility> => {
        await mustFindActiveProduct(tx, productId);
        if (await store.findOwnReview(tx, customerId, productId)) return { canReview: false, reason: 'already_reviewed' };
        if (!(await store.hasBought(tx, customerId, productId))) return { canReview: false, reason: 'not_purchased' };
        return { canReview: true };
      }),

    listPublished: (platform, productId, page) =>
      db.withTenant(platform.id, async (tx) => {
        await mustFindActiveProduct(tx, productId);
        return pageOf(await store.listReviews(tx, { productId, status: 'approved', limit: page.limit, before: page.cursor }), page.limit);
      }),

    listForModeration: (platform, filter) =>
      db.withTenant(platform.id, async (tx) => pageOf(await store.listReviews(tx, { status: filter.status, limit: filter.limit, before: filter.cursor }), filter.limit)),

    approve: (platform, staffId, reviewId) => moderate(platform, staffId, reviewId, 'approved', null),

    reject: (platform, staffId, reviewId, reason) => moderate(platform, staffId, reviewId, 'rejected', reason),

    async remove(platform, staffId, reviewId) {
      const wasPublished = await db.withTenant(platform.id, async (tx) => {
        const current = await mustLock(tx, reviewId);
        const at = clock.now();
        if (current.status === 'approved') {
          await store.adjustRatingSummary(tx, platform.id, current.productId, { count: -1, total: -current.rating });
        }
        await detachFiles(tx, reviewId);
        await store.deleteReview(tx, reviewId);
        await appendEvent(
          tx,
          platform.id,
          { type: 'review.removed', aggregateType: 'review', aggregateId: reviewId, payload: { productId: current.productId, customerId: current.customerId, staffId } },
          at,
        );
        return current.status === 'approved';
      });
      if (wasPublished) deps.onRatingsChanged(platform);
    },
  };
}

function pageOf(rows: ReviewRow[], limit: number): Page<ReviewView> {
  const items = rows.slice(0, limit).map(reviewView);
  return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
}

export function reviewView(row: ReviewRow): ReviewView {
  return {
    id: row.id,
    productId: row.productId,
    rating: row.rating,
    title: row.title,
    body: row.body,
    photos: row.photoIds.map((photoId) => ({ id: photoId, url: `/api/store/files/${photoId}` })),
    authorName: row.authorName,
    status: row.status,
    rejectReason: row.rejectReason,
    createdAt: row.createdAt,
    moderatedAt: row.moderatedAt,
  };
}
