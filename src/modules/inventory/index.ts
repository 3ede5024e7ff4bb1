export {
  createInventoryService,
  reserveStock,
  prepareReservation,
  type PendingReservation,
  releaseReservations,
  commitReservations,
  restockReturnedUnits,
  giveBackOrderUnits,
  reservePool,
  takeFromPool,
  closePool,
  type InventoryService,
  type StockView,
  type ReserveOutcome,
} from './inventory-service.ts';
export { adminInventoryRoutes } from './inventory-routes.ts';
export { reservedWarehouses } from './inventory-store.ts';
