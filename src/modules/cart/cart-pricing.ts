import type { Tx } from '../../infra/db/database.ts';
import { orderTotalOf } from '../../platform/money.ts';
import type { CouponOutcome, PricedLine } from '../promotions/coupon-rules.ts';
import { previewCoupon } from '../promotions/promotion-service.ts';
import type { CartLineDetail } from './cart-lines.ts';

/** The cart as the server prices it; the client never sends a price. */
export interface PricedCart {
  lines: (CartLineDetail & { lineTotal: number; discount: number })[];
  coupon: { code: string; applied: boolean; reason?: string | undefined; message?: string | undefined } | null;
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  total: number;
  itemCount: number;
  /** Lines that can't be bought now (archived product, no price in this currency). */
  unavailable: string[];
}

export function toPricedLines(lines: CartLineDetail[]): PricedLine[] {
  return lines
    .filter((line) => line.forSale)
    .map((line) => ({ variantId: line.variantId, productId: line.productId, categoryIds: line.categoryIds, unitPrice: line.unitPrice!, quantity: line.quantity }));
}

/** The cart's subtotal, exact, or 422 `order_total_too_large` past the installation's maximum. */
export function subtotalOf(lines: CartLineDetail[], maxTotal: number): number {
  return orderTotalOf(toPricedLines(lines), maxTotal);
}

export function assemblePricedCart(lines: CartLineDetail[], couponCode: string | null, outcome: CouponOutcome | null, maxTotal: number): PricedCart {
  // Every line total is at most the subtotal, so once that is within the limit all are exact.
  const subtotal = subtotalOf(lines, maxTotal);
  const forSale = lines.filter((line) => line.forSale);
  const discounts = new Map<string, number>();
  if (outcome?.ok) forSale.forEach((line, index) => discounts.set(line.variantId, outcome.lineDiscounts[index] ?? 0));
  const priced = lines.map((line) => ({
    ...line,
    lineTotal: line.forSale ? line.unitPrice! * line.quantity : 0,
    discount: discounts.get(line.variantId) ?? 0,
  }));
  const discountTotal = outcome?.ok ? outcome.discount : 0;
  const shippingTotal = 0;
  return {
    lines: priced,
    coupon: couponCode
      ? outcome?.ok
        ? { code: couponCode, applied: true }
        : { code: couponCode, applied: false, reason: outcome?.reason, message: outcome?.message }
      : null,
    subtotal,
    discountTotal,
    shippingTotal,
    total: subtotal - discountTotal + shippingTotal,
    itemCount: forSale.reduce((sum, line) => sum + line.quantity, 0),
    unavailable: lines.filter((line) => !line.forSale).map((line) => line.variantId),
  };
}

export async function priceCart(
  tx: Tx,
  lines: CartLineDetail[],
  couponCode: string | null,
  context: { currency: string; now: Date; customerId: string | null; maxTotal: number },
): Promise<PricedCart> {
  // Before the coupon: its arithmetic relies on the subtotal being a safe integer.
  subtotalOf(lines, context.maxTotal);
  const outcome = couponCode && lines.length > 0 ? await previewCoupon(tx, couponCode, toPricedLines(lines), context) : null;
  return assemblePricedCart(lines, couponCode, outcome, context.maxTotal);
}
