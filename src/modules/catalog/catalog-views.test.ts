import { describe, expect, it } from 'vitest';
import { categoryTree, pick, ratingView } from './catalog-views.ts';

describe('localized text', () => {
  it('picks the exact locale, else the same language, else the first there is', () => {
    expect(pick({ en: 'Tea', 'zh-CN': '茶' }, 'zh-CN')).toBe('茶');
    expect(pick({ en: 'Tea', 'zh-CN': '茶' }, 'zh-TW')).toBe('茶');
    expect(pick({ 'zh-CN': '茶' }, 'fr')).toBe('茶');
    expect(pick({}, 'en')).toBe('');
  });
});

describe('the category tree', () => {
  it('nests children under their parents in the given order', () => {
    const tree = categoryTree(
      [
        { id: 'a', slug: 'a', name: { en: 'A' }, parentId: null, position: 0 },
        { id: 'b', slug: 'b', name: { en: 'B' }, parentId: 'a', position: 0 },
        { id: 'c', slug: 'c', name: { en: 'C' }, parentId: null, position: 1 },
      ],
      'en',
    );
    expect(tree).toEqual([
      { id: 'a', slug: 'a', name: 'A', children: [{ id: 'b', slug: 'b', name: 'B', children: [] }] },
      { id: 'c', slug: 'c', name: 'C', children: [] },
    ]);
  });
});

describe('ratings', () => {
  it('show the average to one decimal, and nothing before the first published review', () => {
    expect(ratingView({ reviewCount: 0, ratingTotal: 0 })).toBeNull();
    expect(ratingView({ reviewCount: 3, ratingTotal: 13 })).toEqual({ average: 4.3, count: 3 });
    expect(ratingView({ reviewCount: 2, ratingTotal: 9 })).toEqual({ average: 4.5, count: 2 });
    expect(ratingView({ reviewCount: 6, ratingTotal: 29 })).toEqual({ average: 4.8, count: 6 });
  });
});
