import { sql, type ColumnType, type Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';

export type ReviewStatus = 'pending' | 'approved' | 'rejected';

export interface ReviewsTable {
  tenantId: string;
  id: string;
  productId: string;
  customerId: string;
  rating: number;
  title: string;
  body: string;
  photoIds: ColumnType<string[], string, string>;
  status: ReviewStatus;
  rejectReason: string | null;
  moderatedBy: string | null;
  moderatedAt: Date | null;
  createdAt: Date;
}

export interface ProductRatingSummariesTable {
  tenantId: string;
  productId: string;
  reviewCount: number;
  ratingTotal: number;
}

export type ReviewRow = Selectable<ReviewsTable> & { authorName: string | null };

/**
 * Orders in these states were paid for and not wholly given back: their buyers may review. A
 * partly refunded order still delivered goods (a refund for one broken cup of six), so it counts.
 */
const BOUGHT = ['paid', 'partially_fulfilled', 'fulfilled', 'completed', 'partially_refunded'] as const;

export async function productIsActive(tx: Tx, productId: string): Promise<boolean> {
  const row = await tx.selectFrom('products').select('id').where('id', '=', productId).where('status', '=', 'active').executeTakeFirst();
  return row !== undefined;
}

/** Read-only look at the orders: did this customer buy this product? */
export async function hasBought(tx: Tx, customerId: string, productId: string): Promise<boolean> {
  const result = await sql<{ bought: boolean }>`
    select exists (
      select 1 from orders o
      join order_lines l on l.tenant_id = o.tenant_id and l.order_id = o.id
      where o.customer_id = ${customerId} and o.status in (${sql.join([...BOUGHT])}) and l.product_id = ${productId}
    ) as bought`.execute(tx);
  return result.rows[0]?.bought === true;
}

export async function findOwnReview(tx: Tx, customerId: string, productId: string): Promise<{ id: string } | undefined> {
  return tx.selectFrom('reviews').select('id').where('customerId', '=', customerId).where('productId', '=', productId).executeTakeFirst();
}

/** Inserts the review unless the customer has one for the product already; false then. */
export async function insertReview(tx: Tx, review: Omit<ReviewsTable, 'photoIds'> & { photoIds: string[] }): Promise<boolean> {
  const inserted = await tx
    .insertInto('reviews')
    .values({ ...review, photoIds: JSON.stringify(review.photoIds) })
    .onConflict((conflict) => conflict.columns(['tenantId', 'productId', 'customerId']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

function reviewsWithAuthor(tx: Tx) {
  return tx
    .selectFrom('reviews as r')
    .leftJoin('customers as c', (join) => join.onRef('c.tenantId', '=', 'r.tenantId').onRef('c.id', '=', 'r.customerId'))
    .selectAll('r')
    .select('c.name as authorName');
}

export async function findReview(tx: Tx, id: string): Promise<ReviewRow | undefined> {
  return reviewsWithAuthor(tx).where('r.id', '=', id).executeTakeFirst();
}

/** The review, locked until the transaction ends, so moderation decisions on it queue. */
export async function lockReview(tx: Tx, id: string): Promise<Selectable<ReviewsTable> | undefined> {
  return tx.selectFrom('reviews').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Newest first, keyset-paged by id (ids sort by creation time). */
export async function listReviews(tx: Tx, filter: { productId?: string | undefined; status: ReviewStatus; limit: number; before?: string | undefined }): Promise<ReviewRow[]> {
  let query = reviewsWithAuthor(tx).where('r.status', '=', filter.status);
  if (filter.productId) query = query.where('r.productId', '=', filter.productId);
  if (filter.before) query = query.where('r.id', '<', filter.before);
  return query.orderBy('r.id', 'desc').limit(filter.limit + 1).execute();
}

export async function setModeration(tx: Tx, id: string, change: { status: ReviewStatus; rejectReason: string | null; moderatedBy: string; moderatedAt: Date }): Promise<void> {
  await tx.updateTable('reviews').set(change).where('id', '=', id).execute();
}

export async function deleteReview(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('reviews').where('id', '=', id).execute();
}

/**
 * Moves a product's approved count and rating sum by the given amounts. A review leaving the
 * published set updates the row its arrival made; an upsert can't, since the CHECKs refuse its
 * negative insert values before the conflict is seen.
 */
export async function adjustRatingSummary(tx: Tx, tenantId: string, productId: string, delta: { count: number; total: number }): Promise<void> {
  if (delta.count < 0) {
    await tx
      .updateTable('productRatingSummaries')
      .set((eb) => ({ reviewCount: eb('reviewCount', '+', delta.count), ratingTotal: eb('ratingTotal', '+', delta.total) }))
      .where('productId', '=', productId)
      .execute();
    return;
  }
  await tx
    .insertInto('productRatingSummaries')
    .values({ tenantId, productId, reviewCount: delta.count, ratingTotal: delta.total })
    .onConflict((conflict) =>
      conflict.columns(['tenantId', 'productId']).doUpdateSet((eb) => ({
        reviewCount: eb('productRatingSummaries.reviewCount', '+', eb.ref('excluded.reviewCount')),
        ratingTotal: eb('productRatingSummaries.ratingTotal', '+', eb.ref('excluded.ratingTotal')),
      })),
    )
    .execute();
}

export async function findRatingSummary(tx: Tx, productId: string): Promise<{ reviewCount: number; ratingTotal: number } | undefined> {
  return tx.selectFrom('productRatingSummaries').select(['reviewCount', 'ratingTotal']).where('productId', '=', productId).executeTakeFirst();
}
