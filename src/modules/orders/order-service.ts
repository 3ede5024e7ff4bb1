import { createHash } from 'node:crypto';
import type { Database, Tx } from '../../infra/db/database.ts';
import type { ShippingAddress } from '../../infra/db/schema.ts';
import { appendEvent, eventsInsert, type DomainEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Page } from '../../platform/pagination.ts';
import { toPricedLines, assemblePricedCart, chooseDestination, readDestination, subtotalOf } from '../cart/index.ts';
import { rateFor, SHIPPING_TAX_CLASS } from '../tax/index.ts';
import { regionOf } from '../shipping/regions.ts';
import type { InvoiceRequest } from '../tax/invoice-title.ts';
import type { PaymentView, PreparedPayment } from '../payments/payment-service.ts';
import { prepareReservation, releaseReservations, reserveStock, type ReserveOutcome } from '../inventory/index.ts';
import { redeemCoupon, returnCouponUse } from '../promotions/promotion-service.ts';
import type { Platform } from '../tenants/platform.ts';
import { captureTender, holdTender, releaseTender } from '../ledger/index.ts';
import { readForCheckout, settleOrderPaidByTenders, writeOrder, type CheckoutRead } from './checkout-store.ts';
import { assertTransition } from './order-state.ts';
import * as store from './order-store.ts';
import { orderView, type OrderView } from './order-view.ts';

export type CheckoutTender = { kind: 'gift_card'; code: string } | { kind: 'store_credit' };

export interface PlaceOrderInput {
  cartId: string;
  shippingAddress: ShippingAddress;
  /** Required when the platform ships by zones and something in the cart is shipped. */
  shippingMethodId?: string | undefined;
  /** 发票: the invoice the shopper asks for. */
  invoice?: InvoiceRequest | undefined;
  /** Gift cards and the customer's store credit, each used up to what is still due, in this order. */
  tenders?: CheckoutTender[] | undefined;
  idempotencyKey: string;
}

/**
 * Checkout's payment step when it can run inside the order's transaction: a payment to insert
 * with the order, or undefined when the payment must be opened after the order is committed.
 */
export type OpenPaymentStep = (order: { id: string; total: number; currency: string }, at: Date) => Promise<PreparedPayment | undefined>;

export interface PlacedOrder {
  order: OrderView;
  replayed: boolean;
  /** The payment opened with the order, when `openPayment` opened one. */
  payment?: PaymentView | undefined;
}

export interface OrderService {
  /**
   * Checkout's first step, in one transaction: reserve stock → redeem the coupon → write the
   * order from the server's own prices. A repeated idempotency key returns the first order.
   */
  placeOrder(platform: Platform, customerId: string, input: PlaceOrderInput, openPayment?: OpenPaymentStep): Promise<PlacedOrder>;
  getOrder(platform: Platform, orderId: string, customerId?: string): Promise<OrderView>;
  listOrders(platform: Platform, filter: store.OrderListFilter): Promise<Page<OrderView>>;
  completeOrder(platform: Platform, orderId: string): Promise<OrderView>;
  /**
   * Staff correct where an order goes, before anything of it has shipped. The new address must
   * keep what the order was charged: its shipping method must deliver there and every line's
   * tax rate be the same, else the order is refused rather than silently repriced.
   */
  changeShippingAddress(platform: Platform, orderId: string, address: ShippingAddress): Promise<OrderView>;
  cancelOrder(platform: Platform, orderId: string, reason: string): Promise<OrderView>;
  /** Cancels unpaid orders past their deadline on every platform, releasing their stock. */
  expireUnpaidOrders(platforms: Platform[]): Promise<number>;
}

