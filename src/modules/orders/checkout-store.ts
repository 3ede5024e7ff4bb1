import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import { cartLinesQuery, destinationColumns, toCartLine, toDestinationRead, type CartLineDetail, type DestinationRead } from '../cart/index.ts';
import type { AddressRegion } from '../shipping/regions.ts';
import type { InvoiceRequest } from '../tax/invoice-title.ts';
import type { PendingReservation } from '../inventory/index.ts';
import type { ReservedLine } from '../inventory/inventory-store.ts';
import type { NewPayment } from '../payments/payment-service.ts';
import type { NewOrder } from './order-store.ts';
import { eventsInsert, type DomainEvent } from '../../infra/outbox/outbox.ts';
import { newId } from '../../platform/ids.ts';

/**
 * Checkout's statements. Checkout reads and writes rows of several modules (the cart, the order,
 * the payment); it does so here in few statements rather than through each module's store,
 * because every statement is a round trip and checkout is the hottest write there is. The rules
 * stay in the services; this file only says which rows move together (docs/architecture.md).
 */

export interface CheckoutCart {
  id: string;
  customerId: string | null;
  currency: string;
  couponCode: string | null;
  status: 'active' | 'merged' | 'converted';
}

export interface CheckoutRead {
  /** The order this customer already placed with this Idempotency-Key, if any. */
  prior: { id: string; requestFingerprint: string | null; flashSaleId: string | null } | undefined;
  /** The cart, locked until the transaction ends; undefined when there is none. */
  cart: CheckoutCart | undefined;
  lines: CartLineDetail[];
  /** The address's shipping zone and methods, and its tax rates. */
  destination: DestinationRead;
}

interface ReadRow {
  priorId: string | null;
  priorFingerprint: string | null;
  priorFlashSaleId: string | null;
  cartId: string | null;
  cartCustomerId: string | null;
  cartCurrency: string | null;
  cartCouponCode: string | null;
  cartStatus: CheckoutCart['status'] | null;
  lockedVersion: string | null;
  seenVersion: string | null;
  variantId: string | null;
  shippingConfigured: boolean;
  zoneId: string | null;
  methods: unknown[];
  taxRates: DestinationRead['taxRates'];
}

/**
 * One statement: the key's prior order, the cart (locked), its lines with prices, and where the
 * address ships from and is taxed at (`destinationColumns`). The lines are
 * read in the statement's snapshot, taken before the lock was granted; when the cart changed in
 * between (a line added while we waited), the read is made again, now under the lock.
 */
export async function readForCheckout(
  tx: Tx,
  input: { cartId: string; customerId: string; idempotencyKey: string; region: AddressRegion; shippingMethodId: string | undefined; at: Date },
): Promise<CheckoutRead> {
  for (;;) {
    const result = await sql<ReadRow & Parameters<typeof toCartLine>[0]>`
      with cart as (
        select id, customer_id, currency, coupon_code, status, xmin::text as version from carts where id = ${input.cartId} for update
      ),
      prior as (
        select id, request_fingerprint, flash_sale_id from orders where customer_id = ${input.customerId} and idempotency_key = ${input.idempotencyKey}
      )
      select pr.id as prior_id, pr.request_fingerprint as prior_fingerprint, pr.flash_sale_id as prior_flash_sale_id,
             c.id as cart_id, c.customer_id as cart_customer_id, c.currency as cart_currency, c.coupon_code as cart_coupon_code,
             c.status as cart_status, c.version as locked_version, (select xmin::text from carts where id = ${input.cartId}) as seen_version,
             ${destinationColumns(input.region, input.shippingMethodId)}, l.*
      from (select 1) as one
      left join prior pr on true
      left join cart c on true
      left join lateral (${cartLinesQuery(sql`c.id`, sql`c.currency`, { customerId: input.customerId, at: input.at })}) l on true
      order by l.added_at, l.variant_id`.execute(tx);
    const first = result.rows[0]!;
    if (first.lockedVersion !== first.seenVersion) continue;
    return {
      prior: first.priorId ? { id: first.priorId, requestFingerprint: first.priorFingerprint, flashSaleId: first.priorFlashSaleId } : undefined,
      cart: first.cartId
        ? { id: first.cartId, customerId: first.cartCustomerId, currency: first.cartCurrency!, couponCode: first.cartCouponCode, status: first.cartStatus! }
        : undefined,
      lines: result.rows.filter((row) => row.variantId !== null).map((row) => toCartLine(stripDestination(row))),
      destination: toDestinationRead(first),
    };
  }
}

