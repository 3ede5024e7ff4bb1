import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { OrderLinesTable, OrderShippingMethod, OrdersTable, OrderStatus, ShippingAddress } from '../../infra/db/schema.ts';
import { decodeCursor, encodeCursor, type Page } from '../../platform/pagination.ts';

export type OrderRow = Selectable<OrdersTable>;
export type OrderLineRow = Selectable<OrderLinesTable>;

export interface NewOrder {
  tenantId: string;
  id: string;
  customerId: string;
  idempotencyKey: string;
  requestFingerprint: string;
  currency: string;
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  shippingMethod: OrderShippingMethod | null;
  taxTotal: number;
  shippingTax: number;
  shippingTaxRateBp: number;
  pricesIncludeTax: boolean;
  total: number;
  tenderTotal: number;
  couponCode: string | null;
  shippingAddress: ShippingAddress;
  expiresAt: Date;
  at: Date;
  lines: Omit<OrderLineRow, 'tenantId' | 'orderId'>[];
}

export async function findOrderByKey(tx: Tx, customerId: string, idempotencyKey: string): Promise<OrderRow | undefined> {
  return tx.selectFrom('orders').selectAll().where('customerId', '=', customerId).where('idempotencyKey', '=', idempotencyKey).executeTakeFirst();
}

/** The invoice a shopper asked for with the order, as the order shows it. */
export interface OrderInvoice {
  titleType: 'personal' | 'company';
  title: string;
  taxId: string | null;
  email: string | null;
  status: 'requested' | 'issued' | 'cancelled';
  invoiceNumber: string | null;
}

export async function findOrder(tx: Tx, orderId: string, options: { lock?: boolean } = {}): Promise<(OrderRow & { invoice: OrderInvoice | null }) | undefined> {
  const query = tx
    .selectFrom('orders')
    .selectAll()
    .select(
      sql<OrderInvoice | null>`(select json_build_object('titleType', i.title_type, 'title', i.title, 'taxId', i.tax_id, 'email', i.email,
                                 'status', i.status, 'invoiceNumber', i.invoice_number)
                                from invoice_requests i where i.order_id = orders.id)`.as('invoice'),
    )
    .where('id', '=', orderId);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function findOrderLines(tx: Tx, orderId: string): Promise<OrderLineRow[]> {
  return tx.selectFrom('orderLines').selectAll().where('orderId', '=', orderId).orderBy('lineNo').execute();
}

export async function updateOrder(
  tx: Tx,
  orderId: string,
  changes: Partial<Pick<OrderRow, 'status' | 'paidAt' | 'fulfilledAt' | 'completedAt' | 'cancelledAt' | 'trackingNumber' | 'cancelReason' | 'refundedTotal'>>,
  at: Date,
): Promise<OrderRow> {
  return tx.updateTable('orders').set({ ...changes, updatedAt: at }).where('id', '=', orderId).returningAll().executeTakeFirstOrThrow();
}

export async function setShippingAddress(tx: Tx, orderId: string, address: ShippingAddress, at: Date): Promise<void> {
  await tx.updateTable('orders').set({ shippingAddress: JSON.stringify(address), updatedAt: at }).where('id', '=', orderId).execute();
}

/** Whether any of the order's units are in a shipment (the fulfillment module's), of any state. */
export async function hasShipments(tx: Tx, orderId: string): Promise<boolean> {
  const result = await sql<{ found: boolean }>`select exists (select 1 from shipments where order_id = ${orderId}) as found`.execute(tx);
  return result.rows[0]!.found;
}

/** Unpaid orders past their deadline, locked; ones another worker holds are skipped, not waited on. */
export async function lockExpiredOrders(tx: Tx, now: Date, limit: number): Promise<OrderRow[]> {
  return tx
    .selectFrom('orders')
    .selectAll()
    .where('status', '=', 'pending_payment')
    .where('expiresAt', '<=', now)
    .orderBy('expiresAt')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export interface OrderListFilter {
  customerId?: string | undefined;
  status?: OrderStatus | undefined;
  /** An order id, a customer's email or phone, or a SKU. */
  search?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export async function listOrders(tx: Tx, filter: OrderListFilter): Promise<Page<OrderRow>> {
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  const search = filter.search?.trim();
  const result = await sql<OrderRow & { sortKey: string }>`
    select o.*, o.created_at::text as sort_key
    from orders o
    where true
      ${filter.customerId ? sql`and o.customer_id = ${filter.customerId}` : sql``}
      ${filter.status ? sql`and o.status = ${filter.status}` : sql``}
      ${
        search
          ? sql`and (o.id = ${search}
                 or exists (select 1 from customers c where c.id = o.customer_id and (lower(c.email) = lower(${search}) or c.phone = ${search}))
                 or exists (select 1 from order_lines l where l.order_id = o.id and l.sku = ${search}))`
          : sql``
      }
      ${after ? sql`and (o.created_at, o.id) < (${String(after[0])}::timestamptz, ${after[1]})` : sql``}
    order by o.created_at desc, o.id desc
    limit ${filter.limit + 1}`.execute(tx);
  const rows = result.rows;
  const items = rows.slice(0, filter.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(({ sortKey: _sortKey, ...row }) => row as OrderRow),
    nextCursor: rows.length > filter.limit && last ? encodeCursor([last.sortKey, last.id]) : null,
  };
}
