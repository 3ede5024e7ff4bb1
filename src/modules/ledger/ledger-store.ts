import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import { eventInsertSelect } from '../../infra/outbox/outbox.ts';
import { newId } from '../../platform/ids.ts';

export interface LedgerAccountsTable {
  tenantId: string;
  id: string;
  kind: string;
  ownerId: string;
  currency: string;
  balance: number;
  mayGoNegative: boolean;
  createdAt: Date;
}

export interface LedgerOperationsTable {
  tenantId: string;
  id: string;
  idempotencyKey: string;
  kind: string;
  fingerprint: string;
  orderId: string | null;
  createdAt: Date;
}

export interface LedgerTransfersTable {
  tenantId: string;
  operationId: string;
  leg: number;
  kind: string;
  currency: string;
  amount: number;
  orderId: string | null;
  tenderAccountId: string | null;
  memo: Record<string, unknown>;
  createdAt: Date;
}

export interface LedgerEntriesTable {
  tenantId: string;
  operationId: string;
  leg: number;
  accountId: string;
  amount: number;
  createdAt: Date;
}

/**
 * What an account holds. The *_issuance kinds are where issued money comes from: their balance
 * goes below zero by what is outstanding, the platform's liability. Every other kind stays >= 0.
 */
export type AccountKind = 'gift_card' | 'store_credit' | 'order_tender' | 'order_settled' | 'gift_card_issuance' | 'store_credit_issuance' | 'breakage';
const SOURCE_KINDS: readonly AccountKind[] = ['gift_card_issuance', 'store_credit_issuance'];

/** Account ids say what they hold, so writers name accounts without looking them up. */
export function accountId(kind: AccountKind, ownerId: string, currency: string): string {
  return `${kind}:${ownerId}:${currency}`;
}

export function fingerprint(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url');
}

/** One transfer of an operation: `amount` leaves `fromId` and arrives at `toId`. */
export interface Leg {
  leg: number;
  fromId: string;
  toId: string;
  amount: number;
  currency: string;
  tenderAccountId: string | null;
}

export interface Movement {
  /** The operation's kind, also each transfer's kind and its event's type. */
  kind: string;
  idempotencyKey: string;
  fingerprint: string;
  orderId: string | null;
  memo: Record<string, unknown>;
  event: { aggregateType: string; aggregateId: string; payload?: Record<string, unknown> };
  at: Date;
  /**
   * CTEs (`name as (…)`, comma-separated) that read and lock what the operation needs and end with
   * `plan(leg, from_id, to_id, amount, currency, tender_account_id)`, the transfers to make, and
   * `ready(ok)`: whether they may be made (all tenders usable, the split read consistent…).
   */
  plan: RawBuilder<unknown>;
  /** More writes, made only when the operation is recorded (CTEs, each followed by a comma). */
  alongside?: RawBuilder<unknown>;
  /** A jsonb expression over the plan's CTEs, returned as `info` (why it wasn't ready). */
  info?: RawBuilder<unknown>;
}

export interface MovementResult {
  /** This statement recorded the operation and made `legs`. */
  recorded: boolean;
  legs: Leg[];
  /** How many transfers the plan asked for (made only when recorded). */
  planned: number;
  ready: boolean;
  /** An operation with this key recorded before (in another transaction or statement). */
  earlier: { fingerprint: string; legs: Pick<Leg, 'leg' | 'amount' | 'tenderAccountId' | 'fromId' | 'toId'>[] } | null;
  info: unknown;
}

/**
 * Moves money in one statement: the plan (reads under row locks), the operation recorded under
 * its idempotency key, every touched balance changed once (an account that doesn't exist yet is
 * created holding what arrives), the transfers, two entries for each, and the event.
 *
 * The guard: a plan only takes from an account what the balance it read *under the lock* holds,
 * and the CHECK on ledger_accounts refuses a negative balance outright, so a wrong plan aborts
 * the statement instead of overspending. Two spends of the last balance queue on the account's
 * row lock; the second reads the balance the first left.
 *
 * The operation is recorded only when the plan is ready and moves something; a key already
 * recorded makes the insert do nothing (waiting first for a concurrent holder of the key), and
 * then nothing else is written either.
 */
