export {
  createInventoryService,
  reserveStock,
  commitReservations,
  releaseReservations,
  type InventoryService,
  type StockView,
  type ReserveOutcome,
} from './inventory-service.ts';
export { adminInventoryRoutes } from './inventory-routes.ts';
