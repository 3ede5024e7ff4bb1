import { sql } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { LocalizedText, ProductImage, ProductStatus } from '../../infra/db/schema.ts';

export interface WishlistItemsTable {
  tenantId: string;
  customerId: string;
  productId: string;
  addedAt: Date;
}

/** Serializes one customer's wishlist additions, so the limit can't be raced. */
export async function lockWishlist(tx: Tx, tenantId: string, customerId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`wishlist:${tenantId}:${customerId}`}))`.execute(tx);
}

export async function countItems(tx: Tx, customerId: string): Promise<number> {
  const row = await tx
    .selectFrom('wishlistItems')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('customerId', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function findItem(tx: Tx, customerId: string, productId: string): Promise<{ addedAt: Date } | undefined> {
  return tx.selectFrom('wishlistItems').select('addedAt').where('customerId', '=', customerId).where('productId', '=', productId).executeTakeFirst();
}

export async function insertItem(tx: Tx, item: WishlistItemsTable): Promise<void> {
  await tx.insertInto('wishlistItems').values(item).execute();
}

export async function deleteItem(tx: Tx, customerId: string, productId: string): Promise<boolean> {
  const result = await tx.deleteFrom('wishlistItems').where('customerId', '=', customerId).where('productId', '=', productId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export interface WishlistRow {
  productId: string;
  addedAt: Date;
  slug: string;
  title: LocalizedText;
  status: ProductStatus;
  images: ProductImage[];
  minPrice: string | null;
  maxPrice: string | null;
}

/**
 * The wishlist as the products are now (a read model over the catalog's tables): title, images,
 * status and the price range in one currency, newest addition first.
 */
export async function listItems(tx: Tx, customerId: string, currency: string): Promise<WishlistRow[]> {
  const result = await sql<WishlistRow>`
    select w.product_id, w.added_at, p.slug, p.title, p.status, p.images, pr.min_price, pr.max_price
    from wishlist_items w
    join products p on p.tenant_id = w.tenant_id and p.id = w.product_id
    left join lateral (
      select min(vp.amount) as min_price, max(vp.amount) as max_price
      from variants v
      join variant_prices vp on vp.tenant_id = v.tenant_id and vp.variant_id = v.id and vp.currency = ${currency}
      where v.tenant_id = p.tenant_id and v.product_id = p.id
    ) pr on true
    where w.customer_id = ${customerId}
    order by w.added_at desc, w.product_id`.execute(tx);
  return result.rows;
}
