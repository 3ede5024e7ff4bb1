import type { Database } from '../../infra/db/database.ts';
import { appendEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { provinceKey } from '../shipping/regions.ts';
import type { Platform } from '../tenants/platform.ts';
import * as store from './tax-store.ts';

export interface TaxRateView {
  id: string;
  country: string;
  province: string | null;
  taxClass: string;
  rateBp: number;
  name: string;
}

export interface TaxService {
  listRates(platform: Platform): Promise<TaxRateView[]>;
  createRate(platform: Platform, input: { country: string; province?: string | undefined; taxClass: string; rateBp: number; name: string }): Promise<TaxRateView>;
  updateRate(platform: Platform, rateId: string, input: { rateBp?: number | undefined; name?: string | undefined }): Promise<TaxRateView>;
  deleteRate(platform: Platform, rateId: string): Promise<void>;
  /** Tax charged on orders paid in [from, to), with the period's totals per currency. */
  report(platform: Platform, range: { from: Date; to: Date }): Promise<{ rows: store.TaxReportRow[]; totals: { currency: string; netSales: number; tax: number }[] }>;
  listInvoiceRequests(platform: Platform, filter: store.InvoiceFilter): ReturnType<typeof store.listInvoiceRequests>;
  markInvoiceIssued(platform: Platform, orderId: string, invoiceNumber: string): Promise<store.InvoiceRequestRow>;
}

/** A year of orders at most per report: longer ranges are for an export, not a page. */
const MAX_REPORT_DAYS = 366;

export function createTaxService(deps: { db: Database; clock: Clock }): TaxService {
  const { db, clock } = deps;
  return {
    listRates: (platform) => db.withTenant(platform.id, async (tx) => (await store.listRates(tx)).map(rateView)),

    createRate: (platform, input) =>
      db.withTenant(platform.id, async (tx) => {
        const row = await store.insertRate(
          tx,
          { tenantId: platform.id, id: newId('txr'), country: input.country, provinceKey: provinceKey(input.country, input.province), province: input.province ?? null, taxClass: input.taxClass, rateBp: input.rateBp, name: input.name },
          clock.now(),
        );
        if (!row) throw new Conflict('tax_rate_exists', `${input.country}${input.province ? ` / ${input.province}` : ''} has a ${input.taxClass} rate already; change that one.`);
        return rateView(row);
      }),

    updateRate: (platform, rateId, input) =>
      db.withTenant(platform.id, async (tx) => {
        const row = await store.updateRate(tx, rateId, input);
        if (!row) throw new NotFound('tax_rate_not_found', 'No such tax rate.');
        return rateView(row);
      }),

    deleteRate: (platform, rateId) =>
      db.withTenant(platform.id, async (tx) => {
        if (!(await store.deleteRate(tx, rateId))) throw new NotFound('tax_rate_not_found', 'No such tax rate.');
      }),

    async report(platform, range) {
      if (range.to <= range.from) throw new Invalid('invalid_period', 'The period must end after it starts.', [{ path: 'querystring.to', message: 'before from' }]);
      if (range.to.getTime() - range.from.getTime() > MAX_REPORT_DAYS * 86_400_000) {
        throw new Invalid('invalid_period', `A report covers at most ${MAX_REPORT_DAYS} days.`, [{ path: 'querystring.to', message: 'too far from from' }]);
      }
      const rows = await db.withTenant(platform.id, (tx) => store.taxReport(tx, range));
      const totals = new Map<string, { currency: string; netSales: number; tax: number }>();
      for (const row of rows) {
        const total = totals.get(row.currency) ?? { currency: row.currency, netSales: 0, tax: 0 };
        total.netSales += row.netSales;
        total.tax += row.tax;
        totals.set(row.currency, total);
      }
      return { rows, totals: [...totals.values()] };
    },

    listInvoiceRequests: (platform, filter) => db.withTenant(platform.id, (tx) => store.listInvoiceRequests(tx, filter)),

    markInvoiceIssued: (platform, orderId, invoiceNumber) =>
      db.withTenant(platform.id, async (tx) => {
        const at = clock.now();
        const issued = await store.markInvoiceIssued(tx, orderId, invoiceNumber, at);
        if (!issued) {
          const request = await store.findInvoiceRequest(tx, orderId);
          if (!request) throw new NotFound('invoice_request_not_found', 'This order has no invoice request.');
          throw new Conflict('invoice_already_issued', `Invoice ${request.invoiceNumber ?? ''} was issued for this order already.`);
        }
        await appendEvent(tx, platform.id, { type: 'invoice.issued', aggregateType: 'order', aggregateId: orderId, payload: { invoiceNumber } }, at);
        return issued;
      }),
  };
}

function rateView(row: store.TaxRateRow): TaxRateView {
  return { id: row.id, country: row.country, province: row.province, taxClass: row.taxClass, rateBp: row.rateBp, name: row.name };
}
