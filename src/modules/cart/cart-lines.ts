import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { LocalizedText, ProductImage, ProductOption } from '../../infra/db/schema.ts';

/** A cart line joined with what the catalog says about it now: price, title, whether it's for sale. */
export interface CartLineDetail {
  variantId: string;
  productId: string;
  sku: string;
  title: LocalizedText;
  optionValues: Record<string, string>;
  image: ProductImage | null;
  quantity: number;
  /** null when the variant has no price in the cart's currency. */
  unitPrice: number | null;
  forSale: boolean;
  /** The product's category and every category above it, for coupon scopes. */
  categoryIds: string[];
}

type CartLineRow = Omit<CartLineDetail, 'forSale' | 'image'> & { options: ProductOption[]; images: ProductImage[]; status: string };

/**
 * The lines of a cart with their catalog details, as a query other statements can embed (checkout
 * reads them in the statement that locks the cart). `cartId` and `currency` are SQL expressions.
 */
export function cartLinesQuery(cartId: RawBuilder<unknown>, currency: RawBuilder<unknown>): RawBuilder<CartLineRow> {
  return sql<CartLineRow>`
    select cl.variant_id, v.product_id, v.sku, p.title, v.option_values, p.options, p.images, p.status,
           cl.quantity, vp.amount as unit_price, cl.added_at,
           coalesce((
             with recursive up as (
               select c.id, c.parent_id from categories c where c.id = p.category_id
               union
               select c.id, c.parent_id from categories c join up on c.id = up.parent_id
             )
             select json_agg(id) from up), '[]'::json) as category_ids
    from cart_lines cl
    join variants v on v.tenant_id = cl.tenant_id and v.id = cl.variant_id
    join products p on p.tenant_id = v.tenant_id and p.id = v.product_id
    left join variant_prices vp on vp.tenant_id = v.tenant_id and vp.variant_id = v.id and vp.currency = ${currency}
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
    image: images[0] ?? null,
    forSale: status === 'active' && line.unitPrice !== null,
  };
}

export async function loadCartLines(tx: Tx, cartId: string, currency: string): Promise<CartLineDetail[]> {
  const result = await sql<CartLineRow>`
    select l.* from (${cartLinesQuery(sql`${cartId}`, sql`${currency}`)}) l
    order by l.added_at, l.variant_id`.execute(tx);
  return result.rows.map(toCartLine);
}
