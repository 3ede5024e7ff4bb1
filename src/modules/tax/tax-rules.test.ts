import { describe, expect, it } from 'vitest';
import { rateFor, taxOf } from './tax-rules.ts';
import { isValidTaxId } from './invoice-title.ts';

describe('tax per line', () => {
  it('rounds half up, included in the price or added to it', () => {
    // 100.00 at 13 % included: 11.504… → 11.50; 1.13 at 13 % included: 0.13 exactly.
    expect(taxOf(10_000, 1300, true)).toBe(1150);
    expect(taxOf(113, 1300, true)).toBe(13);
    // 0.50 at 1 % added: 0.005 → rounds up to 0.01; 0.49 → 0.0049 → 0.
    expect(taxOf(50, 100, false)).toBe(1);
    expect(taxOf(49, 100, false)).toBe(0);
    expect(taxOf(0, 1300, true)).toBe(0);
    // Exact past 2^53 intermediate products.
    expect(taxOf(1_000_000_000_000, 1300, false)).toBe(130_000_000_000);
  });

  it("takes the province's own rate over the country's, and none where none is set", () => {
    const rates = [
      { taxClass: 'standard', provinceKey: '', rateBp: 600 },
      { taxClass: 'standard', provinceKey: 'ZJ', rateBp: 700 },
    ];
    expect(rateFor(rates, 'standard', 'ZJ')).toBe(700);
    expect(rateFor(rates, 'standard', 'BJ')).toBe(600);
    expect(rateFor(rates, 'reduced', 'ZJ')).toBe(0);
  });
});

describe('invoice tax ids', () => {
  it('checks the unified social credit code check character', () => {
    expect(isValidTaxId('91350100M000100Y43')).toBe(true);
    expect(isValidTaxId('91350100M000100Y44')).toBe(false);
    expect(isValidTaxId('9135010OM000100Y43')).toBe(false); // O is not in the alphabet
    expect(isValidTaxId('110108123456789')).toBe(true); // an older 15-character taxpayer number
  });
});
