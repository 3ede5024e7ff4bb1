import { describe, expect, it } from 'vitest';
import { evaluateCoupon, spread, type Coupon, type PricedLine } from './coupon-rules.ts';

const now = new Date('2026-06-01T00:00:00Z');
const coupon = (overrides: Partial<Coupon> = {}): Coupon => ({
  id: 'cpn_1',
  code: 'SAVE',
  kind: 'fixed',
  value: 1000,
  currency: 'CNY',
  minSpend: 0,
  startsAt: null,
  endsAt: null,
  usageLimit: null,
  perCustomerLimit: null,
  usedCount: 0,
  productIds: [],
  categoryIds: [],
  status: 'active',
  ...overrides,
});
const tea: PricedLine = { variantId: 'v1', productId: 'p-tea', categoryIds: ['c-tea'], unitPrice: 3000, quantity: 2 };
const cup: PricedLine = { variantId: 'v2', productId: 'p-cup', categoryIds: ['c-home'], unitPrice: 1000, quantity: 1 };
const context = { currency: 'CNY', now, customerRedemptions: 0 };

describe('coupons', () => {
  it('takes a fixed amount off, never more than the eligible total', () => {
    expect(evaluateCoupon(coupon(), [tea, cup], context)).toMatchObject({ ok: true, discount: 1000 });
    expect(evaluateCoupon(coupon({ value: 99_999 }), [cup], context)).toMatchObject({ ok: true, discount: 1000 });
  });

  it('takes a percentage off, rounded down to a whole minor unit', () => {
    expect(evaluateCoupon(coupon({ kind: 'percentage', value: 1500, currency: null }), [tea, cup], context)).toMatchObject({ discount: 1050 });
    expect(evaluateCoupon(coupon({ kind: 'percentage', value: 333, currency: null }), [cup], context)).toMatchObject({ discount: 33 });
  });

  it('applies only to the products or categories it is scoped to', () => {
    const outcome = evaluateCoupon(coupon({ kind: 'percentage', value: 1000, currency: null, categoryIds: ['c-tea'] }), [tea, cup], context);
    expect(outcome).toEqual({ ok: true, discount: 600, lineDiscounts: [600, 0] });
    expect(evaluateCoupon(coupon({ productIds: ['p-other'] }), [tea], context)).toMatchObject({ ok: false, reason: 'coupon_not_applicable' });
  });

  it.each([
    [{ endsAt: now }, 'coupon_expired'],
    [{ startsAt: new Date(now.getTime() + 1) }, 'coupon_not_started'],
    [{ usageLimit: 5, usedCount: 5 }, 'coupon_exhausted'],
    [{ minSpend: 7001 }, 'min_spend_not_met'],
    [{ currency: 'USD' }, 'coupon_not_applicable'],
    [{ status: 'disabled' as const }, 'coupon_not_found'],
  ])('refuses %j with %s', (overrides, reason) => {
    expect(evaluateCoupon(coupon(overrides), [tea, cup], context)).toMatchObject({ ok: false, reason });
  });

  it('holds the per-customer limit', () => {
    expect(evaluateCoupon(coupon({ perCustomerLimit: 1 }), [tea], { ...context, customerRedemptions: 1 })).toMatchObject({
      ok: false,
      reason: 'coupon_limit_reached',
    });
  });

  it('spreads a discount over lines in whole units that add up', () => {
    expect(spread(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(spread(7, [0, 10, 30])).toEqual([0, 2, 5]);
    expect(spread(0, [5])).toEqual([0]);
  });

  it('stays exact when subtotal × basis points passes 2^53', () => {
    // 994 × 999,999,999,999 = 993,999,999,999,006; × 7777 is past 2^53, where floats round.
    const big: PricedLine = { variantId: 'v3', productId: 'p-big', categoryIds: [], unitPrice: 999_999_999_999, quantity: 994 };
    const outcome = evaluateCoupon(coupon({ kind: 'percentage', value: 7777, currency: null }), [big], context);
    expect(outcome).toMatchObject({ ok: true, discount: 773_033_799_999_226 });
    const parts = spread(773_033_799_999_226, [993_999_999_999_006, 5_000, 7]);
    expect(parts.reduce((sum, part) => sum + part, 0)).toBe(773_033_799_999_226);
  });
});
