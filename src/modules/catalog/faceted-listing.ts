import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { ProductStatus } from '../../infra/db/schema.ts';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';
import { sortSpec, type ProductSort, type ProductSummary, type SortSpec } from './catalog-read-model.ts';
import type { CollectionRecord, CollectionRule } from './discovery-store.ts';

/**
 * The store's listing with facets: one statement reads the page, the total and every facet's
 * counts from the same snapshot.
 *
 * Facet semantics are the usual ones: values of one facet are ORed, facets are ANDed, and each
 * facet's counts apply every other facet's filters but not its own (so choosing "Acme" still
 * shows how many products "Zen" would add). Each filter is one bit of a product's `pass` mask;
 * a product is listed when every bit is set, and counts for a value of facet F when every bit
 * but F's is set. Option filters match on the product (some variant is Red, some variant is S),
 * not on one variant having both.
 *
 * Rule collections are evaluated here, at read time, rather than materialised on write: a rule is
 * the same kind of predicate as a facet filter, the listing is cached and every catalog write
 * already retires that cache, so a product that starts or stops matching is right on the next
 * read, with no membership table to keep in step on every product, price or attribute write.
 */

export type ListingSort = ProductSort | 'best_selling' | 'position';

export interface FacetFilters {
  /** Option code → values (e.g. colour → Red, Blue). */
  options: Record<string, string[]>;
  /** Attribute code → values (a choice's value, or a number as text). */
  attributes: Record<string, string[]>;
  /** Ranges of the product's lowest price in the listing's currency, in minor units; max exclusive. */
  priceRanges: { min: number; max: number | null }[];
  inStock: boolean;
}

export interface FacetedListingQuery {
  statuses: ProductStatus[];
  /** A category id or slug; its subtree is listed. */
  category?: string | undefined;
  search?: string | undefined;
  collection?: CollectionRecord | undefined;
  /** A brand page: products whose `brand` attribute has this value. */
  brand?: string | undefined;
  filters: FacetFilters;
  sort: ListingSort;
  currency: string;
  limit: number;
  cursor?: string | undefined;
  withFacets: boolean;
}

/** A listed product; new columns (ratings, list prices) are added here and in `ITEM_COLUMNS`. */
export interface ListedProduct extends ProductSummary {
  unitsSold: number;
}

export interface FacetCount {
  /** `option:<code>`, `attribute:<code>`, `price` or `inStock`. */
  facet: string;
  value: string;
  count: number;
}

export interface FacetedPage {
  items: ListedProduct[];
  nextCursor: string | null;
  total: number;
  facets: FacetCount[];
}

/** Price buckets' lower bounds in minor units (0–50, 50–100, … 5000+ in major units). */
export const PRICE_BUCKETS = [0, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000];

export function priceBucketLabel(index: number): string {
  const next = PRICE_BUCKETS[index + 1];
  return `${PRICE_BUCKETS[index]}-${next ?? ''}`;
}

const MAX_FILTER_GROUPS = 24;

