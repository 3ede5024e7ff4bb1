import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { StockMovementKind } from '../../infra/db/schema.ts';
import { newId } from '../../platform/ids.ts';

/** Stock SQL. Every change of a level goes through `moveStock`, which also writes the ledger. */

export interface StockLevel {
  warehouseId: string;
  variantId: string;
  onHand: number;
  reserved: number;
}

// A platform's default warehouse never changes once made, so its id is remembered per process.
const defaultWarehouses = new Map<string, string>();

export async function ensureDefaultWarehouse(tx: Tx, tenantId: string): Promise<string> {
  const known = defaultWarehouses.get(tenantId);
  if (known) return known;
  const existing = await tx.selectFrom('warehouses').select('id').where('isDefault', '=', true).executeTakeFirst();
  if (existing) {
    // Found before this call wrote anything, so it was committed: safe to remember. One made
    // below is not remembered, since this transaction may still roll back.
    defaultWarehouses.set(tenantId, existing.id);
    return existing.id;
  }
  const id = newId('wh');
  await tx
    .insertInto('warehouses')
    .values({ tenantId, id, code: 'default', name: 'Default warehouse', isDefault: true })
    .onConflict((oc) => oc.doNothing())
    .execute();
  // A concurrent transaction may have created it first; read whichever won.
  return (await tx.selectFrom('warehouses').select('id').where('isDefault', '=', true).executeTakeFirstOrThrow()).id;
}

/**
 * Applies a change to one stock level in one statement. The WHERE clause is the guard: the row
 * only changes when the result keeps 0 <= reserved <= on_hand, so concurrent reservations can
 * never sell the same unit twice (PostgreSQL re-checks the condition after waiting on a row
 * lock). Returns undefined when the guard refused.
 */
export async function moveStock(
  tx: Tx,
  change: {
    tenantId: string;
    warehouseId: string;
    variantId: string;
    kind: StockMovementKind;
    onHandDelta: number;
    reservedDelta: number;
    reason?: string | null;
    reference?: string | null;
    actor?: string | null;
    at: Date;
  },
): Promise<StockLevel | undefined> {
  const result = await sql<StockLevel>`
    update stock_levels
    set on_hand = on_hand + ${change.onHandDelta}, reserved = reserved + ${change.reservedDelta}, updated_at = ${change.at}
    where warehouse_id = ${change.warehouseId} and variant_id = ${change.variantId}
      and on_hand + ${change.onHandDelta} >= 0
      and reserved + ${change.reservedDelta} >= 0
      and reserved + ${change.reservedDelta} <= on_hand + ${change.onHandDelta}
    returning warehouse_id, variant_id, on_hand, reserved`.execute(tx);
  const level = result.rows[0];
  if (!level) return undefined;
  await tx
    .insertInto('stockMovements')
    .values({
      tenantId: change.tenantId,
      id: newId('mov'),
      warehouseId: change.warehouseId,
      variantId: change.variantId,
      kind: change.kind,
      onHandDelta: change.onHandDelta,
      reservedDelta: change.reservedDelta,
      onHandAfter: level.onHand,
      reservedAfter: level.reserved,
      reason: change.reason ?? null,
      reference: change.reference ?? null,
      actor: change.actor ?? null,
      createdAt: change.at,
    })
    .execute();
  return level;
}

/**
 * Reserving every line in one statement, with its ledger rows and its reservations: each level
 * changes only while the result keeps reserved <= on_hand (the guard `moveStock` uses), and the
 * rows are locked in variant order first, so two checkouts never wait on each other in a cycle.
 * `ctes` go into a statement's WITH (alone, or beside the order they reserve for); `select` is
 * its final SELECT, a row per line saying whether it was reserved and what was available. When
 * some line was not reserved, the caller must roll back.
 */
export function reserveLinesSql(change: { tenantId: string; warehouseId: string; reference: string; lines: { variantId: string; quantity: number }[]; at: Date }): {
  ctes: RawBuilder<unknown>;
  select: RawBuilder<ReservedLine>;
} {
  const { tenantId, warehouseId, reference, lines, at } = change;
  const ctes = sql`
    wanted as (
      select * from unnest(${lines.map((l) => l.variantId)}::text[], ${lines.map((l) => l.quantity)}::int[],
                           ${lines.map(() => newId('mov'))}::text[], ${lines.map(() => newId('res'))}::text[])
        as w(variant_id, quantity, movement_id, reservation_id)
    ),
    locked as (
      select sl.variant_id from stock_levels sl
      where sl.warehouse_id = ${warehouseId} and sl.variant_id in (select variant_id from wanted)
      order by sl.variant_id
      for update
    ),
    moved as (
      update stock_levels sl set reserved = sl.reserved + w.quantity, updated_at = ${at}
      from wanted w
      where sl.warehouse_id = ${warehouseId} and sl.variant_id = w.variant_id
        and sl.variant_id in (select variant_id from locked)
        and sl.reserved + w.quantity <= sl.on_hand
      returning sl.variant_id, sl.on_hand, sl.reserved, w.quantity, w.movement_id, w.reservation_id
    ),
    ledger as (
      insert into stock_movements (tenant_id, id, warehouse_id, variant_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reference, created_at)
      select ${tenantId}, movement_id, ${warehouseId}, variant_id, 'reserve', 0, quantity, on_hand, reserved, ${reference}, ${at} from moved
    ),
    held as (
      insert into stock_reservations (tenant_id, id, order_id, warehouse_id, variant_id, quantity, status, created_at)
      select ${tenantId}, reservation_id, ${reference}, ${warehouseId}, variant_id, quantity, 'active', ${at} from moved
    )`;
  const select = sql<ReservedLine>`
    select w.variant_id, coalesce(sl.on_hand - sl.reserved, 0)::int as available, exists (select 1 from moved m where m.variant_id = w.variant_id) as reserved
    from wanted w
    left join stock_levels sl on sl.warehouse_id = ${warehouseId} and sl.variant_id = w.variant_id`;
  return { ctes, select };
}

