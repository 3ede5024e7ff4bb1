export { createReviewService, MAX_REVIEW_PHOTOS, type ReviewService, type ReviewView } from './review-service.ts';
export { storeReviewRoutes, adminReviewRoutes } from './review-routes.ts';
export type { ReviewsTable, ProductRatingSummariesTable } from './review-store.ts';
