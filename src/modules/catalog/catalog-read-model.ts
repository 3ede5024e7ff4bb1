import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { ProductImage, ProductStatus, LocalizedText } from '../../infra/db/schema.ts';
import { decodeCursor, encodeCursor, type Page } from '../../platform/pagination.ts';
import type { CategoryRecord, ProductRecord } from './product-record.ts';

/**
 * Catalog reads: product pages, listings, search and the category tree. Plain SQL, since these
 * are read models (keyset pagination, lateral price joins, trigram search) that a query
 * builder would only obscure. Row-level security scopes every query to the transaction's tenant.
 */

export async function findProduct(tx: Tx, id: string): Promise<ProductRecord | undefined> {
  const result = await sql<ProductRecord>`
    select p.id, p.slug, p.title, p.description, p.status, p.category_id, p.options, p.images, p.tags,
           p.shipping_profile, p.tax_class, p.created_at, p.updated_at,
           coalesce(rs.review_count, 0) as review_count, coalesce(rs.rating_total, 0) as rating_total,
           coalesce((
             select json_object_agg(a.code, coalesce(to_jsonb(pav.value_text), to_jsonb(pav.value_number)))
             from product_attribute_values pav
             join attributes a on a.tenant_id = pav.tenant_id and a.id = pav.attribute_id
             where pav.tenant_id = p.tenant_id and pav.product_id = p.id), '{}'::json) as attributes,
           coalesce((
             select json_agg(json_build_object(
                      'id', v.id, 'sku', v.sku, 'optionValues', v.option_values, 'weightGrams', v.weight_grams,
                      'prices', coalesce((
                        select json_agg(json_build_object('currency', vp.currency, 'amount', vp.amount) order by vp.currency)
                        from variant_prices vp where vp.tenant_id = v.tenant_id and vp.variant_id = v.id), '[]'::json))
                    order by v.position, v.id)
             from variants v where v.tenant_id = p.tenant_id and v.product_id = p.id), '[]'::json) as variants
    from products p
    left join product_rating_summaries rs on rs.tenant_id = p.tenant_id and rs.product_id = p.id
    where p.id = ${id}`.execute(tx);
  return result.rows[0];
}

export type ProductSort = 'newest' | 'price_asc' | 'price_desc' | 'relevance';

export interface ProductListQuery {
  statuses: ProductStatus[];
  categoryIds?: string[] | undefined;
  search?: string | undefined;
  sort: ProductSort;
  currency: string;
  limit: number;
  cursor?: string | undefined;
}

export interface ProductSummary {
  id: string;
  slug: string;
  title: LocalizedText;
  status: ProductStatus;
  categoryId: string | null;
  images: ProductImage[];
  minPrice: number | null;
  maxPrice: number | null;
  variantCount: number;
  /** Approved reviews and their ratings' sum (the reviews module keeps them). */
  reviewCount: number;
  ratingTotal: number;
  createdAt: Date;
}

// Products without a price in the asked currency sort after all priced ones.
const NO_PRICE = sql.lit(Number.MAX_SAFE_INTEGER);

export interface SortSpec {
  value: RawBuilder<unknown>;
  cast: RawBuilder<unknown>;
  descending: boolean;
}

export function sortSpec(sort: ProductSort, search: string | undefined): SortSpec {
  switch (sort) {
    case 'price_asc':
    case 'price_desc':
      return {
        value: sql`coalesce(pr.min_price, ${NO_PRICE})`,
        cast: sql`bigint`,
        descending: sort === 'price_desc',
      };
    case 'relevance':
      if (search !== undefined) {
        return {
          value: sql`round(greatest(ts_rank(p.search_vector, plainto_tsquery('simple', ${search})),
                                    word_similarity(${search}, p.search_text)) * 1000000)::bigint`,
          cast: sql`bigint`,
          descending: true,
        };
      }
      return sortSpec('newest', search);
    case 'newest':
      return { value: sql`p.created_at`, cast: sql`timestamptz`, descending: true };
  }
}

export async function listProducts(tx: Tx, query: ProductListQuery): Promise<Page<ProductSummary>> {
  const search = query.search?.trim().toLowerCase() || undefined;
  const spec = sortSpec(query.sort, search);
  const conditions: RawBuilder<unknown>[] = [sql`p.status in (${sql.join(query.statuses)})`];
  if (query.categoryIds) {
    conditions.push(query.categoryIds.length > 0 ? sql`p.category_id in (${sql.join(query.categoryIds)})` : sql`false`);
  }
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(p.search_vector @@ plainto_tsquery('simple', ${search}) or p.search_text like ${pattern})`);
  }
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const order = spec.descending ? sql`desc` : sql`asc`;
  const keyset = after
    ? sql`where (sort_value, id) ${spec.descending ? sql`<` : sql`>`} (cast(${String(after[0])} as ${spec.cast}), ${after[1]})`
    : sql``;

  const result = await sql<ProductSummary & { sortKey: string }>`
    with listed as (
      select p.id, p.slug, p.title, p.status, p.category_id, p.images, p.created_at,
             pr.min_price, pr.max_price, pr.variant_count, ${spec.value} as sort_value,
             coalesce(rs.review_count, 0) as review_count, coalesce(rs.rating_total, 0) as rating_total
      from products p
      left join product_rating_summaries rs on rs.tenant_id = p.tenant_id and rs.product_id = p.id
      left join lateral (
        select min(vp.amount) as min_price, max(vp.amount) as max_price, count(distinct v.id)::int as variant_count
        from variants v
        left join variant_prices vp on vp.tenant_id = v.tenant_id and vp.variant_id = v.id and vp.currency = ${query.currency}
        where v.tenant_id = p.tenant_id and v.product_id = p.id
      ) pr on true
      where ${sql.join(conditions, sql` and `)}
    )
    select id, slug, title, status, category_id, images, created_at, min_price, max_price, variant_count, review_count, rating_total,
           sort_value::text as sort_key
    from listed
    ${keyset}
    order by sort_value ${order}, id ${order}
    limit ${query.limit + 1}`.execute(tx);

  const rows = result.rows;
  const hasMore = rows.length > query.limit;
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(({ sortKey: _sortKey, ...summary }) => summary),
    nextCursor: hasMore && last ? encodeCursor([last.sortKey, last.id]) : null,
  };
}

export async function listCategories(tx: Tx): Promise<CategoryRecord[]> {
  return tx
    .selectFrom('categories')
    .select(['id', 'slug', 'name', 'parentId', 'position'])
    .orderBy('position')
    .orderBy('slug')
    .execute();
}

export async function findCategory(tx: Tx, idOrSlug: string): Promise<CategoryRecord | undefined> {
  return tx
    .selectFrom('categories')
    .select(['id', 'slug', 'name', 'parentId', 'position'])
    .where(idOrSlug.startsWith('cat_') ? 'id' : 'slug', '=', idOrSlug)
    .executeTakeFirst();
}
