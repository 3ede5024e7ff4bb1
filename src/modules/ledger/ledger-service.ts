import type { Tx } from '../../infra/db/database.ts';
import { Conflict, Invalid } from '../../platform/errors.ts';
import { fingerprint, settleMovement, type AccountKind } from './ledger-store.ts';
import { transferPlan } from './tender-store.ts';

const SOURCES = new Set<string>(['gift_card_issuance', 'store_credit_issuance'] satisfies AccountKind[]);

export interface TransferInput {
  /** The transfer's and its event's type, e.g. `wallet.gift_sent`. */
  kind: string;
  fromId: string;
  toId: string;
  amount: number;
  currency: string;
  idempotencyKey: string;
  memo?: Record<string, unknown>;
  event: { aggregateType: string; aggregateId: string };
  at?: Date;
}

/**
 * The general movement, for any other feature that keeps money on this ledger (the live rooms'
 * gift wallet): one amount between two accounts (ids from `accountId`), in one statement, inside
 * the caller's transaction. A spend the balance doesn't cover is a typed outcome, not an error.
 */
export async function transfer(tx: Tx, input: TransferInput): Promise<{ ok: true; replayed: boolean } | { ok: false; reason: 'insufficient_funds' }> {
  const currencies = [input.fromId, input.toId].map((id) => id.split(':')[2]);
  if (input.fromId === input.toId || currencies.some((currency) => currency !== input.currency) || !Number.isSafeInteger(input.amount) || input.amount <= 0) {
    throw new Invalid('invalid_transfer', 'A transfer moves a positive amount between two accounts of its currency.');
  }
  const settled = await settleMovement(tx, {
    kind: input.kind,
    idempotencyKey: input.idempotencyKey,
    fingerprint: fingerprint({ kind: input.kind, fromId: input.fromId, toId: input.toId, amount: input.amount, memo: input.memo ?? {} }),
    orderId: null,
    memo: input.memo ?? {},
    event: input.event,
    at: input.at ?? new Date(),
    plan: transferPlan({ ...input, fromIsSource: SOURCES.has(input.fromId.split(':')[0]!) }),
  });
  if (settled.outcome === 'key_reused') throw new Conflict('idempotency_key_reused', 'This idempotency key was already used for another transfer; send a new one.');
  return settled.outcome === 'moved' ? { ok: true, replayed: settled.replayed } : { ok: false, reason: 'insufficient_funds' };
}
