import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { FlashSalesTable, LocalizedText, ShippingAddress } from '../../infra/db/schema.ts';
import type { SaleState } from './stock-tokens.ts';

export type FlashSaleRow = Selectable<FlashSalesTable>;

/** A sale with what an order line needs of its variant. */
export interface FlashSaleRecord extends FlashSaleRow {
  sku: string;
  optionValues: Record<string, string>;
}

export async function insertSale(tx: Tx, sale: Omit<FlashSaleRow, 'status' | 'createdAt' | 'closedAt'> & { createdAt: Date }): Promise<void> {
  await tx.insertInto('flashSales').values({ ...sale, title: JSON.stringify(sale.title) }).execute();
}

export async function findSale(tx: Tx, saleId: string): Promise<FlashSaleRecord | undefined> {
  return tx
    .selectFrom('flashSales as s')
    .innerJoin('variants as v', (join) => join.onRef('v.tenantId', '=', 's.tenantId').onRef('v.id', '=', 's.variantId'))
    .selectAll('s')
    .select(['v.sku', 'v.optionValues'])
    .where('s.id', '=', saleId)
    .executeTakeFirst();
}

export async function listSales(tx: Tx, limit: number): Promise<FlashSaleRow[]> {
  return tx.selectFrom('flashSales').selectAll().orderBy('startsAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Sales past their end and payment window whose pool is still open. */
export async function listSalesToClose(tx: Tx, now: Date): Promise<FlashSaleRow[]> {
  return tx
    .selectFrom('flashSales')
    .selectAll()
    .where('status', '=', 'scheduled')
    .where(sql<boolean>`ends_at + payment_minutes * interval '1 minute' < ${now}`)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markSaleClosed(tx: Tx, saleId: string, at: Date): Promise<void> {
  await tx.updateTable('flashSales').set({ status: 'closed', closedAt: at }).where('id', '=', saleId).execute();
}

/** The fast path's counters, as the database records them. */
export async function loadSaleState(tx: Tx, saleId: string): Promise<SaleState> {
  const pool = await sql<{ quantity: number }>`
    select quantity from stock_reservations where order_id = ${saleId} and status = 'active'`.execute(tx);
  const orders = await sql<{ id: string; customerId: string; idempotencyKey: string; status: string }>`
    select id, customer_id, idempotency_key, status from orders where flash_sale_id = ${saleId}`.execute(tx);
  const bought = new Map<string, number>();
  const answers = new Map<string, string>();
  for (const order of orders.rows) {
    answers.set(`${order.customerId}:${order.idempotencyKey}`, order.id);
    if (order.status !== 'cancelled') bought.set(order.customerId, (bought.get(order.customerId) ?? 0) + 1);
  }
  return { remaining: pool.rows[0]?.quantity ?? 0, bought, answers };
}

export async function saleCounts(tx: Tx, saleId: string): Promise<{ orders: number; paid: number; cancelled: number; pool: number }> {
  const result = await sql<{ orders: string; paid: string; cancelled: string; pool: number | null }>`
    select count(*) filter (where status <> 'cancelled') as orders,
           count(*) filter (where paid_at is not null) as paid,
           count(*) filter (where status = 'cancelled') as cancelled,
           (select quantity from stock_reservations where order_id = ${saleId} and status = 'active') as pool
    from orders where flash_sale_id = ${saleId}`.execute(tx);
  const row = result.rows[0]!;
  return { orders: Number(row.orders), paid: Number(row.paid), cancelled: Number(row.cancelled), pool: row.pool ?? 0 };
}

export async function existingOrderIds(tx: Tx, orderIds: string[]): Promise<Set<string>> {
  if (orderIds.length === 0) return new Set();
  const rows = await tx.selectFrom('orders').select('id').where('id', 'in', orderIds).execute();
  return new Set(rows.map((row) => row.id));
}

export interface FlashOrder {
  id: string;
  customerId: string;
  idempotencyKey: string;
  shippingAddress: ShippingAddress;
  expiresAt: Date;
}

/** One INSERT for all orders of a batch and one for their lines: the batch's whole write. */
export async function insertFlashOrders(tx: Tx, tenantId: string, sale: FlashSaleRecord, orders: FlashOrder[], at: Date): Promise<void> {
  await tx
    .insertInto('orders')
    .values(
      orders.map((order) => ({
        tenantId,
        id: order.id,
        customerId: order.customerId,
        idempotencyKey: order.idempotencyKey,
        status: 'pending_payment' as const,
        currency: sale.currency,
        subtotal: sale.price,
        discountTotal: 0,
        shippingTotal: 0,
        total: sale.price,
        couponCode: null,
        shippingAddress: JSON.stringify(order.shippingAddress),
        expiresAt: order.expiresAt,
        createdAt: at,
        updatedAt: at,
        flashSaleId: sale.id,
      })),
    )
    .execute();
  await tx
    .insertInto('orderLines')
    .values(
      orders.map((order) => ({
        tenantId,
        orderId: order.id,
        lineNo: 1,
        productId: sale.productId,
        variantId: sale.variantId,
        sku: sale.sku,
        title: JSON.stringify(sale.title as LocalizedText),
        optionValues: JSON.stringify(sale.optionValues),
        unitPrice: sale.price,
        quantity: 1,
        discount: 0,
        total: sale.price,
      })),
    )
    .execute();
}
