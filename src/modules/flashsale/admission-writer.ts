import { sql } from 'kysely';
import type { Database, Tx } from '../../infra/db/database.ts';
import { appendEvents } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { takeFromPool } from '../inventory/index.ts';
import type { Platform } from '../tenants/index.ts';
import type { FlashOrder, FlashSaleRecord } from './flash-sale-store.ts';
import { insertFlashOrders } from './flash-sale-store.ts';

/** What became of one admitted purchase: its order is in the database, or the pool had no unit for it. */
export type WriteOutcome = 'written' | 'no_unit';

interface Queued {
  platform: Platform;
  sale: FlashSaleRecord;
  order: FlashOrder;
  settle(outcome: WriteOutcome): void;
  fail(error: unknown): void;
}

export interface AdmissionWriter {
  /** Resolves once the order is committed (or refused); the customer is answered only then. */
  write(platform: Platform, sale: FlashSaleRecord, order: FlashOrder): Promise<WriteOutcome>;
  /** Waits for everything queued so far (graceful shutdown). */
  flush(): Promise<void>;
}

const MAX_BATCH = 500;

/**
 * Group commit for admitted purchases: everything admitted while the previous batch was being
 * written goes into the next one, as one transaction per sale that takes units from the sale's
 * pool, inserts every order and line, and appends their events. A crowd of 10,000 costs tens of
 * transactions, not 10,000, and no customer hears "admitted" before their order is durable.
 */
export function createAdmissionWriter(deps: { db: Database; clock: Clock }): AdmissionWriter {
  const { db, clock } = deps;
  let queue: Queued[] = [];
  let running: Promise<void> | undefined;

  function schedule(): void {
    running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain).finally(() => {
      running = undefined;
      if (queue.length > 0) schedule();
    });
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(MAX_BATCH);
      const bySale = new Map<string, Queued[]>();
      for (const item of batch) {
        const key = `${item.platform.id}/${item.sale.id}`;
        bySale.set(key, [...(bySale.get(key) ?? []), item]);
      }
      await Promise.all([...bySale.values()].map(writeGroup));
    }
  }

  async function writeGroup(group: Queued[]): Promise<void> {
    try {
      const written = await writeOrders(group);
      group.forEach((item, index) => item.settle(index < written ? 'written' : 'no_unit'));
    } catch {
      // One bad order must not sink its neighbours: write each on its own to find it.
      for (const item of group) {
        try {
          item.settle((await writeOrders([item])) === 1 ? 'written' : 'no_unit');
        } catch (error) {
          item.fail(error);
        }
      }
    }
  }

  /** Writes as many of the orders as the pool has units for, in order; returns how many. */
  async function writeOrders(group: Queued[]): Promise<number> {
    const { platform, sale } = group[0]!;
    return db.withTenant(platform.id, async (tx) => {
      const at = clock.now();
      const count = await unitsFor(tx, sale.id, group.length);
      if (count === 0) return 0;
      const orders = group.slice(0, count).map((item) => item.order);
      if (!(await takeFromPool(tx, platform.id, sale.id, orders.map((order) => order.id), at))) return 0;
      await insertFlashOrders(tx, platform.id, sale, orders, at);
      await appendEvents(
        tx,
        platform.id,
        orders.map((order) => ({
          type: 'order.placed',
          aggregateType: 'order',
          aggregateId: order.id,
          payload: { customerId: order.customerId, total: sale.price, currency: sale.currency, couponCode: null, flashSaleId: sale.id },
        })),
        at,
      );
      return count;
    });
  }

  return {
    write(platform, sale, order) {
      return new Promise<WriteOutcome>((resolve, reject) => {
        queue.push({ platform, sale, order, settle: resolve, fail: reject });
        schedule();
      });
    },
    async flush() {
      while (running) await running;
    },
  };
}

/** How many of `wanted` units the sale's pool still has (locked until the transaction ends). */
async function unitsFor(tx: Tx, saleId: string, wanted: number): Promise<number> {
  const pool = await sql<{ quantity: number }>`
    select quantity from stock_reservations where order_id = ${saleId} and status = 'active' for update`.execute(tx);
  return Math.min(wanted, pool.rows[0]?.quantity ?? 0);
}
