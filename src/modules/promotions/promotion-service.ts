import type { Database, Tx } from '../../infra/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Invalid, NotFound, Unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../tenants/platform.ts';
import { evaluateCoupon, type Coupon, type CouponOutcome, type PricedLine } from './coupon-rules.ts';
import * as store from './coupon-store.ts';

export interface CreateCouponInput {
  code: string;
  kind: 'fixed' | 'percentage';
  value: number;
  currency?: string | undefined;
  minSpend: number;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  usageLimit?: number | undefined;
  perCustomerLimit?: number | undefined;
  productIds: string[];
  categoryIds: string[];
}

export interface PromotionService {
  createCoupon(platform: Platform, input: CreateCouponInput): Promise<Coupon>;
  listCoupons(platform: Platform): Promise<Coupon[]>;
  setCouponStatus(platform: Platform, couponId: string, status: 'active' | 'disabled'): Promise<Coupon>;
}

export function createPromotionService(deps: { db: Database; clock: Clock }): PromotionService {
  const { db, clock } = deps;
  return {
    async createCoupon(platform, input) {
      if (input.kind === 'fixed' && input.currency && !platform.currencies.includes(input.currency)) {
        throw new Invalid('invalid_coupon', `${input.currency} is not a currency of this platform.`, [{ path: 'body.currency', message: 'not sold in' }]);
      }
      if (input.startsAt && input.endsAt && input.startsAt >= input.endsAt) {
        throw new Invalid('invalid_coupon', 'The coupon must start before it ends.', [{ path: 'body.endsAt', message: 'before startsAt' }]);
      }
      const coupon: Coupon = {
        id: newId('cpn'),
        code: input.code.toUpperCase(),
        kind: input.kind,
        value: input.value,
        currency: input.kind === 'fixed' ? (input.currency ?? platform.defaultCurrency) : null,
        minSpend: input.minSpend,
        startsAt: input.startsAt ?? null,
        endsAt: input.endsAt ?? null,
        usageLimit: input.usageLimit ?? null,
        perCustomerLimit: input.perCustomerLimit ?? null,
        usedCount: 0,
        productIds: input.productIds,
        categoryIds: input.categoryIds,
        status: 'active',
      };
      await db.withTenant(platform.id, async (tx) => {
        await assertScopeExists(tx, coupon);
        if (await store.findCouponByCode(tx, coupon.code)) throw new Conflict('coupon_code_taken', `Coupon code ${coupon.code} exists already.`);
        await store.insertCoupon(tx, platform.id, coupon, clock.now());
      });
      return coupon;
    },
    listCoupons: (platform) => db.withTenant(platform.id, store.listCoupons),
    async setCouponStatus(platform, couponId, status) {
      const coupon = await db.withTenant(platform.id, (tx) => store.setCouponStatus(tx, couponId, status));
      if (!coupon) throw new NotFound('coupon_not_found', 'No such coupon.');
      return coupon;
    },
  };
}

/**
 * A coupon scoped to ids this platform doesn't have (another platform's, or none at all) would
 * silently apply to nothing; refuse it, the way an unknown id is refused everywhere.
 */
async function assertScopeExists(tx: Tx, coupon: Coupon): Promise<void> {
  const { products, categories } = await store.findScopeIds(tx, coupon.productIds, coupon.categoryIds);
  const fields = [
    ...coupon.productIds.map((id, index) => ({ id, index, found: products.has(id), path: 'body.productIds', what: 'product' })),
    ...coupon.categoryIds.map((id, index) => ({ id, index, found: categories.has(id), path: 'body.categoryIds', what: 'category' })),
  ]
    .filter((entry) => !entry.found)
    .map((entry) => ({ path: `${entry.path}.${entry.index}`, message: `no such ${entry.what} ${entry.id}` }));
  if (fields.length > 0) throw new Unprocessable('coupon_scope_not_found', 'The coupon names products or categories that do not exist.', fields);
}

/** What a cart shows: the discount the coupon would give now, or why it gives none. */
export async function previewCoupon(
  tx: Tx,
  code: string,
  lines: PricedLine[],
  context: { currency: string; now: Date; customerId: string | null },
): Promise<CouponOutcome> {
  const coupon = await store.findCouponByCode(tx, code);
  if (!coupon) return { ok: false, reason: 'coupon_not_found', message: `There is no coupon ${code.toUpperCase()}.` };
  const customerRedemptions = context.customerId ? await store.countCustomerRedemptions(tx, coupon.id, context.customerId) : 0;
  return evaluateCoupon(coupon, lines, { currency: context.currency, now: context.now, customerRedemptions });
}

/**
 * Checkout's coupon step, inside the order's transaction: claims one use under the limits, or
 * returns why not. Concurrent checkouts with one coupon queue on its row, so neither the total
 * nor the per-customer limit can be overrun.
 */
export async function redeemCoupon(
  tx: Tx,
  tenantId: string,
  code: string,
  lines: PricedLine[],
  context: { currency: string; now: Date; customerId: string; orderId: string },
): Promise<CouponOutcome & { couponCode?: string }> {
  const found = await store.findCouponByCode(tx, code);
  if (!found) return { ok: false, reason: 'coupon_not_found', message: `There is no coupon ${code.toUpperCase()}.` };
  if (!(await store.claimCouponUse(tx, found.id))) {
    return { ok: false, reason: 'coupon_exhausted', message: `Coupon ${found.code} has been used up.` };
  }
  // Re-read under the row lock just taken, so the rules see the latest counts.
  const coupon = (await store.findCouponByCode(tx, code))!;
  const customerRedemptions = await store.countCustomerRedemptions(tx, coupon.id, context.customerId);
  const outcome = evaluateCoupon({ ...coupon, usedCount: coupon.usedCount - 1 }, lines, { currency: context.currency, now: context.now, customerRedemptions });
  if (!outcome.ok) return outcome;
  await store.insertRedemption(tx, { tenantId, couponId: coupon.id, orderId: context.orderId, customerId: context.customerId, at: context.now });
  return { ...outcome, couponCode: coupon.code };
}

export { returnCouponUse } from './coupon-store.ts';
