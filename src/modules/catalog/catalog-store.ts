import { sql } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { LocalizedText, ProductImage, ProductStatus } from '../../infra/db/schema.ts';
import type { ProductOptionDefinition } from './product-record.ts';

/** Writes of the catalog. Reads for listings and pages live in catalog-read-model.ts. */

export interface ProductWrite {
  slug: string;
  title: LocalizedText;
  description: LocalizedText;
  status: ProductStatus;
  categoryId: string | null;
  options: ProductOptionDefinition[];
  images: ProductImage[];
  /** null: the general profile. */
  shippingProfile: string | null;
  /** null: the standard tax class. */
  taxClass: string | null;
  tags: string[];
}

export interface VariantWrite {
  id: string;
  sku: string;
  optionValues: Record<string, string>;
  prices: { currency: string; amount: number }[];
  weightGrams: number;
}

export async function lockProductCreation(tx: Tx, tenantId: string): Promise<void> {
  // Serializes product creation within one platform so that the quota check can't be raced.
  await sql`select pg_advisory_xact_lock(hashtext(${`products:${tenantId}`}))`.execute(tx);
}

export async function countProducts(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom('products')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', '!=', 'archived')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertProduct(tx: Tx, tenantId: string, id: string, product: ProductWrite, at: Date): Promise<void> {
  await tx
    .insertInto('products')
    .values({ tenantId, id, ...productColumns(product), createdAt: at, updatedAt: at })
    .execute();
}

export async function updateProduct(tx: Tx, id: string, product: ProductWrite, at: Date): Promise<void> {
  await tx
    .updateTable('products')
    .set({ ...productColumns(product), updatedAt: at })
    .where('id', '=', id)
    .execute();
}

function productColumns(product: ProductWrite) {
  return {
    slug: product.slug,
    title: JSON.stringify(product.title),
    description: JSON.stringify(product.description),
    status: product.status,
    categoryId: product.categoryId,
    options: JSON.stringify(product.options),
    images: JSON.stringify(product.images),
    shippingProfile: product.shippingProfile,
    taxClass: product.taxClass,
    tags: product.tags,
    searchText: searchTextOf(product),
  };
}

/**
 * Makes the product's variants exactly `variants`: a SKU that stays keeps its variant id (so
 * stock and order history keep pointing at it), new SKUs are added, missing ones removed.
 */
export async function replaceVariants(tx: Tx, tenantId: string, productId: string, variants: VariantWrite[]): Promise<void> {
  const keep = variants.map((variant) => variant.sku);
  await tx
    .deleteFrom('variants')
    .where('productId', '=', productId)
    .$if(keep.length > 0, (query) => query.where('sku', 'not in', keep))
    .execute();
  const existing = await tx.selectFrom('variants').select(['id', 'sku']).where('productId', '=', productId).execute();
  const idBySku = new Map(existing.map((row) => [row.sku, row.id]));

  for (const [position, variant] of variants.entries()) {
    const id = idBySku.get(variant.sku);
    if (id) {
      await tx
        .updateTable('variants')
        .set({ optionValues: JSON.stringify(variant.optionValues), position, weightGrams: variant.weightGrams })
        .where('id', '=', id)
        .execute();
      variant.id = id;
    } else {
      await tx
        .insertInto('variants')
        .values({ tenantId, id: variant.id, productId, sku: variant.sku, optionValues: JSON.stringify(variant.optionValues), position, weightGrams: variant.weightGrams })
        .execute();
    }
  }
  const variantIds = variants.map((variant) => variant.id);
  await tx.deleteFrom('variantPrices').where('variantId', 'in', variantIds).execute();
  await tx
    .insertInto('variantPrices')
    .values(variants.flatMap((variant) => variant.prices.map((price) => ({ tenantId, variantId: variant.id, ...price }))))
    .execute();
}

export async function findSkusTakenElsewhere(tx: Tx, skus: string[], productId: string | null): Promise<string[]> {
  if (skus.length === 0) return [];
  const rows = await tx
    .selectFrom('variants')
    .select('sku')
    .where('sku', 'in', skus)
    .$if(productId !== null, (query) => query.where('productId', '!=', productId!))
    .execute();
  return rows.map((row) => row.sku);
}

export async function slugTaken(tx: Tx, slug: string, exceptProductId: string | null): Promise<boolean> {
  const row = await tx
    .selectFrom('products')
    .select('id')
    .where('slug', '=', slug)
    .$if(exceptProductId !== null, (query) => query.where('id', '!=', exceptProductId!))
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertCategory(
  tx: Tx,
  category: { tenantId: string; id: string; slug: string; name: LocalizedText; parentId: string | null; position: number },
): Promise<void> {
  await tx
    .insertInto('categories')
    .values({ ...category, name: JSON.stringify(category.name) })
    .execute();
}

export async function updateCategory(
  tx: Tx,
  id: string,
  changes: { name?: LocalizedText | undefined; parentId?: string | null | undefined; position?: number | undefined },
): Promise<void> {
  await tx
    .updateTable('categories')
    .set({
      ...(changes.name !== undefined ? { name: JSON.stringify(changes.name) } : {}),
      ...(changes.parentId !== undefined ? { parentId: changes.parentId } : {}),
      ...(changes.position !== undefined ? { position: changes.position } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** The category and all below it, for tree filters and cycle checks. */
export async function categorySubtree(tx: Tx, categoryId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive tree as (
      select id from categories where id = ${categoryId}
      union
      select c.id from categories c join tree on c.parent_id = tree.id
    )
    select id from tree`.execute(tx);
  return result.rows.map((row) => row.id);
}

function searchTextOf(product: ProductWrite): string {
  return [...Object.values(product.title), ...Object.values(product.description)].join(' ').toLowerCase().slice(0, 20_000);
}
