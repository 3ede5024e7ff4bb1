import { sql, type RawBuilder } from 'kysely';

/**
 * The plans of the tender movements (see `moveMoney`): each reads and locks what it moves and ends
 * with `plan` and `ready`. A release, capture or refund splits an order's money by where it came
 * from, summed from the order's transfers; those sums come from the statement's snapshot, which
 * may predate a movement committed while the statement waited for the lock, so each checks them
 * against the balance read under the lock and reports `stale` (read again) when they differ.
 */

export type TenderRef = { ord: number; kind: 'gift_card'; codeHash: string } | { ord: number; kind: 'store_credit'; accountId: string };

export function holdPlan(input: { tenders: TenderRef[]; tenderAccountId: string; amountDue: number; currency: string; at: Date }): RawBuilder<unknown> {
  const wanted = input.tenders.map((tender) => sql`(${tender.ord}::int, ${tender.kind}::text, ${tender.kind === 'gift_card' ? tender.codeHash : tender.accountId}::text)`);
  const due = sql`${input.amountDue}::bigint`;
  return sql`
    wanted (ord, kind, ref) as (values ${sql.join(wanted)}),
    found as (
      select w.ord, w.kind, case when w.kind = 'gift_card' then g.account_id else w.ref end as account_id,
        g.id as card_id, g.status, g.expires_at, g.currency as card_currency
      from wanted w left join gift_cards g on w.kind = 'gift_card' and g.code_hash = w.ref
    ),
    problems as (
      select ord, case
        when kind = 'gift_card' and card_id is null then 'gift_card_not_found'
        when kind = 'gift_card' and status <> 'active' then 'gift_card_disabled'
        when kind = 'gift_card' and expires_at <= ${input.at}::timestamptz then 'gift_card_expired'
        when kind = 'gift_card' and card_currency <> ${input.currency}::text then 'gift_card_currency_mismatch'
      end as problem
      from found
    ),
    locked as (select id, balance from ledger_accounts where id in (select account_id from found) order by id for update),
    running as (
      select f.ord, l.id, l.balance,
        coalesce(sum(l.balance) over (order by f.ord rows between unbounded preceding and 1 preceding), 0)::bigint as before
      from found f join locked l on l.id = f.account_id
    ),
    plan as (
      select ord as leg, id as from_id, ${input.tenderAccountId}::text as to_id, least(balance, ${due} - before) as amount,
        ${input.currency}::text as currency, id as tender_account_id
      from running where before < ${due} and balance > 0
    ),
    ready as (select not exists (select 1 from problems where problem is not null) as ok)`;
}

export const holdProblems = sql`(select jsonb_agg(jsonb_build_object('ord', ord, 'problem', problem) order by ord) from problems where problem is not null)`;

/** Everything still held for the order, per source: back to it (release) or on to settled (capture). */
export function releaseOrCapturePlan(orderId: string, to: 'source' | 'settled'): RawBuilder<unknown> {
  const destination = to === 'source' ? sql`s.source` : sql`'order_settled:' || ${orderId}::text || ':' || s.currency`;
  return sql`
    locked as (select id, balance, currency from ledger_accounts where kind = 'order_tender' and owner_id = ${orderId}::text order by id for update),
    split as (
      select tender_account_id as source, currency,
        sum(case when kind = 'tender.held' then amount else -amount end)::bigint as outstanding,
        min(operation_id || ':' || lpad(leg::text, 5, '0')) filter (where kind = 'tender.held') as first_held
      from ledger_transfers
      where order_id = ${orderId}::text and kind in ('tender.held', 'tender.released', 'tender.captured')
      group by tender_account_id, currency
    ),
    plan as (
      select (row_number() over (order by s.first_held) - 1)::int as leg, l.id as from_id, ${destination} as to_id,
        s.outstanding as amount, s.currency, s.source as tender_account_id
      from split s join locked l on l.currency = s.currency
      where s.outstanding > 0
    ),
    ready as (select coalesce((select sum(balance) from locked), 0) = coalesce((select sum(outstanding) from split), 0) as ok)`;
}

export const staleInfo = sql`jsonb_build_object('stale', not (select ok from ready))`;

/**
 * Up to `amount` of what was captured and not yet refunded: back to the tenders it came from, in
 * the order they were captured, or all of it as store credit of the order's customer.
 */
export function refundPlan(orderId: string, amount: number, to: 'original' | 'store_credit'): RawBuilder<unknown> {
  const wanted = sql`${amount}::bigint`;
  const plan =
    to === 'original'
      ? sql`
    alloc as (
      select source, captured - refunded as refundable, first_captured,
        coalesce(sum(captured - refunded) over (order by first_captured rows between unbounded preceding and 1 preceding), 0)::bigint as before
      from split where source is not null and captured > refunded
    ),
    plan as (
      select (row_number() over (order by a.first_captured) - 1)::int as leg, l.id as from_id, a.source as to_id,
        least(a.refundable, ${wanted} - a.before) as amount, l.currency, a.source as tender_account_id
      from alloc a cross join locked l
      where a.before < ${wanted}
    ),`
      : // The order names its customer; reading it here keeps the refund one statement.
        sql`
    plan as (
      select 0 as leg, l.id as from_id, 'store_credit:' || o.customer_id || ':' || l.currency as to_id, ${wanted} as amount,
        l.currency, null::text as tender_account_id
      from locked l join orders o on o.id = ${orderId}::text and o.customer_id is not null
    ),`;
  return sql`
    locked as (select id, balance, currency from ledger_accounts where kind = 'order_settled' and owner_id = ${orderId}::text order by id limit 1 for update),
    split as (
      select tender_account_id as source,
        coalesce(sum(amount) filter (where kind = 'tender.captured'), 0)::bigint as captured,
        coalesce(sum(amount) filter (where kind = 'tender.refunded'), 0)::bigint as refunded,
        min(operation_id || ':' || lpad(leg::text, 5, '0')) filter (where kind = 'tender.captured') as first_captured
      from ledger_transfers
      where order_id = ${orderId}::text and kind in ('tender.captured', 'tender.refunded')
      group by tender_account_id
    ),
    ${plan}
    consistent as (
      select coalesce((select balance from locked), 0) = coalesce((select sum(captured - refunded) from split), 0) as ok
    ),
    ready as (select (select ok from consistent) and coalesce((select balance from locked), 0) >= ${wanted} as ok)`;
}

export const refundInfo = sql`jsonb_build_object('stale', not (select ok from consistent), 'refundable', coalesce((select balance from locked), 0))`;

/**
 * One amount from one account to another; from anything but a source only while the balance read
 * under the lock covers it. `allowed`, if given, is a further SQL condition for `ready`.
 */
export function transferPlan(input: { fromId: string; toId: string; amount: number; currency: string; fromIsSource: boolean; allowed?: RawBuilder<unknown> }): RawBuilder<unknown> {
  return sql`
    locked as (select id, balance from ledger_accounts where id = ${input.fromId}::text for update),
    plan as (
      select 0 as leg, ${input.fromId}::text as from_id, ${input.toId}::text as to_id, ${input.amount}::bigint as amount,
        ${input.currency}::text as currency, null::text as tender_account_id
      where ${input.fromIsSource}::boolean or exists (select 1 from locked where balance >= ${input.amount}::bigint)
    ),
    ready as (select ${input.allowed ?? sql`true`} as ok)`;
}
