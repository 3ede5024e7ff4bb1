import type { Tx } from '../../infra/db/database.ts';
import type { OrderShippingMethod } from '../../infra/db/schema.ts';
import { assertWithinOrderLimit, orderTotalOf } from '../../platform/money.ts';
import type { CouponOutcome, PricedLine } from '../promotions/coupon-rules.ts';
import { previewCoupon } from '../promotions/promotion-service.ts';
import { shippingCharge, type ShippingMethod } from '../shipping/shipping-rates.ts';
import { rateFor, SHIPPING_TAX_CLASS, taxOf, type TaxRate } from '../tax/tax-rules.ts';
import type { CartLineDetail } from './cart-lines.ts';

/** The cart as the server prices it; the client never sends a price. */
export interface PricedCart {
  lines: (CartLineDetail & { lineTotal: number; discount: number; taxRateBp: number; tax: number })[];
  coupon: { code: string; applied: boolean; reason?: string | undefined; message?: string | undefined } | null;
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  /** The method it ships by, as the order stores it. */
  shippingMethod: OrderShippingMethod | null;
  /** Included in the prices (then part of `subtotal`) or added on top, as `pricesIncludeTax` says. */
  taxTotal: number;
  shippingTax: number;
  shippingTaxRateBp: number;
  pricesIncludeTax: boolean;
  /** False until the shipping address is known: tax depends on where the goods go. */
  taxCalculated: boolean;
  total: number;
  itemCount: number;
  /** Lines that can't be bought now (archived product, no price in this currency). */
  unavailable: string[];
}

/** Where the order goes and what that makes of shipping and tax; without it, neither is charged. */
export interface Destination {
  provinceKey: string;
  taxRates: TaxRate[];
  /** The chosen method, or null when the order needs none (nothing to ship, no zones set up). */
  shipping: ShippingMethod | null;
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

/**
 * The cart priced: discounts spread over the lines by the coupon, shipping by the chosen method,
 * tax per line as `tax-rules.ts` documents. Every line total is at most the subtotal, so once
 * that is within the limit all are exact; shipping and tax on top are checked with the total.
 */
export function assemblePricedCart(
  lines: CartLineDetail[],
  couponCode: string | null,
  outcome: CouponOutcome | null,
  maxTotal: number,
  taxes: { pricesIncludeTax: boolean; currency: string },
  destination?: Destination,
): PricedCart {
  const subtotal = subtotalOf(lines, maxTotal);
  const forSale = lines.filter((line) => line.forSale);
  const discounts = new Map<string, number>();
  if (outcome?.ok) forSale.forEach((line, index) => discounts.set(line.variantId, outcome.lineDiscounts[index] ?? 0));
  const discountTotal = outcome?.ok ? outcome.discount : 0;

  const charge = destination?.shipping ? shippingCharge(destination.shipping, forSale.map(shippableOf), subtotal - discountTotal, taxes.currency) : null;
  // Checkout only prices a method it has found available; a caller that didn't check gets no shipping.
  if (charge?.available) assertWithinOrderLimit(charge.amount, maxTotal);
  const shippingTotal = charge?.available ? Number(charge.amount) : 0;

  const { pricesIncludeTax } = taxes;
  const priced = lines.map((line) => {
    const lineTotal = line.forSale ? line.unitPrice! * line.quantity : 0;
    const discount = discounts.get(line.variantId) ?? 0;
    const taxRateBp = destination && line.forSale ? rateFor(destination.taxRates, line.taxClass, destination.provinceKey) : 0;
    return { ...line, lineTotal, discount, taxRateBp, tax: taxOf(lineTotal - discount, taxRateBp, pricesIncludeTax) };
  });
  const shippingTaxRateBp = destination && shippingTotal > 0 ? rateFor(destination.taxRates, SHIPPING_TAX_CLASS, destination.provinceKey) : 0;
  const shippingTax = taxOf(shippingTotal, shippingTaxRateBp, pricesIncludeTax);
  const taxTotal = priced.reduce((sum, line) => sum + line.tax, shippingTax);
  const total = BigInt(subtotal - discountTotal) + BigInt(shippingTotal) + (pricesIncludeTax ? 0n : BigInt(taxTotal));
  assertWithinOrderLimit(total, maxTotal);

  const method = destination?.shipping;
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
    shippingMethod:
      method && charge?.available
        ? { id: method.id, name: method.name, kind: method.kind, carrier: method.carrier, minDays: method.minDays, maxDays: method.maxDays, free: charge.free }
        : null,
    taxTotal,
    shippingTax,
    shippingTaxRateBp,
    pricesIncludeTax,
    taxCalculated: destination !== undefined,
    total: Number(total),
    itemCount: forSale.reduce((sum, line) => sum + line.quantity, 0),
    unavailable: lines.filter((line) => !line.forSale).map((line) => line.variantId),
  };
}

export function shippableOf(line: CartLineDetail) {
  return { quantity: line.quantity, weightGrams: line.weightGrams, profile: line.shippingProfile, requiresShipping: line.requiresShipping };
}

export async function priceCart(
  tx: Tx,
  lines: CartLineDetail[],
  couponCode: string | null,
  context: { currency: string; now: Date; customerId: string | null; maxTotal: number; pricesIncludeTax: boolean },
  destination?: Destination,
): Promise<PricedCart> {
  // Before the coupon: its arithmetic relies on the subtotal being a safe integer.
  subtotalOf(lines, context.maxTotal);
  const outcome = couponCode && lines.length > 0 ? await previewCoupon(tx, couponCode, toPricedLines(lines), context) : null;
  return assemblePricedCart(lines, couponCode, outcome, context.maxTotal, context, destination);
}
