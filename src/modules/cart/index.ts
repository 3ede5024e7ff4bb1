export { createCartService, type CartService, type CartView } from './cart-service.ts';
export { cartRoutes, cartView } from './cart-routes.ts';
export { loadCartLines, cartLinesQuery, toCartLine, type CartLineDetail } from './cart-lines.ts';
export { priceCart, toPricedLines, assemblePricedCart, subtotalOf, type PricedCart } from './cart-pricing.ts';
export {
  chooseDestination,
  destinationColumns,
  readDestination,
  toDestinationRead,
  needsShipping,
  type DestinationRead,
  type AddressLike,
} from './destination.ts';
