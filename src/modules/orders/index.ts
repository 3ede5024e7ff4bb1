export { createOrderService, markOrderPaid, recordOrderRefund, type OrderService } from './order-service.ts';
export { createCheckout, type Checkout } from './checkout-workflow.ts';
export { storeOrderRoutes, adminOrderRoutes } from './order-routes.ts';
export type { OrderView } from './order-view.ts';