export function createOrderService(deps: { db: Database; clock: Clock; maxOrderTotal: number }): OrderService {
  const { db, clock, maxOrderTotal } = deps;

  async function load(tx: Tx, orderId: string, customerId?: string): Promise<OrderView> {
    const order = await store.findOrder(tx, orderId);
    // Someone else's order is not found rather than forbidden: its existence is not theirs to know.
    if (!order || (customerId && order.customerId !== customerId)) throw new NotFound('order_not_found', 'No such order.');
    return orderView(order, await store.findOrderLines(tx, orderId));
  }

  async function move(platform: Platform, orderId: string, apply: (tx: Tx, order: store.OrderRow, at: Date) => Promise<void>): Promise<OrderView> {
    return db.withTenant(platform.id, async (tx) => {
      const order = await store.findOrder(tx, orderId, { lock: true });
      if (!order) throw new NotFound('order_not_found', 'No such order.');
      await apply(tx, order, clock.now());
      return load(tx, orderId);
    });
  }

  async function cancelInTx(tx: Tx, tenantId: string, order: store.OrderRow, reason: string, at: Date): Promise<void> {
    assertTransition(order.status, 'cancelled');
    await store.updateOrder(tx, order.id, { status: 'cancelled', cancelledAt: at, cancelReason: reason }, at);
    await releaseReservations(tx, tenantId, order.id, at);
    await returnCouponUse(tx, order.id);
    // Gift cards and store credit go back where they came from.
    if (Number(order.tenderTotal) > 0) await releaseTender(tx, order.id, at);
    await appendEvent(tx, tenantId, { type: 'order.cancelled', aggregateType: 'order', aggregateId: order.id, payload: { reason } }, at);
  }

  /** The order placed with this key, when it was placed by this same request; 409 when by another. */
  async function replayOf(tx: Tx, customerId: string, input: PlaceOrderInput, known?: CheckoutRead['prior']): Promise<OrderView | undefined> {
    const prior = known ?? (await store.findOrderByKey(tx, customerId, input.idempotencyKey));
    if (!prior) return undefined;
    const sameRequest = prior.flashSaleId === null && (prior.requestFingerprint ?? fingerprintOf(input)) === fingerprintOf(input);
    if (!sameRequest) {
      throw new Conflict('idempotency_key_reused', 'This Idempotency-Key was already used for another request; send a new one.');
    }
    return load(tx, prior.id);
  }

  return {
    async placeOrder(platform, customerId, input, openPayment) {
      try {
        const at = clock.now();
        return await db.withTenant(platform.id, async (tx): Promise<PlacedOrder> => {
          const read = await readForCheckout(tx, {
            at,
            cartId: input.cartId,
            customerId,
            idempotencyKey: input.idempotencyKey,
            region: regionOf(input.shippingAddress),
            shippingMethodId: input.shippingMethodId,
          });
          if (read.prior) return { order: (await replayOf(tx, customerId, input, read.prior))!, replayed: true };
          return { ...(await placeInTx(tx, platform, customerId, input, read, at, maxOrderTotal, openPayment)), replayed: false };
        });
      } catch (error) {
        // A concurrent request with the same key committed first (we then found its cart
        // converted, or its key taken): answer with its order.
        const winner = await db.withTenant(platform.id, (tx) => replayOf(tx, customerId, input));
        if (winner) return { order: winner, replayed: true };
        throw error;
      }
    },

    getOrder: (platform, orderId, customerId) => db.withTenant(platform.id, (tx) => load(tx, orderId, customerId)),

    listOrders: (platform, filter) =>
      db.withTenant(platform.id, async (tx) => {
        const page = await store.listOrders(tx, filter);
        const items = await Promise.all(page.items.map(async (order) => orderView(order, await store.findOrderLines(tx, order.id))));
        return { items, nextCursor: page.nextCursor };
      }),

    completeOrder: (platform, orderId) =>
      move(platform, orderId, async (tx, order, at) => {
        if (!order.fulfilledAt) throw new Conflict('illegal_transition', 'Only a fulfilled order can be completed.');
        assertTransition(order.status, 'completed');
        await store.updateOrder(tx, order.id, { status: 'completed', completedAt: at }, at);
        await appendEvent(tx, platform.id, { type: 'order.completed', aggregateType: 'order', aggregateId: order.id, payload: {} }, at);
      }),

    changeShippingAddress: (platform, orderId, address) =>
      move(platform, orderId, async (tx, order, at) => {
        if (order.status !== 'pending_payment' && order.status !== 'paid') {
          throw new Conflict('order_not_editable', `This order is ${order.status.replaceAll('_', ' ')}; its address can no longer change.`);
        }
        if (await store.hasShipments(tx, order.id)) throw new Conflict('order_not_editable', 'Part of this order has a shipment already; its address can no longer change.');
        const destination = await readDestination(tx, address, order.shippingMethodId ?? undefined);
        if (order.shippingMethodId && !destination.methods.some((method) => method.id === order.shippingMethodId)) {
          throw new Conflict('address_outside_shipping_zone', "The order's shipping method does not deliver to that address; cancel the order and place it again.");
        }
        const { provinceKey } = regionOf(address);
        const lines = await store.findOrderLines(tx, order.id);
        const taxMoves =
          lines.some((line) => rateFor(destination.taxRates, line.taxClass, provinceKey) !== line.taxRateBp) ||
          (Number(order.shippingTotal) > 0 && rateFor(destination.taxRates, SHIPPING_TAX_CLASS, provinceKey) !== order.shippingTaxRateBp);
        if (taxMoves) throw new Conflict('address_changes_tax', 'That address is taxed at other rates than the order was charged; cancel the order and place it again.');
        await store.setShippingAddress(tx, order.id, address, at);
        await appendEvent(tx, platform.id, { type: 'order.address_changed', aggregateType: 'order', aggregateId: order.id, payload: { from: order.shippingAddress, to: address } }, at);
      }),

    cancelOrder: (platform, orderId, reason) => move(platform, orderId, (tx, order, at) => cancelInTx(tx, platform.id, order, reason, at)),

    async expireUnpaidOrders(platforms) {
      let expired = 0;
      for (const platform of platforms) {
        for (;;) {
          const batch = await db.withTenant(platform.id, async (tx) => {
            const at = clock.now();
            const orders = await store.lockExpiredOrders(tx, at, 100);
            for (const order of orders) await cancelInTx(tx, platform.id, order, 'payment_timeout', at);
            return orders.length;
          });
          expired += batch;
          if (batch < 100) break;
        }
      }
      return expired;
    },
  };
}