function stripDestination<T extends ReadRow>(row: T) {
  const { shippingConfigured: _configured, zoneId: _zone, methods: _methods, taxRates: _rates, ...rest } = row;
  return rest;
}

/**
 * One statement: the order and its lines, the cart converted, the payment opened (when its
 * session could be made in the transaction) and the events that record all of it; with
 * `reservation`, the order's stock is reserved in it too, and its rows are returned.
 */
export async function writeOrder(
  tx: Tx,
  write: {
    order: NewOrder;
    cartId: string;
    payment: NewPayment | undefined;
    events: RawBuilder<unknown>;
    reservation?: PendingReservation | undefined;
    invoice?: InvoiceRequest | undefined;
  },
): Promise<ReservedLine[]> {
  const { order, cartId, payment, events, reservation, invoice } = write;
  const lines = order.lines.map(
    (line) => sql`(${order.tenantId}, ${order.id}, ${line.lineNo}::int, ${line.productId}, ${line.variantId}, ${line.sku}, ${JSON.stringify(line.title)}::jsonb,
                   ${JSON.stringify(line.optionValues)}::jsonb, ${line.unitPrice}::bigint, ${line.quantity}::int, ${line.discount}::bigint, ${line.total}::bigint,
                   ${line.taxClass}, ${line.taxRateBp}::int, ${line.tax}::bigint, ${line.priceListId}, ${line.listPrice}::bigint)`,
  );
  const result = await sql<ReservedLine>`
    with ${reservation ? sql`${reservation.ctes},` : sql``}
    placed as (
      insert into orders (tenant_id, id, customer_id, idempotency_key, request_fingerprint, status, currency, subtotal, discount_total,
                          shipping_total, total, coupon_code, shipping_address, expires_at, created_at, updated_at,
                          shipping_method_id, shipping_method, tax_total, shipping_tax, shipping_tax_rate_bp, prices_include_tax, tender_total)
      values (${order.tenantId}, ${order.id}, ${order.customerId}, ${order.idempotencyKey}, ${order.requestFingerprint}, 'pending_payment',
              ${order.currency}, ${order.subtotal}, ${order.discountTotal}, ${order.shippingTotal}, ${order.total}, ${order.couponCode},
              ${JSON.stringify(order.shippingAddress)}, ${order.expiresAt}, ${order.at}, ${order.at},
              ${order.shippingMethod?.id ?? null}, ${order.shippingMethod ? JSON.stringify(order.shippingMethod) : null}::jsonb, ${order.taxTotal},
              ${order.shippingTax}, ${order.shippingTaxRateBp}::int, ${order.pricesIncludeTax}, ${order.tenderTotal})
    ),
    lines as (
      insert into order_lines (tenant_id, order_id, line_no, product_id, variant_id, sku, title, option_values, unit_price, quantity, discount, total,
                               tax_class, tax_rate_bp, tax, price_list_id, list_price)
      values ${sql.join(lines)}
    ),
    ${
      invoice
        ? sql`invoiced as (
      insert into invoice_requests (tenant_id, order_id, customer_id, title_type, title, tax_id, email, created_at)
      values (${order.tenantId}, ${order.id}, ${order.customerId}, ${invoice.titleType}, ${invoice.title}, ${invoice.taxId ?? null}, ${invoice.email ?? null}, ${order.at})
    ),`
        : sql``
    }
    converted as (
      update carts set status = 'converted', customer_id = ${order.customerId}, updated_at = ${order.at} where id = ${cartId}
    ),
    ${
      payment
        ? sql`opened as (
      insert into payments (tenant_id, id, order_id, provider, provider_ref, status, amount, currency, created_at, updated_at)
      values (${payment.tenantId}, ${payment.id}, ${payment.orderId}, ${payment.provider}, ${payment.providerRef}, 'pending', ${payment.amount},
              ${payment.currency}, ${payment.at}, ${payment.at})
    ),`
        : sql``
    }
    events as (${events})
    ${reservation ? reservation.select : sql`select 1`}`.execute(tx);
  return reservation ? result.rows : [];
}

