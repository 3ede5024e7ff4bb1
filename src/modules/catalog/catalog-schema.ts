import { z } from 'zod';
import { currencyCode, cursor, id, localeCode, localized, minorUnits, pageLimit, slug, text } from '../../platform/validation.ts';
import { profileCode } from '../shipping/index.ts';
import { taxClassCode } from '../tax/index.ts';

export const optionCode = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'lowercase letters, digits and _ (e.g. colour)');
const optionValue = text(60);

const ProductOptionInput = z
  .object({
    code: optionCode,
    name: localized(60),
    values: z.array(optionValue).min(1).max(50),
  })
  .strict();

const PriceInput = z.object({ currency: currencyCode, amount: minorUnits }).strict();

const VariantInput = z
  .object({
    sku: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, _ and - (max 64)'),
    optionValues: z.record(optionCode, optionValue).default({}),
    prices: z.array(PriceInput).min(1).max(20),
    weightGrams: z.number().int().min(0).max(10_000_000).optional().describe('shipping weight in grams (0 when not given)'),
  })
  .strict();

const ImageInput = z
  .object({
    url: z
      .string()
      .max(2000)
      .refine((value) => /^https?:\/\/[^\s]+$/.test(value) || /^\/[^\s]*$/.test(value), 'an http(s) URL or a path on this server'),
    alt: text(200).optional(),
  })
  .strict();

export const tag = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lowercase letters, digits and - (e.g. new)');
const attributeValues = z.record(optionCode, z.union([text(60), z.number().int().min(-1_000_000_000_000).max(1_000_000_000_000)])).refine(
  (values) => Object.keys(values).length <= 50,
  'at most 50 attributes',
);

const PRODUCT_STATUS = z.enum(['draft', 'active', 'archived']);

export const CreateProductBody = z
  .object({
    slug: slug.optional(),
    title: localized(200),
    description: localized(5000).optional(),
    status: PRODUCT_STATUS.default('draft'),
    categoryId: id('cat').nullable().optional(),
    options: z.array(ProductOptionInput).max(5).default([]),
    images: z.array(ImageInput).max(20).default([]),
    tags: z.array(tag).max(20).default([]),
    /** Attribute code → value: one of a choice attribute's values, or an integer. */
    attributes: attributeValues.default({}),
    variants: z.array(VariantInput).min(1).max(100),
    shippingProfile: profileCode.nullable().optional(),
    taxClass: taxClassCode.nullable().optional(),
  })
  .strict();
export type CreateProductInput = z.output<typeof CreateProductBody>;

export const UpdateProductBody = z
  .object({
    slug: slug.optional(),
    title: localized(200).optional(),
    description: localized(5000).optional(),
    status: PRODUCT_STATUS.optional(),
    categoryId: id('cat').nullable().optional(),
    options: z.array(ProductOptionInput).max(5).optional(),
    images: z.array(ImageInput).max(20).optional(),
    tags: z.array(tag).max(20).optional(),
    /** Replaces all the product's attribute values. */
    attributes: attributeValues.optional(),
    variants: z.array(VariantInput).min(1).max(100).optional(),
    shippingProfile: profileCode.nullable().optional(),
    taxClass: taxClassCode.nullable().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field')
  .refine((body) => body.options === undefined || body.variants !== undefined, {
    message: 'changing options needs the variants that match them',
    path: ['variants'],
  });
export type UpdateProductInput = z.output<typeof UpdateProductBody>;

export const ProductParams = z.object({ id: id('prod') }).strict();

export const CreateCategoryBody = z
  .object({
    slug,
    name: localized(100),
    parentId: id('cat').nullable().optional(),
    position: z.number().int().min(0).max(100_000).default(0),
  })
  .strict();
export type CreateCategoryInput = z.output<typeof CreateCategoryBody>;

export const UpdateCategoryBody = z
  .object({
    name: localized(100).optional(),
    parentId: id('cat').nullable().optional(),
    position: z.number().int().min(0).max(100_000).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field');
export type UpdateCategoryInput = z.output<typeof UpdateCategoryBody>;

export const CategoryParams = z.object({ id: id('cat') }).strict();

const presentation = {
  locale: localeCode.optional(),
  currency: currencyCode.optional(),
  tenant: z.string().max(40).optional(),
};

export const StoreDetailQuery = z.object(presentation).strict();

export const AdminProductQuery = z
  .object({
    tenant: z.string().max(40).optional(),
    status: PRODUCT_STATUS.optional(),
    category: z.union([id('cat'), slug]).optional(),
    q: text(100).optional(),
    limit: pageLimit,
    cursor: cursor.optional(),
  })
  .strict();

export const TenantOnlyQuery = z.object({ tenant: z.string().max(40).optional() }).strict();
