import { Unprocessable } from './errors.ts';

/**
 * Money is an integer count of minor units held in a JavaScript number, exact only up to
 * 2^53 - 1. Orders are capped well below that (MAX_ORDER_TOTAL_MINOR), and sums are taken in
 * BigInt, so a total is either exact or refused, never rounded.
 */
export const DEFAULT_MAX_ORDER_TOTAL_MINOR = 1_000_000_000_000;

/** The exact sum of `quantity × unitPrice` over the lines, or 422 when it passes `maxTotal`. */
export function orderTotalOf(lines: { unitPrice: number; quantity: number }[], maxTotal: number): number {
  const total = lines.reduce((sum, line) => sum + BigInt(line.unitPrice) * BigInt(line.quantity), 0n);
  assertWithinOrderLimit(total, maxTotal);
  return Number(total);
}

export function assertWithinOrderLimit(amount: bigint | number, maxTotal: number): void {
  if (BigInt(amount) > BigInt(maxTotal)) {
    throw new Unprocessable('order_total_too_large', `An order can come to at most ${maxTotal} minor units; this one comes to ${amount}.`);
  }
}
