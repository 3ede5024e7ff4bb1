import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { LocalizedText } from '../../infra/db/schema.ts';

/** Shipment SQL. Units are only ever added to a shipment by `insertShipment`, under its guard. */

export type ShipmentStatus = 'created' | 'shipped' | 'delivered';

export interface ShipmentsTable {
  tenantId: string;
  id: string;
  orderId: string;
  warehouseId: string | null;
  carrier: string;
  carrierName: string | null;
  trackingNumber: string;
  status: ShipmentStatus;
  createdAt: Date;
  updatedAt: Date;
  shippedAt: Date | null;
  deliveredAt: Date | null;
}

export interface ShipmentLinesTable {
  tenantId: string;
  shipmentId: string;
  orderId: string;
  lineNo: number;
  quantity: number;
}

export type ShipmentRow = Selectable<ShipmentsTable>;
export type ShipmentLineRow = Selectable<ShipmentLinesTable>;

/** One order line and how many of its units are in shipments (any state) and shipped (on their way or delivered). */
export interface LineProgress {
  lineNo: number;
  variantId: string;
  sku: string;
  title: LocalizedText;
  ordered: number;
  inShipments: number;
  shipped: number;
}

export async function lineProgress(tx: Tx, orderId: string): Promise<LineProgress[]> {
  const result = await sql<LineProgress>`
    select ol.line_no, ol.variant_id, ol.sku, ol.title, ol.quantity as ordered,
           coalesce(sum(sl.quantity), 0)::int as in_shipments,
           coalesce(sum(sl.quantity) filter (where s.status <> 'created'), 0)::int as shipped
    from order_lines ol
    left join shipment_lines sl on sl.order_id = ol.order_id and sl.line_no = ol.line_no
    left join shipments s on s.id = sl.shipment_id
    where ol.order_id = ${orderId}
    group by ol.line_no, ol.variant_id, ol.sku, ol.title, ol.quantity
    order by ol.line_no`.execute(tx);
  return result.rows;
}

export interface NewShipment {
  tenantId: string;
  id: string;
  orderId: string;
  warehouseId: string | null;
  carrier: string;
  carrierName: string | null;
  trackingNumber: string;
  /** Shipped as soon as it is made (the parcel has left already). */
  shippedAt: Date | null;
  at: Date;
  lines: { lineNo: number; quantity: number }[];
}

/** A requested line as the guard saw it: `remaining` is null for a line the order doesn't have. */
export interface CheckedLine {
  lineNo: number;
  quantity: number;
  remaining: number | null;
}

/**
 * Writes a shipment, its lines and `events` in one statement, only when every line fits: no line's
 * shipments may hold more than was ordered. The guard reads what other shipments hold, so the
 * caller must hold the order's row lock (two staff shipping the last unit at once then queue, and
 * the second statement sees the first one's lines). Returns each requested line as checked, and
 * whether the shipment was written.
 */
export async function insertShipment(tx: Tx, shipment: NewShipment, events: RawBuilder<unknown>): Promise<{ written: boolean; lines: CheckedLine[] }> {
  const { tenantId, id, orderId, at, lines } = shipment;
  const status = shipment.shippedAt ? 'shipped' : 'created';
  const result = await sql<CheckedLine & { written: boolean }>`
    with wanted as (
      select * from unnest(${lines.map((l) => l.lineNo)}::int[], ${lines.map((l) => l.quantity)}::int[]) as w(line_no, quantity)
    ),
    checked as (
      select w.line_no, w.quantity,
             ol.quantity - (select coalesce(sum(sl.quantity), 0) from shipment_lines sl where sl.order_id = ${orderId} and sl.line_no = w.line_no) as remaining
      from wanted w left join order_lines ol on ol.order_id = ${orderId} and ol.line_no = w.line_no
    ),
    fits as (select coalesce(bool_and(remaining is not null and quantity <= remaining), false) as ok from checked),
    shipment as (
      insert into shipments (tenant_id, id, order_id, warehouse_id, carrier, carrier_name, tracking_number, status, created_at, updated_at, shipped_at)
      select ${tenantId}, ${id}, ${orderId}, ${shipment.warehouseId}, ${shipment.carrier}, ${shipment.carrierName}, ${shipment.trackingNumber},
             ${status}, ${at}, ${at}, ${shipment.shippedAt}::timestamptz
      from fits where ok
      returning id
    ),
    shipment_rows as (
      insert into shipment_lines (tenant_id, shipment_id, order_id, line_no, quantity)
      select ${tenantId}, shipment.id, ${orderId}, w.line_no, w.quantity from wanted w cross join shipment
    ),
    events as (${events})
    select c.line_no, c.quantity, c.remaining, (select ok from fits) as written from checked c order by c.line_no`.execute(tx);
  const written = result.rows[0]?.written ?? false;
  return { written, lines: result.rows.map(({ written: _written, ...line }) => ({ ...line, remaining: line.remaining === null ? null : Number(line.remaining) })) };
}

/** The condition `insertShipment`'s events are written under: the shipment was. */
export const SHIPMENT_WRITTEN = sql`exists (select 1 from shipment)`;

export async function findShipment(tx: Tx, shipmentId: string, options: { lock?: boolean } = {}): Promise<ShipmentRow | undefined> {
  const query = tx.selectFrom('shipments').selectAll().where('id', '=', shipmentId);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function updateShipment(
  tx: Tx,
  shipmentId: string,
  changes: Partial<Pick<ShipmentRow, 'status' | 'shippedAt' | 'deliveredAt' | 'carrier' | 'carrierName' | 'trackingNumber'>>,
  at: Date,
): Promise<ShipmentRow> {
  return tx.updateTable('shipments').set({ ...changes, updatedAt: at }).where('id', '=', shipmentId).returningAll().executeTakeFirstOrThrow();
}

export async function listShipments(tx: Tx, orderId: string): Promise<{ shipments: ShipmentRow[]; lines: ShipmentLineRow[] }> {
  const shipments = await tx.selectFrom('shipments').selectAll().where('orderId', '=', orderId).orderBy('createdAt').orderBy('id').execute();
  const lines = shipments.length === 0 ? [] : await tx.selectFrom('shipmentLines').selectAll().where('orderId', '=', orderId).orderBy('lineNo').execute();
  return { shipments, lines };
}

/** The order's customer, or undefined when this platform has no such order. */
export async function findOrderCustomer(tx: Tx, orderId: string): Promise<string | undefined> {
  return (await tx.selectFrom('orders').select('customerId').where('id', '=', orderId).executeTakeFirst())?.customerId;
}

export async function warehouseExists(tx: Tx, warehouseId: string): Promise<boolean> {
  return (await tx.selectFrom('warehouses').select('id').where('id', '=', warehouseId).executeTakeFirst()) !== undefined;
}
