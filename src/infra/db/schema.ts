import type { ShipmentLinesTable, ShipmentsTable } from '../../modules/fulfillment/fulfillment-store.ts';
import type { PasswordResetsTable } from '../../modules/identity/password-reset-store.ts';
import type { CustomerAddressesTable } from '../../modules/customers/address-book-store.ts';
import type { WishlistItemsTable } from '../../modules/customers/wishlist-store.ts';
import type { FilesTable } from '../../modules/files/files-store.ts';
import type { ProductRatingSummariesTable, ReviewsTable } from '../../modules/reviews/review-store.ts';
import type { ReturnLinesTable, ReturnRequestsTable } from '../../modules/returns/returns-store.ts';
import type { LedgerAccountsTable, LedgerEntriesTable, LedgerOperationsTable, LedgerTransfersTable } from '../../modules/ledger/ledger-store.ts';
import type { GiftCardsTable } from '../../modules/ledger/gift-card-store.ts';
import type { ColumnType, Generated } from 'kysely';
import type {
  AttributesTable,
  CollectionProductsTable,
  CollectionsTable,
  ProductAttributeValuesTable,
  ProductSalesTable,
} from '../../modules/catalog/discovery-store.ts';

/**
 * Row types of the tables, in camelCase (Kysely's CamelCasePlugin maps them to the snake_case
 * columns of the SQL migrations, which stay the source of truth for the schema).
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type LocalizedText = Record<string, string>;

export interface TenantSettings {
  domains: string[];
  currencies: string[];
  locales: string[];
  modules: string[];
  quotas: { requestsPerSecond: number; products: number };
  theme: { primaryColor: string; accentColor: string; logoUrl?: string | undefined };
  checkout?: { paymentTimeoutMinutes: number };
  tax?: { pricesIncludeTax: boolean };
  returns?: ReturnsSettings;
}

export interface ReturnsSettings {
  windowDays: number;
  shipBackDays: number;
  autoApproveRefundOnlyBelow: number;
}

export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  status: Generated<'active' | 'suspended'>;
  defaultCurrency: string;
  defaultLocale: string;
  settings: Json<TenantSettings>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface TenantDomainsTable {
  domain: string;
  tenantId: string;
}

export interface CustomersTable {
  tenantId: string;
  id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  passwordHash: string;
  status: Generated<'active' | 'disabled'>;
  createdAt: Generated<Date>;
}

export type StaffRole = 'owner' | 'admin' | 'operator' | 'viewer';

export interface StaffTable {
  tenantId: string;
  id: string;
  email: string;
  name: string | null;
  passwordHash: string;
  role: StaffRole;
  status: Generated<'active' | 'disabled'>;
  createdAt: Generated<Date>;
}

export type SessionKind = 'customer' | 'staff' | 'api';

export interface SessionsTable {
  tenantId: string;
  id: string;
  tokenHash: string;
  kind: SessionKind;
  subjectId: string;
  label: string | null;
  createdAt: Generated<Date>;
  expiresAt: Timestamp | null;
  revokedAt: Timestamp | null;
  lastUsedAt: Timestamp | null;
}

export interface CategoriesTable {
  tenantId: string;
  id: string;
  parentId: string | null;
  slug: string;
  name: Json<LocalizedText>;
  position: Generated<number>;
  createdAt: Generated<Date>;
}

export type ProductStatus = 'draft' | 'active' | 'archived';

export interface ProductOption {
  code: string;
  name: LocalizedText;
  values: string[];
}

export interface ProductImage {
  url: string;
  alt?: string | undefined;
}

export interface ProductsTable {
  tenantId: string;
  id: string;
  slug: string;
  title: Json<LocalizedText>;
  description: Json<LocalizedText>;
  status: ProductStatus;
  categoryId: string | null;
  options: Json<ProductOption[]>;
  images: Json<ProductImage[]>;
  searchText: string;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  shippingProfile: Generated<string | null>;
  taxClass: Generated<string | null>;
}

export interface VariantsTable {
  tenantId: string;
  id: string;
  productId: string;
  sku: string;
  optionValues: Json<Record<string, string>>;
  position: number;
  createdAt: Generated<Date>;
  weightGrams: Generated<number>;
}

export interface VariantPricesTable {
  tenantId: string;
  variantId: string;
  currency: string;
  amount: number;
}

export interface WarehousesTable {
  tenantId: string;
  id: string;
  code: string;
  name: string;
  isDefault: boolean;
  createdAt: Generated<Date>;
}

export interface StockLevelsTable {
  tenantId: string;
  warehouseId: string;
  variantId: string;
  onHand: number;
  reserved: number;
  updatedAt: Timestamp;
}

export type ReservationStatus = 'active' | 'committed' | 'released';

export interface StockReservationsTable {
  tenantId: string;
  id: string;
  orderId: string;
  warehouseId: string;
  variantId: string;
  quantity: number;
  status: ReservationStatus;
  createdAt: Timestamp;
  settledAt: Timestamp | null;
  /** The pool (a flash sale's reservation) this unit came from and goes back to when released. */
  poolId: Generated<string | null>;
}

