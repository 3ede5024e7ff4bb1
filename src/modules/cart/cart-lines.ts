import { sql } from 'kysely';
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

export async function loadCartLines(tx: Tx, cartId: string, currency: string): Promise<CartLineDetail[]> {
  const result = await sql<CartLineDetail & { options: ProductOption[]; images: ProductImage[]; status: string; categoryId: string | null }>`
    select cl.variant_id, v.product_id, v.sku, p.title, v.option_values, p.options, p.images, p.status, p.category_id,
           cl.quantity, vp.amount as unit_price,
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
    where cl.cart_id = ${cartId}
    order by cl.added_at, cl.variant_id`.execute(tx);
  return result.rows.map(({ options, images, status, categoryId: _categoryId, ...line }) => ({
    ...line,
    // In the product's option order ("Black / M"), not jsonb's key order.
    optionValues: Object.fromEntries(options.filter((o) => o.code in line.optionValues).map((o) => [o.code, line.optionValues[o.code]!])),
    unitPrice: line.unitPrice === null ? null : Number(line.unitPrice),
    image: images[0] ?? null,
    forSale: status === 'active' && line.unitPrice !== null,
  }));
}
