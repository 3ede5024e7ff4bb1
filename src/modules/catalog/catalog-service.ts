import type { Database, Tx } from '../../infra/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Forbidden, Invalid, NotFound, Unprocessable, type FieldError } from '../../platform/errors.ts';
import { profileExists } from '../shipping/index.ts';
import { newId } from '../../platform/ids.ts';
import type { Page } from '../../platform/pagination.ts';
import type { Platform } from '../tenants/platform.ts';
import { createCatalogCache, type CatalogCache } from './catalog-cache.ts';
import * as read from './catalog-read-model.ts';
import { checkedAttributeValues } from './attribute-values.ts';
import * as discovery from './discovery-store.ts';
import type { CreateCategoryInput, CreateProductInput, UpdateCategoryInput, UpdateProductInput } from './catalog-schema.ts';
import * as write from './catalog-store.ts';
import type { CategoryRecord, ProductRecord } from './product-record.ts';

export interface ProductListRequest {
  category?: string | undefined;
  search?: string | undefined;
  sort?: read.ProductSort | undefined;
  currency: string;
  limit: number;
  cursor?: string | undefined;
}

export interface CatalogService {
  createProduct(platform: Platform, input: CreateProductInput): Promise<ProductRecord>;
  updateProduct(platform: Platform, productId: string, input: UpdateProductInput): Promise<ProductRecord>;
  archiveProduct(platform: Platform, productId: string): Promise<ProductRecord>;
  /** Any status; for staff. */
  getProduct(platform: Platform, productId: string): Promise<ProductRecord>;
  /** Active products only; served from the per-platform cache. */
  getActiveProduct(platform: Platform, productId: string): Promise<ProductRecord>;
  listProducts(platform: Platform, request: ProductListRequest & { status?: 'draft' | 'active' | 'archived' | undefined }): Promise<Page<read.ProductSummary>>;
  listCategories(platform: Platform): Promise<CategoryRecord[]>;
  /**
   * A value derived from the platform's catalog (a response as sent, say), kept as the catalog
   * reads are: until the platform's catalog changes on this node, and at most 5 s.
   */
  derived<T>(platform: Platform, key: string, load: () => Promise<T>): Promise<T>;
  /**
   * Retires the platform's cached catalog reads after a change made elsewhere that they show
   * (a review published or removed moves the product's rating).
   */
  invalidate(platform: Platform): void;
  createCategory(platform: Platform, input: CreateCategoryInput): Promise<CategoryRecord>;
  updateCategory(platform: Platform, categoryId: string, input: UpdateCategoryInput): Promise<CategoryRecord>;
}