/**
 * What an Idempotency-Key stands for: the cart and the body. The body is the schema's parsed
 * output, whose keys come in the schema's order, so the same request always hashes the same.
 */
function fingerprintOf(input: PlaceOrderInput): string {
  // Fields added since are appended only when one is present, so an older request hashes as it did.
  const parts: unknown[] = [input.cartId, input.shippingAddress];
  const added = [input.shippingMethodId ?? null, input.invoice ?? null, input.tenders ?? null];
  if (added.some((field) => field !== null)) parts.push(...added);
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/**
 * Checkout's first step, from what `readForCheckout` found: reserve stock → redeem the coupon →
 * write the order, its lines, the cart's conversion, the payment and their events. Without a
 * coupon that is one statement; with one, stock and the coupon come first. The answer is built
 * from what was written, not read back.
 */
async function placeInTx(
  tx: Tx,
  platform: Platform,
  customerId: string,
  input: PlaceOrderInput,
  read: CheckoutRead,
  at: Date,
  maxTotal: number,
  openPayment: OpenPaymentStep | undefined,
): Promise<{ order: OrderView; payment?: PaymentView | undefined }> {
  const { cart, lines } = read;
  if (!cart || (cart.customerId && cart.customerId !== customerId)) throw new NotFound('cart_not_found', 'No such cart.');
  if (cart.status !== 'active') throw new Conflict('cart_closed', `This cart is ${cart.status}; start a new one.`);
  if (lines.length === 0) throw new Conflict('cart_empty', 'The cart is empty.');
  const unavailable = lines.filter((line) => !line.forSale);
  if (unavailable.length > 0) {
    throw new Conflict('items_unavailable', `Not for sale any more: ${unavailable.map((line) => line.sku).join(', ')}. Remove them to check out.`);
  }

  // Prices may have risen since the cart was last shown: refuse before anything is reserved.
  subtotalOf(lines, maxTotal);
  const orderId = newId('ord');
  const priced = toPricedLines(lines);
  const shortage = (stock: ReserveOutcome) => {
    if (stock.ok) return;
    const skus = stock.shortages.map((short) => lines.find((line) => line.variantId === short.variantId)!.sku);
    return new Conflict('out_of_stock', `Not enough stock for ${skus.join(', ')}.`, stock.shortages.map((short, index) => ({
      path: `lines.${skus[index]}`,
      message: `${short.available} available, ${short.requested} asked`,
    })));
  };
  let couponCode: string | null = null;
  let outcome = null;
  // Without a coupon, the stock is reserved by the statement that writes the order. With one,
  // stock comes first in a statement of its own, then the coupon's row: the order in which
  // cancellation takes them too, so the two never wait on each other in a cycle.
  const reservation = cart.couponCode ? undefined : await prepareReservation(tx, platform.id, orderId, priced, at);
  if (cart.couponCode) {
    const refused = shortage(await reserveStock(tx, platform.id, orderId, priced, at));
    if (refused) throw refused;
    const redeemed = await redeemCoupon(tx, platform.id, cart.couponCode, priced, { currency: cart.currency, now: at, customerId, orderId });
    if (!redeemed.ok) throw new Conflict(redeemed.reason, redeemed.message);
    couponCode = redeemed.couponCode ?? cart.couponCode;
    outcome = redeemed;
  }
  const goodsTotal = subtotalOf(lines, maxTotal) - (outcome?.ok ? outcome.discount : 0);
  const destination = chooseDestination(read.destination, input.shippingAddress, lines, { methodId: input.shippingMethodId, currency: cart.currency, goodsTotal });
  const totals = assemblePricedCart(lines, couponCode, outcome, maxTotal, { pricesIncludeTax: platform.tax.pricesIncludeTax, currency: cart.currency }, destination);
  const order: store.NewOrder = {
    tenantId: platform.id,
    id: orderId,
    customerId,
    idempotencyKey: input.idempotencyKey,
    requestFingerprint: fingerprintOf(input),
    currency: cart.currency,
    subtotal: totals.subtotal,
    discountTotal: totals.discountTotal,
    shippingTotal: totals.shippingTotal,
    shippingMethod: totals.shippingMethod,
    taxTotal: totals.taxTotal,
    shippingTax: totals.shippingTax,
    shippingTaxRateBp: totals.shippingTaxRateBp,
    pricesIncludeTax: totals.pricesIncludeTax,
    total: totals.total,
    couponCode,
    tenderTotal: 0,
    shippingAddress: input.shippingAddress,
    expiresAt: new Date(at.getTime() + platform.checkout.paymentTimeoutMinutes * 60_000),
    at,
    lines: totals.lines.map((line, index) => ({
      lineNo: index + 1,
      productId: line.productId,
      variantId: line.variantId,
      sku: line.sku,
      title: line.title,
      optionValues: line.optionValues,
      unitPrice: line.unitPrice!,
      quantity: line.quantity,
      discount: line.discount,
      total: line.lineTotal - line.discount,
      taxClass: line.taxClass,
      taxRateBp: line.taxRateBp,
      tax: line.tax,
      priceListId: line.priceListId,
      listPrice: line.listPrice,
    })),
  };
  // Gift cards and store credit first (held on the ledger until the order is paid or cancelled);
  // the payment provider takes what they leave.
  if (input.tenders && order.total > 0) {
    const tenders = input.tenders.map((tender) => (tender.kind === 'store_credit' ? { kind: 'store_credit' as const, customerId } : tender));
    const held = await holdTender(tx, { orderId, tenders, amountDue: order.total, currency: order.currency, idempotencyKey: `checkout:${orderId}`, at });
    order.tenderTotal = held.covered;
  }
  const amountDue = order.total - order.tenderTotal;
  const payment = openPayment && amountDue > 0 ? await openPayment({ id: orderId, total: amountDue, currency: order.currency }, at) : undefined;
  const events: DomainEvent[] = [
    ...(reservation ? [reservation.event] : []),
    {
      type: 'order.placed',
      aggregateType: 'order',
      aggregateId: orderId,
      payload: { customerId, total: order.total, currency: order.currency, couponCode, shippingTotal: order.shippingTotal, taxTotal: order.taxTotal, shippingMethodId: order.shippingMethod?.id ?? null },
    },
    ...(input.invoice ? [{ type: 'invoice.requested', aggregateType: 'order', aggregateId: orderId, payload: { titleType: input.invoice.titleType } }] : []),
    ...(payment ? [payment.event] : []),
  ];
  const reserved = await writeOrder(tx, { order, cartId: cart.id, payment: payment?.row, events: eventsInsert(tx, platform.id, events, at), reservation, invoice: input.invoice });
  // A shortage found by the writing statement: the error rolls back all that it wrote.
  const refused = reservation && shortage(reservation.outcome(reserved));
  if (refused) throw refused;
  if (order.tenderTotal > 0 && amountDue === 0) {
    // Paid in full by gift cards and store credit: paid now, in this transaction.
    await settleOrderPaidByTenders(tx, { tenantId: platform.id, orderId, total: order.total, currency: order.currency, at });
    await captureTender(tx, orderId, at);
    return { order: { ...newOrderView(order, input.invoice), status: 'paid', paidAt: at }, payment: undefined };
  }
  return { order: newOrderView(order, input.invoice), payment: payment?.view };
}

/** The view of an order just written, as reading it back would give it. */
function newOrderView(order: store.NewOrder, invoice: InvoiceRequest | undefined): OrderView {
  const { lines, at, shippingMethod, ...fields } = order;
  const row: store.OrderRow & { invoice: store.OrderInvoice | null } = {
    ...fields,
    status: 'pending_payment',
    refundedTotal: 0,
    trackingNumber: null,
    cancelReason: null,
    paidAt: null,
    fulfilledAt: null,
    completedAt: null,
    cancelledAt: null,
    balanceDue: 0,
    createdAt: at,
    updatedAt: at,
    flashSaleId: null,
    shippingMethodId: shippingMethod?.id ?? null,
    shippingMethod,
    invoice: invoice
      ? { titleType: invoice.titleType, title: invoice.title, taxId: invoice.taxId ?? null, email: invoice.email ?? null, status: 'requested' as const, invoiceNumber: null }
      : null,
  };
  return orderView(row, lines.map((line) => ({ ...line, tenantId: order.tenantId, orderId: order.id })));
}

/**
 * Fulfilment step, inside the shipping transaction (the fulfillment module's): the order follows
 * the units shipped so far. Partly shipped is `partially_fulfilled`, all shipped is `fulfilled`; a
 * partly refunded order keeps that status until its last unit ships.
 */
export async function recordFulfilment(
  tx: Tx,
  tenantId: string,
  orderId: string,
  progress: { shippedUnits: number; orderedUnits: number; trackingNumber: string },
  at: Date,
): Promise<void> {
  const order = await store.findOrder(tx, orderId, { lock: true });
  if (!order) throw new NotFound('order_not_found', 'No such order.');
  const { shippedUnits, orderedUnits, trackingNumber } = progress;
  if (shippedUnits >= orderedUnits) {
    assertTransition(order.status, 'fulfilled');
    await store.updateOrder(tx, orderId, { status: 'fulfilled', fulfilledAt: at, trackingNumber }, at);
    await appendEvent(tx, tenantId, { type: 'order.fulfilled', aggregateType: 'order', aggregateId: orderId, payload: { trackingNumber, shippedUnits } }, at);
    return;
  }
  if (order.status !== 'partially_refunded') {
    assertTransition(order.status, 'partially_fulfilled');
    if (order.status !== 'partially_fulfilled') await store.updateOrder(tx, orderId, { status: 'partially_fulfilled' }, at);
  }
  await appendEvent(tx, tenantId, { type: 'order.partially_fulfilled', aggregateType: 'order', aggregateId: orderId, payload: { shippedUnits, orderedUnits } }, at);
}

/** Refund step, inside the refund's transaction. */
export async function recordOrderRefund(tx: Tx, tenantId: string, orderId: string, amount: number, at: Date): Promise<store.OrderRow> {
  const order = await store.findOrder(tx, orderId, { lock: true });
  if (!order) throw new NotFound('order_not_found', 'No such order.');
  // Compared as what is left, a difference of two stored amounts, so no sum can pass 2^53.
  const refundable = Number(order.total) - Number(order.refundedTotal);
  if (amount > refundable) throw new Conflict('refund_exceeds_paid', `At most ${refundable} can still be refunded.`);
  const refundedTotal = Number(order.refundedTotal) + amount;
  const status = refundedTotal === Number(order.total) ? 'refunded' : 'partially_refunded';
  assertTransition(order.status, status);
  const updated = await store.updateOrder(tx, orderId, { status, refundedTotal }, at);
  await appendEvent(tx, tenantId, { type: 'order.refunded', aggregateType: 'order', aggregateId: orderId, payload: { amount, refundedTotal, status } }, at);
  return updated;
}

export async function findOrderForUpdate(tx: Tx, orderId: string): Promise<store.OrderRow | undefined> {
  return store.findOrder(tx, orderId, { lock: true });
}
