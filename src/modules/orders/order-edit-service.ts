import { sql, type Selectable } from 'kysely';
import type { Database, Tx } from '../../infra/db/database.ts';
import type { OrderEditSettlement, OrderEditsTable } from '../../infra/db/schema.ts';
import { appendEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, NotFound, Unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { cartLinesQuery, toCartLine, type CartLineDetail } from '../cart/cart-lines.ts';
import { shippableOf } from '../cart/cart-pricing.ts';
import { readDestination } from '../cart/destination.ts';
import { commitReservations, giveBackOrderUnits, reserveStock } from '../inventory/index.ts';
import { captureTender } from '../ledger/index.ts';
import type { PaymentService } from '../payments/payment-service.ts';
import { shippingCharge } from '../shipping/shipping-rates.ts';
import { regionOf } from '../shipping/regions.ts';
import { rateFor } from '../tax/tax-rules.ts';
import type { Platform } from '../tenants/platform.ts';
import { settleOrderPaidByTenders } from './checkout-store.ts';
import { applyLineEdit, type AddedLine, type EditedLine, type EditedTotals } from './order-edit-rules.ts';
import * as store from './order-store.ts';
import { orderView, type OrderView } from './order-view.ts';

export interface OrderEditInput {
  /** New quantities of the order's lines; 0 takes a line off. */
  lines: { lineNo: number; quantity: number }[];
  /** Variants the order doesn't hold yet. */
  add: { variantId: string; quantity: number }[];
}

export interface EditPreview {
  before: Totals;
  after: Totals & { lines: OrderView['lines'] };
  /** after.total - before.total. */
  difference: number;
  /** What applying the edit would do with the difference. */
  settlement: OrderEditSettlement;
  /** Paid back at once (a paid order that comes to cost less than it was paid). */
  refund: number;
  /** What the order would owe on top of what was paid. */
  balanceDue: number;
}

interface Totals {
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  taxTotal: number;
  total: number;
}

export interface OrderEditView {
  id: string;
  actor: string;
  reason: string;
  changes: { lineNo: number; variantId: string; sku: string; from: number; to: number }[];
  totalBefore: number;
  totalAfter: number;
  difference: number;
  settlement: OrderEditSettlement;
  refunded: number;
  createdAt: Date;
}

export interface OrderEditService {
  /** What the edit would make of the order and its payment; nothing is written. */
  previewEdit(platform: Platform, orderId: string, input: OrderEditInput): Promise<EditPreview>;
  /** Applies the edit: lines, stock, totals, and the difference collected or paid back, at once. */
  editOrder(platform: Platform, orderId: string, input: OrderEditInput & { reason: string }, actor: string): Promise<{ order: OrderView; edit: OrderEditView }>;
  listEdits(platform: Platform, orderId: string): Promise<OrderEditView[]>;
}

/**
 * Order edits before shipping (the arithmetic is `order-edit-rules.ts`'s). An unpaid order just
 * comes to another amount: a payment session opened for the old one is set aside, and the next
 * one is for the new amount. A paid order that costs more owes the difference as a balance, paid
 * by a further payment; one that costs less is paid the difference back at once (a balance still
 * owed is cancelled first). Stock follows in the same transaction: more units are reserved (and,
 * for a paid order, leave the warehouse), fewer go back.
 */
export function createOrderEditService(deps: { db: Database; clock: Clock; maxOrderTotal: number; payments: PaymentService }): OrderEditService {
  const { db, clock } = deps;

  async function plan(tx: Tx, platform: Platform, orderId: string, input: OrderEditInput, at: Date) {
    // The order's payments before the order, in the order a provider webhook locks them, so an
    // edit and a payment landing together queue rather than deadlock.
    await sql`select id from payments where order_id = ${orderId} for update`.execute(tx);
    const order = await store.findOrder(tx, orderId, { lock: true });
    if (!order) throw new NotFound('order_not_found', 'No such order.');
    await assertEditable(tx, order);
    const lines = await store.findOrderLines(tx, orderId);
    const quantities = new Map<number, number>();
    for (const [index, line] of input.lines.entries()) {
      if (!lines.some((existing) => existing.lineNo === line.lineNo)) throw invalid(`body.lines.${index}.lineNo`, 'unknown_line', `The order has no line ${line.lineNo}.`);
      if (quantities.has(line.lineNo)) throw invalid(`body.lines.${index}.lineNo`, 'duplicate_line', `Line ${line.lineNo} is named twice.`);
      quantities.set(line.lineNo, line.quantity);
    }
    const added = await priceAddedLines(tx, platform, order, lines, input.add, at);
    const totals = applyLineEdit(
      { lines, shippingTotal: Number(order.shippingTotal), shippingTax: Number(order.shippingTax), pricesIncludeTax: order.pricesIncludeTax },
      { quantities, added },
      deps.maxOrderTotal,
    );
    if (totals.changes.length === 0) throw new Unprocessable('edit_changes_nothing', 'That edit changes no quantity.', [{ path: 'body', message: 'no change' }]);
    if (totals.total < Number(order.tenderTotal)) {
      throw new Conflict('edit_below_tenders', `Gift cards and store credit paid ${order.tenderTotal} of this order, so it can't come to less; refund the order instead.`);
    }
    return { order, lines, totals, money: settle(order, totals.total) };
  }

  async function priceAddedLines(tx: Tx, platform: Platform, order: store.OrderRow, lines: EditedLine[], add: OrderEditInput['add'], at: Date): Promise<AddedLine[]> {
    if (add.length === 0) return [];
    for (const [index, line] of add.entries()) {
      if (lines.some((existing) => existing.variantId === line.variantId) || add.findIndex((other) => other.variantId === line.variantId) !== index) {
        throw invalid(`body.add.${index}.variantId`, 'variant_already_on_order', 'The order holds that variant already: change its line\'s quantity instead.');
      }
    }
    const found = await sql<Parameters<typeof toCartLine>[0]>`
      ${cartLinesQuery(
        sql`'edit'`,
        sql`${order.currency}`,
        { customerId: order.customerId, at },
        sql`(select ${platform.id}::text as tenant_id, 'edit'::text as cart_id, a.variant_id, a.quantity, now() as added_at
             from unnest(${add.map((line) => line.variantId)}::text[], ${add.map((line) => line.quantity)}::int[]) as a(variant_id, quantity))`,
      )}`.execute(tx);
    const priced = new Map(found.rows.map((row) => [row.variantId, toCartLine(row)]));
    const destination = await readDestination(tx, order.shippingAddress, order.shippingMethodId ?? undefined);
    const { provinceKey } = regionOf(order.shippingAddress);
    const method = order.shippingMethodId ? destination.methods.find((candidate) => candidate.id === order.shippingMethodId) : undefined;
    return add.map((line, index) => {
      const detail = priced.get(line.variantId);
      if (!detail) throw invalid(`body.add.${index}.variantId`, 'variant_not_found', 'No such variant.');
      if (!detail.forSale) throw new Conflict('items_unavailable', `${detail.sku} is not for sale in ${order.currency}.`);
      if (destination.shippingConfigured && !order.shippingMethodId && detail.requiresShipping) {
        throw new Unprocessable('shipping_method_required', `The order ships nothing, so it can't take ${detail.sku}; place a new order for it.`, [{ path: `body.add.${index}.variantId`, message: 'needs shipping' }]);
      }
      if (method && !carries(method, detail, order.currency)) {
        throw new Unprocessable('shipping_method_unavailable', `The order's shipping method does not carry ${detail.sku}.`, [{ path: `body.add.${index}.variantId`, message: 'not carried' }]);
      }
      return {
        productId: detail.productId,
        variantId: detail.variantId,
        sku: detail.sku,
        title: detail.title,
        optionValues: detail.optionValues,
        unitPrice: detail.unitPrice!,
        quantity: line.quantity,
        taxClass: detail.taxClass,
        taxRateBp: rateFor(destination.taxRates, detail.taxClass, provinceKey),
        priceListId: detail.priceListId,
        listPrice: detail.listPrice,
      };
    });
  }

  async function apply(tx: Tx, platform: Platform, planned: Awaited<ReturnType<typeof plan>>, input: { reason: string }, actor: string, at: Date) {
    const { order, lines, totals, money } = planned;
    await moveStock(tx, platform.id, order, lines, totals, actor, at);
    await writeLines(tx, platform.id, order.id, lines, totals);
    await tx
      .updateTable('orders')
      .set({ subtotal: totals.subtotal, discountTotal: totals.discountTotal, taxTotal: totals.taxTotal, total: totals.total, balanceDue: money.balanceDue, updatedAt: at })
      .where('id', '=', order.id)
      .execute();
    // A session opened for the amount the order was to cost before would pay the wrong amount
    // (the webhook would send such money back); the next session asks for the right one.
    if (money.difference !== 0) {
      const superseded = await tx.updateTable('payments').set({ status: 'failed', updatedAt: at }).where('orderId', '=', order.id).where('status', '=', 'pending').returning('id').execute();
      for (const payment of superseded) {
        await appendEvent(tx, platform.id, { type: 'payment.superseded', aggregateType: 'payment', aggregateId: payment.id, payload: { orderId: order.id } }, at);
      }
    }
    const editId = newId('oed');
    if (money.refund > 0) {
      await deps.payments.giveMoneyBack(tx, platform.id, order, { amount: money.refund, reason: `order edited: ${input.reason}`, to: 'original' }, at);
    }
    const edit = await tx
      .insertInto('orderEdits')
      .values({
        tenantId: platform.id,
        id: editId,
        orderId: order.id,
        actor,
        reason: input.reason,
        changes: JSON.stringify(totals.changes),
        totalBefore: Number(order.total),
        totalAfter: totals.total,
        difference: money.difference,
        settlement: money.settlement,
        refunded: money.refund,
        createdAt: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(
      tx,
      platform.id,
      {
        type: 'order.edited',
        aggregateType: 'order',
        aggregateId: order.id,
        payload: { editId, changes: totals.changes, totalBefore: Number(order.total), totalAfter: totals.total, settlement: money.settlement, refunded: money.refund, balanceDue: money.balanceDue },
      },
      at,
    );
    // Gift cards and store credit held for an unpaid order may now cover all of it: paid now.
    if (order.status === 'pending_payment' && totals.total === Number(order.tenderTotal)) {
      await settleOrderPaidByTenders(tx, { tenantId: platform.id, orderId: order.id, total: totals.total, currency: order.currency, at });
      await captureTender(tx, order.id, at);
    }
    return editView(edit);
  }

  return {
    previewEdit: (platform, orderId, input) =>
      db.withTenant(platform.id, async (tx) => {
        const { order, totals, money } = await plan(tx, platform, orderId, input, clock.now());
        const view = orderView({ ...order, ...totals, balanceDue: money.balanceDue }, totals.lines.map((line) => ({ ...line, tenantId: platform.id, orderId })));
        return {
          before: totalsOf(order),
          after: { ...totalsOf({ ...order, ...totals }), lines: view.lines },
          difference: money.difference,
          settlement: money.settlement,
          refund: money.refund,
          balanceDue: money.balanceDue,
        };
      }),

    editOrder: (platform, orderId, input, actor) =>
      db.withTenant(platform.id, async (tx) => {
        const at = clock.now();
        const planned = await plan(tx, platform, orderId, input, at);
        const edit = await apply(tx, platform, planned, input, actor, at);
        const order = await store.findOrder(tx, orderId);
        return { order: orderView(order!, await store.findOrderLines(tx, orderId)), edit };
      }),

    listEdits: (platform, orderId) =>
      db.withTenant(platform.id, async (tx) => {
        const rows = await tx.selectFrom('orderEdits').selectAll().where('orderId', '=', orderId).orderBy('createdAt').orderBy('id').execute();
        return rows.map(editView);
      }),
  };
}

/** Only an order nothing has left yet, that the staff can still change as a whole. */
async function assertEditable(tx: Tx, order: store.OrderRow): Promise<void> {
  if (order.status !== 'pending_payment' && order.status !== 'paid') {
    throw new Conflict('order_not_editable', `This order is ${order.status.replaceAll('_', ' ')}; its lines can no longer change.`);
  }
  if (order.flashSaleId) throw new Conflict('order_not_editable', 'A flash-sale order keeps the unit it won; its lines cannot change.');
  if (Number(order.refundedTotal) > 0) throw new Conflict('order_not_editable', 'Part of this order was refunded; its lines can no longer change.');
  if (await store.hasShipments(tx, order.id)) throw new Conflict('order_not_editable', 'Part of this order has a shipment already; its lines can no longer change.');
}

/**
 * What becomes of the difference. Unpaid: the amount due changes. Paid and dearer: the order owes
 * the difference. Paid and cheaper: a balance still owed shrinks first, the rest is paid back.
 */
function settle(order: store.OrderRow, totalAfter: number): { difference: number; settlement: OrderEditSettlement; balanceDue: number; refund: number } {
  const difference = totalAfter - Number(order.total);
  const owed = Number(order.balanceDue);
  if (difference === 0) return { difference, settlement: 'none', balanceDue: owed, refund: 0 };
  if (order.status === 'pending_payment') return { difference, settlement: 'amount_due_changed', balanceDue: 0, refund: 0 };
  if (difference > 0) return { difference, settlement: 'balance_due', balanceDue: owed + difference, refund: 0 };
  const cancelled = Math.min(owed, -difference);
  const refund = -difference - cancelled;
  return { difference, settlement: refund > 0 ? 'refunded' : 'balance_due', balanceDue: owed - cancelled, refund };
}

/**
 * Units follow the lines: more are reserved (all or none; for a paid order they leave the
 * warehouse at once, as its other units did when it was paid), fewer go back.
 */
async function moveStock(tx: Tx, tenantId: string, order: store.OrderRow, before: EditedLine[], totals: EditedTotals, actor: string, at: Date): Promise<void> {
  const was = new Map(before.map((line) => [line.variantId, line.quantity]));
  const now = new Map(totals.lines.map((line) => [line.variantId, line.quantity]));
  const more: { variantId: string; quantity: number }[] = [];
  const fewer: { variantId: string; quantity: number }[] = [];
  for (const variantId of new Set([...was.keys(), ...now.keys()])) {
    const delta = (now.get(variantId) ?? 0) - (was.get(variantId) ?? 0);
    if (delta > 0) more.push({ variantId, quantity: delta });
    if (delta < 0) fewer.push({ variantId, quantity: -delta });
  }
  for (const line of fewer) await giveBackOrderUnits(tx, tenantId, { orderId: order.id, ...line, actor, at });
  if (more.length === 0) return;
  const reserved = await reserveStock(tx, tenantId, order.id, more, at);
  if (!reserved.ok) {
    const skus = reserved.shortages.map((short) => totals.lines.find((line) => line.variantId === short.variantId)!.sku);
    throw new Conflict(
      'out_of_stock',
      `Not enough stock for ${skus.join(', ')}.`,
      reserved.shortages.map((short, index) => ({ path: `lines.${skus[index]}`, message: `${short.available} available, ${short.requested} more asked` })),
    );
  }
  if (order.status === 'paid') await commitReservations(tx, tenantId, order.id, at);
}

/** The lines as edited: changed ones updated, removed ones deleted, added ones inserted. */
async function writeLines(tx: Tx, tenantId: string, orderId: string, before: EditedLine[], totals: EditedTotals): Promise<void> {
  const after = new Map(totals.lines.map((line) => [line.lineNo, line]));
  const removed = before.filter((line) => !after.has(line.lineNo)).map((line) => line.lineNo);
  if (removed.length > 0) await tx.deleteFrom('orderLines').where('orderId', '=', orderId).where('lineNo', 'in', removed).execute();
  for (const line of totals.lines) {
    const previous = before.find((old) => old.lineNo === line.lineNo);
    if (!previous) {
      await tx
        .insertInto('orderLines')
        .values({ ...line, tenantId, orderId, title: JSON.stringify(line.title), optionValues: JSON.stringify(line.optionValues) })
        .execute();
    } else if (previous.quantity !== line.quantity) {
      await tx
        .updateTable('orderLines')
        .set({ quantity: line.quantity, discount: line.discount, total: line.total, tax: line.tax })
        .where('orderId', '=', orderId)
        .where('lineNo', '=', line.lineNo)
        .execute();
    }
  }
}

function carries(method: Parameters<typeof shippingCharge>[0], line: CartLineDetail, currency: string): boolean {
  const charge = shippingCharge(method, [shippableOf(line)], 0, currency);
  return charge.available || charge.reason !== 'profile_not_carried';
}

function totalsOf(order: { subtotal: number; discountTotal: number; shippingTotal: number; taxTotal: number; total: number }): Totals {
  return {
    subtotal: Number(order.subtotal),
    discountTotal: Number(order.discountTotal),
    shippingTotal: Number(order.shippingTotal),
    taxTotal: Number(order.taxTotal),
    total: Number(order.total),
  };
}

function editView(row: Selectable<OrderEditsTable>): OrderEditView {
  return {
    id: row.id,
    actor: row.actor,
    reason: row.reason,
    changes: row.changes,
    totalBefore: Number(row.totalBefore),
    totalAfter: Number(row.totalAfter),
    difference: Number(row.difference),
    settlement: row.settlement,
    refunded: Number(row.refunded),
    createdAt: row.createdAt,
  };
}

function invalid(path: string, code: string, message: string): Unprocessable {
  return new Unprocessable(code, message, [{ path, message }]);
}
