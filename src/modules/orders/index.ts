export { placeReplacementOrder } from './replacement-order.ts';
export { createOrderService, findOrderForUpdate, recordFulfilment, recordOrderRefund, type OrderService } from './order-service.ts';
export { createOrderEditService, type OrderEditService } from './order-edit-service.ts';
export { createCheckout, type Checkout } from './checkout-workflow.ts';
export { storeOrderRoutes, adminOrderRoutes } from './order-routes.ts';
export type { OrderView } from './order-view.ts';
export { createSalesReport, type SalesReport, type SalesReportFn } from './sales-report.ts';
export { adminDashboardRoutes } from './dashboard-routes.ts';
export { ShippingAddressSchema } from './order-schema.ts';
