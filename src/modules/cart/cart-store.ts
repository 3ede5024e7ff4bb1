import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { CartsTable } from '../../infra/db/schema.ts';

export type CartRow = Selectable<CartsTable>;

export async function insertCart(tx: Tx, cart: { tenantId: string; id: string; customerId: string | null; currency: string; at: Date }): Promise<CartRow> {
  return tx
    .insertInto('carts')
    .values({ tenantId: cart.tenantId, id: cart.id, customerId: cart.customerId, currency: cart.currency, status: 'active', createdAt: cart.at, updatedAt: cart.at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The cart, locked for the rest of the transaction so that changes to it apply one at a time. */
export async function lockCart(tx: Tx, cartId: string): Promise<CartRow | undefined> {
  return tx.selectFrom('carts').selectAll().where('id', '=', cartId).forUpdate().executeTakeFirst();
}

/** Like `lockCart`, and marks the cart changed now: the lock and the change in one statement. */
export async function lockCartForChange(tx: Tx, cartId: string, at: Date): Promise<CartRow | undefined> {
  return tx.updateTable('carts').set({ updatedAt: at }).where('id', '=', cartId).returningAll().executeTakeFirst();
}

export async function findActiveCartOf(tx: Tx, customerId: string): Promise<CartRow | undefined> {
  return tx
    .selectFrom('carts')
    .selectAll()
    .where('customerId', '=', customerId)
    .where('status', '=', 'active')
    .orderBy('updatedAt', 'desc')
    .forUpdate()
    .executeTakeFirst();
}

export async function updateCart(tx: Tx, cartId: string, changes: Partial<Pick<CartRow, 'customerId' | 'couponCode' | 'status'>>, at: Date): Promise<void> {
  await tx.updateTable('carts').set({ ...changes, updatedAt: at }).where('id', '=', cartId).execute();
}

export async function setLineQuantity(tx: Tx, cartId: string, variantId: string, quantity: number): Promise<boolean> {
  const result = await tx.updateTable('cartLines').set({ quantity }).where('cartId', '=', cartId).where('variantId', '=', variantId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function removeLine(tx: Tx, cartId: string, variantId: string): Promise<boolean> {
  const result = await tx.deleteFrom('cartLines').where('cartId', '=', cartId).where('variantId', '=', variantId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Moves the guest cart's lines into the customer's cart, adding quantities of the same variant. */
export async function moveLines(tx: Tx, fromCartId: string, toCartId: string, maxQuantity: number): Promise<void> {
  await sql`
    insert into cart_lines (tenant_id, cart_id, variant_id, quantity, added_at)
    select tenant_id, ${toCartId}, variant_id, quantity, added_at from cart_lines where cart_id = ${fromCartId}
    on conflict (tenant_id, cart_id, variant_id) do update set quantity = least(cart_lines.quantity + excluded.quantity, ${maxQuantity})`.execute(tx);
  await tx.deleteFrom('cartLines').where('cartId', '=', fromCartId).execute();
}
