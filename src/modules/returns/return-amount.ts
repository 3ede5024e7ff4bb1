/**
 * What `units` of a line are worth back: the line's paid total (its discount already spread) per
 * unit, plus its tax when prices excluded tax. Counted as the difference of two cumulative floors,
 * so the returns of a line add up to exactly what was paid for it, whatever the split.
 */
export function returnAmount(line: { quantity: number; total: number; tax: number; requested: number }, units: number, options: { addTax: boolean }): number {
  // In bigint: a large total times a large count may pass 2^53 before the division.
  const paid = BigInt(line.total + (options.addTax ? line.tax : 0));
  const upTo = (count: number) => (paid * BigInt(count)) / BigInt(line.quantity);
  return Number(upTo(line.requested + units) - upTo(line.requested));
}
