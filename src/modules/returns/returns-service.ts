import type { Database, Tx } from '../../infra/db/database.ts';
import { appendEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, Conflict, NotFound, Unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Page } from '../../platform/pagination.ts';
import { attachFiles } from '../files/index.ts';
import { restockReturnedUnits } from '../inventory/index.ts';
import { placeReplacementOrder } from '../orders/index.ts';
import type { PaymentService } from '../payments/index.ts';
import type { Platform } from '../tenants/platform.ts';
import { returnAmount } from './return-amount.ts';
import type { CreateReturnInput, ReceiveReturnInput, ReturnShipmentInput } from './returns-schema.ts';
import * as store from './returns-store.ts';
import type { ReturnLineRow, ReturnRow, ReturnState, ReturnType } from './returns-store.ts';

export interface ReturnView {
  id: string;
  orderId: string;
  customerId: string;
  type: ReturnType;
  state: ReturnState;
  reasonCode: string;
  reasonText: string;
  photos: { id: string; url: string }[];
  amount: number;
  currency: string;
  rejectReason: string | null;
  shipBackBy: Date | null;
  returnShipment: { carrier: string; carrierName: string | null; trackingNumber: string; shippedAt: Date | null } | null;
  refundId: string | null;
  /** Why the last refund or replacement attempt failed; staff settle again. */
  settleError: string | null;
  replacementOrderId: string | null;
  lines: {
    lineNo: number;
    sku: string;
    variantId: string;
    title: Record<string, string>;
    quantity: number;
    restocked: number;
    writtenOff: number;
    /** What an exchange sends instead of the variant bought; null for the same one again. */
    exchangeFor: { variantId: string; sku: string | null; optionValues: Record<string, string> | null } | null;
  }[];
  createdAt: Date;
  decidedAt: Date | null;
  receivedAt: Date | null;
  closedAt: Date | null;
}

export interface ReturnService {
  request(platform: Platform, customerId: string, orderId: string, input: CreateReturnInput): Promise<ReturnView>;
  listMine(platform: Platform, customerId: string, filter: { orderId?: string | undefined; limit: number; cursor?: string | undefined }): Promise<Page<ReturnView>>;
  /** With `customerId`, another customer's request is not found. */
  get(platform: Platform, returnId: string, customerId?: string): Promise<ReturnView>;
  submitReturnShipment(platform: Platform, customerId: string, returnId: string, input: ReturnShipmentInput): Promise<ReturnView>;
  cancel(platform: Platform, customerId: string, returnId: string): Promise<ReturnView>;
  list(platform: Platform, filter: store.ReturnListFilter & { cursor?: string | undefined }): Promise<Page<ReturnView>>;
  approve(platform: Platform, staffId: string, returnId: string): Promise<ReturnView>;
  reject(platform: Platform, staffId: string, returnId: string, reason: string): Promise<ReturnView>;
  receive(platform: Platform, staffId: string, returnId: string, input: ReceiveReturnInput): Promise<ReturnView>;
  /** Refunds an approved refund-only or a received return, or places an exchange's replacement; once. */
  settle(platform: Platform, returnId: string): Promise<ReturnView>;
  /** Closes approved returns whose parcel was not sent back in time; returns how many. */
  expireOverdueReturns(platforms: Platform[]): Promise<number>;
}

/** Order states a return may be asked for: paid, and not wholly refunded or cancelled. */
const RETURNABLE = ['paid', 'partially_fulfilled', 'fulfilled', 'completed', 'partially_refunded'];
const DAY_MS = 86_400_000;
// A refund claimed this long ago and still unrecorded was cut short (a crash): it may be retried.
const STALE_REFUND_MS = 60_000;

