import { noPaymentProvider, type PaymentService, type PaymentView } from '../payments/payment-service.ts';
import type { Platform } from '../tenants/platform.ts';
import type { OrderView } from './order-view.ts';
import type { OrderService, PlaceOrderInput } from './order-service.ts';

export type Checkout = (
  platform: Platform,
  customerId: string,
  input: PlaceOrderInput,
) => Promise<{ order: OrderView; payment: PaymentView | null; replayed: boolean }>;

/**
 * Checkout as named steps, each with its undo beside it:
 *   1. place the order   (reserve stock → redeem coupon → write order; undo: cancel the order,
 *                          which releases the stock and gives the coupon use back)
 *   2. open the payment  (a session with the provider; nothing to undo)
 * Step 1 is one database transaction, so a failure inside it undoes itself by rolling back. When
 * the provider makes sessions without a network call, step 2 runs inside that transaction too
 * (one commit for both); otherwise after it, and a failure there cancels the order.
 */
export function createCheckout(deps: { orders: OrderService; payments: PaymentService }): Checkout {
  return async (platform, customerId, input) => {
    // Refused before any stock is reserved: an order nobody can pay would only hold it.
    if (!deps.payments.takesPayments) throw noPaymentProvider();
    const placed = await deps.orders.placeOrder(platform, customerId, input, (order, at) => deps.payments.prepareFirstPayment(platform, order, at));
    if (placed.payment) return { order: placed.order, payment: placed.payment, replayed: false };
    // Gift cards and store credit paid it all: there is nothing for a provider to take.
    if (placed.order.amountDue === 0) return { order: placed.order, payment: null, replayed: placed.replayed };
    if (placed.replayed) {
      const payment = placed.order.status === 'pending_payment' ? await deps.payments.openPayment(platform, placed.order.id) : null;
      return { order: placed.order, payment, replayed: true };
    }
    try {
      const payment = await deps.payments.openFirstPayment(platform, { id: placed.order.id, total: placed.order.amountDue, currency: placed.order.currency });
      return { order: placed.order, payment, replayed: false };
    } catch (error) {
      await deps.orders.cancelOrder(platform, placed.order.id, 'payment_unavailable');
      throw error;
    }
  };
}