export function createCatalogService(deps: { db: Database; clock: Clock; cache?: CatalogCache }): CatalogService {
  const { db, clock } = deps;
  const { cached, invalidate } = deps.cache ?? createCatalogCache();

  async function mustFindProduct(tx: Tx, productId: string): Promise<ProductRecord> {
    const product = await read.findProduct(tx, productId);
    if (!product) throw new NotFound('product_not_found', 'No such product.');
    return product;
  }

  async function categoryFilter(tx: Tx, category: string | undefined): Promise<string[] | undefined> {
    if (category === undefined) return undefined;
    const found = await read.findCategory(tx, category);
    return found ? write.categorySubtree(tx, found.id) : [];
  }

  async function assertCategoryExists(tx: Tx, categoryId: string | null | undefined): Promise<void> {
    if (categoryId && !(await read.findCategory(tx, categoryId))) {
      throw new Invalid('category_not_found', 'The category does not exist.', [{ path: 'body.categoryId', message: 'no such category' }]);
    }
  }

  async function assertSlugAndSkusFree(tx: Tx, slug: string, variants: write.VariantWrite[], productId: string | null): Promise<void> {
    if (await write.slugTaken(tx, slug, productId)) throw new Conflict('slug_taken', `Another product already uses slug "${slug}".`);
    const taken = await write.findSkusTakenElsewhere(tx, variants.map((variant) => variant.sku), productId);
    if (taken.length > 0) throw new Conflict('sku_taken', `SKU ${taken.join(', ')} already belongs to another product.`);
  }

  function listing(platform: Platform, statuses: read.ProductListQuery['statuses'], request: ProductListRequest) {
    return db.withTenant(platform.id, async (tx) =>
      read.listProducts(tx, {
        statuses,
        categoryIds: await categoryFilter(tx, request.category),
        search: request.search,
        sort: request.sort ?? (request.search ? 'relevance' : 'newest'),
        currency: request.currency,
        limit: request.limit,
        cursor: request.cursor,
      }),
    );
  }

  return {
    async createProduct(platform, input) {
      const variants = checkedVariants(platform, input.options, input.variants);
      const productId = newId('prod');
      const slug = input.slug ?? slugFrom(input.title, productId);
      const product = await db.withTenant(platform.id, async (tx) => {
        await write.lockProductCreation(tx, platform.id);
        if ((await write.countProducts(tx)) >= platform.quotas.products) {
          throw new Forbidden('quota_exceeded', `This platform's quota of ${platform.quotas.products} products is used up.`);
        }
        await assertCategoryExists(tx, input.categoryId);
        await assertShippingProfileExists(tx, input.shippingProfile);
        await assertSlugAndSkusFree(tx, slug, variants, null);
        await write.insertProduct(
          tx,
          platform.id,
          productId,
          {
            slug,
            title: input.title,
            description: input.description ?? {},
            status: input.status,
            categoryId: input.categoryId ?? null,
            options: input.options,
            images: input.images,
            shippingProfile: input.shippingProfile ?? null,
            taxClass: input.taxClass ?? null,
            tags: input.tags,
          },
          clock.now(),
        );
        await write.replaceVariants(tx, platform.id, productId, variants);
        if (Object.keys(input.attributes).length > 0) {
          await discovery.replaceAttributeValues(tx, platform.id, productId, checkedAttributeValues(await discovery.listAttributes(tx), input.attributes));
        }
        return mustFindProduct(tx, productId);
      });
      invalidate(platform.id);
      return product;
    },

    async updateProduct(platform, productId, input) {
      const product = await db.withTenant(platform.id, async (tx) => {
        const current = await mustFindProduct(tx, productId);
        const options = input.options ?? current.options;
        const variants = input.variants ? checkedVariants(platform, options, input.variants) : undefined;
        const next: write.ProductWrite = {
          slug: input.slug ?? current.slug,
          title: input.title ?? current.title,
          description: input.description ?? current.description,
          status: input.status ?? current.status,
          categoryId: input.categoryId === undefined ? current.categoryId : input.categoryId,
          options,
          images: input.images ?? current.images,
          shippingProfile: input.shippingProfile === undefined ? current.shippingProfile : input.shippingProfile,
          taxClass: input.taxClass === undefined ? current.taxClass : input.taxClass,
          tags: input.tags ?? current.tags,
        };
        await assertCategoryExists(tx, input.categoryId);
        await assertShippingProfileExists(tx, input.shippingProfile);
        await assertSlugAndSkusFree(tx, next.slug, variants ?? [], productId);
        await write.updateProduct(tx, productId, next, clock.now());
        if (variants) await write.replaceVariants(tx, platform.id, productId, variants);
        if (input.attributes) {
          await discovery.replaceAttributeValues(tx, platform.id, productId, checkedAttributeValues(await discovery.listAttributes(tx), input.attributes));
        }
        return mustFindProduct(tx, productId);
      });
      invalidate(platform.id);
      return product;
    },

    archiveProduct(platform, productId) {
      return this.updateProduct(platform, productId, { status: 'archived' });
    },

    getProduct: (platform, productId) => db.withTenant(platform.id, (tx) => mustFindProduct(tx, productId)),

    async getActiveProduct(platform, productId) {
      const product = await cached(platform, `product:${productId}`, () =>
        db.withTenant(platform.id, (tx) => read.findProduct(tx, productId)),
      );
      if (product?.status !== 'active') throw new NotFound('product_not_found', 'No such product.');
      return product;
    },

    listProducts: (platform, request) =>
      listing(platform, request.status ? [request.status] : ['draft', 'active', 'archived'], request),

    listCategories: (platform) => cached(platform, 'categories', () => db.withTenant(platform.id, read.listCategories)),

    derived: (platform, key, load) => cached(platform, `derived:${key}`, load),

    invalidate: (platform) => invalidate(platform.id),

    async createCategory(platform, input) {
      const category = await db.withTenant(platform.id, async (tx) => {
        if (input.parentId && !(await read.findCategory(tx, input.parentId))) {
          throw new Invalid('category_not_found', 'The parent category does not exist.', [{ path: 'body.parentId', message: 'no such category' }]);
        }
        if (await read.findCategory(tx, input.slug)) throw new Conflict('slug_taken', `Another category already uses slug "${input.slug}".`);
        const id = newId('cat');
        await write.insertCategory(tx, { tenantId: platform.id, id, slug: input.slug, name: input.name, parentId: input.parentId ?? null, position: input.position });
        return (await read.findCategory(tx, id))!;
      });
      invalidate(platform.id);
      return category;
    },

    async updateCategory(platform, categoryId, input) {
      const category = await db.withTenant(platform.id, async (tx) => {
        if (!(await read.findCategory(tx, categoryId))) throw new NotFound('category_not_found', 'No such category.');
        if (input.parentId) {
          if (!(await read.findCategory(tx, input.parentId))) {
            throw new Invalid('category_not_found', 'The parent category does not exist.', [{ path: 'body.parentId', message: 'no such category' }]);
          }
          if ((await write.categorySubtree(tx, categoryId)).includes(input.parentId)) {
            throw new Invalid('category_cycle', 'A category cannot be moved below itself.', [{ path: 'body.parentId', message: 'would create a cycle' }]);
          }
        }
        await write.updateCategory(tx, categoryId, input);
        return (await read.findCategory(tx, categoryId))!;
      });
      invalidate(platform.id);
      return category;
    },
  };
}

