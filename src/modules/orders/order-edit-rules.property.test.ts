import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ORDER_TOTAL_MINOR } from '../../platform/money.ts';
import { taxOf } from '../tax/tax-rules.ts';
import { applyLineEdit, type AddedLine, type EditedLine } from './order-edit-rules.ts';

/**
 * For any order and any edit of it: the line taxes and shipping's tax add up to the order's tax,
 * each line's tax is the documented rounding of its own amount, the discount of a line never
 * grows and shrinks in proportion when units go, and the total is what the parts say.
 */
const orderLine = (lineNo: number) =>
  fc
    .record({
      unitPrice: fc.integer({ min: 0, max: 50_000_000 }),
      quantity: fc.integer({ min: 1, max: 999 }),
      discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
      taxRateBp: fc.constantFrom(0, 600, 900, 1300),
    })
    .map(({ unitPrice, quantity, discountShare, taxRateBp }): EditedLine => {
      const discount = Math.floor(unitPrice * quantity * discountShare);
      return {
        lineNo,
        productId: `prod_${lineNo}`,
        variantId: `var_${lineNo}`,
        sku: `SKU-${lineNo}`,
        title: { en: `Item ${lineNo}` },
        optionValues: {},
        unitPrice,
        quantity,
        discount,
        total: unitPrice * quantity - discount,
        taxClass: 'standard',
        taxRateBp,
        tax: 0,
        priceListId: null,
        listPrice: null,
      };
    });

const added = (index: number) =>
  fc.record({ unitPrice: fc.integer({ min: 0, max: 50_000_000 }), quantity: fc.integer({ min: 1, max: 999 }), taxRateBp: fc.constantFrom(0, 900, 1300) }).map(
    (fields): AddedLine => ({
      productId: `prod_new_${index}`,
      variantId: `var_new_${index}`,
      sku: `NEW-${index}`,
      title: { en: `New ${index}` },
      optionValues: {},
      taxClass: 'standard',
      priceListId: null,
      listPrice: null,
      ...fields,
    }),
  );

const scenario = fc
  .integer({ min: 1, max: 6 })
  .chain((count) =>
    fc.record({
      lines: fc.tuple(...Array.from({ length: count }, (_, index) => orderLine(index + 1))),
      quantities: fc.array(fc.integer({ min: 0, max: 999 }), { minLength: count, maxLength: count }),
      keep: fc.array(fc.boolean(), { minLength: count, maxLength: count }),
      added: fc.integer({ min: 0, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, index) => added(index)))),
      shippingTotal: fc.integer({ min: 0, max: 100_000 }),
      shippingTax: fc.integer({ min: 0, max: 10_000 }),
      pricesIncludeTax: fc.boolean(),
    }),
  );

describe('order edit arithmetic', () => {
  it('keeps line taxes, discounts and the total consistent for any edit', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const quantities = new Map(s.lines.map((line, index) => [line.lineNo, s.keep[index] ? line.quantity : s.quantities[index]!]));
        let result;
        try {
          result = applyLineEdit({ lines: s.lines, shippingTotal: s.shippingTotal, shippingTax: s.shippingTax, pricesIncludeTax: s.pricesIncludeTax }, { quantities, added: s.added }, DEFAULT_MAX_ORDER_TOTAL_MINOR);
        } catch (error) {
          // The only refusals: an emptied order, or one past the installation's maximum.
          expect((error as { code: string }).code).toMatch(/^(order_would_be_empty|order_total_too_large)$/);
          return;
        }
        expect(result.taxTotal).toBe(result.lines.reduce((sum, line) => sum + line.tax, s.shippingTax));
        expect(result.discountTotal).toBe(result.lines.reduce((sum, line) => sum + Number(line.discount), 0));
        expect(result.subtotal).toBe(result.lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0));
        for (const line of result.lines) {
          expect(line.tax).toBe(taxOf(line.total, line.taxRateBp, s.pricesIncludeTax));
          expect(line.total).toBe(line.unitPrice * line.quantity - Number(line.discount));
          const before = s.lines.find((old) => old.lineNo === line.lineNo);
          if (!before) {
            expect(line.discount).toBe(0);
            continue;
          }
          expect(line.unitPrice).toBe(before.unitPrice);
          expect(Number(line.discount)).toBeLessThanOrEqual(Number(before.discount));
          // Units taken off take their share of the discount with them, rounded in the shop's favour.
          if (line.quantity < before.quantity) expect(Number(line.discount)).toBe(Math.floor((Number(before.discount) * line.quantity) / before.quantity));
        }
        const goods = result.subtotal - result.discountTotal;
        expect(result.total).toBe(goods + s.shippingTotal + (s.pricesIncludeTax ? 0 : result.taxTotal));
        // Every quantity that moved is in the changes, and nothing else is.
        const moved = s.lines.filter((line) => quantities.get(line.lineNo) !== line.quantity).length + s.added.length;
        expect(result.changes).toHaveLength(moved);
      }),
      { numRuns: 500 },
    );
  });
});
