import { LRUCache } from 'lru-cache';
import type { Database, Tx } from '../../infra/db/database.ts';
import { sql, type RawBuilder } from 'kysely';
import { appendEvent, eventsInsert, type DomainEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, NotFound } from '../../platform/errors.ts';
import type { Platform } from '../tenants/platform.ts';
import * as store from './inventory-store.ts';
import type { ReservedLine } from './inventory-store.ts';

export interface StockView {
  variantId: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface StockLine {
  variantId: string;
  quantity: number;
}

export type ReserveOutcome = { ok: true } | { ok: false; shortages: { variantId: string; requested: number; available: number }[] };

export interface InventoryService {
  /** Staff changes on-hand stock by `delta` (negative to remove), with a reason for the ledger. */
  adjustStock(platform: Platform, actor: string, input: { variantId: string; delta: number; reason: string }): Promise<StockView>;
  /** Exact stock, read now. */
  getStock(platform: Platform, variantIds: string[]): Promise<StockView[]>;
  /**
   * Stock to show shoppers: at most a second old, so a popular product page doesn't cost a
   * database round trip per view. Reservations at checkout are always exact.
   */
  getDisplayStock(platform: Platform, variantIds: string[]): Promise<StockView[]>;
  listMovements(platform: Platform, variantId: string): Promise<Awaited<ReturnType<typeof store.listMovements>>>;
}

const DISPLAY_STOCK_TTL_MS = 1_000;

export function createInventoryService(deps: { db: Database; clock: Clock }): InventoryService {
  const { db, clock } = deps;
  const displayed = new LRUCache<string, StockView[]>({ max: 50_000, ttl: DISPLAY_STOCK_TTL_MS });
  return {
    async adjustStock(platform, actor, input) {
      return db.withTenant(platform.id, async (tx) => {
        await assertVariantsExist(tx, [input.variantId]);
        const at = clock.now();
        const warehouseId = await store.ensureDefaultWarehouse(tx, platform.id);
        await store.ensureStockLevel(tx, platform.id, warehouseId, input.variantId, at);
        const level = await store.moveStock(tx, {
          tenantId: platform.id,
          warehouseId,
          variantId: input.variantId,
          kind: 'adjust',
          onHandDelta: input.delta,
          reservedDelta: 0,
          reason: input.reason,
          actor,
          at,
        });
        if (!level) {
          throw new Conflict('insufficient_stock', 'Stock cannot go below zero or below what open orders have reserved.');
        }
        await appendEvent(
          tx,
          platform.id,
          { type: 'stock.adjusted', aggregateType: 'variant', aggregateId: input.variantId, payload: { delta: input.delta, reason: input.reason, onHand: level.onHand } },
          at,
        );
        return view(level);
      });
    },

    async getStock(platform, variantIds) {
      const levels = await db.withTenant(platform.id, async (tx) => {
        await assertVariantsExist(tx, variantIds);
        return store.findStockLevels(tx, variantIds);
      });
      const byVariant = new Map<string, StockView>();
      for (const level of levels) {
        const current = byVariant.get(level.variantId);
        const next = view(level);
        byVariant.set(
          level.variantId,
          current
            ? { variantId: level.variantId, onHand: current.onHand + next.onHand, reserved: current.reserved + next.reserved, available: current.available + next.available }
            : next,
        );
      }
      return variantIds.map((variantId) => byVariant.get(variantId) ?? { variantId, onHand: 0, reserved: 0, available: 0 });
    },

    async getDisplayStock(platform, variantIds) {
      const key = `${platform.id}:${variantIds.join(',')}`;
      const hit = displayed.get(key);
      if (hit) return hit;
      const stock = await this.getStock(platform, variantIds);
      displayed.set(key, stock);
      return stock;
    },

    listMovements: (platform, variantId) =>
      db.withTenant(platform.id, async (tx) => {
        await assertVariantsExist(tx, [variantId]);
        return store.listMovements(tx, variantId, 200);
      }),
  };
}

/** Another platform's variant is as unknown as one that never existed: the same 404. */
async function assertVariantsExist(tx: Tx, variantIds: string[]): Promise<void> {
  const found = await store.findVariantIds(tx, variantIds);
  const missing = variantIds.filter((variantId) => !found.has(variantId));
  if (missing.length > 0) throw new NotFound('variant_not_found', `No such variant: ${missing.join(', ')}.`);
}

function view(level: store.StockLevel): StockView {
  return { variantId: level.variantId, onHand: level.onHand, reserved: level.reserved, available: level.onHand - level.reserved };
}

/** Stock for every line of an order, reserved by a statement the caller runs (see `reserveLinesSql`). */
export interface PendingReservation {
  /** CTEs for the statement's WITH. */
  ctes: RawBuilder<unknown>;
  /** The statement's final SELECT; its rows go to `outcome`. */
  select: RawBuilder<ReservedLine>;
  /** stock.reserved, for the statement to append with the events it writes. */
  event: DomainEvent;
  outcome(rows: ReservedLine[]): ReserveOutcome;
}

/**
 * Checkout's stock step as SQL for a statement of the caller's: reserve every line or none (the
 * caller rolls back on a shortage). Lines are locked in variant order, so that two checkouts
 * never wait on each other's rows in a cycle.
 */
export async function prepareReservation(tx: Tx, tenantId: string, orderId: string, lines: StockLine[], at: Date): Promise<PendingReservation> {
  const warehouseId = await store.ensureDefaultWarehouse(tx, tenantId);
  const sorted = lines.map(({ variantId, quantity }) => ({ variantId, quantity })).sort((a, b) => a.variantId.localeCompare(b.variantId));
  const { ctes, select } = store.reserveLinesSql({ tenantId, warehouseId, reference: orderId, lines: sorted, at });
  return {
    ctes,
    select,
    event: { type: 'stock.reserved', aggregateType: 'order', aggregateId: orderId, payload: { lines: sorted } },
    outcome(rows) {
      const byVariant = new Map(rows.map((row) => [row.variantId, row]));
      const shortages = sorted
        .filter((line) => !byVariant.get(line.variantId)?.reserved)
        .map((line) => ({ variantId: line.variantId, requested: line.quantity, available: Math.max(0, byVariant.get(line.variantId)?.available ?? 0) }));
      return shortages.length > 0 ? { ok: false, shortages } : { ok: true };
    },
  };
}

/** Checkout's stock step in a statement of its own: reserve every line or none. */
export async function reserveStock(tx: Tx, tenantId: string, orderId: string, lines: StockLine[], at: Date): Promise<ReserveOutcome> {
  const reservation = await prepareReservation(tx, tenantId, orderId, lines, at);
  const result = await sql<ReservedLine>`
    with ${reservation.ctes}, event as (${eventsInsert(tx, tenantId, [reservation.event], at)})
    ${reservation.select}`.execute(tx);
  // The caller rolls the transaction back on a shortage, undoing the reservations and the event.
  return reservation.outcome(result.rows);
}

/** The order was cancelled or expired: the reserved units are for sale again. */
export function releaseReservations(tx: Tx, tenantId: string, orderId: string, at: Date): Promise<void> {
  return settleReservations(tx, tenantId, orderId, 'released', at);
}

async function settleReservations(tx: Tx, tenantId: string, orderId: string, outcome: 'committed' | 'released', at: Date): Promise<void> {
  const taken = await store.takeActiveReservations(tx, orderId, outcome, at);
  // A released unit that came from an open pool goes back to it (the flash sale sells it again);
  // stock levels don't move, since the pool still holds it reserved.
  const reservations = [];
  for (const reservation of taken) {
    if (outcome === 'released' && reservation.poolId && (await store.returnToPool(tx, reservation.poolId, reservation.quantity))) {
      await appendEvent(
        tx,
        tenantId,
        {
          type: 'stock.returned_to_pool',
          aggregateType: 'order',
          aggregateId: orderId,
          payload: { poolId: reservation.poolId, variantId: reservation.variantId, quantity: reservation.quantity },
        },
        at,
      );
    } else {
      reservations.push(reservation);
    }
  }
  await settledEvent(tx, tenantId, outcome === 'committed' ? 'stock.committed' : 'stock.released', orderId, reservations, at);
  for (const reservation of reservations) {
    if (reservation.quantity === 0) continue; // an emptied pool: nothing left to move
    const level = await store.moveStock(tx, {
      tenantId,
      warehouseId: reservation.warehouseId,
      variantId: reservation.variantId,
      kind: outcome === 'committed' ? 'commit' : 'release',
      // Committed units leave the warehouse; released ones stay on hand, for sale again.
      onHandDelta: outcome === 'committed' ? -reservation.quantity : 0,
      reservedDelta: -reservation.quantity,
      reference: orderId,
      at,
    });
    if (!level) throw new Error(`stock ledger inconsistent for ${reservation.variantId} (order ${orderId})`);
  }
}

async function settledEvent(
  tx: Tx,
  tenantId: string,
  type: 'stock.committed' | 'stock.released',
  orderId: string,
  reservations: { variantId: string; quantity: number }[],
  at: Date,
): Promise<void> {
  if (reservations.length === 0) return;
  const lines = reservations.map(({ variantId, quantity }) => ({ variantId, quantity }));
  await appendEvent(tx, tenantId, { type, aggregateType: 'order', aggregateId: orderId, payload: { lines } }, at);
}

/**
 * Sets `quantity` units of a variant aside as a pool owned by `poolId` (a flash sale), all or
 * nothing. Orders then take units from the pool with `takeFromPool`.
 */
export async function reservePool(tx: Tx, tenantId: string, poolId: string, variantId: string, quantity: number, at: Date): Promise<ReserveOutcome> {
  return reserveStock(tx, tenantId, poolId, [{ variantId, quantity }], at);
}

/**
 * Moves one unit per order from the pool to a reservation of that order's own, which names the
 * pool so that a cancellation returns the unit there. False, and nothing moved, when the pool
 * holds fewer units than orders.
 */
export async function takeFromPool(tx: Tx, tenantId: string, poolId: string, orderIds: string[], at: Date): Promise<boolean> {
  const pool = await store.takeFromPool(tx, poolId, orderIds.length);
  if (!pool) return false;
  for (const orderId of orderIds) {
    await store.insertReservation(tx, { tenantId, orderId, warehouseId: pool.warehouseId, variantId: pool.variantId, quantity: 1, at, poolId });
  }
  return true;
}

/** Ends a pool: what it still holds goes back to general stock. */
export function closePool(tx: Tx, tenantId: string, poolId: string, at: Date): Promise<void> {
  return settleReservations(tx, tenantId, poolId, 'released', at);
}

/** A paid order's reserved units leave the warehouse (an exchange's replacement, paid at once). */
export function commitReservations(tx: Tx, tenantId: string, orderId: string, at: Date): Promise<void> {
  return settleReservations(tx, tenantId, orderId, 'committed', at);
}

/**
 * Units a customer sent back go on hand again at the default warehouse, with the return as the
 * movement's reference and the staff member as its actor; stock.adjusted tells the rest.
 */
export async function restockReturnedUnits(
  tx: Tx,
  tenantId: string,
  change: { variantId: string; quantity: number; reference: string; reason: string; actor: string; at: Date },
): Promise<StockView> {
  const warehouseId = await store.ensureDefaultWarehouse(tx, tenantId);
  await store.ensureStockLevel(tx, tenantId, warehouseId, change.variantId, change.at);
  const level = await store.moveStock(tx, {
    tenantId,
    warehouseId,
    variantId: change.variantId,
    kind: 'adjust',
    onHandDelta: change.quantity,
    reservedDelta: 0,
    reason: change.reason,
    reference: change.reference,
    actor: change.actor,
    at: change.at,
  });
  if (!level) throw new Error(`stock ledger inconsistent for ${change.variantId} (return ${change.reference})`);
  await appendEvent(
    tx,
    tenantId,
    { type: 'stock.adjusted', aggregateType: 'variant', aggregateId: change.variantId, payload: { delta: change.quantity, reason: change.reason, reference: change.reference, onHand: level.onHand } },
    change.at,
  );
  return view(level);
}

/**
 * An order edited before shipping takes `quantity` fewer units of a variant: reserved units are
 * released (for sale again), units that had left the warehouse for a paid order go back on hand.
 * The order's reservations shrink by as much, newest first, so they keep saying what it holds.
 */
export async function giveBackOrderUnits(tx: Tx, tenantId: string, change: { orderId: string; variantId: string; quantity: number; actor: string; at: Date }): Promise<void> {
  const { orderId, variantId, at } = change;
  const held = await store.lockOrderReservations(tx, orderId, variantId);
  let left = change.quantity;
  const released: StockLine[] = [];
  for (const reservation of held) {
    if (left === 0) break;
    const taken = Math.min(left, reservation.quantity);
    left -= taken;
    await store.shrinkReservation(tx, reservation.id, taken);
    const active = reservation.status === 'active';
    const level = await store.moveStock(tx, {
      tenantId,
      warehouseId: reservation.warehouseId,
      variantId,
      kind: active ? 'release' : 'adjust',
      onHandDelta: active ? 0 : taken,
      reservedDelta: active ? -taken : 0,
      reason: active ? null : 'order edited',
      reference: orderId,
      actor: change.actor,
      at,
    });
    if (!level) throw new Error(`stock ledger inconsistent for ${variantId} (order ${orderId})`);
    if (active) released.push({ variantId, quantity: taken });
    else {
      await appendEvent(
        tx,
        tenantId,
        { type: 'stock.adjusted', aggregateType: 'variant', aggregateId: variantId, payload: { delta: taken, reason: 'order edited', reference: orderId, onHand: level.onHand } },
        at,
      );
    }
  }
  if (left > 0) throw new Error(`order ${orderId} holds fewer units of ${variantId} than its lines say`);
  await settledEvent(tx, tenantId, 'stock.released', orderId, released, at);
}