export async function listFacetedProducts(tx: Tx, query: FacetedListingQuery): Promise<FacetedPage> {
  const search = query.search?.trim().toLowerCase() || undefined;
  const spec = listingSortSpec(query, search);
  const scope = scopeConditions(query, search);
  const groups = filterGroups(query.filters);
  if (groups.length > MAX_FILTER_GROUPS) throw new RangeError('too many filter groups');
  const all = (1 << groups.length) - 1;
  const mask = groups.length === 0 ? sql`0` : sql`(${sql.join(groups.map((group, index) => sql`(case when ${group.condition} then ${sql.lit(1 << index)} else 0 end)`), sql` | `)})`;
  const needStock = query.withFacets || query.filters.inStock;

  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const order = spec.descending ? sql`desc` : sql`asc`;
  const keyset = after
    ? sql`where (sort_value, id) ${spec.descending ? sql`<` : sql`>`} (cast(${String(after[0])} as ${spec.cast}), ${after[1]})`
    : sql``;

  const result = await sql<{ items: RawItem[]; total: number; facets: FacetCount[] }>`
    with scoped as (
      select p.tenant_id, p.id, p.slug, p.title, p.status, p.category_id, p.images, p.created_at,
             pr.min_price, pr.max_price, pr.variant_count,
             coalesce(ps.units_sold, 0)::bigint as units_sold,
             coalesce(rs.review_count, 0) as review_count, coalesce(rs.rating_total, 0) as rating_total,
             ${needStock ? IN_STOCK : sql`false`} as in_stock,
             ${mask} as pass,
             ${spec.value} as sort_value
      from products p
      left join lateral (
        select min(vp.amount) as min_price, max(vp.amount) as max_price, count(distinct v.id)::int as variant_count
        from variants v
        left join variant_prices vp on vp.tenant_id = v.tenant_id and vp.variant_id = v.id and vp.currency = ${query.currency}
        where v.tenant_id = p.tenant_id and v.product_id = p.id
      ) pr on true
      left join product_sales ps on ps.tenant_id = p.tenant_id and ps.product_id = p.id
      left join product_rating_summaries rs on rs.tenant_id = p.tenant_id and rs.product_id = p.id
      where ${sql.join(scope, sql` and `)}
    ),
    listed as (select * from scoped where pass = ${sql.lit(all)}),
    page as (
      select * from listed
      ${keyset}
      order by sort_value ${order}, id ${order}
      limit ${query.limit + 1}
    )
    select
      coalesce((select json_agg(json_build_object(${ITEM_COLUMNS}, 'sortKey', sort_value::text) order by sort_value ${order}, id ${order}) from page), '[]'::json) as items,
      (select count(*)::int from listed) as total,
      ${query.withFacets ? facetCounts(groups, all) : sql`'[]'::json`} as facets`.execute(tx);

  const row = result.rows[0]!;
  const hasMore = row.items.length > query.limit;
  const items = row.items.slice(0, query.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(({ sortKey: _sortKey, createdAt, ...item }) => ({ ...item, createdAt: new Date(createdAt) })),
    nextCursor: hasMore && last ? encodeCursor([last.sortKey, last.id]) : null,
    total: row.total,
    facets: row.facets,
  };
}

type RawItem = Omit<ListedProduct, 'createdAt'> & { createdAt: string; sortKey: string };

const ITEM_COLUMNS = sql`
  'id', id, 'slug', slug, 'title', title, 'status', status, 'categoryId', category_id, 'images', images,
  'createdAt', created_at, 'minPrice', min_price, 'maxPrice', max_price, 'variantCount', variant_count,
  'unitsSold', units_sold, 'reviewCount', review_count, 'ratingTotal', rating_total`;

// Stock is read with the listing, so "in stock" is as fresh as the cached page (seconds).
const IN_STOCK = sql`exists (
  select 1 from variants v
  join stock_levels sl on sl.tenant_id = v.tenant_id and sl.variant_id = v.id
  where v.tenant_id = p.tenant_id and v.product_id = p.id and sl.on_hand > sl.reserved)`;

function listingSortSpec(query: FacetedListingQuery, search: string | undefined): SortSpec {
  switch (query.sort) {
    case 'best_selling':
      return { value: sql`coalesce(ps.units_sold, 0)::bigint`, cast: sql`bigint`, descending: true };
    case 'position':
      if (query.collection?.kind === 'manual') {
        return {
          value: sql`(select cp.position::bigint from collection_products cp
                      where cp.tenant_id = p.tenant_id and cp.collection_id = ${query.collection.id} and cp.product_id = p.id)`,
          cast: sql`bigint`,
          descending: false,
        };
      }
      return sortSpec('newest', search);
    default:
      return sortSpec(query.sort, search);
  }
}

function categorySubtree(category: string): RawBuilder<unknown> {
  return sql`p.category_id in (
    with recursive tree as (
      select c.id from categories c where c.id = ${category} or c.slug = ${category}
      union
      select c.id from categories c join tree on c.parent_id = tree.id
    )
    select id from tree)`;
}

function attributeMatches(code: string, values: string[]): RawBuilder<unknown> {
  return sql`exists (
    select 1 from product_attribute_values pav
    join attributes a on a.tenant_id = pav.tenant_id and a.id = pav.attribute_id
    where pav.tenant_id = p.tenant_id and pav.product_id = p.id and a.code = ${code}
      and coalesce(pav.value_text, pav.value_number::text) in (${sql.join(values)}))`;
}

