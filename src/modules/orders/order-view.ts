import type { OrderInvoice, OrderLineRow, OrderRow } from './order-store.ts';

export function orderView(order: OrderRow & { invoice?: OrderInvoice | null }, lines: OrderLineRow[]) {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    currency: order.currency,
    subtotal: Number(order.subtotal),
    discountTotal: Number(order.discountTotal),
    shippingTotal: Number(order.shippingTotal),
    shippingMethod: order.shippingMethod,
    taxTotal: Number(order.taxTotal),
    shippingTax: Number(order.shippingTax),
    pricesIncludeTax: order.pricesIncludeTax,
    total: Number(order.total),
    /** Paid with gift cards and store credit. */
    tenderTotal: Number(order.tenderTotal),
    /** What the payment provider is to take. */
    amountDue: Number(order.total) - Number(order.tenderTotal),
    /** What a paid order owes since an edit made it cost more. */
    balanceDue: Number(order.balanceDue),
    refundedTotal: Number(order.refundedTotal),
    couponCode: order.couponCode,
    shippingAddress: order.shippingAddress,
    trackingNumber: order.trackingNumber,
    cancelReason: order.cancelReason,
    expiresAt: order.expiresAt,
    paidAt: order.paidAt,
    fulfilledAt: order.fulfilledAt,
    completedAt: order.completedAt,
    cancelledAt: order.cancelledAt,
    createdAt: order.createdAt,
    invoice: order.invoice ?? null,
    lines: lines.map((line) => ({
      lineNo: line.lineNo,
      productId: line.productId,
      variantId: line.variantId,
      sku: line.sku,
      title: line.title,
      optionValues: line.optionValues,
      unitPrice: Number(line.unitPrice),
      quantity: line.quantity,
      discount: Number(line.discount),
      total: Number(line.total),
      taxClass: line.taxClass,
      taxRateBp: line.taxRateBp,
      tax: Number(line.tax),
      listPrice: line.listPrice === null ? null : Number(line.listPrice),
    })),
  };
}

export type OrderView = ReturnType<typeof orderView>;
