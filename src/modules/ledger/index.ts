export { createGiftCardService, type GiftCardService, type GiftCardView } from './gift-card-service.ts';
export { createStoreCreditService, type StoreCreditService, type StoreCreditView } from './store-credit-service.ts';
export { adminLedgerRoutes, storeLedgerRoutes } from './ledger-routes.ts';
export { holdTender, releaseTender, captureTender, refundTender, type Tender, type HoldTenderInput, type HeldTender, type RefundTenderInput, type TenderMovement } from './tender-service.ts';
export { checkLedger, accountId, type AccountKind, type LedgerProblem } from './ledger-store.ts';
export { transfer, type TransferInput } from './ledger-service.ts';
