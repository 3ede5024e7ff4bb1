import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { CouponsTable } from '../../infra/db/schema.ts';
import type { Coupon } from './coupon-rules.ts';

export async function findCouponByCode(tx: Tx, code: string): Promise<Coupon | undefined> {
  const row = await tx.selectFrom('coupons').selectAll().where('code', '=', code.toUpperCase()).executeTakeFirst();
  return row && toCoupon(row);
}

export async function listCoupons(tx: Tx): Promise<Coupon[]> {
  return (await tx.selectFrom('coupons').selectAll().orderBy('createdAt', 'desc').execute()).map(toCoupon);
}

/** Which of these product and category ids exist on this platform. */
export async function findScopeIds(tx: Tx, productIds: string[], categoryIds: string[]): Promise<{ products: Set<string>; categories: Set<string> }> {
  const products = productIds.length > 0 ? await tx.selectFrom('products').select('id').where('id', 'in', productIds).execute() : [];
  const categories = categoryIds.length > 0 ? await tx.selectFrom('categories').select('id').where('id', 'in', categoryIds).execute() : [];
  return { products: new Set(products.map((row) => row.id)), categories: new Set(categories.map((row) => row.id)) };
}

export async function insertCoupon(tx: Tx, tenantId: string, coupon: Coupon, at: Date): Promise<void> {
  await tx
    .insertInto('coupons')
    .values({
      tenantId,
      id: coupon.id,
      code: coupon.code,
      kind: coupon.kind,
      value: coupon.value,
      currency: coupon.currency,
      minSpend: coupon.minSpend,
      startsAt: coupon.startsAt,
      endsAt: coupon.endsAt,
      usageLimit: coupon.usageLimit,
      perCustomerLimit: coupon.perCustomerLimit,
      productIds: JSON.stringify(coupon.productIds),
      categoryIds: JSON.stringify(coupon.categoryIds),
      status: coupon.status,
      createdAt: at,
    })
    .execute();
}

export async function setCouponStatus(tx: Tx, id: string, status: 'active' | 'disabled'): Promise<Coupon | undefined> {
  const row = await tx.updateTable('coupons').set({ status }).where('id', '=', id).returningAll().executeTakeFirst();
  return row && toCoupon(row);
}

/**
 * Counts one use, only while the total limit allows it. The row lock this takes also serializes
 * concurrent redemptions of the coupon, so the per-customer count read after it is exact.
 */
export async function claimCouponUse(tx: Tx, couponId: string): Promise<boolean> {
  const result = await sql`
    update coupons set used_count = used_count + 1
    where id = ${couponId} and (usage_limit is null or used_count < usage_limit)`.execute(tx);
  return Number(result.numAffectedRows ?? 0) > 0;
}

export async function countCustomerRedemptions(tx: Tx, couponId: string, customerId: string): Promise<number> {
  const row = await tx
    .selectFrom('couponRedemptions')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('couponId', '=', couponId)
    .where('customerId', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertRedemption(tx: Tx, redemption: { tenantId: string; couponId: string; orderId: string; customerId: string; at: Date }): Promise<void> {
  await tx
    .insertInto('couponRedemptions')
    .values({ tenantId: redemption.tenantId, couponId: redemption.couponId, orderId: redemption.orderId, customerId: redemption.customerId, createdAt: redemption.at })
    .execute();
}

/** Gives a cancelled order's coupon use back. */
export async function returnCouponUse(tx: Tx, orderId: string): Promise<void> {
  const removed = await tx.deleteFrom('couponRedemptions').where('orderId', '=', orderId).returning('couponId').execute();
  for (const { couponId } of removed) {
    await tx.updateTable('coupons').set((eb) => ({ usedCount: eb('usedCount', '-', 1) })).where('id', '=', couponId).execute();
  }
}

function toCoupon(row: Selectable<CouponsTable>): Coupon {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    value: Number(row.value),
    currency: row.currency,
    minSpend: Number(row.minSpend),
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    usageLimit: row.usageLimit,
    perCustomerLimit: row.perCustomerLimit,
    usedCount: row.usedCount,
    productIds: row.productIds,
    categoryIds: row.categoryIds,
    status: row.status,
  };
}
