export { createFulfillmentService, type FulfillmentService, type OrderFulfillment, type ShipmentView } from './fulfillment-service.ts';
export { adminFulfillmentRoutes, storeFulfillmentRoutes } from './fulfillment-routes.ts';
export { CARRIERS, trackingNumber, type Carrier } from './fulfillment-schema.ts';
