import type { LocalizedText, ProductImage, ProductStatus } from '../../infra/db/schema.ts';

/** A product as stored, with every locale and currency: what staff edit and caches hold. */
export interface ProductOptionDefinition {
  code: string;
  name: LocalizedText;
  values: string[];
}

export interface VariantRecord {
  id: string;
  sku: string;
  optionValues: Record<string, string>;
  prices: { currency: string; amount: number }[];
  weightGrams: number;
}

export interface ProductRecord {
  id: string;
  slug: string;
  title: LocalizedText;
  description: LocalizedText;
  status: ProductStatus;
  categoryId: string | null;
  options: ProductOptionDefinition[];
  images: ProductImage[];
  shippingProfile: string | null;
  taxClass: string | null;
  tags: string[];
  /** Attribute values by attribute code: a choice's value, or a number. */
  attributes: Record<string, string | number>;
  variants: VariantRecord[];
  /** Approved reviews and their ratings' sum (the reviews module keeps them). */
  reviewCount: number;
  ratingTotal: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CategoryRecord {
  id: string;
  slug: string;
  name: LocalizedText;
  parentId: string | null;
  position: number;
}
