import type { LocalizedText } from '../../infra/db/schema.ts';
import type { Platform } from '../tenants/platform.ts';
import type { ProductSummary } from './catalog-read-model.ts';
import type { CategoryRecord, ProductRecord } from './product-record.ts';

/** How a shopper sees the catalog: one locale and one currency, chosen per request. */
export interface Presentation {
  locale: string;
  currency: string;
}

export function presentationFor(
  platform: Platform,
  asked: { locale?: string | undefined; currency?: string | undefined },
  acceptLanguage: string | undefined,
): Presentation {
  const wanted = asked.locale ?? acceptLanguage?.split(',')[0]?.split(';')[0]?.trim();
  const locale = (wanted && matchLocale(platform.locales, wanted)) ?? platform.defaultLocale;
  const currency = asked.currency && platform.currencies.includes(asked.currency) ? asked.currency : platform.defaultCurrency;
  return { locale, currency };
}

function matchLocale(available: string[], wanted: string): string | undefined {
  const lower = wanted.toLowerCase();
  return (
    available.find((locale) => locale.toLowerCase() === lower) ??
    available.find((locale) => locale.toLowerCase().split('-')[0] === lower.split('-')[0])
  );
}

/** The text in the asked locale, else in the same language, else the first one there is. */
export function pick(text: LocalizedText, locale: string): string {
  if (text[locale] !== undefined) return text[locale];
  const language = locale.split('-')[0];
  const sameLanguage = Object.keys(text).find((key) => key.split('-')[0] === language);
  return sameLanguage ? text[sameLanguage]! : (Object.values(text)[0] ?? '');
}

/** The published reviews' average (one decimal) and count; null before the first one. */
export function ratingView(counts: { reviewCount: number; ratingTotal: number }): { average: number; count: number } | null {
  if (counts.reviewCount === 0) return null;
  return { average: Math.round((counts.ratingTotal * 10) / counts.reviewCount) / 10, count: counts.reviewCount };
}

export function storeProductView(product: ProductRecord, view: Presentation, stock: { variantId: string; available: number }[]) {
  const available = new Map(stock.map((level) => [level.variantId, level.available]));
  const variants = product.variants.map((variant) => {
    const price = variant.prices.find((candidate) => candidate.currency === view.currency);
    const units = available.get(variant.id) ?? 0;
    return { id: variant.id, sku: variant.sku, optionValues: variant.optionValues, price: price ?? null, available: units, inStock: units > 0 };
  });
  const amounts = variants.flatMap((variant) => (variant.price ? [variant.price.amount] : []));
  return {
    id: product.id,
    slug: product.slug,
    title: pick(product.title, view.locale),
    description: pick(product.description, view.locale),
    categoryId: product.categoryId,
    options: product.options.map((option) => ({ code: option.code, name: pick(option.name, view.locale), values: option.values })),
    images: product.images,
    variants,
    priceRange: amounts.length > 0 ? { min: Math.min(...amounts), max: Math.max(...amounts), currency: view.currency } : null,
    inStock: variants.some((variant) => variant.inStock),
    rating: ratingView(product),
    locale: view.locale,
    createdAt: product.createdAt,
  };
}

export function storeProductSummaryView(summary: ProductSummary, view: Presentation) {
  return {
    id: summary.id,
    slug: summary.slug,
    title: pick(summary.title, view.locale),
    categoryId: summary.categoryId,
    image: summary.images[0] ?? null,
    priceRange:
      summary.minPrice === null ? null : { min: summary.minPrice, max: summary.maxPrice ?? summary.minPrice, currency: view.currency },
    rating: ratingView(summary),
    createdAt: summary.createdAt,
  };
}

export interface CategoryNode {
  id: string;
  slug: string;
  name: string;
  children: CategoryNode[];
}

/** The flat category rows as a tree, names in one locale. */
export function categoryTree(categories: CategoryRecord[], locale: string): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>(
    categories.map((category) => [category.id, { id: category.id, slug: category.slug, name: pick(category.name, locale), children: [] }]),
  );
  const roots: CategoryNode[] = [];
  for (const category of categories) {
    const node = nodes.get(category.id)!;
    const parent = category.parentId ? nodes.get(category.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
