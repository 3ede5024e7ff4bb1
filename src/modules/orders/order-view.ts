import type { OrderLineRow, OrderRow } from './order-store.ts';

export function orderView(order: OrderRow, lines: OrderLineRow[]) {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    currency: order.currency,
    subtotal: Number(order.subtotal),
    discountTotal: Number(order.discountTotal),
    shippingTotal: Number(order.shippingTotal),
    total: Number(order.total),
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
    })),
  };
}

export type OrderView = ReturnType<typeof orderView>;
