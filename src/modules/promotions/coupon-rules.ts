/**
 * Coupon arithmetic, free of I/O so that the cart (to show a price) and checkout (to charge it)
 * compute the same discount from the same inputs.
 */
export interface Coupon {
  id: string;
  code: string;
  kind: 'fixed' | 'percentage';
  /** fixed: minor units of `currency`; percentage: basis points (1500 = 15 %). */
  value: number;
  currency: string | null;
  minSpend: number;
  startsAt: Date | null;
  endsAt: Date | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  usedCount: number;
  productIds: string[];
  categoryIds: string[];
  status: 'active' | 'disabled';
}

export interface PricedLine {
  variantId: string;
  productId: string;
  categoryIds: string[];
  unitPrice: number;
  quantity: number;
}

export type CouponRefusal =
  | 'coupon_not_found'
  | 'coupon_not_started'
  | 'coupon_expired'
  | 'coupon_exhausted'
  | 'coupon_limit_reached'
  | 'coupon_not_applicable'
  | 'min_spend_not_met';

export type CouponOutcome =
  | { ok: true; discount: number; lineDiscounts: number[] }
  | { ok: false; reason: CouponRefusal; message: string };

export function evaluateCoupon(
  coupon: Coupon,
  lines: PricedLine[],
  context: { currency: string; now: Date; customerRedemptions: number },
): CouponOutcome {
  const refuse = (reason: CouponRefusal, message: string): CouponOutcome => ({ ok: false, reason, message });
  if (coupon.status !== 'active') return refuse('coupon_not_found', `Coupon ${coupon.code} is not valid.`);
  if (coupon.startsAt && context.now < coupon.startsAt) return refuse('coupon_not_started', `Coupon ${coupon.code} is not valid yet.`);
  if (coupon.endsAt && context.now >= coupon.endsAt) return refuse('coupon_expired', `Coupon ${coupon.code} has expired.`);
  if (coupon.usageLimit !== null && coupon.usedCount >= coupon.usageLimit) {
    return refuse('coupon_exhausted', `Coupon ${coupon.code} has been used up.`);
  }
  if (coupon.perCustomerLimit !== null && context.customerRedemptions >= coupon.perCustomerLimit) {
    return refuse('coupon_limit_reached', `You have already used coupon ${coupon.code} as often as allowed.`);
  }
  if (coupon.kind === 'fixed' && coupon.currency !== context.currency) {
    return refuse('coupon_not_applicable', `Coupon ${coupon.code} is for ${coupon.currency} carts.`);
  }

  const eligible = lines.map((line) => isEligible(coupon, line));
  const eligibleTotals = lines.map((line, index) => (eligible[index] ? line.unitPrice * line.quantity : 0));
  const eligibleSubtotal = eligibleTotals.reduce((sum, total) => sum + total, 0);
  if (eligibleSubtotal === 0) return refuse('coupon_not_applicable', `Coupon ${coupon.code} does not apply to anything in the cart.`);
  if (eligibleSubtotal < coupon.minSpend) {
    return refuse('min_spend_not_met', `Coupon ${coupon.code} needs a spend of at least ${coupon.minSpend} on eligible items.`);
  }

  const discount =
    // In BigInt: subtotal × basis points can pass 2^53 even when both are safe integers.
    coupon.kind === 'fixed' ? Math.min(coupon.value, eligibleSubtotal) : Number((BigInt(eligibleSubtotal) * BigInt(coupon.value)) / 10_000n);
  return { ok: true, discount, lineDiscounts: spread(discount, eligibleTotals) };
}

function isEligible(coupon: Coupon, line: PricedLine): boolean {
  if (coupon.productIds.length === 0 && coupon.categoryIds.length === 0) return true;
  return coupon.productIds.includes(line.productId) || line.categoryIds.some((id) => coupon.categoryIds.includes(id));
}

/**
 * Splits a discount over lines in proportion to their totals, in whole minor units, handing the
 * remainder to the largest fractions (so the parts always add up to the whole, which refunds of
 * single lines rely on).
 */
export function spread(amount: number, weights: number[]): number[] {
  // In BigInt: amount × weight passes 2^53 for large carts, and a rounded product could floor
  // to one unit too many, so the parts would no longer add up.
  const total = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
  if (total === 0n || amount === 0) return weights.map(() => 0);
  const shares = weights.map((weight) => BigInt(amount) * BigInt(weight));
  const parts = shares.map((share) => share / total);
  let remainder = BigInt(amount) - parts.reduce((sum, part) => sum + part, 0n);
  const byFraction = shares
    .map((share, index) => ({ index, fraction: share % total }))
    .sort((a, b) => (a.fraction === b.fraction ? 0 : a.fraction > b.fraction ? -1 : 1));
  for (const { index } of byFraction) {
    if (remainder === 0n) break;
    if (weights[index]! > 0) {
      parts[index]! += 1n;
      remainder -= 1n;
    }
  }
  return parts.map(Number);
}
