import type { InvoiceRequestRow } from './tax-store.ts';

const COLUMNS = ['order_id', 'requested_at', 'title_type', 'title', 'tax_id', 'email', 'currency', 'order_total', 'tax_total', 'order_status', 'status', 'invoice_number', 'issued_at'];

/**
 * Invoice requests as CSV (RFC 4180) for the merchant's invoicing software. A cell that a
 * spreadsheet would run as a formula (= + - @ at the start) gets a leading apostrophe: titles are
 * typed by shoppers.
 */
export function invoiceRequestsCsv(rows: (InvoiceRequestRow & { orderTotal: number; currency: string; taxTotal: number; orderStatus: string })[]): string {
  const lines = rows.map((row) =>
    [
      row.orderId,
      row.createdAt.toISOString(),
      row.titleType,
      row.title,
      row.taxId ?? '',
      row.email ?? '',
      row.currency,
      String(row.orderTotal),
      String(row.taxTotal),
      row.orderStatus,
      row.status,
      row.invoiceNumber ?? '',
      row.issuedAt?.toISOString() ?? '',
    ]
      .map(cell)
      .join(','),
  );
  // A BOM so that Excel opens the Chinese titles as UTF-8.
  return `\uFEFF${[COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
