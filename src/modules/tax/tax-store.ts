import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { InvoiceRequestsTable, TaxRatesTable } from '../../infra/db/schema.ts';
import type { TaxRate } from './tax-rules.ts';

export type TaxRateRow = Selectable<TaxRatesTable>;
export type InvoiceRequestRow = Selectable<InvoiceRequestsTable>;

export async function listRates(tx: Tx): Promise<TaxRateRow[]> {
  return tx.selectFrom('taxRates').selectAll().orderBy('country').orderBy('provinceKey').orderBy('taxClass').execute();
}

/** Inserts the rate; undefined when the region already has a rate for that class. */
export async function insertRate(tx: Tx, row: Omit<TaxRateRow, 'createdAt'>, at: Date): Promise<TaxRateRow | undefined> {
  return tx
    .insertInto('taxRates')
    .values({ ...row, createdAt: at })
    .onConflict((oc) => oc.columns(['tenantId', 'country', 'provinceKey', 'taxClass']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updateRate(tx: Tx, id: string, changes: { rateBp?: number | undefined; name?: string | undefined }): Promise<TaxRateRow | undefined> {
  return tx.updateTable('taxRates').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function deleteRate(tx: Tx, id: string): Promise<boolean> {
  return Number((await tx.deleteFrom('taxRates').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
}

/** The rates that may apply in a country and province, as JSON, for checkout's one read. */
export function ratesAt(country: string, provinceKey: string): RawBuilder<TaxRate[]> {
  return sql<TaxRate[]>`coalesce((
    select json_agg(json_build_object('taxClass', t.tax_class, 'provinceKey', t.province_key, 'rateBp', t.rate_bp))
    from tax_rates t where t.country = ${country} and t.province_key in ('', ${provinceKey})), '[]'::json)`;
}

// Invoice requests ---------------------------------------------------------------------------

export interface InvoiceFilter {
  status?: InvoiceRequestRow['status'] | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
}

export async function listInvoiceRequests(tx: Tx, filter: InvoiceFilter): Promise<(InvoiceRequestRow & { orderTotal: number; currency: string; taxTotal: number; orderStatus: string })[]> {
  let query = tx
    .selectFrom('invoiceRequests as i')
    .innerJoin('orders as o', (join) => join.onRef('o.tenantId', '=', 'i.tenantId').onRef('o.id', '=', 'i.orderId'))
    .selectAll('i')
    .select(['o.total as orderTotal', 'o.currency', 'o.taxTotal', 'o.status as orderStatus']);
  if (filter.status) query = query.where('i.status', '=', filter.status);
  if (filter.from) query = query.where('i.createdAt', '>=', filter.from);
  if (filter.to) query = query.where('i.createdAt', '<', filter.to);
  const rows = await query.orderBy('i.createdAt', 'desc').orderBy('i.orderId', 'desc').limit(filter.limit).execute();
  return rows.map((row) => ({ ...row, orderTotal: Number(row.orderTotal), taxTotal: Number(row.taxTotal) }));
}

export async function findInvoiceRequest(tx: Tx, orderId: string): Promise<InvoiceRequestRow | undefined> {
  return tx.selectFrom('invoiceRequests').selectAll().where('orderId', '=', orderId).executeTakeFirst();
}

export async function markInvoiceIssued(tx: Tx, orderId: string, invoiceNumber: string, at: Date): Promise<InvoiceRequestRow | undefined> {
  return tx
    .updateTable('invoiceRequests')
    .set({ status: 'issued', invoiceNumber, issuedAt: at })
    .where('orderId', '=', orderId)
    .where('status', '=', 'requested')
    .returningAll()
    .executeTakeFirst();
}

// The tax report -------------------------------------------------------------------------------

export interface TaxReportRow {
  currency: string;
  taxClass: string;
  rateBp: number;
  orders: number;
  /** What the lines cost after discounts (tax included or not, as the platform prices). */
  netSales: number;
  tax: number;
}

/**
 * Tax charged on orders paid in [from, to), per currency, tax class and rate; shipping is the
 * class `shipping`. Summed as SQL `numeric` (no overflow) and read back as numbers.
 */
export async function taxReport(tx: Tx, range: { from: Date; to: Date }): Promise<TaxReportRow[]> {
  const result = await sql<{ currency: string; taxClass: string; rateBp: number; orders: number; netSales: string; tax: string }>`
    with paid as (
      select id, currency, shipping_total, shipping_tax, shipping_tax_rate_bp from orders
      where paid_at >= ${range.from} and paid_at < ${range.to}
    ),
    parts as (
      select p.id, p.currency, l.tax_class, l.tax_rate_bp as rate_bp, l.total as net, l.tax
      from paid p join order_lines l on l.order_id = p.id
      union all
      select p.id, p.currency, 'shipping', p.shipping_tax_rate_bp, p.shipping_total, p.shipping_tax
      from paid p where p.shipping_total > 0
    )
    select currency, tax_class, rate_bp, count(distinct id)::int as orders, sum(net)::text as net_sales, sum(tax)::text as tax
    from parts group by currency, tax_class, rate_bp order by currency, tax_class, rate_bp`.execute(tx);
  return result.rows.map((row) => ({ ...row, netSales: Number(row.netSales), tax: Number(row.tax) }));
}
