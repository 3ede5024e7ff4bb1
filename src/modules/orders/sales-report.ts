import { sql } from 'kysely';
import type { Database } from '../../infra/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Platform } from '../tenants/index.ts';

export interface SalesDay {
  /** The calendar day in the report's time zone, YYYY-MM-DD. */
  date: string;
  /** Orders placed that day, in any state. */
  orders: number;
  /** Orders paid that day. */
  paidOrders: number;
  /** Money taken that day in the report's currency (paid totals less what was refunded since). */
  revenue: number;
}

export interface SalesReport {
  currency: string;
  timeZone: string;
  days: SalesDay[];
  today: SalesDay;
  awaitingPayment: number;
  toFulfil: number;
}

export interface SalesReportQuery {
  days: number;
  timeZone: string;
  currency?: string | undefined;
}

// Paid states: refunded orders count with what was kept (total - refunded_total, often 0).
const PAID_STATES = sql`('paid', 'partially_fulfilled', 'fulfilled', 'completed', 'partially_refunded', 'refunded')`;

/**
 * The dashboard's read model: orders and revenue per calendar day in the staff member's time
 * zone, so "today" means their today. Revenue counts one currency (the platform's default unless
 * asked), because sums across currencies mean nothing.
 */
export function createSalesReport(deps: { db: Database; clock: Clock }) {
  return async function salesReport(platform: Platform, query: SalesReportQuery): Promise<SalesReport> {
    const currency = query.currency ?? platform.defaultCurrency;
    const { timeZone } = query;
    return deps.db.withTenant(platform.id, async (tx) => {
      const now = deps.clock.now();
      const days = await sql<{ date: string; orders: string; paidOrders: string; revenue: string }>`
        with days as (
          select day, (day at time zone ${timeZone}) as starts, ((day + interval '1 day') at time zone ${timeZone}) as ends
          from generate_series(
            date_trunc('day', ${now}::timestamptz at time zone ${timeZone}) - (${query.days - 1} * interval '1 day'),
            date_trunc('day', ${now}::timestamptz at time zone ${timeZone}),
            interval '1 day') as day
        )
        select to_char(d.day, 'YYYY-MM-DD') as date,
               (select count(*) from orders o where o.created_at >= d.starts and o.created_at < d.ends) as orders,
               (select count(*) from orders o where o.paid_at >= d.starts and o.paid_at < d.ends) as paid_orders,
               (select coalesce(sum(o.total - o.refunded_total), 0) from orders o
                 where o.paid_at >= d.starts and o.paid_at < d.ends and o.currency = ${currency} and o.status in ${PAID_STATES}) as revenue
        from days d
        order by d.day`.execute(tx);
      const open = await sql<{ awaitingPayment: string; toFulfil: string }>`
        select count(*) filter (where status = 'pending_payment') as awaiting_payment,
               count(*) filter (where status in ('paid', 'partially_fulfilled')) as to_fulfil
        from orders where status in ('pending_payment', 'paid', 'partially_fulfilled')`.execute(tx);
      const series = days.rows.map((row) => ({ date: row.date, orders: Number(row.orders), paidOrders: Number(row.paidOrders), revenue: Number(row.revenue) }));
      return {
        currency,
        timeZone,
        days: series,
        today: series.at(-1)!,
        awaitingPayment: Number(open.rows[0]?.awaitingPayment ?? 0),
        toFulfil: Number(open.rows[0]?.toFulfil ?? 0),
      };
    });
  };
}

export type SalesReportFn = ReturnType<typeof createSalesReport>;
