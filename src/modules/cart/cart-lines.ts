import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { LocalizedText, ProductImage, ProductOption } from '../../infra/db/schema.ts';
import { bestListEntry, type PricingContext } from '../pricing/price-lists.ts';

/** A cart line joined with what the catalog says about it now: price, title, whether it's for sale. */
export interface CartLineDetail {
  variantId: string;
  productId: string;
  sku: string;
  title: LocalizedText;
  optionValues: Record<string, string>;
  image: ProductImage | null;
  quantity: number;
  /** What this shopper pays per unit now (price lists applied); null when the variant has no price in the cart's currency. */
  unitPrice: number | null;
  /** The catalog's price, when a price list made `unitPrice` lower; else null. */
  listPrice: number | null;
  /** The price list `unitPrice` comes from, if any. */
  priceListId: string | null;
  forSale: boolean;
  /** The product's category and every category above it, for coupon scopes. */
  categoryIds: string[];
  weightGrams: number;
  /** The product's shipping profile, `general` when it has none. */
  shippingProfile: string;
  /** False for goods that are not shipped (a digital profile). */
  requiresShipping: boolean;
  taxClass: string;
}

type CartLineRow = Omit<CartLineDetail, 'forSale' | 'image'> & { options: ProductOption[]; images: ProductImage[]; status: string };

/**
 * The lines of a cart with their catalog details and the prices this shopper pays now, as a query
 * other statements can embed (checkout reads them in the statement that locks the cart). `cartId`
 * and `currency` are SQL expressions; `from` is where the lines are (a CTE holding a line just
 * written, which the table does not show to the statement that wrote it).
 */
export function cartLinesQuery(
  cartId: RawBuilder<unknown>,
  currency: RawBuilder<unknown>,
  pricing: PricingContext,
  from: RawBuilder<unknown> = sql`cart_lines`,
): RawBuilder<CartLineRow> {
  return sql<CartLineRow>`
    select cl.variant_id, v.product_id, v.sku, p.title, v.option_values, p.options, p.images, p.status, cl.quantity,
           case when lp.amount < vp.amount then lp.amount else vp.amount end as unit_price,
           case when lp.amount < vp.amount then vp.amount end as list_price,
           case when lp.amount < vp.amount then lp.price_list_id end as price_list_id,
           cl.added_at, v.weight_grams,
           coalesce(p.shipping_profile, 'general') as shipping_profile, coalesce(sp.requires_shipping, true) as requires_shipping,
           coalesce(p.tax_class, 'standard') as tax_class,
           coalesce((
             with recursive up as (
               select c.id, c.parent_id from categories c where c.id = p.category_id
               union
               select c.id, c.parent_id from categories c join up on c.id = up.parent_id
             )
             select json_agg(id) from up), '[]'::json) as category_ids
    from ${from} cl
    join variants v on v.tenant_id = cl.tenant_id and v.id = cl.variant_id
    join products p on p.tenant_id = v.tenant_id and p.id = v.product_id
    left join variant_prices vp on vp.tenant_id = v.tenant_id and vp.variant_id = v.id and vp.currency = ${currency}
    left join shipping_profiles sp on sp.tenant_id = p.tenant_id and sp.code = p.shipping_profile
    left join lateral ${bestListEntry(sql`v.id`, sql`cl.quantity`, currency, pricing)} lp on true
    where cl.cart_id = ${cartId}`;
}

/** A row of `cartLinesQuery` as the cart and checkout use it. */
export function toCartLine(row: CartLineRow & { addedAt?: unknown }): CartLineDetail {
  const { options, images, status, addedAt: _addedAt, ...line } = row;
  return {
    ...line,
    // In the product's option order ("Black / M"), not jsonb's key order.
    optionValues: Object.fromEntries(options.filter((o) => o.code in line.optionValues).map((o) => [o.code, line.optionValues[o.code]!])),
    unitPrice: line.unitPrice === null ? null : Number(line.unitPrice),
    listPrice: line.listPrice === null ? null : Number(line.listPrice),
    image: images[0] ?? null,
    forSale: status === 'active' && line.unitPrice !== null,
  };
}

export async function loadCartLines(tx: Tx, cartId: string, currency: string, pricing: PricingContext): Promise<CartLineDetail[]> {
  const result = await sql<CartLineRow>`
    select l.* from (${cartLinesQuery(sql`${cartId}`, sql`${currency}`, pricing)}) l
    order by l.added_at, l.variant_id`.execute(tx);
  return result.rows.map(toCartLine);
}

/**
 * Adds to a line (or makes it) and reads the cart's lines as they are then, in one statement:
 * nothing is added when the variant is unknown or the cart holds `maxLines` lines already. Run
 * with the cart locked, so that the count is exact.
 */
export async function addLineAndLoad(
  tx: Tx,
  line: { tenantId: string; cartId: string; variantId: string; quantity: number; at: Date },
  cart: { currency: string },
  limits: { maxLines: number; maxQuantity: number },
  pricing: PricingContext,
): Promise<{ variantFound: boolean; lineCount: number; lines: CartLineDetail[] }> {
  const result = await sql<{ variantFound: boolean; lineCount: number; variantId: string | null } & CartLineRow>`
    with variant as (
      select id from variants where id = ${line.variantId}
    ),
    counted as (
      select count(*)::int as n from cart_lines where cart_id = ${line.cartId}
    ),
    added as (
      insert into cart_lines (tenant_id, cart_id, variant_id, quantity, added_at)
      select ${line.tenantId}, ${line.cartId}, ${line.variantId}, ${line.quantity}::int, ${line.at}::timestamptz
      where exists (select 1 from variant) and (select n from counted) < ${limits.maxLines}
      on conflict (tenant_id, cart_id, variant_id) do update set quantity = least(cart_lines.quantity + excluded.quantity, ${limits.maxQuantity})
      returning tenant_id, cart_id, variant_id, quantity, added_at
    ),
    lines as (
      select tenant_id, cart_id, variant_id, quantity, added_at from cart_lines where cart_id = ${line.cartId} and variant_id <> ${line.variantId}
      union all
      select tenant_id, cart_id, variant_id, quantity, added_at from added
    )
    select exists (select 1 from variant) as variant_found, (select n from counted) as line_count, l.*
    from (select 1) as one
    left join lateral (${cartLinesQuery(sql`${line.cartId}`, sql`${cart.currency}`, pricing, sql`lines`)}) l on true
    order by l.added_at, l.variant_id`.execute(tx);
  const first = result.rows[0]!;
  return {
    variantFound: first.variantFound,
    lineCount: first.lineCount,
    lines: result.rows.filter((row) => row.variantId !== null).map((row) => toCartLine(row)),
  };
}
