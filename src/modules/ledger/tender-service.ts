import type { Tx } from '../../infra/db/database.ts';
import { Conflict, Gone, Invalid, NotFound, Unprocessable, type AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { hashGiftCardCode, lastFour, maskGiftCardCode, normalizeGiftCardCode } from './gift-card-code.ts';
import { accountId, fingerprint, settleMovement, type Settled } from './ledger-store.ts';
import { holdPlan, holdProblems, refundInfo, refundPlan, releaseOrCapturePlan, staleInfo, type TenderRef } from './tender-store.ts';

/**
 * What checkout calls inside its own transaction (the `tx` of its `db.withTenant`) to let gift
 * cards and store credit pay part of an order. Each call is one SQL statement (see `moveMoney`);
 * only when a concurrent transaction touched the same order or key between this statement's
 * snapshot and its locks is the statement sent again (at most twice more). A thrown error leaves
 * the statement's writes in `tx`: the caller rolls its transaction back, as checkout does on any
 * error.
 */

export type Tender = { kind: 'gift_card'; code: string } | { kind: 'store_credit'; customerId: string };

export interface HoldTenderInput {
  orderId: string;
  /** Used in this order, each up to what is still due. */
  tenders: Tender[];
  amountDue: number;
  currency: string;
  idempotencyKey: string;
  /** When the hold happens (a card expiring before then is refused); now by default. */
  at?: Date;
}

export interface TenderCoverage {
  kind: Tender['kind'];
  /** The card as staff and customers see it after issue, or the customer whose credit it is. */
  giftCard?: string;
  customerId?: string;
  covered: number;
}

export interface HeldTender {
  orderId: string;
  currency: string;
  coverage: TenderCoverage[];
  covered: number;
  /** What the card/wallet payment provider is to take. */
  remainder: number;
  replayed: boolean;
}

const PROBLEMS: Record<string, (ord: number) => AppError> = {
  gift_card_not_found: (ord) => new NotFound('gift_card_not_found', 'There is no such gift card.', [{ path: `tenders.${ord}.code`, message: 'unknown' }]),
  gift_card_disabled: (ord) => new Gone('gift_card_disabled', 'This gift card has been disabled.', [{ path: `tenders.${ord}.code`, message: 'disabled' }]),
  gift_card_expired: (ord) => new Gone('gift_card_expired', 'This gift card has expired.', [{ path: `tenders.${ord}.code`, message: 'expired' }]),
  gift_card_currency_mismatch: (ord) => new Unprocessable('gift_card_currency_mismatch', 'This gift card is in another currency.', [{ path: `tenders.${ord}.code`, message: 'other currency' }]),
};

const keyReused = () => new Conflict('idempotency_key_reused', 'This idempotency key was already used for another request; send a new one.');

function assertAmount(amount: number, path: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new Invalid('invalid_amount', 'An amount is a positive whole number of minor units.', [{ path, message: 'positive integer' }]);
}

/** Moves up to `amountDue` from each tender, in order, to the order's tender account: one statement. */
export async function holdTender(tx: Tx, input: HoldTenderInput): Promise<HeldTender> {
  assertAmount(input.amountDue, 'amountDue');
  const refs: TenderRef[] = input.tenders.map((tender, ord) => {
    if (tender.kind === 'store_credit') return { ord, kind: 'store_credit', accountId: accountId('store_credit', tender.customerId, input.currency) };
    const code = normalizeGiftCardCode(tender.code);
    if (!code) throw PROBLEMS.gift_card_not_found!(ord);
    return { ord, kind: 'gift_card', codeHash: hashGiftCardCode(code) };
  });
  const seen = new Set(refs.map((ref) => (ref.kind === 'gift_card' ? ref.codeHash : ref.accountId)));
  if (seen.size !== refs.length) throw new Invalid('duplicate_tender', 'Each gift card or store credit is named once.', [{ path: 'tenders', message: 'repeated' }]);
  if (refs.length === 0) return { orderId: input.orderId, currency: input.currency, coverage: [], covered: 0, remainder: input.amountDue, replayed: false };

  const at = input.at ?? new Date();
  const settled = await settleMovement(tx, {
    kind: 'tender.held',
    idempotencyKey: input.idempotencyKey,
    fingerprint: fingerprint({ kind: 'tender.held', orderId: input.orderId, refs, amountDue: input.amountDue, currency: input.currency }),
    orderId: input.orderId,
    memo: {},
    event: { aggregateType: 'order', aggregateId: input.orderId, payload: { amountDue: input.amountDue } },
    at,
    plan: holdPlan({ tenders: refs, tenderAccountId: accountId('order_tender', input.orderId, input.currency), amountDue: input.amountDue, currency: input.currency, at }),
    info: holdProblems,
  });
  if (settled.outcome === 'key_reused') throw keyReused();
  if (settled.outcome === 'not_ready') {
    const [first] = settled.info as { ord: number; problem: string }[];
    throw PROBLEMS[first!.problem]!(first!.ord);
  }
  const legs = settled.outcome === 'moved' ? settled.legs : [];
  const coverage = input.tenders.map((tender, ord): TenderCoverage => {
    const covered = legs.find((leg) => leg.leg === ord)?.amount ?? 0;
    return tender.kind === 'gift_card'
      ? { kind: 'gift_card', giftCard: maskGiftCardCode(lastFour(normalizeGiftCardCode(tender.code)!)), covered }
      : { kind: 'store_credit', customerId: tender.customerId, covered };
  });
  const covered = coverage.reduce((sum, entry) => sum + entry.covered, 0);
  return { orderId: input.orderId, currency: input.currency, coverage, covered, remainder: input.amountDue - covered, replayed: settled.outcome === 'moved' && settled.replayed };
}

export interface TenderMovement {
  orderId: string;
  /** The total moved by this call (0 when there was nothing left to move). */
  amount: number;
  /** Per gift card or store-credit account, what went to or came from it. */
  legs: { accountId: string; amount: number }[];
  replayed: boolean;
}

function toMovement(orderId: string, settled: Settled): TenderMovement {
  if (settled.outcome === 'key_reused') throw keyReused();
  const legs = settled.outcome === 'moved' ? settled.legs.map((leg) => ({ accountId: leg.tenderAccountId ?? leg.toId, amount: leg.amount })) : [];
  return { orderId, amount: legs.reduce((sum, leg) => sum + leg.amount, 0), legs, replayed: settled.outcome === 'moved' && settled.replayed };
}

/**
 * The order was cancelled or expired: everything still held goes back to the card or credit it
 * came from. Calling it again moves nothing (the held balance is then zero). One statement.
 */
export async function releaseTender(tx: Tx, orderId: string, at: Date = new Date()): Promise<TenderMovement> {
  return toMovement(orderId, await settleMovement(tx, releaseOrCapture(orderId, 'tender.released', at)));
}

/** The order was paid: what is held becomes settled (refundable, no longer releasable). One statement. */
export async function captureTender(tx: Tx, orderId: string, at: Date = new Date()): Promise<TenderMovement> {
  return toMovement(orderId, await settleMovement(tx, releaseOrCapture(orderId, 'tender.captured', at)));
}

function releaseOrCapture(orderId: string, kind: 'tender.released' | 'tender.captured', at: Date) {
  // The balance makes these idempotent, so each call gets a key of its own.
  return {
    kind,
    idempotencyKey: `${kind}:${orderId}:${newId('lop')}`,
    fingerprint: fingerprint({ kind, orderId }),
    orderId,
    memo: {},
    event: { aggregateType: 'order', aggregateId: orderId },
    at,
    plan: releaseOrCapturePlan(orderId, kind === 'tender.released' ? 'source' : 'settled'),
    info: staleInfo,
  };
}

export interface RefundTenderInput {
  orderId: string;
  amount: number;
  /** Back to the gift cards and credit that paid (in the order they were used), or as store credit of the order's customer. */
  to: 'original' | 'store_credit';
  idempotencyKey: string;
  at?: Date;
}

/** Refunds part of what was captured; refunds add up and never pass it. One statement. */
export async function refundTender(tx: Tx, input: RefundTenderInput): Promise<TenderMovement> {
  assertAmount(input.amount, 'amount');
  const settled = await settleMovement(tx, {
    kind: 'tender.refunded',
    idempotencyKey: input.idempotencyKey,
    fingerprint: fingerprint({ kind: 'tender.refunded', orderId: input.orderId, amount: input.amount, to: input.to }),
    orderId: input.orderId,
    memo: { to: input.to },
    event: { aggregateType: 'order', aggregateId: input.orderId, payload: { to: input.to } },
    at: input.at ?? new Date(),
    plan: refundPlan(input.orderId, input.amount, input.to),
    info: refundInfo,
  });
  if (settled.outcome === 'not_ready' || settled.outcome === 'nothing_to_move') {
    const refundable = settled.outcome === 'not_ready' ? (settled.info as { refundable: number }).refundable : 0;
    throw new Unprocessable('refund_exceeds_captured', `At most ${refundable} of this order's gift card and store credit payment can still be refunded.`, [
      { path: 'amount', message: `at most ${refundable}` },
    ]);
  }
  return toMovement(input.orderId, settled);
}