/** A row of `reserveLinesSql`'s SELECT: availability as the statement's snapshot saw it. */
export interface ReservedLine {
  variantId: string;
  available: number;
  reserved: boolean;
}

export async function ensureStockLevel(tx: Tx, tenantId: string, warehouseId: string, variantId: string, at: Date): Promise<void> {
  await tx
    .insertInto('stockLevels')
    .values({ tenantId, warehouseId, variantId, onHand: 0, reserved: 0, updatedAt: at })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function findVariantIds(tx: Tx, variantIds: string[]): Promise<Set<string>> {
  if (variantIds.length === 0) return new Set();
  const rows = await tx.selectFrom('variants').select('id').where('id', 'in', variantIds).execute();
  return new Set(rows.map((row) => row.id));
}

export async function findStockLevels(tx: Tx, variantIds: string[]): Promise<StockLevel[]> {
  if (variantIds.length === 0) return [];
  return tx
    .selectFrom('stockLevels')
    .select(['warehouseId', 'variantId', 'onHand', 'reserved'])
    .where('variantId', 'in', variantIds)
    .execute();
}

export async function insertReservation(
  tx: Tx,
  reservation: { tenantId: string; orderId: string; warehouseId: string; variantId: string; quantity: number; at: Date; poolId?: string },
): Promise<void> {
  await tx
    .insertInto('stockReservations')
    .values({
      tenantId: reservation.tenantId,
      id: newId('res'),
      orderId: reservation.orderId,
      warehouseId: reservation.warehouseId,
      variantId: reservation.variantId,
      quantity: reservation.quantity,
      status: 'active',
      createdAt: reservation.at,
      ...(reservation.poolId ? { poolId: reservation.poolId } : {}),
    })
    .execute();
}

/**
 * Takes `quantity` units out of a pool (a reservation held by a flash sale), or nothing when it
 * has fewer: the guard in the UPDATE makes an oversell impossible however callers race.
 */
export async function takeFromPool(tx: Tx, poolId: string, quantity: number) {
  const rows = await sql<{ warehouseId: string; variantId: string; quantity: number }>`
    update stock_reservations set quantity = quantity - ${quantity}
    where order_id = ${poolId} and status = 'active' and quantity >= ${quantity}
    returning warehouse_id, variant_id, quantity`.execute(tx);
  return rows.rows[0];
}

/** Puts units back into a pool; false when the pool is closed (its units went back to stock). */
export async function returnToPool(tx: Tx, poolId: string, quantity: number): Promise<boolean> {
  const rows = await sql`
    update stock_reservations set quantity = quantity + ${quantity}
    where order_id = ${poolId} and status = 'active'
    returning id`.execute(tx);
  return rows.rows.length > 0;
}

/** Takes the order's active reservations for settling (locked, so two settlers can't race). */
export async function takeActiveReservations(tx: Tx, orderId: string, settleAs: 'committed' | 'released', at: Date) {
  const rows = await sql<{ id: string; warehouseId: string; variantId: string; quantity: number; poolId: string | null }>`
    update stock_reservations set status = ${settleAs}, settled_at = ${at}
    where order_id = ${orderId} and status = 'active'
    returning id, warehouse_id, variant_id, quantity, pool_id`.execute(tx);
  return rows.rows;
}

export async function listMovements(tx: Tx, variantId: string, limit: number) {
  return tx
    .selectFrom('stockMovements')
    .selectAll()
    .where('variantId', '=', variantId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Where an order's units were reserved (and, once paid, taken from): per warehouse and variant.
 * Released reservations no longer hold anything; a pool's emptied rows hold 0.
 */
export async function reservedWarehouses(tx: Tx, orderId: string) {
  const rows = await sql<{ warehouseId: string; warehouseCode: string; warehouseName: string; variantId: string; quantity: number }>`
    select r.warehouse_id, w.code as warehouse_code, w.name as warehouse_name, r.variant_id, sum(r.quantity)::int as quantity
    from stock_reservations r join warehouses w on w.id = r.warehouse_id
    where r.order_id = ${orderId} and r.status <> 'released' and r.quantity > 0
    group by r.warehouse_id, w.code, w.name, r.variant_id
    order by w.code, r.variant_id`.execute(tx);
  return rows.rows;
}

/** An order's reservations of a variant that still hold units, newest first, locked. */
export async function lockOrderReservations(tx: Tx, orderId: string, variantId: string) {
  const rows = await sql<{ id: string; warehouseId: string; quantity: number; status: 'active' | 'committed' }>`
    select id, warehouse_id, quantity, status from stock_reservations
    where order_id = ${orderId} and variant_id = ${variantId} and status in ('active', 'committed') and quantity > 0
    order by created_at desc, id desc
    for update`.execute(tx);
  return rows.rows;
}

export async function shrinkReservation(tx: Tx, reservationId: string, by: number): Promise<void> {
  await sql`update stock_reservations set quantity = quantity - ${by}::int where id = ${reservationId}`.execute(tx);
}