export function createReturnService(deps: { db: Database; clock: Clock; payments: Pick<PaymentService, 'refundOrder'> }): ReturnService {
  const { db, clock } = deps;

  async function readView(tx: Tx, row: ReturnRow): Promise<ReturnView> {
    return view(row, await store.findReturnLines(tx, [row.id]));
  }

  async function mustFind(tx: Tx, returnId: string, customerId?: string, lock = false): Promise<ReturnRow> {
    const row = await store.findReturn(tx, returnId, { lock });
    if (!row || (customerId !== undefined && row.customerId !== customerId)) throw new NotFound('return_not_found', 'No such return request.');
    return row;
  }

  /** Moves a request on from `from`, with its event, or says why it can't. */
  async function move(
    tx: Tx,
    platform: Platform,
    row: ReturnRow,
    from: readonly ReturnState[],
    changes: Parameters<typeof store.transition>[3],
    event: { type: string; payload?: Record<string, unknown> },
  ): Promise<ReturnRow> {
    const moved = await store.transition(tx, row.id, from, changes);
    if (!moved) throw new Conflict('illegal_return_transition', `A return request that is ${row.state.replaceAll('_', ' ')} cannot be ${event.type.replace('return.', '').replaceAll('_', ' ')}.`);
    await appendEvent(
      tx,
      platform.id,
      { type: event.type, aggregateType: 'return', aggregateId: row.id, payload: { orderId: row.orderId, customerId: row.customerId, returnType: row.type, ...event.payload } },
      changes.updatedAt,
    );
    return moved;
  }

  /** An approval: refund-only requests are ready to refund, the others wait for the parcel. */
  function approval(platform: Platform, row: Pick<ReturnRow, 'type'>, decidedBy: string, at: Date) {
    return row.type === 'refund_only'
      ? { state: 'approved' as const, decidedBy, decidedAt: at, updatedAt: at }
      : { state: 'awaiting_return' as const, decidedBy, decidedAt: at, updatedAt: at, shipBackBy: new Date(at.getTime() + platform.returns.shipBackDays * DAY_MS) };
  }

  async function refund(platform: Platform, returnId: string): Promise<ReturnView> {
    // Claim the refund under the request's state: of two settles at once, one refunds.
    const claimed = await db.withTenant(platform.id, async (tx) => {
      const row = await mustFind(tx, returnId, undefined, true);
      const at = clock.now();
      if (row.state === 'refunded') return { row, claim: false };
      if (row.state === 'refunding') {
        // A refund cut short after the money moved is found by its tag and recorded, not repeated.
        const refundId = await store.findRefundFor(tx, row.orderId, refundTag(row.id));
        if (refundId) return { row: await markRefunded(tx, platform, row, refundId, at), claim: false };
        if (at.getTime() - row.updatedAt.getTime() < STALE_REFUND_MS) throw new Conflict('refund_in_progress', 'This refund is being made right now.');
        return { row: (await store.transition(tx, row.id, ['refunding'], { state: 'refunding', updatedAt: at }))!, claim: true };
      }
      const from: ReturnState = row.type === 'refund_only' ? 'approved' : 'received';
      if (row.type === 'exchange' || row.state !== from) throw new Conflict('illegal_return_transition', `A return request that is ${row.state.replaceAll('_', ' ')} cannot be refunded.`);
      if (row.amount === 0) return { row: await markRefunded(tx, platform, row, null, at), claim: false };
      return { row: (await store.transition(tx, row.id, [from], { state: 'refunding', settleError: null, updatedAt: at }))!, claim: true };
    });
    if (!claimed.claim) return db.withTenant(platform.id, (tx) => readView(tx, claimed.row));
    const row = claimed.row;
    let outcome: { refundId: string } | { error: string };
    try {
      const made = await deps.payments.refundOrder(platform, row.orderId, { amount: row.amount, reason: `${refundTag(row.id)} ${row.reasonCode}` });
      outcome = { refundId: made.id };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcome = { error: error.code };
    }
    return db.withTenant(platform.id, async (tx) => {
      const at = clock.now();
      if ('refundId' in outcome) return readView(tx, await markRefunded(tx, platform, row, outcome.refundId, at));
      const back: ReturnState = row.type === 'refund_only' ? 'approved' : 'received';
      const reverted = await store.transition(tx, row.id, ['refunding'], { state: back, settleError: outcome.error, updatedAt: at });
      return readView(tx, reverted ?? (await mustFind(tx, row.id)));
    });
  }

  function markRefunded(tx: Tx, platform: Platform, row: ReturnRow, refundId: string | null, at: Date): Promise<ReturnRow> {
    return move(
      tx,
      platform,
      row,
      ['refunding', 'approved', 'received'],
      { state: 'refunded', refundId, settleError: null, closedAt: at, updatedAt: at },
      { type: 'return.refunded', payload: { amount: row.amount, currency: row.currency, refundId } },
    );
  }

  async function exchange(platform: Platform, returnId: string): Promise<ReturnView> {
    try {
      return await db.withTenant(platform.id, async (tx) => {
        const row = await mustFind(tx, returnId, undefined, true);
        if (row.state === 'exchanged') return readView(tx, row);
        if (row.state !== 'received') throw new Conflict('illegal_return_transition', `A return request that is ${row.state.replaceAll('_', ' ')} cannot be exchanged.`);
        const lines = await store.findReturnLines(tx, [row.id]);
        const at = clock.now();
        const placed = await placeReplacementOrder(tx, platform.id, { originalOrderId: row.orderId, reference: row.id, lines: lines.map(({ lineNo, quantity, exchangeVariantId, exchangeSku, exchangeOptionValues }) => ({
            lineNo,
            quantity,
            variant: exchangeVariantId ? { id: exchangeVariantId, sku: exchangeSku!, optionValues: exchangeOptionValues ?? {} } : undefined,
          })), at });
        if (!placed.ok) throw new Conflict('replacement_out_of_stock', 'Not enough stock for the replacement; nothing was ordered.', placed.shortages.map((s) => ({ path: s.variantId, message: `${s.available} available, ${s.requested} needed` })));
        const moved = await move(
          tx,
          platform,
          row,
          ['received'],
          { state: 'exchanged', replacementOrderId: placed.orderId, settleError: null, closedAt: at, updatedAt: at },
          { type: 'return.exchanged', payload: { replacementOrderId: placed.orderId } },
        );
        return readView(tx, moved);
      });
    } catch (error) {
      if (!(error instanceof Conflict) || error.code !== 'replacement_out_of_stock') throw error;
      // The receipt stands; the failure is kept on the request for staff to settle again.
      return db.withTenant(platform.id, async (tx) => {
        const row = await mustFind(tx, returnId, undefined, true);
        const kept = await store.transition(tx, row.id, ['received'], { state: 'received', settleError: error.code, updatedAt: clock.now() });
        return readView(tx, kept ?? row);
      });
    }
  }

  function settle(platform: Platform, row: Pick<ReturnRow, 'id' | 'type'>): Promise<ReturnView> {
    return row.type === 'exchange' ? exchange(platform, row.id) : refund(platform, row.id);
  }

  return {
    async request(platform, customerId, orderId, input) {
      const id = newId('ret');
      const row = await db.withTenant(platform.id, async (tx) => {
        const order = await store.lockReturnableOrder(tx, orderId);
        if (!order || order.customerId !== customerId) throw new NotFound('order_not_found', 'No such order.');
        if (!RETURNABLE.includes(order.status)) {
          throw new Conflict('order_not_returnable', `An order that is ${order.status.replaceAll('_', ' ')} cannot be returned.`);
        }
        const at = clock.now();
        if (order.deliveredAt === null && input.type !== 'refund_only') {
          throw new Conflict('order_not_delivered', 'Goods can be sent back once the order is delivered; before that, ask for a refund of what has not shipped.');
        }
        if (order.deliveredAt !== null && at.getTime() > order.deliveredAt.getTime() + platform.returns.windowDays * DAY_MS) {
          throw new Conflict('return_window_closed', `Returns close ${platform.returns.windowDays} days after delivery.`);
        }
        const byLineNo = new Map(order.lines.map((line) => [line.lineNo, line]));
        const unknown = input.lines.map((line, index) => ({ line, index })).filter(({ line }) => !byLineNo.has(line.lineNo));
        if (unknown.length > 0) {
          throw new Unprocessable('unknown_order_line', 'The order has no such line.', unknown.map(({ index }) => ({ path: `body.lines.${index}.lineNo`, message: 'no such line' })));
        }
        // Before delivery only what has not left the warehouse may be refunded; after, what was bought.
        const over = input.lines.flatMap((line, index) => {
          const ordered = byLineNo.get(line.lineNo)!;
          const open = ordered.quantity - ordered.requested - (order.deliveredAt === null ? ordered.inShipments : 0);
          return line.quantity > open ? [{ path: `body.lines.${index}.quantity`, message: `${Math.max(0, open)} can still be asked for, ${line.quantity} asked` }] : [];
        });
        if (over.length > 0) throw new Conflict('return_exceeds_quantity', 'More units than the order has left to return.', over);
        const exchanges = await exchangeVariants(tx, input.lines, byLineNo, order.currency);
        const amount =
          input.type === 'exchange'
            ? 0
            : input.lines.reduce((sum, line) => sum + returnAmount(byLineNo.get(line.lineNo)!, line.quantity, { addTax: !order.pricesIncludeTax }), 0);
        const auto = input.type === 'refund_only' && platform.returns.autoApproveRefundOnlyBelow > 0 && amount <= platform.returns.autoApproveRefundOnlyBelow;
        const row: ReturnRow = {
          tenantId: platform.id,
          id,
          orderId,
          customerId,
          type: input.type,
          state: 'requested',
          reasonCode: input.reasonCode,
          reasonText: input.reasonText ?? '',
          photoIds: input.photoIds,
          amount,
          currency: order.currency,
          rejectReason: null,
          shipBackBy: null,
          returnCarrier: null,
          returnCarrierName: null,
          returnTracking: null,
          refundId: null,
          settleError: null,
          replacementOrderId: null,
          decidedBy: null,
          createdAt: at,
          updatedAt: at,
          decidedAt: null,
          shippedBackAt: null,
          receivedAt: null,
          closedAt: null,
        };
        await store.insertReturn(tx, row, input.lines.map((line) => ({ ...line, exchangeFor: exchanges.get(line.lineNo) })));
        const attached = new Set(await attachFiles(tx, input.photoIds, { uploadedBy: customerId, purpose: 'return_photo', attachTo: id, at }));
        const missing = input.photoIds.map((photoId, index) => ({ photoId, index })).filter(({ photoId }) => !attached.has(photoId));
        if (missing.length > 0) {
          throw new Unprocessable(
            'photo_not_found',
            'A photo is not one of your unused uploads.',
            missing.map(({ index }) => ({ path: `body.photoIds.${index}`, message: 'no such upload of yours, or used already' })),
          );
        }
        await appendEvent(
          tx,
          platform.id,
          { type: 'return.requested', aggregateType: 'return', aggregateId: id, payload: { orderId, customerId, returnType: input.type, amount, lines: input.lines, reasonCode: input.reasonCode } },
          at,
        );
        if (!auto) return row;
        return move(tx, platform, row, ['requested'], approval(platform, row, 'auto', at), { type: 'return.approved', payload: { automatic: true, amount } });
      });
      if (row.state === 'approved') return refund(platform, row.id);
      return db.withTenant(platform.id, (tx) => readView(tx, row));
    },

    listMine: (platform, customerId, filter) =>
      db.withTenant(platform.id, async (tx) => pageOf(tx, await store.listReturns(tx, { customerId, orderId: filter.orderId, limit: filter.limit, before: filter.cursor }), filter.limit)),

    get: (platform, returnId, customerId) => db.withTenant(platform.id, async (tx) => readView(tx, await mustFind(tx, returnId, customerId))),

    submitReturnShipment: (platform, customerId, returnId, input) =>
      db.withTenant(platform.id, async (tx) => {
        const row = await mustFind(tx, returnId, customerId, true);
        const at = clock.now();
        const moved = await move(
          tx,
          platform,
          row,
          ['awaiting_return'],
          { state: 'shipped_back', returnCarrier: input.carrier, returnCarrierName: input.carrierName ?? null, returnTracking: input.trackingNumber, shippedBackAt: at, updatedAt: at },
          { type: 'return.shipped_back', payload: { carrier: input.carrier, trackingNumber: input.trackingNumber } },
        );
        return readView(tx, moved);
      }),

    cancel: (platform, customerId, returnId) =>
      db.withTenant(platform.id, async (tx) => {
        const row = await mustFind(tx, returnId, customerId, true);
        const at = clock.now();
        return readView(tx, await move(tx, platform, row, ['requested', 'approved', 'awaiting_return'], { state: 'cancelled', closedAt: at, updatedAt: at }, { type: 'return.cancelled' }));
      }),

    list: (platform, filter) =>
      db.withTenant(platform.id, async (tx) => pageOf(tx, await store.listReturns(tx, { state: filter.state, orderId: filter.orderId, limit: filter.limit, before: filter.cursor }), filter.limit)),

    async approve(platform, staffId, returnId) {
      const row = await db.withTenant(platform.id, async (tx) => {
        const row = await mustFind(tx, returnId, undefined, true);
        return move(tx, platform, row, ['requested'], approval(platform, row, staffId, clock.now()), { type: 'return.approved', payload: { staffId, amount: row.amount } });
      });
      if (row.state === 'approved') return refund(platform, row.id);
      return db.withTenant(platform.id, (tx) => readView(tx, row));
    },

    reject: (platform, staffId, returnId, reason) =>
      db.withTenant(platform.id, async (tx) => {
        const row = await mustFind(tx, returnId, undefined, true);
        const at = clock.now();
        const moved = await move(
          tx,
          platform,
          row,
          ['requested'],
          { state: 'rejected', rejectReason: reason, decidedBy: staffId, decidedAt: at, closedAt: at, updatedAt: at },
          { type: 'return.rejected', payload: { staffId, reason } },
        );
        return readView(tx, moved);
      }),

    async receive(platform, staffId, returnId, input) {
      const row = await db.withTenant(platform.id, async (tx) => {
        const row = await mustFind(tx, returnId, undefined, true);
        if (row.type === 'refund_only') throw new Conflict('illegal_return_transition', 'A refund-only request has no parcel to receive.');
        const lines = await store.findReturnLines(tx, [row.id]);
        const given = new Map(input.lines.map((line) => [line.lineNo, line]));
        const wrong = lines.filter((line) => {
          const disposition = given.get(line.lineNo);
          return !disposition || disposition.restock + disposition.writeOff !== line.quantity;
        });
        const extra = input.lines.filter((line) => !lines.some((returned) => returned.lineNo === line.lineNo));
        if (wrong.length > 0 || extra.length > 0) {
          throw new Unprocessable('disposition_mismatch', 'Say for every returned unit of every line whether it is restocked or written off.', [
            ...wrong.map((line) => ({ path: `body.lines`, message: `line ${line.lineNo}: ${line.quantity} units came back` })),
            ...extra.map((line) => ({ path: `body.lines`, message: `line ${line.lineNo} is not in this return` })),
          ]);
        }
        const at = clock.now();
        const moved = await move(
          tx,
          platform,
          row,
          ['awaiting_return', 'shipped_back'],
          { state: 'received', receivedAt: at, updatedAt: at },
          { type: 'return.received', payload: { staffId, lines: input.lines } },
        );
        for (const line of lines) {
          const { restock, writeOff } = given.get(line.lineNo)!;
          await store.recordDisposition(tx, row.id, line.lineNo, restock, writeOff);
          if (restock > 0) {
            await restockReturnedUnits(tx, platform.id, { variantId: line.variantId, quantity: restock, reference: row.id, reason: `return ${row.id} restocked`, actor: staffId, at });
          }
        }
        return moved;
      });
      return settle(platform, row);
    },

    async settle(platform, returnId) {
      const row = await db.withTenant(platform.id, (tx) => mustFind(tx, returnId));
      return settle(platform, row);
    },

    async expireOverdueReturns(platforms) {
      let expired = 0;
      for (const platform of platforms) {
        expired += await db.withTenant(platform.id, async (tx) => {
          const at = clock.now();
          const overdue = await store.lockOverdueReturns(tx, at, 200);
          for (const row of overdue) {
            await move(tx, platform, row, ['awaiting_return'], { state: 'expired', closedAt: at, updatedAt: at }, { type: 'return.expired', payload: { shipBackBy: row.shipBackBy } });
          }
          return overdue.length;
        });
      }
      return expired;
    },
  };
}

