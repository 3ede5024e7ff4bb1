import { LRUCache } from 'lru-cache';
import type { Database } from '../../infra/db/database.ts';
import type { ShippingAddress } from '../../infra/db/schema.ts';
import { appendEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertWithinOrderLimit } from '../../platform/money.ts';
import { closePool, reservePool } from '../inventory/index.ts';
import type { Platform } from '../tenants/index.ts';
import type { AdmissionWriter } from './admission-writer.ts';
import type { AttemptLimits } from './attempt-limits.ts';
import { createAttemptMeter } from './attempt-meter.ts';
import type { CreateFlashSaleInput } from './flash-sale-schema.ts';
import * as store from './flash-sale-store.ts';
import { issuePurchaseToken, PURCHASE_TOKEN_TTL_MS, verifyPurchaseToken } from './purchase-token.ts';
import type { RevokedSessions } from '../../infra/revoked-sessions/revoked-sessions.ts';
import type { StockTokens } from './stock-tokens.ts';

export type SalePhase = 'upcoming' | 'live' | 'ended';

export interface FlashSaleView {
  id: string;
  productId: string;
  variantId: string;
  sku: string;
  optionValues: Record<string, string>;
  title: Record<string, string>;
  price: number;
  currency: string;
  quantity: number;
  perCustomerLimit: number;
  paymentMinutes: number;
  startsAt: Date;
  endsAt: Date;
  phase: SalePhase;
  status: string;
}

export interface AttemptInput {
  token: string;
  idempotencyKey: string;
  shippingAddress: ShippingAddress;
  ip: string;
}

export interface Admitted {
  outcome: 'admitted';
  orderId: string;
  replayed: boolean;
  price: number;
  currency: string;
  paymentDeadline: Date;
}

/**
 * The expected ways an attempt is turned away. They are answers, not failures: returned rather
 * than thrown, because a sold-out sale refuses a crowd, and an exception per refusal (a stack
 * trace each) would cost more than the rest of the answer.
 */
export interface Refused {
  outcome: 'not_started' | 'ended' | 'sold_out' | 'limit_reached' | 'rate_limited' | 'invalid_purchase_token' | 'session_revoked';
  status: 401 | 409 | 429;
  detail: string;
  retryAfterSeconds?: number;
}

export interface FlashSaleService {
  /** The time sales are judged by: pages count down to the start from this, not the viewer's clock. */
  serverTime(): Date;
  createSale(platform: Platform, input: CreateFlashSaleInput): Promise<FlashSaleView>;
  listSales(platform: Platform): Promise<FlashSaleView[]>;
  getSale(platform: Platform, saleId: string): Promise<FlashSaleView>;
  /** Sold, paid, remaining and this node's attempts per second, for the live view. */
  liveStats(platform: Platform, saleId: string): Promise<Record<string, number>>;
  /** From the fast path's counters, never a database count: shoppers ask this all through a sale. */
  isSoldOut(platform: Platform, saleId: string): Promise<boolean>;
  issuePurchaseToken(platform: Platform, saleId: string, holder: { customerId: string; sessionId: string }): Promise<{ token: string; expiresAt: Date }>;
  /** The hot path: no database row is read or locked before the customer has their answer. */
  attempt(platform: Platform, saleId: string, input: AttemptInput): Promise<Admitted | Refused>;
  /** A cancelled or expired flash order gave its unit back to the pool: sell it again. */
  unitReturned(tenantId: string, saleId: string, orderId: string): Promise<void>;
  /** Returns what ended sales still hold to general stock. */
  closeEndedSales(platforms: Platform[]): Promise<number>;
  /** Settles admissions whose node died between taking a unit and writing the order (Redis). */
  recoverStaleAdmissions(): Promise<number>;
}

const SALE_CACHE_TTL_MS = 5_000;
// How long this node trusts its own "sold out" before asking the shared counter again: units
// come back when purchases go unpaid, and another node may be the one that sees it.
const SOLD_OUT_FLAG_MS = 1_000;
const STALE_ADMISSION_MS = 10_000;

