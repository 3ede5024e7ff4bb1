export { createPromotionService, redeemCoupon, returnCouponUse, previewCoupon, type PromotionService } from './promotion-service.ts';
export { adminPromotionRoutes } from './promotion-routes.ts';
export { evaluateCoupon, type Coupon } from './coupon-rules.ts';
