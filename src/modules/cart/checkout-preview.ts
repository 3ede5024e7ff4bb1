import type { Tx } from '../../infra/db/database.ts';
import { previewCoupon } from '../promotions/promotion-service.ts';
import { regionOf } from '../shipping/regions.ts';
import { shippingCharge } from '../shipping/shipping-rates.ts';
import type { CartLineDetail } from './cart-lines.ts';
import { assemblePricedCart, shippableOf, subtotalOf, toPricedLines, type PricedCart } from './cart-pricing.ts';
import { chooseDestination, needsShipping, readDestination, type AddressLike } from './destination.ts';

export interface ShippingOption {
  id: string;
  name: Record<string, string>;
  kind: string;
  carrier: string | null;
  minDays: number;
  maxDays: number;
  amount: number;
  free: boolean;
}

export interface CheckoutPreview extends PricedCart {
  /** False when nothing needs shipping, or the platform charges none (no zones set up). */
  shippingRequired: boolean;
  /** The methods that can carry this cart to the address, in the merchant's order, with their prices. */
  shippingOptions: ShippingOption[];
}

/**
 * The cart priced as checkout would charge it for this address: the shipping methods of the
 * address's zone that can carry these goods, with prices and delivery estimates, and tax at the
 * address. Without a choice, the first method that can is taken (the merchant puts it first).
 */
export async function previewCheckout(
  tx: Tx,
  lines: CartLineDetail[],
  couponCode: string | null,
  context: { currency: string; now: Date; customerId: string | null; maxTotal: number; pricesIncludeTax: boolean },
  choice: { address: AddressLike; shippingMethodId?: string | undefined },
): Promise<CheckoutPreview> {
  const subtotal = subtotalOf(lines, context.maxTotal);
  const outcome = couponCode && lines.length > 0 ? await previewCoupon(tx, couponCode, toPricedLines(lines), context) : null;
  const goodsTotal = subtotal - (outcome?.ok ? outcome.discount : 0);
  const read = await readDestination(tx, choice.address);
  const shippingRequired = read.shippingConfigured && needsShipping(lines);
  const shipped = lines.filter((line) => line.forSale).map(shippableOf);
  const shippingOptions = shippingRequired
    ? read.methods.flatMap((method) => {
        const charge = shippingCharge(method, shipped, goodsTotal, context.currency);
        if (!charge.available) return [];
        const { id, name, kind, carrier, minDays, maxDays } = method;
        return [{ id, name, kind, carrier, minDays, maxDays, amount: Number(charge.amount), free: charge.free }];
      })
    : [];
  const methodId = choice.shippingMethodId ?? shippingOptions[0]?.id;
  // A zone whose methods can't carry these goods: priced without shipping, and no options to pick
  // (checkout would refuse it). An address outside every zone is refused here as at checkout.
  const destination =
    shippingRequired && read.zoneId !== null && !methodId
      ? { provinceKey: regionOf(choice.address).provinceKey, taxRates: read.taxRates, shipping: null }
      : chooseDestination(read, choice.address, lines, { methodId, currency: context.currency, goodsTotal });
  const priced = assemblePricedCart(lines, couponCode, outcome, context.maxTotal, context, destination);
  return { ...priced, shippingRequired, shippingOptions };
}
