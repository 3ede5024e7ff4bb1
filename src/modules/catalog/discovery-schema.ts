import { z } from 'zod';
import { currencyCode, cursor, id, localeCode, localized, minorUnits, pageLimit, slug, text } from '../../platform/validation.ts';
import { optionCode, tag } from './catalog-schema.ts';

const AttributeChoiceInput = z.object({ value: text(60), name: localized(60) }).strict();

const distinctChoices = (choices: { value: string }[] | undefined) =>
  choices === undefined || new Set(choices.map((choice) => choice.value)).size === choices.length;

export const CreateAttributeBody = z
  .object({
    code: optionCode,
    name: localized(60),
    kind: z.enum(['choice', 'number']),
    choices: z.array(AttributeChoiceInput).max(200).default([]),
    position: z.number().int().min(0).max(100_000).default(0),
  })
  .strict()
  .refine((body) => (body.kind === 'choice') === body.choices.length > 0, {
    message: 'a choice attribute lists its choices; a number attribute has none',
    path: ['choices'],
  })
  .refine((body) => distinctChoices(body.choices), { message: 'choice values must be distinct', path: ['choices'] });
export type CreateAttributeInput = z.output<typeof CreateAttributeBody>;

export const UpdateAttributeBody = z
  .object({
    name: localized(60).optional(),
    choices: z.array(AttributeChoiceInput).max(200).optional(),
    position: z.number().int().min(0).max(100_000).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field')
  .refine((body) => distinctChoices(body.choices), { message: 'choice values must be distinct', path: ['choices'] });
export type UpdateAttributeInput = z.output<typeof UpdateAttributeBody>;

export const AttributeParams = z.object({ id: id('attr') }).strict();

const CollectionRuleInput = z
  .object({
    tags: z.array(tag).min(1).max(10).optional(),
    attribute: z.object({ code: optionCode, values: z.array(text(60)).min(1).max(50) }).strict().optional(),
    priceBelow: z.object({ currency: currencyCode, amount: minorUnits }).strict().optional(),
    categoryId: id('cat').optional(),
  })
  .strict()
  .refine((rule) => Object.values(rule).some((value) => value !== undefined), 'a rule needs at least one condition');

export const CreateCollectionBody = z
  .object({
    slug,
    title: localized(200),
    description: localized(2000).optional(),
    kind: z.enum(['manual', 'rule']),
    productIds: z.array(id('prod')).max(500).optional(),
    rule: CollectionRuleInput.optional(),
  })
  .strict()
  .refine((body) => (body.kind === 'rule') === (body.rule !== undefined), { message: 'a rule collection has a rule; a manual one has none', path: ['rule'] })
  .refine((body) => body.kind === 'manual' || body.productIds === undefined, { message: 'a rule collection picks its own products', path: ['productIds'] });
export type CreateCollectionInput = z.output<typeof CreateCollectionBody>;

export const UpdateCollectionBody = z
  .object({
    slug: slug.optional(),
    title: localized(200).optional(),
    description: localized(2000).optional(),
    productIds: z.array(id('prod')).max(500).optional(),
    rule: CollectionRuleInput.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field');
export type UpdateCollectionInput = z.output<typeof UpdateCollectionBody>;

export const CollectionParams = z.object({ id: id('col') }).strict();
export const CollectionSlugParams = z.object({ slug }).strict();
export const BrandParams = z.object({ value: text(60) }).strict();

const presentation = {
  locale: localeCode.optional(),
  currency: currencyCode.optional(),
  tenant: z.string().max(40).optional(),
};

const priceRange = /^(\d{1,13})-(\d{1,13})?$/;

/**
 * The store listing's query. Facet filters are `attr.<code>=a,b` and `option.<code>=a,b` (values
 * of one facet ORed; a key may also repeat), `price=0-5000,10000-` (minor units, upper bound
 * exclusive) and `inStock=true`. Any other key is a facet the service refuses (`unknown_facet`).
 */
export const StoreListingQuery = z
  .object({
    ...presentation,
    category: z.union([id('cat'), slug]).optional(),
    collection: slug.optional(),
    brand: text(60).optional(),
    q: text(100).optional(),
    sort: z.enum(['newest', 'price_asc', 'price_desc', 'relevance', 'best_selling', 'position']).optional(),
    facets: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
    price: z
      .string()
      .max(200)
      .transform((value) => value.split(','))
      .pipe(
        z
          .array(
            z
              .string()
              .regex(priceRange, 'min-max in minor units, e.g. 0-5000 or 10000-')
              .transform((range) => {
                const [, min, max] = priceRange.exec(range)!;
                return { min: Number(min), max: max === undefined ? null : Number(max) };
              })
              .refine((range) => range.max === null || range.max > range.min, 'max above min'),
          )
          .max(10),
      )
      .optional(),
    inStock: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
    limit: pageLimit,
    cursor: cursor.optional(),
  })
  .catchall(z.union([text(300), z.array(text(300)).max(20)]))
  .transform(({ locale, currency, tenant, category, collection, brand, q, sort, facets, price, inStock, limit, cursor, ...facetParams }) => ({
    listing: { category, collection, brand, q, sort, facets, price, inStock, limit, cursor },
    presentation: { locale, currency, tenant },
    facetParams: facetParams as Record<string, string | string[]>,
  }));
type ListingQueryOutput = z.output<typeof StoreListingQuery>;
export type StoreListingInput = ListingQueryOutput['listing'] & { facetParams: ListingQueryOutput['facetParams'] };
