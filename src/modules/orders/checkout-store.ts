import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import { cartLinesQuery, toCartLine, type CartLineDetail } from '../cart/index.ts';
import type { NewPayment } from '../payments/payment-service.ts';
import type { NewOrder } from './order-store.ts';

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
}

/**
 * One statement: the key's prior order, the cart (locked) and its lines with prices. The lines are
 * read in the statement's snapshot, taken before the lock was granted; when the cart changed in
 * between (a line added while we waited), the read is made again, now under the lock.
 */
export async function readForCheckout(tx: Tx, input: { cartId: string; customerId: string; idempotencyKey: string }): Promise<CheckoutRead> {
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
             l.*
      from (select 1) as one
      left join prior pr on true
      left join cart c on true
      left join lateral (${cartLinesQuery(sql`c.id`, sql`c.currency`)}) l on true
      order by l.added_at, l.variant_id`.execute(tx);
    const first = result.rows[0]!;
    if (first.lockedVersion !== first.seenVersion) continue;
    return {
      prior: first.priorId ? { id: first.priorId, requestFingerprint: first.priorFingerprint, flashSaleId: first.priorFlashSaleId } : undefined,
      cart: first.cartId
        ? { id: first.cartId, customerId: first.cartCustomerId, currency: first.cartCurrency!, couponCode: first.cartCouponCode, status: first.cartStatus! }
        : undefined,
      lines: result.rows.filter((row) => row.variantId !== null).map((row) => toCartLine(row)),
    };
  }
}

/**
 * One statement: the order and its lines, the cart converted, the payment opened (when its
 * session could be made in the transaction) and the events that record all of it.
 */
export async function writeOrder(tx: Tx, order: NewOrder, cartId: string, payment: NewPayment | undefined, events: RawBuilder<unknown>): Promise<void> {
  const lines = order.lines.map(
    (line) => sql`(${order.tenantId}, ${order.id}, ${line.lineNo}::int, ${line.productId}, ${line.variantId}, ${line.sku}, ${JSON.stringify(line.title)}::jsonb,
                   ${JSON.stringify(line.optionValues)}::jsonb, ${line.unitPrice}::bigint, ${line.quantity}::int, ${line.discount}::bigint, ${line.total}::bigint)`,
  );
  await sql`
    with placed as (
      insert into orders (tenant_id, id, customer_id, idempotency_key, request_fingerprint, status, currency, subtotal, discount_total,
                          shipping_total, total, coupon_code, shipping_address, expires_at, created_at, updated_at)
      values (${order.tenantId}, ${order.id}, ${order.customerId}, ${order.idempotencyKey}, ${order.requestFingerprint}, 'pending_payment',
              ${order.currency}, ${order.subtotal}, ${order.discountTotal}, ${order.shippingTotal}, ${order.total}, ${order.couponCode},
              ${JSON.stringify(order.shippingAddress)}, ${order.expiresAt}, ${order.at}, ${order.at})
    ),
    lines as (
      insert into order_lines (tenant_id, order_id, line_no, product_id, variant_id, sku, title, option_values, unit_price, quantity, discount, total)
      values ${sql.join(lines)}
    ),
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
    select 1`.execute(tx);
}
