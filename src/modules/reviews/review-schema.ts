import { z } from 'zod';
import { id, pageLimit, text } from '../../platform/validation.ts';
import { MAX_REVIEW_PHOTOS } from './review-service.ts';

const tenant = z.string().max(40).optional();

export const ProductParams = z.object({ id: id('prod') }).strict();
export const ReviewParams = z.object({ id: id('rev') }).strict();

export const SubmitReviewBody = z
  .object({
    rating: z.number().int().min(1).max(5),
    title: text(120),
    body: text(4000),
    photoIds: z.array(id('file')).max(MAX_REVIEW_PHOTOS).default([]),
  })
  .strict()
  .refine((body) => new Set(body.photoIds).size === body.photoIds.length, { message: 'each photo once', path: ['photoIds'] });

export const RejectReviewBody = z.object({ reason: text(500) }).strict();

export const PublishedReviewsQuery = z.object({ tenant, limit: pageLimit, cursor: id('rev').optional() }).strict();

export const ModerationQuery = z
  .object({ tenant, status: z.enum(['pending', 'approved', 'rejected']).default('pending'), limit: pageLimit, cursor: id('rev').optional() })
  .strict();