export async function moveMoney(tx: Tx, movement: Movement): Promise<MovementResult> {
  const operationId = newId('lop');
  const tenant = sql`current_setting('app.tenant_id', true)`;
  const at = sql`${movement.at}::timestamptz`;
  const legsJson = sql`(select coalesce(jsonb_agg(jsonb_build_object('leg', leg, 'fromId', from_id, 'toId', to_id, 'amount', amount, 'currency', currency, 'tenderAccountId', tender_account_id) order by leg), '[]'::jsonb) from legs)`;
  const payload = sql`jsonb_build_object('operationId', ${operationId}::text, 'orderId', ${movement.orderId}::text,
      'currency', (select min(currency) from legs), 'amount', (select sum(amount) from legs), 'transfers', ${legsJson}) || ${JSON.stringify(movement.event.payload ?? {})}::jsonb`;
  const event = eventInsertSelect(tx, { type: movement.kind, aggregateType: movement.event.aggregateType, aggregateId: movement.event.aggregateId }, payload, movement.at, sql`exists (select 1 from claim)`);
  const result = await sql<{ recorded: boolean; planned: number; ready: boolean; earlierFingerprint: string | null; earlierLegs: MovementResult['legs']; legs: Leg[]; info: unknown }>`
    with ${movement.plan},
    claim as (
      insert into ledger_operations (tenant_id, id, idempotency_key, kind, fingerprint, order_id, created_at)
      select ${tenant}, ${operationId}, ${movement.idempotencyKey}, ${movement.kind}, ${movement.fingerprint}, ${movement.orderId}::text, ${at}
      where (select ok from ready) and exists (select 1 from plan)
      on conflict (tenant_id, idempotency_key) do nothing
      returning id
    ),
    legs as (select * from plan where exists (select 1 from claim)),
    net as (
      select account_id, sum(delta)::bigint as delta
      from (select from_id as account_id, -amount as delta from legs union all select to_id, amount from legs) as moves
      group by account_id
    ),
    -- An INSERT's row is checked before its conflict is found, so only what may be inserted as it
    -- stands (money arriving, or a source's) goes through the upsert; money leaving any other
    -- account leaves an existing, locked row by an UPDATE.
    net_typed as (select account_id, delta, split_part(account_id, ':', 1) = any(${SOURCE_KINDS}::text[]) as source from net),
    credited as (
      insert into ledger_accounts (tenant_id, id, kind, owner_id, currency, balance, may_go_negative, created_at)
      select ${tenant}, account_id, split_part(account_id, ':', 1), split_part(account_id, ':', 2), split_part(account_id, ':', 3), delta, source, ${at}
      from net_typed where delta >= 0 or source order by account_id
      on conflict (tenant_id, id) do update set balance = ledger_accounts.balance + excluded.balance
    ),
    debited as (
      update ledger_accounts a set balance = a.balance + n.delta
      from net_typed n where a.id = n.account_id and n.delta < 0 and not n.source
    ),
    transfers as (
      insert into ledger_transfers (tenant_id, operation_id, leg, kind, currency, amount, order_id, tender_account_id, memo, created_at)
      select ${tenant}, ${operationId}, leg, ${movement.kind}, currency, amount, ${movement.orderId}::text, tender_account_id, ${JSON.stringify(movement.memo)}::jsonb, ${at}
      from legs
    ),
    entries as (
      insert into ledger_entries (tenant_id, operation_id, leg, account_id, amount, created_at)
      select ${tenant}, ${operationId}, l.leg, e.account_id, e.amount, ${at}
      from legs l cross join lateral (values (l.from_id, -l.amount), (l.to_id, l.amount)) as e (account_id, amount)
    ),
    event as (${event}),
    ${movement.alongside ?? sql``}
    earlier as (select id, fingerprint from ledger_operations where idempotency_key = ${movement.idempotencyKey})
    select
      exists (select 1 from claim) as recorded,
      (select count(*) from plan)::int as planned,
      coalesce((select ok from ready), false) as ready,
      (select fingerprint from earlier) as earlier_fingerprint,
      (select coalesce(jsonb_agg(jsonb_build_object('leg', t.leg, 'amount', t.amount, 'tenderAccountId', t.tender_account_id,
          'fromId', (select account_id from ledger_entries e where e.operation_id = t.operation_id and e.leg = t.leg and e.amount < 0),
          'toId', (select account_id from ledger_entries e where e.operation_id = t.operation_id and e.leg = t.leg and e.amount > 0)) order by t.leg), '[]'::jsonb)
        from ledger_transfers t where t.operation_id = (select id from earlier)) as earlier_legs,
      ${legsJson} as legs,
      ${movement.info ?? sql`null::jsonb`} as info`.execute(tx);
  const row = result.rows[0]!;
  return {
    recorded: row.recorded,
    planned: row.planned,
    ready: row.ready,
    legs: row.legs,
    earlier: !row.recorded && row.earlierFingerprint !== null ? { fingerprint: row.earlierFingerprint, legs: row.earlierLegs } : null,
    info: row.info,
  };
}