export interface PaymentForEvent {
  id: string;
  orderId: string;
  status: 'pending' | 'succeeded' | 'failed' | 'refunded';
  amount: number;
  currency: string;
  providerRef: string;
  kind: 'order' | 'balance';
  /** False when this provider event was recorded before: a duplicate delivery. */
  fresh: boolean;
  orderStatus: string | null;
  orderTotal: number | null;
  orderCurrency: string | null;
  /** What gift cards and store credit hold for the order, to capture when it is paid. */
  orderTenderTotal: number;
  /** What a paid order owes since an edit; a payment of exactly this much settles it. */
  orderBalanceDue: number;
  /** The order's active reservations, as the statement found them. */
  reservations: { warehouseId: string; variantId: string; quantity: number }[];
}

/**
 * One statement: the payment a provider event is about (locked, so two deliveries queue), the
 * event recorded once (`fresh` says whether this was the first time), and the order and its
 * reservations as they stand. Undefined, and nothing recorded, when there is no such payment.
 */
export async function lockPaymentForEvent(tx: Tx, event: { tenantId: string; provider: string; providerRef: string; eventId: string }): Promise<PaymentForEvent | undefined> {
  const result = await sql<PaymentForEvent>`
    with p as (
      select id, order_id, status, amount, currency, provider_ref, kind from payments
      where provider = ${event.provider} and provider_ref = ${event.providerRef}
      for update
    ),
    recorded as (
      insert into payment_webhook_events (tenant_id, provider, event_id)
      select ${event.tenantId}, ${event.provider}, ${event.eventId} where exists (select 1 from p)
      on conflict do nothing
      returning 1
    )
    select p.*, exists (select 1 from recorded) as fresh, o.status as order_status, o.total as order_total, o.currency as order_currency,
           coalesce(o.tender_total, 0) as order_tender_total, coalesce(o.balance_due, 0) as order_balance_due,
           coalesce((select json_agg(json_build_object('warehouseId', r.warehouse_id, 'variantId', r.variant_id, 'quantity', r.quantity) order by r.variant_id)
                     from stock_reservations r where r.order_id = p.order_id and r.status = 'active'), '[]'::json) as reservations
    from p left join orders o on o.id = p.order_id`.execute(tx);
  const row = result.rows[0];
  return row && { ...row, amount: Number(row.amount), orderTotal: row.orderTotal === null ? null : Number(row.orderTotal), orderTenderTotal: Number(row.orderTenderTotal), orderBalanceDue: Number(row.orderBalanceDue) };
}

/**
 * One statement: an unpaid order becomes paid, with its payment succeeded, its reservations
 * committed (the units leave the warehouse, with their ledger rows) and `events`, all only when
 * the order was still waiting for payment (its row lock decides against a concurrent expiry).
 * Returns whether it was, and whether every stock level could move (false means a broken ledger).
 */
