/**
 * What a shipping method charges for a set of lines: pure arithmetic, so that the cart (to show
 * the options) and checkout (to charge one) compute the same amount from the same inputs.
 */
export type ShippingRate =
  | { type: 'flat'; amount: number }
  /** 首重/续重: the first `firstGrams` for `firstAmount`, then `stepAmount` per started `stepGrams`. */
  | { type: 'weight'; firstGrams: number; firstAmount: number; stepGrams: number; stepAmount: number }
  | { type: 'item_count'; firstAmount: number; additionalAmount: number };

export interface ShippingMethod {
  id: string;
  zoneId: string;
  name: Record<string, string>;
  kind: 'standard' | 'express' | 'carrier' | 'pickup';
  carrier: string | null;
  currency: string;
  rate: ShippingRate;
  freeOver: number | null;
  /** Shipping profiles it carries; null carries every profile. */
  profiles: string[] | null;
  /** Added per unit of a line with that profile (bulky goods), free shipping or not. */
  surcharges: Record<string, number>;
  minDays: number;
  maxDays: number;
}

/** The profile of a product without one. */
export const GENERAL_PROFILE = 'general';

export interface ShippableLine {
  quantity: number;
  weightGrams: number;
  profile: string;
  requiresShipping: boolean;
}

export type ShippingCharge =
  | { available: true; amount: bigint; free: boolean }
  | { available: false; reason: 'currency' | 'profile_not_carried'; profile?: string };

/**
 * The charge for `lines` (the cart's lines for sale) whose goods come to `goodsTotal` after
 * discounts. Lines that need no shipping (digital goods) neither weigh nor count. In BigInt: a
 * merchant's rate times a cart's weight can pass 2^53; the caller refuses a total past the limit.
 */
export function shippingCharge(method: ShippingMethod, lines: ShippableLine[], goodsTotal: number, currency: string): ShippingCharge {
  if (method.currency !== currency) return { available: false, reason: 'currency' };
  const shipped = lines.filter((line) => line.requiresShipping);
  const uncarried = method.profiles && shipped.find((line) => !method.profiles!.includes(line.profile));
  if (uncarried) return { available: false, reason: 'profile_not_carried', profile: uncarried.profile };

  const free = method.freeOver !== null && goodsTotal >= method.freeOver;
  const base = free ? 0n : baseCharge(method.rate, shipped);
  const surcharge = shipped.reduce((sum, line) => sum + BigInt(method.surcharges[line.profile] ?? 0) * BigInt(line.quantity), 0n);
  return { available: true, amount: base + surcharge, free };
}

function baseCharge(rate: ShippingRate, lines: ShippableLine[]): bigint {
  switch (rate.type) {
    case 'flat':
      return BigInt(rate.amount);
    case 'weight': {
      const grams = lines.reduce((sum, line) => sum + BigInt(line.weightGrams) * BigInt(line.quantity), 0n);
      if (grams <= BigInt(rate.firstGrams)) return BigInt(rate.firstAmount);
      const steps = ceilDiv(grams - BigInt(rate.firstGrams), BigInt(rate.stepGrams));
      return BigInt(rate.firstAmount) + steps * BigInt(rate.stepAmount);
    }
    case 'item_count': {
      const items = lines.reduce((sum, line) => sum + BigInt(line.quantity), 0n);
      return items === 0n ? 0n : BigInt(rate.firstAmount) + (items - 1n) * BigInt(rate.additionalAmount);
    }
  }
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