export function createFlashSaleService(deps: {
  db: Database;
  clock: Clock;
  tokens: StockTokens;
  writer: AdmissionWriter;
  limits: AttemptLimits;
  /** Sessions logged out lately: their purchase tokens are refused. */
  revokedSessions: RevokedSessions;
  secret: string;
  /** How long a purchase token lives: short, so that a leaked one is soon worthless. */
  purchaseTokenMs?: number;
  /** The installation's maximum order total: a flash order is one unit at the flash price. */
  maxOrderTotal: number;
}): FlashSaleService {
  const { db, clock, tokens, writer, limits, revokedSessions, secret } = deps;
  const purchaseTokenMs = deps.purchaseTokenMs ?? PURCHASE_TOKEN_TTL_MS;
  const sales = new LRUCache<string, store.FlashSaleRecord>({ max: 10_000, ttl: SALE_CACHE_TTL_MS });
  const soldOutUntil = new Map<string, number>();
  // Sales this node has served: the ones whose stale admissions it settles.
  const served = new Map<string, { tenantId: string; expiresAt: Date }>();
  const meter = createAttemptMeter(() => clock.now().getTime());

  async function loadSale(platform: Platform, saleId: string): Promise<store.FlashSaleRecord> {
    const key = `${platform.id}/${saleId}`;
    const hit = sales.get(key);
    if (hit) return hit;
    const sale = await db.withTenant(platform.id, (tx) => store.findSale(tx, saleId));
    if (!sale) throw new NotFound('flash_sale_not_found', 'No such flash sale.');
    sales.set(key, sale);
    return sale;
  }

  function phaseOf(sale: store.FlashSaleRow, now: number): SalePhase {
    if (now < sale.startsAt.getTime()) return 'upcoming';
    return now < sale.endsAt.getTime() && sale.status === 'scheduled' ? 'live' : 'ended';
  }

  function view(sale: store.FlashSaleRecord): FlashSaleView {
    return {
      id: sale.id,
      productId: sale.productId,
      variantId: sale.variantId,
      sku: sale.sku,
      optionValues: sale.optionValues,
      title: sale.title,
      price: Number(sale.price),
      currency: sale.currency,
      quantity: sale.quantity,
      perCustomerLimit: sale.perCustomerLimit,
      paymentMinutes: sale.paymentMinutes,
      startsAt: sale.startsAt,
      endsAt: sale.endsAt,
      phase: phaseOf(sale, clock.now().getTime()),
      status: sale.status,
    };
  }

  /** When the counters may be dropped: a day after the last payment deadline. */
  function countersExpireAt(sale: store.FlashSaleRow): Date {
    return new Date(sale.endsAt.getTime() + sale.paymentMinutes * 60_000 + 24 * 3600_000);
  }

  async function prepare(platform: Platform, sale: store.FlashSaleRecord): Promise<void> {
    await tokens.prepare(sale.id, () => db.withTenant(platform.id, (tx) => store.loadSaleState(tx, sale.id)), countersExpireAt(sale));
  }

  function refusal(outcome: 'not_started' | 'ended' | 'sold_out' | 'limit_reached', sale: store.FlashSaleRecord): Refused {
    const details = {
      not_started: `The sale starts at ${sale.startsAt.toISOString()}.`,
      ended: 'The sale has ended.',
      sold_out: 'Sold out.',
      limit_reached: `At most ${sale.perCustomerLimit} per customer.`,
    };
    return { outcome, status: 409, detail: details[outcome] };
  }

  /** For the endpoints around the attempt, where a refusal is an ordinary 409. */
  function refuse(outcome: 'not_started' | 'ended', sale: store.FlashSaleRecord): never {
    throw new Conflict(outcome, refusal(outcome, sale).detail);
  }

  return {
    serverTime: () => clock.now(),

    async createSale(platform, input) {
      const now = clock.now();
      assertWithinOrderLimit(input.price, deps.maxOrderTotal);
      if (input.endsAt <= now) throw new Invalid('validation_failed', 'The sale would be over already.', [{ path: 'endsAt', message: 'must be in the future' }]);
      const saleId = newId('fs');
      await db.withTenant(platform.id, async (tx) => {
        const variant = await tx
          .selectFrom('variants as v')
          .innerJoin('products as p', (join) => join.onRef('p.tenantId', '=', 'v.tenantId').onRef('p.id', '=', 'v.productId'))
          .select(['v.id', 'v.productId', 'p.title', 'p.status'])
          .where('v.id', '=', input.variantId)
          .executeTakeFirst();
        if (!variant) throw new NotFound('variant_not_found', 'No such variant.');
        if (variant.status !== 'active') throw new Conflict('product_not_active', 'Only an active product can go on a flash sale.');
        const currency = input.currency ?? platform.defaultCurrency;
        if (!platform.currencies.includes(currency)) {
          throw new Invalid('validation_failed', `This platform sells in ${platform.currencies.join(', ')}.`, [{ path: 'currency', message: 'not a currency of this platform' }]);
        }
        const pool = await reservePool(tx, platform.id, saleId, input.variantId, input.quantity, now);
        if (!pool.ok) {
          throw new Conflict('insufficient_stock', `Only ${pool.shortages[0]!.available} units are available to set aside for the sale.`, [
            { path: 'quantity', message: `at most ${pool.shortages[0]!.available}` },
          ]);
        }
        await store.insertSale(tx, {
          tenantId: platform.id,
          id: saleId,
          productId: variant.productId,
          variantId: input.variantId,
          title: variant.title,
          currency,
          price: input.price,
          quantity: input.quantity,
          perCustomerLimit: input.perCustomerLimit,
          paymentMinutes: input.paymentMinutes,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          createdAt: now,
        });
        await appendEvent(tx, platform.id, { type: 'flashsale.created', aggregateType: 'flash_sale', aggregateId: saleId, payload: { variantId: input.variantId, quantity: input.quantity } }, now);
      });
      return view(await loadSale(platform, saleId));
    },

    async listSales(platform) {
      const rows = await db.withTenant(platform.id, (tx) => store.listSales(tx, 100));
      return Promise.all(rows.map(async (row) => view(await loadSale(platform, row.id))));
    },

    async getSale(platform, saleId) {
      return view(await loadSale(platform, saleId));
    },

    async liveStats(platform, saleId) {
      const sale = await loadSale(platform, saleId);
      const counts = await db.withTenant(platform.id, (tx) => store.saleCounts(tx, saleId));
      const remaining = (await tokens.remaining(saleId)) ?? counts.pool;
      return { quantity: sale.quantity, sold: counts.orders, paid: counts.paid, cancelled: counts.cancelled, remaining, ...meter.rates(saleId) };
    },

    async isSoldOut(platform, saleId) {
      if ((soldOutUntil.get(saleId) ?? 0) > clock.now().getTime()) return true;
      const sale = await loadSale(platform, saleId);
      let remaining = await tokens.remaining(saleId);
      if (remaining === undefined) {
        await prepare(platform, sale);
        remaining = await tokens.remaining(saleId);
      }
      return remaining === 0;
    },

    async issuePurchaseToken(platform, saleId, { customerId, sessionId }) {
      const sale = await loadSale(platform, saleId);
      const now = clock.now().getTime();
      const phase = phaseOf(sale, now);
      if (phase === 'upcoming') refuse('not_started', sale);
      if (phase === 'ended') refuse('ended', sale);
      const expiresAt = Math.min(now + purchaseTokenMs, sale.endsAt.getTime());
      return { token: issuePurchaseToken(secret, { tenantId: platform.id, saleId, customerId, sessionId, expiresAt }), expiresAt: new Date(expiresAt) };
    },

    async attempt(platform, saleId, input) {
      const sale = await loadSale(platform, saleId);
      const now = clock.now().getTime();
      const holder = verifyPurchaseToken(secret, input.token, { tenantId: platform.id, saleId, now });
      if (!holder) {
        return { outcome: 'invalid_purchase_token', status: 401, detail: 'The purchase token is not valid for this sale, or has expired; get a new one.' };
      }
      const { customerId } = holder;
      const phase = phaseOf(sale, now);
      if (phase !== 'live') return refusal(phase === 'upcoming' ? 'not_started' : 'ended', sale);
      meter.attempt(saleId);
      if (!served.has(saleId)) served.set(saleId, { tenantId: platform.id, expiresAt: countersExpireAt(sale) });
      const paymentDeadline = new Date(now + sale.paymentMinutes * 60_000);
      const admitted = (orderId: string, replayed: boolean): Admitted => ({ outcome: 'admitted', orderId, replayed, price: Number(sale.price), currency: sale.currency, paymentDeadline });
      const known = tokens.knownAnswer(saleId, customerId, input.idempotencyKey);
      if (known) return admitted(known, true);
      if ((soldOutUntil.get(saleId) ?? 0) > now) return refusal('sold_out', sale);
      // Both in one round trip's time: the revocation check adds no latency to the limits' own.
      const [wait, revoked] = await Promise.all([limits.consume(platform.id, input.ip, customerId), revokedSessions.isRevoked(holder.sessionId)]);
      if (revoked) return { outcome: 'session_revoked', status: 401, detail: 'The login that asked for this purchase token has ended; log in again.' };
      if (wait !== undefined) return { outcome: 'rate_limited', status: 429, detail: 'Too many attempts; wait a moment and try again.', retryAfterSeconds: wait };

      const request = { saleId, customerId, idempotencyKey: input.idempotencyKey, orderId: newId('ord'), limit: sale.perCustomerLimit, at: now };
      let admission = await tokens.admit(request);
      if (admission.outcome === 'unprepared') {
        await prepare(platform, sale);
        admission = await tokens.admit(request);
      }
      switch (admission.outcome) {
        case 'replayed':
          return admitted(admission.orderId, true);
        case 'sold_out':
          soldOutUntil.set(saleId, now + (tokens.kind === 'memory' ? Number.MAX_SAFE_INTEGER : SOLD_OUT_FLAG_MS));
          return refusal('sold_out', sale);
        case 'limit_reached':
          return refusal('limit_reached', sale);
        case 'unprepared':
          throw new Error(`stock tokens for ${saleId} could not be prepared`);
      }

      const pending = { orderId: request.orderId, customerId, idempotencyKey: input.idempotencyKey, at: now };
      let outcome;
      try {
        outcome = await writer.write(platform, sale, { id: request.orderId, customerId, idempotencyKey: input.idempotencyKey, shippingAddress: input.shippingAddress, expiresAt: paymentDeadline });
      } catch (error) {
        await tokens.revoke(saleId, pending, true);
        // The customer's key already names another request of theirs (a checkout): the key, not the sale, is at fault.
        if ((error as { code?: string }).code === '23505') {
          throw new Conflict('idempotency_key_reused', 'This Idempotency-Key was already used for another request; send a new one.');
        }
        throw error;
      }
      if (outcome === 'no_unit') {
        // The counter was ahead of the database (a unit lost to a crash and not yet settled):
        // drop the phantom unit so the two agree again.
        await tokens.revoke(saleId, pending, false);
        return refusal('sold_out', sale);
      }
      await tokens.confirm(saleId, [request.orderId]);
      meter.admitted(saleId);
      return admitted(request.orderId, false);
    },

    async unitReturned(tenantId, saleId, orderId) {
      const order = await db.withTenant(tenantId, (tx) => tx.selectFrom('orders').select('customerId').where('id', '=', orderId).executeTakeFirst());
      if (!order) return;
      if (await tokens.returnUnit(saleId, orderId, order.customerId)) soldOutUntil.delete(saleId);
    },

    async closeEndedSales(platforms) {
      let closed = 0;
      for (const platform of platforms) {
        closed += await db.withTenant(platform.id, async (tx) => {
          const at = clock.now();
          const due = await store.listSalesToClose(tx, at);
          for (const sale of due) {
            await closePool(tx, platform.id, sale.id, at);
            await store.markSaleClosed(tx, sale.id, at);
            await appendEvent(tx, platform.id, { type: 'flashsale.closed', aggregateType: 'flash_sale', aggregateId: sale.id, payload: {} }, at);
          }
          return due.length;
        });
      }
      return closed;
    },

    async recoverStaleAdmissions() {
      if (tokens.kind === 'memory') return 0; // one process: a failed write is revoked where it failed
      let settled = 0;
      const before = clock.now().getTime() - STALE_ADMISSION_MS;
      for (const [saleId, { tenantId, expiresAt }] of served) {
        if (expiresAt.getTime() < clock.now().getTime()) {
          served.delete(saleId);
          continue;
        }
        const stale = await tokens.stalePending(saleId, before);
        if (stale.length === 0) continue;
        const written = await db.withTenant(tenantId, (tx) => store.existingOrderIds(tx, stale.map((admission) => admission.orderId)));
        await tokens.confirm(saleId, [...written]);
        for (const admission of stale.filter((entry) => !written.has(entry.orderId))) await tokens.revoke(saleId, admission, true);
        settled += stale.length;
      }
      return settled;
    },
  };
}