/**
 * The outcome of a movement as its caller sees it: the transfers made now or by the first request
 * with this key, or why none were made. A plan that was ready and moved something, yet was not
 * recorded while no earlier operation was visible, lost the key to a transaction that committed
 * after this statement began: reading again (a new statement, a new snapshot) finds it.
 */
export type Settled =
  | { outcome: 'moved'; legs: Pick<Leg, 'leg' | 'amount' | 'tenderAccountId' | 'fromId' | 'toId'>[]; replayed: boolean }
  | { outcome: 'nothing_to_move' }
  | { outcome: 'not_ready'; info: unknown }
  | { outcome: 'key_reused' };

export async function settleMovement(tx: Tx, movement: Movement, attempts = 3): Promise<Settled> {
  for (let attempt = 1; ; attempt++) {
    const result = await moveMoney(tx, movement);
    if (result.earlier) {
      return result.earlier.fingerprint === movement.fingerprint ? { outcome: 'moved', legs: result.earlier.legs, replayed: true } : { outcome: 'key_reused' };
    }
    if (result.recorded) return { outcome: 'moved', legs: result.legs, replayed: false };
    const stale = !result.ready && (result.info as { stale?: boolean } | null)?.stale === true;
    if (!result.ready && !stale) return { outcome: 'not_ready', info: result.info };
    if (result.ready && result.planned === 0) return { outcome: 'nothing_to_move' };
    if (attempt >= attempts) throw new Error(`ledger movement ${movement.kind} could not settle after ${attempts} attempts`);
  }
}

/** The kinds of problem `checkLedger` finds; an empty list means the books balance. */
export interface LedgerProblem {
  problem: 'balance_differs_from_entries' | 'transfer_unbalanced' | 'negative_balance';
  ref: string;
}

/**
 * Proves the books: every account's balance column equals the sum of its entries; every transfer
 * has exactly two entries, of its amount out and in, on accounts of its currency (so it sums to
 * zero); and no account but a source is below zero.
 */
export async function checkLedger(tx: Tx): Promise<LedgerProblem[]> {
  const result = await sql<LedgerProblem>`
    select 'balance_differs_from_entries' as problem, a.id as ref
    from ledger_accounts a left join (select account_id, sum(amount) as total from ledger_entries group by account_id) e on e.account_id = a.id
    where a.balance <> coalesce(e.total, 0)
    union all
    select 'transfer_unbalanced', t.operation_id || ':' || t.leg
    from ledger_transfers t
    left join ledger_entries e on e.operation_id = t.operation_id and e.leg = t.leg
    left join ledger_accounts a on a.id = e.account_id
    group by t.operation_id, t.leg, t.amount, t.currency
    having count(e.account_id) <> 2 or coalesce(sum(e.amount), 1) <> 0 or max(abs(e.amount)) <> t.amount or min(abs(e.amount)) <> t.amount
      or bool_or(a.currency is distinct from t.currency)
    union all
    select 'negative_balance', id from ledger_accounts where balance < 0 and not may_go_negative`.execute(tx);
  return result.rows;
}

export interface AccountMovement {
  operationId: string;
  leg: number;
  kind: string;
  amount: number;
  currency: string;
  orderId: string | null;
  memo: Record<string, unknown>;
  at: Date;
}

/** An account's entries, newest first, with what each transfer was. */
export async function accountMovements(tx: Tx, accountIds: string[], limit = 100): Promise<AccountMovement[]> {
  if (accountIds.length === 0) return [];
  return tx
    .selectFrom('ledgerEntries as e')
    .innerJoin('ledgerTransfers as t', (join) => join.onRef('t.operationId', '=', 'e.operationId').onRef('t.leg', '=', 'e.leg'))
    .select(['e.operationId', 'e.leg', 't.kind', 'e.amount', 't.currency', 't.orderId', 't.memo', 'e.createdAt as at'])
    .where('e.accountId', 'in', accountIds)
    .orderBy('e.createdAt', 'desc')
    .orderBy('e.operationId', 'desc')
    .limit(limit)
    .execute();
}