/** Every refund of a return names it first, so a refund cut short can be found again. */
function refundTag(returnId: string): string {
  return `return ${returnId}:`;
}

async function pageOf(tx: Tx, rows: ReturnRow[], limit: number): Promise<Page<ReturnView>> {
  const page = rows.slice(0, limit);
  const lines = await store.findReturnLines(tx, page.map((row) => row.id));
  const items = page.map((row) => view(row, lines.filter((line) => line.returnId === row.id)));
  return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
}

/**
 * The variants an exchange is to send instead, checked: another variant of the same product, for
 * sale, at the same catalog price as the one bought (a dearer one is a new purchase, not an
 * exchange). Each a 422 with the line's path otherwise.
 */
async function exchangeVariants(
  tx: Tx,
  lines: CreateReturnInput['lines'],
  byLineNo: Map<number, store.ReturnableLine>,
  currency: string,
): Promise<Map<number, store.ExchangeVariant>> {
  const asked = lines.filter((line) => line.exchangeFor !== undefined);
  const ids = asked.flatMap((line) => [line.exchangeFor!, byLineNo.get(line.lineNo)!.variantId]);
  const catalog = await store.findExchangeCandidates(tx, ids, currency);
  const chosen = new Map<number, store.ExchangeVariant>();
  for (const line of asked) {
    const index = lines.indexOf(line);
    const bought = byLineNo.get(line.lineNo)!;
    const wanted = catalog.get(line.exchangeFor!);
    const refuse = (code: string, message: string) => new Unprocessable(code, message, [{ path: `body.lines.${index}.exchangeFor`, message }]);
    if (!wanted || wanted.productId !== bought.productId) throw refuse('exchange_variant_invalid', 'An exchange sends another variant of the same product.');
    if (line.exchangeFor === bought.variantId) throw refuse('exchange_variant_invalid', 'That is the variant bought; leave exchangeFor out to get the same one again.');
    if (!wanted.forSale || wanted.price === null) throw refuse('exchange_variant_unavailable', `${wanted.sku} is not for sale.`);
    if (wanted.price !== catalog.get(bought.variantId)?.price) throw refuse('exchange_price_differs', `${wanted.sku} costs another price than the variant bought; return it and order the other instead.`);
    chosen.set(line.lineNo, { id: line.exchangeFor!, sku: wanted.sku, optionValues: wanted.optionValues });
  }
  return chosen;
}

