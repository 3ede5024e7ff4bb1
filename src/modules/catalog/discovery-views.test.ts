import { describe, expect, it } from 'vitest';
import { checkedAttributeValues } from './attribute-values.ts';
import type { AttributeRecord } from './discovery-store.ts';
import { facetGroupsView } from './discovery-views.ts';

const brand: AttributeRecord = {
  id: 'attr_1',
  code: 'brand',
  name: { en: 'Brand', 'zh-CN': '品牌' },
  kind: 'choice',
  choices: [{ value: 'acme', name: { en: 'Acme', 'zh-CN': '极客' } }],
  position: 0,
};
const weight: AttributeRecord = { id: 'attr_2', code: 'weight', name: { en: 'Weight' }, kind: 'number', choices: [], position: 1 };
const noFilters = { options: {}, attributes: {}, priceRanges: [], inStock: false };

describe('facet groups for the sidebar', () => {
  it('groups counts, names attributes and choices in the locale, marks what is selected', () => {
    const groups = facetGroupsView(
      [
        { facet: 'inStock', value: 'true', count: 3 },
        { facet: 'price', value: '10000-20000', count: 1 },
        { facet: 'price', value: '5000-10000', count: 2 },
        { facet: 'option:colour', value: 'Red', count: 2 },
        { facet: 'attribute:brand', value: 'acme', count: 4 },
      ],
      [brand, weight],
      { ...noFilters, attributes: { brand: ['acme'] }, priceRanges: [{ min: 5000, max: 10000 }] },
      { locale: 'zh-CN', currency: 'CNY' },
    );
    expect(groups.map((group) => group.key)).toEqual(['attr.brand', 'option.colour', 'price', 'inStock']);
    expect(groups[0]).toEqual({ key: 'attr.brand', kind: 'attribute', code: 'brand', name: '品牌', values: [{ value: 'acme', label: '极客', count: 4, selected: true }] });
    expect(groups[2]!.values.map((value) => [value.value, value.selected])).toEqual([['5000-10000', true], ['10000-20000', false]]);
    expect(groups[3]!.values[0]!.selected).toBe(false);
  });
});

describe('attribute values of a product', () => {
  it('takes a choice among its values and an integer for a number', () => {
    expect(checkedAttributeValues([brand, weight], { brand: 'acme', weight: 180 })).toEqual([
      { attributeId: 'attr_1', valueText: 'acme', valueNumber: null },
      { attributeId: 'attr_2', valueText: null, valueNumber: 180 },
    ]);
  });

  it('refuses an unknown code first, then values that do not fit', () => {
    expect(() => checkedAttributeValues([brand], { colourway: 'red', brand: 'nobody' })).toThrow(expect.objectContaining({ code: 'unknown_attribute' }));
    expect(() => checkedAttributeValues([brand, weight], { brand: 'nobody' })).toThrow(expect.objectContaining({ code: 'invalid_attribute_value' }));
    expect(() => checkedAttributeValues([brand, weight], { weight: 'heavy' })).toThrow(expect.objectContaining({ code: 'invalid_attribute_value' }));
  });
});
