import { sql } from 'kysely';
import type { Database, Tx } from '../../infra/db/database.ts';
import { appendEvent, appendEvents, eventsInsert, type DomainEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, NotFound, Unavailable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { lockPaymentForEvent, settlePaidOrder, type PaymentForEvent } from '../orders/checkout-store.ts';
import { findOrderForUpdate, recordOrderRefund } from '../orders/order-service.ts';
import { accountId, captureTender, refundTender, transfer } from '../ledger/index.ts';
import type { Platform } from '../tenants/platform.ts';
import type { PaymentProvider, VerifiedProviderEvent } from './payment-provider.ts';

export interface PaymentView {
  id: string;
  orderId: string;
  provider: string;
  status: 'pending' | 'succeeded' | 'failed' | 'refunded';
  amount: number;
  currency: string;
  redirectUrl?: string | undefined;
}

/** A payment row to insert, for a writer that opens the payment in a statement of its own. */
export interface NewPayment {
  tenantId: string;
  id: string;
  orderId: string;
  provider: string;
  providerRef: string;
  amount: number;
  currency: string;
  at: Date;
}

/** A first payment whose session is made and whose row and event the order's writer inserts. */
export interface PreparedPayment {
  row: NewPayment;
  event: DomainEvent;
  view: PaymentView;
}

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

export interface PaymentService {
  /** Whether a payment provider is configured, so that an order placed now can be paid. */
  readonly takesPayments: boolean;
  /** Opens a payment session for an unpaid order, or returns the one still open. */
  openPayment(platform: Platform, orderId: string, customerId?: string): Promise<PaymentView>;
  /**
   * The first payment of an order being placed, for the order's own transaction to insert; only
   * when the provider makes sessions without a network call (undefined otherwise: then the order
   * is committed first and `openFirstPayment` opens the payment).
   */
  prepareFirstPayment(platform: Platform, order: { id: string; total: number; currency: string }, at: Date): Promise<PreparedPayment | undefined>;
  /** Opens the first payment session of an order that was just placed (nothing to look up). */
  openFirstPayment(platform: Platform, order: { id: string; total: number; currency: string }): Promise<PaymentView>;
  listPayments(platform: Platform, orderId: string): Promise<PaymentView[]>;
  /** Applies a provider webhook once: verified, deduplicated by event id, safe in any order. */
  handleWebhook(providerName: string, rawBody: string, headers: Record<string, string | string[] | undefined>): Promise<WebhookOutcome>;
  /**
   * Refunds part or all of a paid order: back to the card and to the gift cards and store credit
   * that paid it (`original`, the default), or all of it as the customer's store credit.
   */
  refundOrder(
    platform: Platform,
    orderId: string,
    input: { amount: number; reason: string; to?: 'original' | 'store_credit' | undefined },
  ): Promise<RefundOutcome>;
  /**
   * Inside the caller's transaction, with the order locked: gives `amount` back to what paid the
   * order, without recording it as a refund of the order (an edit that made it cheaper).
   */
  giveMoneyBack(tx: Tx, tenantId: string, order: OrderForRefund, refund: { amount: number; reason: string; to: 'original' | 'store_credit' }, at: Date): Promise<RefundOutcome>;
}

export interface RefundOutcome {
  id: string;
  amount: number;
  status: string;
  parts: { amount: number; destination: string }[];
}

/** What giving money back needs to know of the order. */
export interface OrderForRefund {
  id: string;
  customerId: string;
  currency: string;
  tenderTotal: number;
}

export function createPaymentService(deps: { db: Database; clock: Clock; providers: PaymentProvider[]; defaultProvider: string | undefined }): PaymentService {
  const { db, clock } = deps;
  const providers = new Map(deps.providers.map((provider) => [provider.name, provider]));
  // Sessions are handed out again while pending; the URL is not stored, so keep it in memory.
  const redirectUrls = new Map<string, string>();

  function providerNamed(name: string): PaymentProvider {
    const provider = providers.get(name);
    if (!provider) throw new NotFound('provider_not_found', `No payment provider "${name}".`);
    return provider;
  }

  async function applyEvent(tx: Tx, provider: PaymentProvider, event: VerifiedProviderEvent): Promise<WebhookOutcome> {
    // The payment is locked first, so two deliveries of one event queue here; an event for no
    // payment of this platform is ignored without leaving any trace.
    const payment = await lockPaymentForEvent(tx, { tenantId: event.tenantId, provider: provider.name, providerRef: event.providerRef, eventId: event.eventId });
    if (!payment) return 'ignored';
    if (!payment.fresh) return 'duplicate';
    if (payment.amount !== event.amount || payment.currency !== event.currency) return 'ignored';
    const at = clock.now();

    if (event.type === 'payment.failed') {
      // A failure reported after a success (re-ordered delivery) changes nothing.
      if (payment.status !== 'pending') return 'ignored';
      await tx.updateTable('payments').set({ status: 'failed', updatedAt: at }).where('id', '=', payment.id).execute();
      await appendEvent(tx, event.tenantId, { type: 'payment.failed', aggregateType: 'payment', aggregateId: payment.id, payload: { orderId: payment.orderId } }, at);
      return 'applied';
    }

    if (payment.status === 'succeeded' || payment.status === 'refunded') return 'ignored';
    // A session opened before an edit changed what the order costs pays the wrong amount: it
    // is handled below, as money the order can't take.
    const due = Number(payment.orderTotal) - payment.orderTenderTotal;
    if (payment.kind === 'order' && payment.orderStatus === 'pending_payment' && payment.amount === due && (await payOrder(tx, event, payment, at))) return 'applied';
    if (payment.kind === 'balance' && payment.status === 'pending' && (await payBalance(tx, event.tenantId, payment, at))) return 'applied';
    // Money arrived for an order that can no longer take it (expired, cancelled, or paid through
    // another session): it goes straight back.
    const order = await findOrderForUpdate(tx, payment.orderId);
    const refund = await provider.refund({ providerRef: payment.providerRef, amount: event.amount, currency: event.currency, refundId: newId('ref') });
    await tx.updateTable('payments').set({ status: 'refunded', updatedAt: at }).where('id', '=', payment.id).execute();
    await tx
      .insertInto('refunds')
      .values({ tenantId: event.tenantId, id: newId('ref'), orderId: payment.orderId, paymentId: payment.id, amount: event.amount, reason: 'order no longer payable', providerRef: refund.providerRef, status: refund.status, createdAt: at })
      .execute();
    await appendEvent(tx, event.tenantId, { type: 'payment.returned', aggregateType: 'payment', aggregateId: payment.id, payload: { orderId: payment.orderId, orderStatus: order?.status } }, at);
    return 'applied';
  }

  /**
   * The success path in one statement: order paid, payment succeeded, stock committed, events
   * payment.succeeded → stock.committed → order.paid. False, and nothing changed, when the order
   * stopped waiting for payment after the payment was read (an expiry that got there first).
   */
  async function payOrder(tx: Tx, event: VerifiedProviderEvent, payment: PaymentForEvent, at: Date): Promise<boolean> {
    const events: DomainEvent[] = [
      { type: 'payment.succeeded', aggregateType: 'payment', aggregateId: payment.id, payload: { orderId: payment.orderId, amount: event.amount } },
    ];
    const lines = payment.reservations.map(({ variantId, quantity }) => ({ variantId, quantity }));
    if (lines.length > 0) events.push({ type: 'stock.committed', aggregateType: 'order', aggregateId: payment.orderId, payload: { lines } });
    events.push({ type: 'order.paid', aggregateType: 'order', aggregateId: payment.orderId, payload: { total: payment.orderTotal, currency: payment.orderCurrency } });
    const movementIds = new Map(payment.reservations.map((reservation) => [`${reservation.warehouseId}/${reservation.variantId}`, newId('mov')]));
    const settled = await settlePaidOrder(tx, {
      tenantId: event.tenantId,
      orderId: payment.orderId,
      paymentId: payment.id,
      at,
      movementIds,
      events: (paid) => eventsInsert(tx, event.tenantId, events, at, paid),
    });
    if (!settled.ledgerIntact) throw new Error(`stock ledger inconsistent for order ${payment.orderId}`);
    // What gift cards and store credit held for the order is now the platform's.
    if (settled.paid && payment.orderTenderTotal > 0) await captureTender(tx, payment.orderId, at);
    return settled.paid;
  }

  /**
   * What an edit left a paid order owing, paid by a session opened for exactly that: the order
   * owes nothing more. False, and nothing changed, when the order owes another amount now (a
   * later edit) or nothing at all.
   */
  async function payBalance(tx: Tx, tenantId: string, payment: PaymentForEvent, at: Date): Promise<boolean> {
    if (payment.orderBalanceDue !== payment.amount || payment.amount === 0) return false;
    const settled = await tx
      .updateTable('orders')
      .set({ balanceDue: 0, updatedAt: at })
      .where('id', '=', payment.orderId)
      .where('balanceDue', '=', payment.amount)
      .where('status', 'not in', ['pending_payment', 'cancelled', 'refunded'])
      .returning('id')
      .executeTakeFirst();
    if (!settled) return false;
    await tx.updateTable('payments').set({ status: 'succeeded', updatedAt: at }).where('id', '=', payment.id).execute();
    await appendEvents(
      tx,
      tenantId,
      [
        { type: 'payment.succeeded', aggregateType: 'payment', aggregateId: payment.id, payload: { orderId: payment.orderId, amount: payment.amount } },
        { type: 'order.balance_paid', aggregateType: 'order', aggregateId: payment.orderId, payload: { amount: payment.amount, currency: payment.currency } },
      ],
      at,
    );
    return true;
  }

  async function openSession(platform: Platform, order: { id: string; total: number; currency: string }, kind: 'order' | 'balance' = 'order'): Promise<PaymentView> {
    if (!deps.defaultProvider) throw noPaymentProvider();
    const provider = providerNamed(deps.defaultProvider);
    const paymentId = newId('pay');
    const session = await provider.createSession({ paymentId, tenantId: platform.id, orderId: order.id, amount: order.total, currency: order.currency });
    const at = clock.now();
    const payment = await db.withTenant(platform.id, async (tx) => {
      const row = await tx
        .insertInto('payments')
        .values({ tenantId: platform.id, id: paymentId, orderId: order.id, provider: provider.name, providerRef: session.providerRef, status: 'pending', amount: order.total, currency: order.currency, kind, createdAt: at, updatedAt: at })
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendEvent(tx, platform.id, { type: 'payment.opened', aggregateType: 'payment', aggregateId: paymentId, payload: { orderId: order.id } }, at);
      return row;
    });
    redirectUrls.set(paymentId, session.redirectUrl);
    return view(payment, session.redirectUrl);
  }

  return {
    takesPayments: deps.defaultProvider !== undefined,

    async openPayment(platform, orderId, customerId) {
      const order = await db.withTenant(platform.id, async (tx) => {
        const found = await tx.selectFrom('orders').select(['id', 'customerId', 'status', 'total', 'tenderTotal', 'balanceDue', 'currency']).where('id', '=', orderId).executeTakeFirst();
        if (!found || (customerId && found.customerId !== customerId)) throw new NotFound('order_not_found', 'No such order.');
        const owesBalance = Number(found.balanceDue) > 0 && found.status === 'paid';
        if (found.status !== 'pending_payment' && !owesBalance) throw new Conflict('order_not_payable', `This order is ${found.status.replaceAll('_', ' ')} and owes nothing.`);
        // Gift cards and store credit hold their part of an unpaid order; the provider takes the
        // rest. A paid order pays what an edit added.
        const amount = owesBalance ? Number(found.balanceDue) : Number(found.total) - Number(found.tenderTotal);
        const kind = owesBalance ? ('balance' as const) : ('order' as const);
        const pending = await tx.selectFrom('payments').selectAll().where('orderId', '=', orderId).where('status', '=', 'pending').where('amount', '=', amount).where('kind', '=', kind).executeTakeFirst();
        return { ...found, amount, kind, pending };
      });
      if (order.pending && redirectUrls.has(order.pending.id)) {
        return view(order.pending, redirectUrls.get(order.pending.id));
      }
      return openSession(platform, { id: orderId, total: order.amount, currency: order.currency }, order.kind);
    },

    async prepareFirstPayment(platform, order, at) {
      if (!deps.defaultProvider) throw noPaymentProvider();
      const provider = providerNamed(deps.defaultProvider);
      if (!provider.localSessions) return undefined;
      const paymentId = newId('pay');
      const session = await provider.createSession({ paymentId, tenantId: platform.id, orderId: order.id, amount: order.total, currency: order.currency });
      // Remembered now: should the order's transaction roll back, no one ever learns this id.
      redirectUrls.set(paymentId, session.redirectUrl);
      const row: NewPayment = { tenantId: platform.id, id: paymentId, orderId: order.id, provider: provider.name, providerRef: session.providerRef, amount: order.total, currency: order.currency, at };
      return {
        row,
        event: { type: 'payment.opened', aggregateType: 'payment', aggregateId: paymentId, payload: { orderId: order.id } },
        view: view({ ...row, status: 'pending' }, session.redirectUrl),
      };
    },

    openFirstPayment: (platform, order) => openSession(platform, order),

    async listPayments(platform, orderId) {
      const rows = await db.withTenant(platform.id, (tx) => tx.selectFrom('payments').selectAll().where('orderId', '=', orderId).orderBy('createdAt').execute());
      return rows.map((row) => view(row));
    },

    async handleWebhook(providerName, rawBody, headers) {
      const provider = providerNamed(providerName);
      const event = provider.verifyWebhook(rawBody, headers);
      return db.withTenant(event.tenantId, (tx) => applyEvent(tx, provider, event));
    },

    async refundOrder(platform, orderId, input) {
      return db.withTenant(platform.id, async (tx) => {
        const order = await findOrderForUpdate(tx, orderId);
        if (!order) throw new NotFound('order_not_found', 'No such order.');
        const paid = await tx.selectFrom('payments').select('id').where('orderId', '=', orderId).where('status', '=', 'succeeded').executeTakeFirst();
        if (!paid && Number(order.tenderTotal) === 0) throw new Conflict('order_not_paid', 'This order has no payment to refund.');
        const at = clock.now();
        // Checks the amount and the order's state before any money moves.
        await recordOrderRefund(tx, platform.id, orderId, input.amount, at);
        return giveMoneyBack(tx, platform.id, order, { amount: input.amount, reason: input.reason, to: input.to ?? 'original' }, at);
      });
    },

    giveMoneyBack: (tx, tenantId, order, refund, at) => giveMoneyBack(tx, tenantId, order, refund, at),
  };

  /**
   * Pays `amount` of what the order was paid back, as `refundSplit` divides it between the card
   * payments and the gift cards and store credit, with a refund row per part. The caller has
   * locked the order and recorded why (a refund, an edit that made the order cheaper).
   */
  async function giveMoneyBack(tx: Tx, tenantId: string, order: OrderForRefund, refund: { amount: number; reason: string; to: 'original' | 'store_credit' }, at: Date): Promise<RefundOutcome> {
    const orderId = order.id;
    const split = await refundSplit(tx, order, refund.amount, refund.to);
    const refundId = newId('ref');
    const parts: RefundPart[] = [];
    for (const [index, taken] of split.fromPayments.entries()) {
      const { payment } = taken;
      if (split.to === 'original') {
        const result = await providerNamed(payment.provider).refund({ providerRef: payment.providerRef, amount: taken.amount, currency: payment.currency, refundId: index === 0 ? refundId : `${refundId}-${index}` });
        if (result.status !== 'succeeded') throw new Conflict('refund_failed', 'The payment provider refused the refund.');
        parts.push({ paymentId: payment.id, amount: taken.amount, destination: 'provider', providerRef: result.providerRef });
      } else {
        // Paid by card, given back as store credit: the platform owes it as credit instead.
        await transfer(tx, {
          kind: 'store_credit.refunded',
          fromId: accountId('store_credit_issuance', '', order.currency),
          toId: accountId('store_credit', order.customerId, order.currency),
          amount: taken.amount,
          currency: order.currency,
          idempotencyKey: `refund:${refundId}:payment:${payment.id}`,
          memo: { orderId, reason: refund.reason },
          event: { aggregateType: 'order', aggregateId: orderId },
          at,
        });
        parts.push({ paymentId: payment.id, amount: taken.amount, destination: 'store_credit', providerRef: null });
      }
    }
    if (split.fromTenders > 0) {
      await refundTender(tx, { orderId, amount: split.fromTenders, to: split.to, idempotencyKey: `refund:${refundId}:tenders`, at });
      parts.push({ paymentId: null, amount: split.fromTenders, destination: split.to === 'original' ? 'tenders' : 'store_credit', providerRef: null });
    }
    await tx
      .insertInto('refunds')
      .values(parts.map((part, index) => ({ tenantId, id: index === 0 ? refundId : newId('ref'), orderId, ...part, reason: refund.reason, status: 'succeeded' as const, createdAt: at })))
      .execute();
    return { id: refundId, amount: refund.amount, status: 'succeeded', parts: parts.map(({ amount, destination }) => ({ amount, destination })) };
  }
}

interface RefundPart {
  paymentId: string | null;
  amount: number;
  destination: 'provider' | 'tenders' | 'store_credit';
  providerRef: string | null;
}

interface PaymentLeft {
  id: string;
  provider: string;
  providerRef: string;
  currency: string;
  /** What this payment took and has not given back yet. */
  left: number;
}

/**
 * Which part of a refund comes out of the card payments and which out of what gift cards and
 * store credit paid, from what each has given back so far. Back to the original means the cards
 * first (shoppers want money more than credit), the newest payment first (a balance an edit
 * added before the order's first payment); as store credit, the tenders first.
 */
async function refundSplit(
  tx: Tx,
  order: { id: string; tenderTotal: number },
  amount: number,
  to: 'original' | 'store_credit',
): Promise<{ fromPayments: { payment: PaymentLeft; amount: number }[]; fromTenders: number; to: 'original' | 'store_credit' }> {
  const result = await sql<PaymentLeft & { left: string }>`
    select p.id, p.provider, p.provider_ref, p.currency,
           (p.amount - coalesce((select sum(r.amount) from refunds r where r.payment_id = p.id and r.status = 'succeeded'), 0))::text as left
    from payments p where p.order_id = ${order.id} and p.status = 'succeeded'
    order by p.created_at desc, p.id desc`.execute(tx);
  const payments = result.rows.map((row) => ({ ...row, left: Number(row.left) })).filter((payment) => payment.left > 0);
  const tendersRefunded = await sql<{ amount: string }>`
    select coalesce(sum(amount), 0)::text as amount from refunds where order_id = ${order.id} and payment_id is null and status = 'succeeded'`.execute(tx);
  const paymentsLeft = payments.reduce((sum, payment) => sum + payment.left, 0);
  const tendersLeft = Number(order.tenderTotal) - Number(tendersRefunded.rows[0]!.amount);
  if (paymentsLeft === 0 && tendersLeft <= 0) throw new Conflict('order_not_paid', 'This order has no payment to refund.');
  const fromPayment = to === 'original' ? Math.min(amount, paymentsLeft) : Math.max(0, amount - tendersLeft);
  const fromTenders = amount - fromPayment;
  if (fromPayment > paymentsLeft || fromTenders > tendersLeft) throw new Conflict('refund_exceeds_paid', 'The order has less left to refund than that.');
  const fromPayments: { payment: PaymentLeft; amount: number }[] = [];
  let rest = fromPayment;
  for (const payment of payments) {
    if (rest === 0) break;
    const taken = Math.min(rest, payment.left);
    fromPayments.push({ payment, amount: taken });
    rest -= taken;
  }
  return { fromPayments, fromTenders, to };
}

export function noPaymentProvider(): Unavailable {
  return new Unavailable('no_payment_provider', 'This installation has no payment provider configured, so orders cannot be paid; nothing was ordered.');
}

function view(row: { id: string; orderId: string; provider: string; status: PaymentView['status']; amount: number; currency: string }, redirectUrl?: string): PaymentView {
  return { id: row.id, orderId: row.orderId, provider: row.provider, status: row.status, amount: Number(row.amount), currency: row.currency, ...(redirectUrl ? { redirectUrl } : {}) };
}