function view(row: ReturnRow, lines: ReturnLineRow[]): ReturnView {
  return {
    id: row.id,
    orderId: row.orderId,
    customerId: row.customerId,
    type: row.type,
    state: row.state,
    reasonCode: row.reasonCode,
    reasonText: row.reasonText,
    photos: row.photoIds.map((photoId) => ({ id: photoId, url: `/api/store/files/${photoId}` })),
    amount: Number(row.amount),
    currency: row.currency,
    rejectReason: row.rejectReason,
    shipBackBy: row.shipBackBy,
    returnShipment: row.returnTracking
      ? { carrier: row.returnCarrier!, carrierName: row.returnCarrierName, trackingNumber: row.returnTracking, shippedAt: row.shippedBackAt }
      : null,
    refundId: row.refundId,
    settleError: row.settleError,
    replacementOrderId: row.replacementOrderId,
    lines: lines.map((line) => ({
      lineNo: line.lineNo,
      sku: line.sku,
      variantId: line.variantId,
      title: line.title,
      quantity: line.quantity,
      restocked: line.restocked,
      writtenOff: line.writtenOff,
      exchangeFor: line.exchangeVariantId ? { variantId: line.exchangeVariantId, sku: line.exchangeSku, optionValues: line.exchangeOptionValues } : null,
    })),
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
    receivedAt: row.receivedAt,
    closedAt: row.closedAt,
  };
}
