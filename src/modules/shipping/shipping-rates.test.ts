import { describe, expect, it } from 'vitest';
import { regionOf } from './regions.ts';
import { shippingCharge, type ShippingMethod } from './shipping-rates.ts';

const method = (overrides: Partial<ShippingMethod>): ShippingMethod => ({
  id: 'shm_1', zoneId: 'shz_1', name: { en: 'Standard' }, kind: 'standard', carrier: null, currency: 'CNY',
  rate: { type: 'flat', amount: 800 }, freeOver: null, profiles: null, surcharges: {}, minDays: 1, maxDays: 3, ...overrides,
});
const line = (quantity: number, weightGrams: number, profile = 'general', requiresShipping = true) => ({ quantity, weightGrams, profile, requiresShipping });

describe('shipping charges', () => {
  it('charges the first weight, then per started step (首重/续重)', () => {
    const byWeight = method({ rate: { type: 'weight', firstGrams: 1000, firstAmount: 1000, stepGrams: 500, stepAmount: 300 } });
    expect(shippingCharge(byWeight, [line(2, 500)], 0, 'CNY')).toEqual({ available: true, amount: 1000n, free: false });
    expect(shippingCharge(byWeight, [line(2, 500), line(1, 1)], 0, 'CNY')).toEqual({ available: true, amount: 1300n, free: false });
    expect(shippingCharge(byWeight, [line(1, 2001)], 0, 'CNY')).toEqual({ available: true, amount: 1900n, free: false });
  });

  it('counts items, ignores goods that are not shipped, and is free over the threshold but for surcharges', () => {
    const byItems = method({ rate: { type: 'item_count', firstAmount: 500, additionalAmount: 100 }, freeOver: 9900, surcharges: { bulky: 2000 } });
    expect(shippingCharge(byItems, [line(3, 0), line(1, 0, 'digital', false)], 0, 'CNY')).toMatchObject({ amount: 700n });
    expect(shippingCharge(byItems, [line(3, 0), line(1, 0, 'bulky')], 9900, 'CNY')).toEqual({ available: true, amount: 2000n, free: true });
  });

  it('is unavailable in another currency or for a profile it does not carry', () => {
    expect(shippingCharge(method({}), [line(1, 1)], 0, 'USD')).toEqual({ available: false, reason: 'currency' });
    expect(shippingCharge(method({ profiles: ['general'] }), [line(1, 1, 'bulky')], 0, 'CNY')).toEqual({ available: false, reason: 'profile_not_carried', profile: 'bulky' });
  });
});

describe('regions', () => {
  it('reduces Chinese provinces written in either script to one key', () => {
    for (const province of ['浙江省', '浙江', 'Zhejiang', 'Zhejiang Province', 'CN-ZJ']) expect(regionOf({ country: 'CN', province }).provinceKey).toBe('ZJ');
    expect(regionOf({ country: 'CN', province: '广西壮族自治区' }).provinceKey).toBe('GX');
    expect(regionOf({ country: 'CN', province: '内蒙古自治区', city: '呼和浩特市' })).toEqual({ country: 'CN', provinceKey: 'NM', cityKey: '呼和浩特' });
    expect(regionOf({ country: 'US', province: 'NY', city: 'New York City' })).toEqual({ country: 'US', provinceKey: 'ny', cityKey: 'newyork' });
  });
});
