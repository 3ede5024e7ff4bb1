/**
 * The flash sale's fast path: a count of units left, per-customer purchase counts and the
 * answers already given per idempotency key, held in memory (embedded) or in Redis (server,
 * shared by every node). Admission is one atomic step that never touches the database; the
 * database stays the record, and these counters are rebuilt from it.
 */
export type Admission =
  | { outcome: 'admitted'; orderId: string }
  | { outcome: 'replayed'; orderId: string }
  | { outcome: 'sold_out' }
  | { outcome: 'limit_reached' }
  /** The counters for this sale are not loaded here yet: prepare them first. */
  | { outcome: 'unprepared' };

export interface SaleState {
  remaining: number;
  /** Units each customer holds (orders not cancelled). */
  bought: Map<string, number>;
  /** `customerId:idempotencyKey` → order id, for every order the sale has. */
  answers: Map<string, string>;
}

export interface AdmitRequest {
  saleId: string;
  customerId: string;
  idempotencyKey: string;
  /** The order id to give the purchase if it is admitted. */
  orderId: string;
  limit: number;
  at: number;
}

export interface PendingAdmission {
  orderId: string;
  customerId: string;
  idempotencyKey: string;
  at: number;
}

export interface StockTokens {
  readonly kind: 'memory' | 'redis';
  /** Loads a sale's counters unless another node (or an earlier call) already did. */
  prepare(saleId: string, load: () => Promise<SaleState>, expiresAt: Date): Promise<void>;
  admit(request: AdmitRequest): Promise<Admission>;
  /**
   * The order already given for this customer's key, as far as this node knows without a round
   * trip: a retry after the sale sold out must get its order back, not "sold out".
   */
  knownAnswer(saleId: string, customerId: string, idempotencyKey: string): string | undefined;
  /** The admissions were written to the database: they are no longer pending. */
  confirm(saleId: string, orderIds: string[]): Promise<void>;
  /**
   * Undoes an admission the database did not take. `returnUnit` puts its unit back (a failed
   * write); without it the unit is dropped (the database had no unit for it: the counter was
   * ahead of the record, and now agrees with it).
   */
  revoke(saleId: string, admission: PendingAdmission, returnUnit: boolean): Promise<void>;
  /** A cancelled or expired purchase gave its unit back; applying the same order twice is a no-op. */
  returnUnit(saleId: string, orderId: string, customerId: string): Promise<boolean>;
  remaining(saleId: string): Promise<number | undefined>;
  /** Admissions older than `before` still not confirmed: their writer may have died. */
  stalePending(saleId: string, before: number): Promise<PendingAdmission[]>;
  close(): Promise<void>;
}

export function answerKey(customerId: string, idempotencyKey: string): string {
  return `${customerId}:${idempotencyKey}`;
}
