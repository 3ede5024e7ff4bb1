import type { Tx } from '../../infra/db/database.ts';
import { appendEvent } from '../../infra/outbox/outbox.ts';
import { newId } from '../../platform/ids.ts';
import { commitReservations, reserveStock, type ReserveOutcome } from '../inventory/index.ts';
import * as store from './order-store.ts';

/**
 * An exchange's replacement: the same variants again (or the ones asked for instead), at no charge, to the original address,
 * paid at once. Its idempotency key is the return's id, so a retried exchange finds the order it
 * placed before instead of placing a second one. Stock is reserved and committed as a paid
 * order's would be; a shortage writes nothing and is the caller's to report.
 */
export async function placeReplacementOrder(
  tx: Tx,
  tenantId: string,
  replacement: {
    originalOrderId: string;
    reference: string;
    /** `variant`, when given, is sent instead of the line's own (another size, another colour). */
    lines: { lineNo: number; quantity: number; variant?: { id: string; sku: string; optionValues: Record<string, string> } | undefined }[];
    at: Date;
  },
): Promise<{ ok: true; orderId: string } | Extract<ReserveOutcome, { ok: false }>> {
  const original = await store.findOrder(tx, replacement.originalOrderId);
  if (!original) throw new Error(`replacement for a missing order ${replacement.originalOrderId}`);
  const key = `exchange:${replacement.reference}`;
  const placed = await store.findOrderByKey(tx, original.customerId, key);
  if (placed) return { ok: true, orderId: placed.id };
  const byLineNo = new Map((await store.findOrderLines(tx, original.id)).map((line) => [line.lineNo, line]));
  const lines = replacement.lines.map(({ lineNo, quantity, variant }, index) => {
    const line = byLineNo.get(lineNo);
    if (!line) throw new Error(`replacement for a missing line ${lineNo} of ${original.id}`);
    const sent = variant ? { variantId: variant.id, sku: variant.sku, optionValues: variant.optionValues } : {};
    return { ...line, ...sent, lineNo: index + 1, quantity, unitPrice: 0, discount: 0, total: 0, tax: 0, listPrice: null, priceListId: null };
  });
  const id = newId('ord');
  const { at } = replacement;
  await tx
    .insertInto('orders')
    .values({
      tenantId,
      id,
      customerId: original.customerId,
      idempotencyKey: key,
      status: 'paid',
      currency: original.currency,
      subtotal: 0,
      discountTotal: 0,
      shippingTotal: 0,
      total: 0,
      couponCode: null,
      shippingAddress: JSON.stringify(original.shippingAddress),
      trackingNumber: null,
      cancelReason: null,
      expiresAt: at,
      paidAt: at,
      fulfilledAt: null,
      completedAt: null,
      cancelledAt: null,
      createdAt: at,
      updatedAt: at,
      pricesIncludeTax: original.pricesIncludeTax,
    })
    .execute();
  await tx
    .insertInto('orderLines')
    .values(
      lines.map((line) => ({
        tenantId,
        orderId: id,
        lineNo: line.lineNo,
        productId: line.productId,
        variantId: line.variantId,
        sku: line.sku,
        title: JSON.stringify(line.title),
        optionValues: JSON.stringify(line.optionValues),
        unitPrice: 0,
        quantity: line.quantity,
        discount: 0,
        total: 0,
        taxClass: line.taxClass,
        taxRateBp: line.taxRateBp,
        tax: 0,
      })),
    )
    .execute();
  const reserved = await reserveStock(tx, tenantId, id, lines.map((line) => ({ variantId: line.variantId, quantity: line.quantity })), at);
  if (!reserved.ok) return reserved;
  await commitReservations(tx, tenantId, id, at);
  await appendEvent(
    tx,
    tenantId,
    { type: 'order.placed', aggregateType: 'order', aggregateId: id, payload: { total: 0, currency: original.currency, replacementFor: original.id, reference: replacement.reference } },
    at,
  );
  await appendEvent(tx, tenantId, { type: 'order.paid', aggregateType: 'order', aggregateId: id, payload: { total: 0, currency: original.currency, replacementFor: original.id } }, at);
  return { ok: true, orderId: id };
}