export async function settlePaidOrder(
  tx: Tx,
  settle: { tenantId: string; orderId: string; paymentId: string; at: Date; movementIds: Map<string, string>; events: (paid: RawBuilder<unknown>) => RawBuilder<unknown> },
): Promise<{ paid: boolean; ledgerIntact: boolean }> {
  const { tenantId, orderId, paymentId, at } = settle;
  const keys = [...settle.movementIds.keys()];
  const result = await sql<{ paid: boolean; toMove: number; moved: number }>`
    with paid as (
      update orders set status = 'paid', paid_at = ${at}, updated_at = ${at}
      where id = ${orderId} and status = 'pending_payment'
      returning id
    ),
    succeeded as (
      update payments set status = 'succeeded', updated_at = ${at} where id = ${paymentId} and exists (select 1 from paid)
    ),
    settled as (
      update stock_reservations set status = 'committed', settled_at = ${at}
      where order_id = ${orderId} and status = 'active' and exists (select 1 from paid)
      returning warehouse_id, variant_id, quantity
    ),
    leaving as (
      select warehouse_id, variant_id, sum(quantity)::int as quantity from settled where quantity > 0 group by warehouse_id, variant_id
    ),
    moved as (
      update stock_levels sl set on_hand = sl.on_hand - l.quantity, reserved = sl.reserved - l.quantity, updated_at = ${at}
      from leaving l
      where sl.warehouse_id = l.warehouse_id and sl.variant_id = l.variant_id
        and sl.on_hand - l.quantity >= 0 and sl.reserved - l.quantity >= 0 and sl.reserved - l.quantity <= sl.on_hand - l.quantity
      returning sl.warehouse_id, sl.variant_id, sl.on_hand, sl.reserved, l.quantity
    ),
    ledger as (
      insert into stock_movements (tenant_id, id, warehouse_id, variant_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reference, created_at)
      select ${tenantId}, ids.movement_id, m.warehouse_id, m.variant_id, 'commit', -m.quantity, -m.quantity, m.on_hand, m.reserved, ${orderId}, ${at}
      from moved m join unnest(${keys}::text[], ${keys.map((key) => settle.movementIds.get(key)!)}::text[]) as ids(key, movement_id)
        on ids.key = m.warehouse_id || '/' || m.variant_id
    ),
    events as (${settle.events(sql`exists (select 1 from paid)`)})
    select exists (select 1 from paid) as paid, (select count(*) from leaving)::int as to_move, (select count(*) from moved)::int as moved`.execute(tx);
  const row = result.rows[0]!;
  return { paid: row.paid, ledgerIntact: row.toMove === row.moved };
}

/**
 * An order that gift cards and store credit paid in full, paid at checkout: the reservations
 * read (one statement), then the same settlement a payment's success runs (one statement), with
 * stock.committed and order.paid.
 */
export async function settleOrderPaidByTenders(tx: Tx, input: { tenantId: string; orderId: string; total: number; currency: string; at: Date }): Promise<void> {
  const { tenantId, orderId, at } = input;
  const reservations = await sql<{ warehouseId: string; variantId: string; quantity: number }>`
    select warehouse_id, variant_id, quantity from stock_reservations where order_id = ${orderId} and status = 'active' order by variant_id`.execute(tx);
  const lines = reservations.rows.map(({ variantId, quantity }) => ({ variantId, quantity }));
  const events: DomainEvent[] = [
    ...(lines.length > 0 ? [{ type: 'stock.committed', aggregateType: 'order', aggregateId: orderId, payload: { lines } }] : []),
    { type: 'order.paid', aggregateType: 'order', aggregateId: orderId, payload: { total: input.total, currency: input.currency, paidWith: 'tenders' } },
  ];
  const movementIds = new Map(reservations.rows.map((row) => [`${row.warehouseId}/${row.variantId}`, newId('mov')]));
  const settled = await settlePaidOrder(tx, { tenantId, orderId, paymentId: '', at, movementIds, events: (paid) => eventsInsert(tx, tenantId, events, at, paid) });
  if (!settled.paid || !settled.ledgerIntact) throw new Error(`order ${orderId} could not be settled from its tenders`);
}
