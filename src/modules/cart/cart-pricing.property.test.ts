import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ORDER_TOTAL_MINOR } from '../../platform/money.ts';
import { evaluateCoupon, type Coupon } from '../promotions/coupon-rules.ts';
import type { ShippingMethod } from '../shipping/shipping-rates.ts';
import { taxOf, type TaxRate } from '../tax/tax-rules.ts';
import type { CartLineDetail } from './cart-lines.ts';
import { assemblePricedCart, toPricedLines } from './cart-pricing.ts';

/**
 * For any cart: the discount spread over the lines adds up to the discount, the line taxes and
 * shipping's tax add up to the order's tax, each line's tax is the documented rounding of its own
 * amount, and the total is what the parts say.
 */
const TAX_CLASSES = ['standard', 'reduced', 'zero'];

const line = (index: number) =>
  fc.record({
    unitPrice: fc.integer({ min: 0, max: 50_000_000 }),
    quantity: fc.integer({ min: 1, max: 999 }),
    taxClass: fc.constantFrom(...TAX_CLASSES),
    weightGrams: fc.integer({ min: 0, max: 50_000 }),
    requiresShipping: fc.boolean(),
    forSale: fc.boolean(),
  }).map(
    (fields): CartLineDetail => ({
      variantId: `var_${index}`,
      productId: `prod_${index}`,
      sku: `SKU-${index}`,
      title: { en: `Item ${index}` },
      optionValues: {},
      image: null,
      categoryIds: [],
      shippingProfile: 'general',
      listPrice: null,
      priceListId: null,
      ...fields,
      // A line not for sale has no price, as the catalog reports it.
      unitPrice: fields.forSale ? fields.unitPrice : null,
    }),
  );

const cart = fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => line(i))));

const coupon = fc.oneof(
  fc.constant(null),
  fc.record({ kind: fc.constant('fixed' as const), value: fc.integer({ min: 1, max: 100_000_000 }) }),
  fc.record({ kind: fc.constant('percentage' as const), value: fc.integer({ min: 1, max: 10_000 }) }),
);

const rates = fc.record({
  standard: fc.integer({ min: 0, max: 10_000 }),
  reduced: fc.integer({ min: 0, max: 10_000 }),
  shipping: fc.integer({ min: 0, max: 10_000 }),
});

const method = fc.oneof(
  fc.constant(null),
  fc.record({
    rate: fc.oneof(
      fc.record({ type: fc.constant('flat' as const), amount: fc.integer({ min: 0, max: 100_000 }) }),
      fc.record({
        type: fc.constant('weight' as const),
        firstGrams: fc.integer({ min: 1, max: 5000 }),
        firstAmount: fc.integer({ min: 0, max: 10_000 }),
        stepGrams: fc.integer({ min: 1, max: 5000 }),
        stepAmount: fc.integer({ min: 0, max: 10_000 }),
      }),
      fc.record({ type: fc.constant('item_count' as const), firstAmount: fc.integer({ min: 0, max: 10_000 }), additionalAmount: fc.integer({ min: 0, max: 1000 }) }),
    ),
    freeOver: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: null }),
  }),
);

function couponOf(kind: 'fixed' | 'percentage', value: number): Coupon {
  return {
    id: 'cpn_1', code: 'ANY', kind, value, currency: 'CNY', minSpend: 0, startsAt: null, endsAt: null, usageLimit: null,
    perCustomerLimit: null, usedCount: 0, productIds: [], categoryIds: [], status: 'active',
  };
}

function shippingOf(fields: { rate: ShippingMethod['rate']; freeOver: number | null }): ShippingMethod {
  return { id: 'shm_1', zoneId: 'shz_1', name: { en: 'Any' }, kind: 'standard', carrier: null, currency: 'CNY', profiles: null, surcharges: {}, minDays: 1, maxDays: 3, ...fields };
}

describe('cart pricing, for any cart', () => {
  it('adds line discounts up to the discount and line taxes up to the tax, and the parts up to the total', () => {
    fc.assert(
      fc.property(cart, coupon, rates, method, fc.boolean(), (lines, couponFields, bp, shipping, pricesIncludeTax) => {
        const outcome = couponFields && evaluateCoupon(couponOf(couponFields.kind, couponFields.value), toPricedLines(lines), { currency: 'CNY', now: new Date(), customerRedemptions: 0 });
        const taxRates: TaxRate[] = [
          { taxClass: 'standard', provinceKey: '', rateBp: bp.standard },
          { taxClass: 'reduced', provinceKey: '', rateBp: bp.reduced },
          { taxClass: 'shipping', provinceKey: '', rateBp: bp.shipping },
        ];
        const priced = assemblePricedCart(lines, outcome ? 'ANY' : null, outcome, DEFAULT_MAX_ORDER_TOTAL_MINOR * 1000, { pricesIncludeTax, currency: 'CNY' }, {
          provinceKey: '',
          taxRates,
          shipping: shipping && shippingOf(shipping),
        });

        const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
        expect(sum(priced.lines.map((l) => l.discount))).toBe(priced.discountTotal);
        expect(sum(priced.lines.map((l) => l.tax)) + priced.shippingTax).toBe(priced.taxTotal);
        expect(priced.discountTotal).toBeLessThanOrEqual(priced.subtotal);
        const rateOf = (taxClass: string) => (taxClass === 'zero' ? 0 : bp[taxClass as 'standard' | 'reduced']);
        for (const l of priced.lines) {
          expect(l.discount).toBeLessThanOrEqual(l.lineTotal);
          expect(l.tax).toBe(l.forSale ? taxOf(l.lineTotal - l.discount, rateOf(l.taxClass), pricesIncludeTax) : 0);
          // Tax included in a price is less than the price; tax added on is at most the price.
          expect(l.tax).toBeLessThanOrEqual(l.lineTotal - l.discount);
        }
        const goods = priced.subtotal - priced.discountTotal;
        if (shipping?.freeOver !== null && shipping?.freeOver !== undefined && goods >= shipping.freeOver) expect(priced.shippingTotal).toBe(0);
        expect(priced.total).toBe(goods + priced.shippingTotal + (pricesIncludeTax ? 0 : priced.taxTotal));
      }),
      { numRuns: 500 },
    );
  });
});
