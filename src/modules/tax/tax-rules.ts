/**
 * Tax arithmetic, free of I/O. The rule, the only one:
 *
 *   Tax is computed per order line, on what the line costs after its share of the discount,
 *   rounded half up to a whole minor unit. When prices include tax (usual in China), a line of
 *   amount A at rate r holds A × r / (1 + r) of tax; when they don't, it adds A × r. Shipping is
 *   taxed the same way, as one more line of tax class `shipping`. The order's tax is the sum of
 *   its lines' taxes, never a rounding of the order's total, so refunding a line refunds exactly
 *   the tax that line was charged.
 */

/** A tax rate as stored: for a country, or one province of it ('' = the whole country). */
export interface TaxRate {
  taxClass: string;
  provinceKey: string;
  rateBp: number;
}

export const STANDARD_TAX_CLASS = 'standard';
export const SHIPPING_TAX_CLASS = 'shipping';

/** The rate for `taxClass` at the address: the province's own rate, else the country's, else none. */
export function rateFor(rates: TaxRate[], taxClass: string, provinceKey: string): number {
  const own = rates.find((rate) => rate.taxClass === taxClass && rate.provinceKey !== '' && rate.provinceKey === provinceKey);
  return (own ?? rates.find((rate) => rate.taxClass === taxClass && rate.provinceKey === ''))?.rateBp ?? 0;
}

/** The tax in `amount` (minor units, ≥ 0) at `rateBp` basis points, rounded half up. */
export function taxOf(amount: number, rateBp: number, pricesIncludeTax: boolean): number {
  if (amount === 0 || rateBp === 0) return 0;
  const numerator = BigInt(amount) * BigInt(rateBp);
  const denominator = pricesIncludeTax ? 10_000n + BigInt(rateBp) : 10_000n;
  return Number((2n * numerator + denominator) / (2n * denominator));
}
