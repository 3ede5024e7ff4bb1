import { sql, type ColumnType, type Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';

export const RETURN_TYPES = ['refund_only', 'return_and_refund', 'exchange'] as const;
export type ReturnType = (typeof RETURN_TYPES)[number];

export const RETURN_STATES = [
  'requested',
  'approved',
  'rejected',
  'awaiting_return',
  'shipped_back',
  'received',
  'refunding',
  'refunded',
  'exchanged',
  'cancelled',
  'expired',
] as const;
export type ReturnState = (typeof RETURN_STATES)[number];

export interface ReturnRequestsTable {
  tenantId: string;
  id: string;
  orderId: string;
  customerId: string;
  type: ReturnType;
  state: ReturnState;
  reasonCode: string;
  reasonText: string;
  photoIds: ColumnType<string[], string, string>;
  amount: ColumnType<number, number, number>;
  currency: string;
  rejectReason: string | null;
  shipBackBy: Date | null;
  returnCarrier: string | null;
  returnCarrierName: string | null;
  returnTracking: string | null;
  refundId: string | null;
  settleError: string | null;
  replacementOrderId: string | null;
  decidedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  decidedAt: Date | null;
  shippedBackAt: Date | null;
  receivedAt: Date | null;
  closedAt: Date | null;
}

export interface ReturnLinesTable {
  tenantId: string;
  returnId: string;
  orderId: string;
  lineNo: number;
  quantity: number;
  restocked: ColumnType<number, number | undefined, number>;
  writtenOff: ColumnType<number, number | undefined, number>;
  /** For an exchange for another variant of the product: the one asked for, as it was then. */
  exchangeVariantId: ColumnType<string | null, string | null | undefined, string | null>;
  exchangeSku: ColumnType<string | null, string | null | undefined, string | null>;
  exchangeOptionValues: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
}

export type ReturnRow = Selectable<ReturnRequestsTable>;
export type ReturnLineRow = Selectable<ReturnLinesTable> & { sku: string; variantId: string; title: Record<string, string> };

/** An order line as a return sees it: what was bought and paid, what shipped, what earlier requests hold. */
export interface ReturnableLine {
  lineNo: number;
  productId: string;
  variantId: string;
  quantity: number;
  total: number;
  tax: number;
  inShipments: number;
  requested: number;
}

export interface ReturnableOrder {
  id: string;
  customerId: string;
  status: string;
  currency: string;
  pricesIncludeTax: boolean;
  /** When the last parcel was delivered, once every unit is in a delivered one; else null. */
  deliveredAt: Date | null;
  lines: ReturnableLine[];
}

/**
 * The order locked (every request for it queues here, so the quantity guard sees earlier
 * requests), with its lines, their shipped units and the units earlier requests still hold.
 */
export async function lockReturnableOrder(tx: Tx, orderId: string): Promise<ReturnableOrder | undefined> {
  const order = await tx
    .selectFrom('orders')
    .select(['id', 'customerId', 'status', 'currency', 'pricesIncludeTax'])
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirst();
  if (!order) return undefined;
  const lines = await sql<{ lineNo: number; productId: string; variantId: string; quantity: number; total: string; tax: string; inShipments: string; requested: string; refundOnly: string }>`
    select l.line_no, l.product_id, l.variant_id, l.quantity, l.total, l.tax,
           coalesce((select sum(sl.quantity) from shipment_lines sl where sl.order_id = l.order_id and sl.line_no = l.line_no), 0) as in_shipments,
           coalesce(held.requested, 0) as requested, coalesce(held.refund_only, 0) as refund_only
    from order_lines l
    -- Rejected, cancelled and expired requests no longer hold their units.
    left join lateral (
      select sum(rl.quantity) as requested, sum(rl.quantity) filter (where r.type = 'refund_only') as refund_only
      from return_lines rl join return_requests r on r.id = rl.return_id
      where rl.order_id = l.order_id and rl.line_no = l.line_no and r.state not in ('rejected', 'cancelled', 'expired')
    ) held on true
    where l.order_id = ${orderId}
    order by l.line_no`.execute(tx);
  const delivery = await sql<{ shipments: string; undelivered: string; lastDelivered: Date | null }>`
    select count(*) as shipments, count(*) filter (where delivered_at is null) as undelivered, max(delivered_at) as last_delivered
    from shipments where order_id = ${orderId}`.execute(tx);
  const mapped = lines.rows.map((line) => ({
    lineNo: line.lineNo,
    productId: line.productId,
    variantId: line.variantId,
    quantity: line.quantity,
    total: Number(line.total),
    tax: Number(line.tax),
    inShipments: Number(line.inShipments),
    requested: Number(line.requested),
  }));
  const parcels = delivery.rows[0]!;
  // Units refunded before they shipped will never ship: the rest being delivered is delivery.
  const refundOnly = new Map(lines.rows.map((line) => [line.lineNo, Number(line.refundOnly)]));
  const allInShipments = mapped.length > 0 && mapped.every((line) => line.inShipments + refundOnly.get(line.lineNo)! >= line.quantity);
  const deliveredAt = allInShipments && Number(parcels.shipments) > 0 && Number(parcels.undelivered) === 0 ? parcels.lastDelivered : null;
  return { ...order, deliveredAt, lines: mapped };
}

/** The variant an exchange sends instead of the one bought. */
export interface ExchangeVariant {
  id: string;
  sku: string;
  optionValues: Record<string, string>;
}

export async function insertReturn(
  tx: Tx,
  row: Omit<ReturnRow, 'photoIds'> & { photoIds: string[] },
  lines: { lineNo: number; quantity: number; exchangeFor?: ExchangeVariant | undefined }[],
): Promise<void> {
  await tx
    .insertInto('returnRequests')
    .values({ ...row, photoIds: JSON.stringify(row.photoIds) })
    .execute();
  await tx
    .insertInto('returnLines')
    .values(
      lines.map((line) => ({
        tenantId: row.tenantId,
        returnId: row.id,
        orderId: row.orderId,
        lineNo: line.lineNo,
        quantity: line.quantity,
        exchangeVariantId: line.exchangeFor?.id ?? null,
        exchangeSku: line.exchangeFor?.sku ?? null,
        exchangeOptionValues: line.exchangeFor ? JSON.stringify(line.exchangeFor.optionValues) : null,
      })),
    )
    .execute();
}

/**
 * The variants an exchange may send, as the catalog has them now: their product, whether it is
 * for sale, and their price in `currency` beside the price of the variant bought.
 */
export async function findExchangeCandidates(tx: Tx, variantIds: string[], currency: string) {
  if (variantIds.length === 0) return new Map<string, { productId: string; sku: string; optionValues: Record<string, string>; forSale: boolean; price: number | null }>();
  const rows = await sql<{ id: string; productId: string; sku: string; optionValues: Record<string, string>; status: string; price: string | null }>`
    select v.id, v.product_id, v.sku, v.option_values, p.status, vp.amount::text as price
    from variants v
    join products p on p.tenant_id = v.tenant_id and p.id = v.product_id
    left join variant_prices vp on vp.tenant_id = v.tenant_id and vp.variant_id = v.id and vp.currency = ${currency}
    where v.id = any(${variantIds}::text[])`.execute(tx);
  return new Map(
    rows.rows.map((row) => [row.id, { productId: row.productId, sku: row.sku, optionValues: row.optionValues, forSale: row.status === 'active', price: row.price === null ? null : Number(row.price) }]),
  );
}

export async function findReturn(tx: Tx, returnId: string, options: { lock?: boolean } = {}): Promise<ReturnRow | undefined> {
  let query = tx.selectFrom('returnRequests').selectAll().where('id', '=', returnId);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findReturnLines(tx: Tx, returnIds: string[]): Promise<ReturnLineRow[]> {
  if (returnIds.length === 0) return [];
  return tx
    .selectFrom('returnLines as rl')
    .innerJoin('orderLines as ol', (join) => join.onRef('ol.orderId', '=', 'rl.orderId').onRef('ol.lineNo', '=', 'rl.lineNo'))
    .select(['rl.tenantId', 'rl.returnId', 'rl.orderId', 'rl.lineNo', 'rl.quantity', 'rl.restocked', 'rl.writtenOff', 'rl.exchangeVariantId', 'rl.exchangeSku', 'rl.exchangeOptionValues', 'ol.sku', 'ol.variantId', 'ol.title'])
    .where('rl.returnId', 'in', returnIds)
    .orderBy('rl.returnId')
    .orderBy('rl.lineNo')
    .execute();
}

/**
 * Moves a request on only from the states named: the guard that makes concurrent decisions (two
 * staff, a retry, the sweep) apply once. Returns undefined when the request had moved on.
 */
export async function transition(
  tx: Tx,
  returnId: string,
  from: readonly ReturnState[],
  changes: Partial<Omit<ReturnRow, 'tenantId' | 'id' | 'photoIds'>> & { state: ReturnState; updatedAt: Date },
): Promise<ReturnRow | undefined> {
  return tx.updateTable('returnRequests').set(changes).where('id', '=', returnId).where('state', 'in', from).returningAll().executeTakeFirst();
}

export async function recordDisposition(tx: Tx, returnId: string, lineNo: number, restocked: number, writtenOff: number): Promise<void> {
  await tx.updateTable('returnLines').set({ restocked, writtenOff }).where('returnId', '=', returnId).where('lineNo', '=', lineNo).execute();
}

export interface ReturnListFilter {
  customerId?: string | undefined;
  orderId?: string | undefined;
  state?: ReturnState | undefined;
  limit: number;
  /** The id of the last request of the previous page: ids sort by creation time. */
  before?: string | undefined;
}

export async function listReturns(tx: Tx, filter: ReturnListFilter): Promise<ReturnRow[]> {
  let query = tx.selectFrom('returnRequests').selectAll().orderBy('id', 'desc').limit(filter.limit + 1);
  if (filter.customerId) query = query.where('customerId', '=', filter.customerId);
  if (filter.orderId) query = query.where('orderId', '=', filter.orderId);
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.execute();
}

/** Approved returns whose parcel was not sent by the deadline, locked, skipping any another node holds. */
export async function lockOverdueReturns(tx: Tx, now: Date, limit: number): Promise<ReturnRow[]> {
  return tx
    .selectFrom('returnRequests')
    .selectAll()
    .where('state', '=', 'awaiting_return')
    .where('shipBackBy', '<', now)
    .orderBy('shipBackBy')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** The refund a return asked for, found by its reason tag: what a crashed refund left behind. */
export async function findRefundFor(tx: Tx, orderId: string, reasonTag: string): Promise<string | undefined> {
  const row = await tx.selectFrom('refunds').select('id').where('orderId', '=', orderId).where('reason', 'like', `${reasonTag}%`).executeTakeFirst();
  return row?.id;
}
