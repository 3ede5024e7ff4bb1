export { createShippingService, type ShippingService, type MethodView } from './shipping-service.ts';
export { adminShippingRoutes } from './shipping-routes.ts';
export { shippingCharge, GENERAL_PROFILE, type ShippingMethod, type ShippingRate } from './shipping-rates.ts';
export { regionOf, regionKey } from './regions.ts';
export { profileExists } from './shipping-store.ts';
export { profileCode } from './shipping-schema.ts';