function ruleConditions(rule: CollectionRule): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  if (rule.tags && rule.tags.length > 0) conditions.push(sql`p.tags @> cast(${rule.tags} as text[])`);
  if (rule.attribute) conditions.push(attributeMatches(rule.attribute.code, rule.attribute.values));
  if (rule.categoryId) conditions.push(categorySubtree(rule.categoryId));
  if (rule.priceBelow) {
    conditions.push(sql`exists (
      select 1 from variants v
      join variant_prices vp on vp.tenant_id = v.tenant_id and vp.variant_id = v.id
      where v.tenant_id = p.tenant_id and v.product_id = p.id
        and vp.currency = ${rule.priceBelow.currency} and vp.amount < ${rule.priceBelow.amount})`);
  }
  return conditions;
}

function scopeConditions(query: FacetedListingQuery, search: string | undefined): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [sql`p.status in (${sql.join(query.statuses)})`];
  if (query.category !== undefined) conditions.push(categorySubtree(query.category));
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(p.search_vector @@ plainto_tsquery('simple', ${search}) or p.search_text like ${pattern})`);
  }
  if (query.brand !== undefined) conditions.push(attributeMatches('brand', [query.brand]));
  const collection = query.collection;
  if (collection?.kind === 'manual') {
    conditions.push(sql`exists (select 1 from collection_products cp
                                where cp.tenant_id = p.tenant_id and cp.collection_id = ${collection.id} and cp.product_id = p.id)`);
  } else if (collection?.rule) {
    conditions.push(...ruleConditions(collection.rule));
  }
  return conditions;
}

interface FilterGroup {
  facet: string;
  condition: RawBuilder<unknown>;
}

function filterGroups(filters: FacetFilters): FilterGroup[] {
  const groups: FilterGroup[] = [];
  for (const [code, values] of Object.entries(filters.options)) {
    groups.push({
      facet: `option:${code}`,
      condition: sql`exists (select 1 from variants v
                             where v.tenant_id = p.tenant_id and v.product_id = p.id and v.option_values ->> ${code} in (${sql.join(values)}))`,
    });
  }
  for (const [code, values] of Object.entries(filters.attributes)) {
    groups.push({ facet: `attribute:${code}`, condition: attributeMatches(code, values) });
  }
  if (filters.priceRanges.length > 0) {
    const ranges = filters.priceRanges.map((range) =>
      range.max === null ? sql`pr.min_price >= ${range.min}` : sql`(pr.min_price >= ${range.min} and pr.min_price < ${range.max})`,
    );
    groups.push({ facet: 'price', condition: sql`(${sql.join(ranges, sql` or `)})` });
  }
  if (filters.inStock) groups.push({ facet: 'inStock', condition: IN_STOCK });
  return groups;
}

function facetCounts(groups: FilterGroup[], all: number): RawBuilder<unknown> {
  const bitOfFacet =
    groups.length === 0
      ? sql`0`
      : sql`(case f.facet ${sql.join(groups.map((group, index) => sql`when ${group.facet} then ${sql.lit(1 << index)}`), sql` `)} else 0 end)`;
  const bucket = sql`(case ${sql.join(
    PRICE_BUCKETS.slice(1).map((bound, index) => sql`when s.min_price < ${sql.lit(bound)} then ${sql.lit(priceBucketLabel(index))}`),
    sql` `,
  )} else ${sql.lit(priceBucketLabel(PRICE_BUCKETS.length - 1))} end)`;
  return sql`(
    select coalesce(json_agg(json_build_object('facet', facet, 'value', value, 'count', n) order by facet, value), '[]'::json)
    from (
      select f.facet, f.value, count(distinct f.id) filter (where (f.pass | ${bitOfFacet}) = ${sql.lit(all)})::int as n
      from (
        select s.id, s.pass, 'option:' || kv.key as facet, kv.value as value
        from scoped s
        join variants v on v.tenant_id = s.tenant_id and v.product_id = s.id
        cross join lateral jsonb_each_text(v.option_values) kv
        union all
        select s.id, s.pass, 'attribute:' || a.code, coalesce(pav.value_text, pav.value_number::text)
        from scoped s
        join product_attribute_values pav on pav.tenant_id = s.tenant_id and pav.product_id = s.id
        join attributes a on a.tenant_id = pav.tenant_id and a.id = pav.attribute_id
        union all
        select s.id, s.pass, 'price', ${bucket} from scoped s where s.min_price is not null
        union all
        select s.id, s.pass, 'inStock', 'true' from scoped s where s.in_stock
      ) f
      group by f.facet, f.value
    ) counted)`;
}