export type StockMovementKind = 'adjust' | 'reserve' | 'commit' | 'release';

export interface StockMovementsTable {
  tenantId: string;
  id: string;
  warehouseId: string;
  variantId: string;
  kind: StockMovementKind;
  onHandDelta: number;
  reservedDelta: number;
  onHandAfter: number;
  reservedAfter: number;
  reason: string | null;
  reference: string | null;
  actor: string | null;
  createdAt: Timestamp;
}

export interface CartsTable {
  tenantId: string;
  id: string;
  customerId: string | null;
  currency: string;
  couponCode: string | null;
  status: 'active' | 'merged' | 'converted';
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface CartLinesTable {
  tenantId: string;
  cartId: string;
  variantId: string;
  quantity: number;
  addedAt: Timestamp;
}

export interface CouponsTable {
  tenantId: string;
  id: string;
  code: string;
  kind: 'fixed' | 'percentage';
  value: number;
  currency: string | null;
  minSpend: number;
  startsAt: Timestamp | null;
  endsAt: Timestamp | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  usedCount: Generated<number>;
  productIds: Json<string[]>;
  categoryIds: Json<string[]>;
  status: 'active' | 'disabled';
  createdAt: Timestamp;
}

export interface CouponRedemptionsTable {
  tenantId: string;
  couponId: string;
  orderId: string;
  customerId: string;
  createdAt: Timestamp;
}

export type OrderStatus =
  | 'pending_payment'
  | 'paid'
  | 'partially_fulfilled'
  | 'fulfilled'
  | 'completed'
  | 'cancelled'
  | 'partially_refunded'
  | 'refunded';

export interface ShippingAddress {
  name: string;
  phone: string;
  country: string;
  province?: string | undefined;
  city: string;
  district?: string | undefined;
  line1: string;
  line2?: string | undefined;
  postalCode?: string | undefined;
}

export interface OrdersTable {
  tenantId: string;
  id: string;
  customerId: string;
  idempotencyKey: string;
  status: OrderStatus;
  currency: string;
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  total: number;
  refundedTotal: Generated<number>;
  couponCode: string | null;
  shippingAddress: Json<ShippingAddress>;
  trackingNumber: string | null;
  cancelReason: string | null;
  expiresAt: Timestamp;
  paidAt: Timestamp | null;
  fulfilledAt: Timestamp | null;
  completedAt: Timestamp | null;
  cancelledAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** Set for an order a flash sale admitted. */
  flashSaleId: Generated<string | null>;
  /** What the checkout's Idempotency-Key was first used for; null for flash and older orders. */
  requestFingerprint: Generated<string | null>;
  shippingMethodId: Generated<string | null>;
  shippingMethod: ColumnType<OrderShippingMethod | null, string | null | undefined, string | null>;
  taxTotal: Generated<number>;
  shippingTax: Generated<number>;
  shippingTaxRateBp: Generated<number>;
  /** Covered by gift cards and store credit; the payment provider takes the rest. */
  tenderTotal: Generated<number>;
  pricesIncludeTax: Generated<boolean>;
  /** What a paid order owes since an edit made it cost more; a further payment collects it. */
  balanceDue: Generated<number>;
}

export type OrderEditSettlement = 'none' | 'amount_due_changed' | 'balance_due' | 'refunded';

export interface OrderEditsTable {
  tenantId: string;
  id: string;
  orderId: string;
  actor: string;
  reason: string;
  changes: Json<OrderEditChange[]>;
  totalBefore: number;
  totalAfter: number;
  difference: number;
  settlement: OrderEditSettlement;
  refunded: Generated<number>;
  createdAt: Timestamp;
}

/** A line's quantity before and after an edit (0 before: added; 0 after: removed). */
export interface OrderEditChange {
  lineNo: number;
  variantId: string;
  sku: string;
  from: number;
  to: number;
}

/** The method an order ships by, as it was when the order was placed. */
export interface OrderShippingMethod {
  id: string;
  name: LocalizedText;
  kind: string;
  carrier: string | null;
  minDays: number;
  maxDays: number;
  free: boolean;
}

export interface OrderLinesTable {
  tenantId: string;
  orderId: string;
  lineNo: number;
  productId: string;
  variantId: string;
  sku: string;
  title: Json<LocalizedText>;
  optionValues: Json<Record<string, string>>;
  unitPrice: number;
  quantity: number;
  discount: number;
  total: number;
  taxClass: Generated<string>;
  taxRateBp: Generated<number>;
  tax: Generated<number>;
  priceListId: Generated<string | null>;
  /** The catalog price, when a price list made the unit price lower. */
  listPrice: Generated<number | null>;
}

export interface PaymentsTable {
  tenantId: string;
  id: string;
  orderId: string;
  provider: string;
  providerRef: string;
  status: 'pending' | 'succeeded' | 'failed' | 'refunded';
  amount: number;
  currency: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** `order` pays the order (once); `balance` pays what an edit added to a paid order. */
  kind: Generated<'order' | 'balance'>;
}

export interface RefundsTable {
  tenantId: string;
  id: string;
  orderId: string;
  /** The payment the refunded money came from; null for money that gift cards or store credit paid. */
  paymentId: string | null;
  amount: number;
  reason: string | null;
  providerRef: string | null;
  status: 'succeeded' | 'failed';
  createdAt: Timestamp;
  destination: Generated<'provider' | 'tenders' | 'store_credit'>;
}

export interface PaymentWebhookEventsTable {
  tenantId: string;
  provider: string;
  eventId: string;
  receivedAt: Generated<Date>;
}

export interface OutboxEventsTable {
  /** Handed out by the outbox_assign_seq trigger (migration 0006). */
  seq: Generated<number>;
  /** xid8 of the writing transaction, read as a decimal string; for diagnosis only. */
  txid: Generated<string>;
  tenantId: string;
  id: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Json<Record<string, unknown>>;
  traceId: string | null;
  occurredAt: Timestamp;
}

export interface OutboxCheckpointsTable {
  subscriber: string;
  lastSeq: number;
  updatedAt: Timestamp;
}

export interface ProcessedEventsTable {
  tenantId: string;
  subscriber: string;
  eventId: string;
  createdAt: Generated<Date>;
}

export type FlashSaleStatus = 'scheduled' | 'cancelled' | 'closed';

export interface FlashSalesTable {
  tenantId: string;
  id: string;
  productId: string;
  variantId: string;
  title: Json<LocalizedText>;
  currency: string;
  price: number;
  quantity: number;
  perCustomerLimit: number;
  paymentMinutes: number;
  startsAt: Timestamp;
  endsAt: Timestamp;
  status: Generated<FlashSaleStatus>;
  createdAt: Generated<Date>;
  closedAt: Timestamp | null;
}

export interface DB {
  tenants: TenantsTable;
  tenantDomains: TenantDomainsTable;
  customers: CustomersTable;
  staff: StaffTable;
  sessions: SessionsTable;
  categories: CategoriesTable;
  products: ProductsTable;
  variants: VariantsTable;
  variantPrices: VariantPricesTable;
  warehouses: WarehousesTable;
  stockLevels: StockLevelsTable;
  stockReservations: StockReservationsTable;
  stockMovements: StockMovementsTable;
  carts: CartsTable;
  cartLines: CartLinesTable;
  coupons: CouponsTable;
  couponRedemptions: CouponRedemptionsTable;
  orders: OrdersTable;
  orderLines: OrderLinesTable;
  payments: PaymentsTable;
  refunds: RefundsTable;
  paymentWebhookEvents: PaymentWebhookEventsTable;
  outboxEvents: OutboxEventsTable;
  outboxCheckpoints: OutboxCheckpointsTable;
  processedEvents: ProcessedEventsTable;
  flashSales: FlashSalesTable;
  passwordResets: PasswordResetsTable;
  ledgerAccounts: LedgerAccountsTable;
  ledgerOperations: LedgerOperationsTable;
  ledgerTransfers: LedgerTransfersTable;
  ledgerEntries: LedgerEntriesTable;
  giftCards: GiftCardsTable;
  shipments: ShipmentsTable;
  shipmentLines: ShipmentLinesTable;
  attributes: AttributesTable;
  productAttributeValues: ProductAttributeValuesTable;
  collections: CollectionsTable;
  collectionProducts: CollectionProductsTable;
  productSales: ProductSalesTable;
  files: FilesTable;
  reviews: ReviewsTable;
  returnRequests: ReturnRequestsTable;
  orderEdits: OrderEditsTable;
  returnLines: ReturnLinesTable;
  productRatingSummaries: ProductRatingSummariesTable;
  customerAddresses: CustomerAddressesTable;
  wishlistItems: WishlistItemsTable;
  shippingProfiles: ShippingProfilesTable;
  shippingZones: ShippingZonesTable;
  shippingZoneRegions: ShippingZoneRegionsTable;
  shippingMethods: ShippingMethodsTable;
  taxRates: TaxRatesTable;
  invoiceRequests: InvoiceRequestsTable;
  customerGroups: CustomerGroupsTable;
  customerGroupMembers: CustomerGroupMembersTable;
  priceLists: PriceListsTable;
  priceListPrices: PriceListPricesTable;
}

export interface CustomerGroupsTable {
  tenantId: string;
  id: string;
  code: string;
  name: Json<LocalizedText>;
  createdAt: Timestamp;
}

export interface CustomerGroupMembersTable {
  tenantId: string;
  groupId: string;
  customerId: string;
  addedAt: Timestamp;
}

export interface PriceListsTable {
  tenantId: string;
  id: string;
  name: string;
  groupId: string | null;
  currency: string;
  startsAt: Timestamp | null;
  endsAt: Timestamp | null;
  status: 'active' | 'disabled';
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface PriceListPricesTable {
  tenantId: string;
  priceListId: string;
  variantId: string;
  minQuantity: number;
  amount: number;
  compareAt: number | null;
}

export interface ShippingProfilesTable {
  tenantId: string;
  code: string;
  name: Json<LocalizedText>;
  requiresShipping: boolean;
  createdAt: Generated<Date>;
}

export interface ShippingZonesTable {
  tenantId: string;
  id: string;
  name: string;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface ShippingZoneRegionsTable {
  tenantId: string;
  zoneId: string;
  country: string;
  provinceKey: string;
  cityKey: string;
  province: string | null;
  city: string | null;
}

export interface ShippingMethodsTable {
  tenantId: string;
  id: string;
  zoneId: string;
  name: Json<LocalizedText>;
  kind: 'standard' | 'express' | 'carrier' | 'pickup';
  carrier: string | null;
  currency: string;
  rate: Json<Record<string, unknown>>;
  freeOver: number | null;
  profiles: string[] | null;
  surcharges: Json<Record<string, number>>;
  minDays: number;
  maxDays: number;
  status: Generated<'active' | 'disabled'>;
  position: Generated<number>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface TaxRatesTable {
  tenantId: string;
  id: string;
  country: string;
  provinceKey: string;
  province: string | null;
  taxClass: string;
  rateBp: number;
  name: string;
  createdAt: Generated<Date>;
}

export interface InvoiceRequestsTable {
  tenantId: string;
  orderId: string;
  customerId: string;
  titleType: 'personal' | 'company';
  title: string;
  taxId: string | null;
  email: string | null;
  status: Generated<'requested' | 'issued' | 'cancelled'>;
  invoiceNumber: string | null;
  createdAt: Timestamp;
  issuedAt: Timestamp | null;
}