/**
 * Variants must match the product's options exactly (one value of each option, from its list),
 * be distinct combinations with distinct SKUs, and carry a price in the platform's default
 * currency and only in currencies the platform sells in.
 */
function checkedVariants(
  platform: Platform,
  options: CreateProductInput['options'],
  variants: CreateProductInput['variants'],
): write.VariantWrite[] {
  const errors: FieldError[] = [];
  const codes = options.map((option) => option.code);
  if (new Set(codes).size !== codes.length) errors.push({ path: 'body.options', message: 'option codes must be distinct' });
  const skus = new Set<string>();
  const combinations = new Set<string>();
  variants.forEach((variant, index) => {
    const at = `body.variants.${index}`;
    if (skus.has(variant.sku)) errors.push({ path: `${at}.sku`, message: 'duplicate SKU' });
    skus.add(variant.sku);
    for (const option of options) {
      const value = variant.optionValues[option.code];
      if (value === undefined) errors.push({ path: `${at}.optionValues.${option.code}`, message: 'missing' });
      else if (!option.values.includes(value)) errors.push({ path: `${at}.optionValues.${option.code}`, message: `not one of ${option.values.join(', ')}` });
    }
    for (const code of Object.keys(variant.optionValues)) {
      if (!codes.includes(code)) errors.push({ path: `${at}.optionValues.${code}`, message: 'not an option of this product' });
    }
    const combination = JSON.stringify(codes.map((code) => variant.optionValues[code]));
    if (combinations.has(combination)) errors.push({ path: `${at}.optionValues`, message: 'same options as another variant' });
    combinations.add(combination);
    const currencies = variant.prices.map((price) => price.currency);
    if (new Set(currencies).size !== currencies.length) errors.push({ path: `${at}.prices`, message: 'one price per currency' });
    if (!currencies.includes(platform.defaultCurrency)) errors.push({ path: `${at}.prices`, message: `needs a ${platform.defaultCurrency} price` });
    for (const currency of currencies) {
      if (!platform.currencies.includes(currency)) errors.push({ path: `${at}.prices`, message: `${currency} is not a currency of this platform` });
    }
  });
  if (options.length === 0 && variants.length > 1) errors.push({ path: 'body.variants', message: 'a product without options has one variant' });
  if (errors.length > 0) throw new Invalid('invalid_variants', 'The variants do not fit the product.', errors);
  return variants.map((variant) => ({ id: newId('var'), sku: variant.sku, optionValues: variant.optionValues, prices: variant.prices, weightGrams: variant.weightGrams ?? 0 }));
}

async function assertShippingProfileExists(tx: Tx, code: string | null | undefined): Promise<void> {
  if (code && !(await profileExists(tx, code))) {
    throw new Unprocessable('shipping_profile_not_found', `No shipping profile ${code} on this platform.`, [{ path: 'body.shippingProfile', message: 'unknown profile' }]);
  }
}

function slugFrom(title: Record<string, string>, productId: string): string {
  const ascii = (title.en ?? Object.values(title)[0] ?? '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  // A title without Latin letters (e.g. only Chinese) still gets a unique, readable slug.
  return ascii ? `${ascii}-${productId.slice(-6)}` : productId.replace('_', '-');
}
