import { describe, expect, it } from 'vitest';
import { returnAmount } from './return-amount.ts';

describe('returnAmount', () => {
  it('the returns of a line add up to exactly what was paid for it, however it is split', () => {
    const line = { quantity: 3, total: 1000, tax: 130 };
    for (const split of [[1, 1, 1], [2, 1], [1, 2], [3]]) {
      let requested = 0;
      let sum = 0;
      for (const units of split) {
        sum += returnAmount({ ...line, requested }, units, { addTax: false });
        requested += units;
      }
      expect(sum).toBe(1000);
    }
  });

  it('adds the line tax share only when prices excluded tax', () => {
    const line = { quantity: 2, total: 1000, tax: 130, requested: 0 };
    expect(returnAmount(line, 1, { addTax: false })).toBe(500);
    expect(returnAmount(line, 1, { addTax: true })).toBe(565);
    expect(returnAmount({ ...line, requested: 1 }, 1, { addTax: true })).toBe(565);
  });

  it('stays exact for totals whose product with the count passes 2^53', () => {
    const line = { quantity: 1_000_000, total: 9_000_000_000_000, tax: 0, requested: 0 };
    expect(returnAmount(line, 999_999, { addTax: false })).toBe(8_999_991_000_000);
  });
});
