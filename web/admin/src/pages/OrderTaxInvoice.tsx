import type { ApiError } from '../../../shared/http.ts';
import { formatMoney } from '../../../shared/money.ts';
import { StatusBadge } from '../components/States.tsx';
import { defineMessages, pickText, useLocale, useMessages } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { IssueInvoice, invoiceMessages } from './InvoicesPage.tsx';
import './shipping-tax.css';

/* What an order was charged for shipping and tax, and its invoice request: the order page's
   pieces of shipping, tax and invoices, kept here so that page stays about the order's flow. */

const messages = defineMessages({
  en: {
    taxIncluded: 'Tax included', taxAdded: 'Tax', shippingTax: 'of which on shipping {amount}', days: '{min}–{max} days', free: 'free',
    invoice: 'Invoice', titleType: 'Type', title: 'Title', taxId: 'Tax ID', email: 'Email', status: 'Status', invoiceNumber: 'Invoice number',
  },
  'zh-CN': {
    taxIncluded: '其中税额', taxAdded: '税费', shippingTax: '其中运费税额 {amount}', days: '{min}–{max} 天', free: '包邮',
    invoice: '发票', titleType: '抬头类型', title: '发票抬头', taxId: '税号', email: '邮箱', status: '状态', invoiceNumber: '发票号码',
  },
});

export interface OrderTaxFields {
  id: string;
  currency: string;
  shippingMethod: { name: Record<string, string>; kind: string; carrier: string | null; minDays: number; maxDays: number; free: boolean } | null;
  taxTotal: number;
  shippingTax: number;
  pricesIncludeTax: boolean;
  invoice: { titleType: 'personal' | 'company'; title: string; taxId: string | null; email: string | null; status: 'requested' | 'issued' | 'cancelled'; invoiceNumber: string | null } | null;
}

/** "顺丰 (sf) · 1–2 天": the method the order ships by, for beside its shipping charge. */
export function ShippingMethodName({ order }: { order: OrderTaxFields }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const method = order.shippingMethod;
  if (!method) return null;
  const carrier = method.carrier ? ` (${method.carrier})` : '';
  return <span className="muted"> · {pickText(method.name, locale)}{carrier} · {t('days', { min: method.minDays, max: method.maxDays })}{method.free ? ` · ${t('free')}` : ''}</span>;
}

/** The totals' tax line: part of the total when prices include tax, added to it when not. */
export function TaxTotalRow({ order }: { order: OrderTaxFields }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const money = (amount: number) => formatMoney(amount, order.currency, locale);
  return (
    <>
      <dt>{order.pricesIncludeTax ? t('taxIncluded') : t('taxAdded')}{order.shippingTax > 0 && <><br /><span className="muted">{t('shippingTax', { amount: money(order.shippingTax) })}</span></>}</dt>
      <dd>{order.pricesIncludeTax ? money(order.taxTotal) : `+${money(order.taxTotal)}`}</dd>
    </>
  );
}

/** A line's tax and its rate, "¥9.09 (13%)". */
export function lineTaxText(line: { tax: number; taxRateBp: number }, currency: string, locale: string): string {
  const rate = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(line.taxRateBp / 10_000);
  return `${formatMoney(line.tax, currency, locale)} (${rate})`;
}

/** The invoice the shopper asked for, with "issue" for admins while it is requested. */
export function InvoiceCard({ order, onDone, onConflict, onStart }: { order: OrderTaxFields; onDone(message: string): void; onConflict(error: ApiError): void; onStart(): void }) {
  const t = useMessages(messages);
  const words = useMessages(invoiceMessages);
  const { can } = useSession();
  const invoice = order.invoice;
  if (!invoice) return null;
  return (
    <div className="card">
      <h2>{t('invoice')}</h2>
      <dl className="facts">
        <dt>{t('status')}</dt><dd><StatusBadge status={invoice.status} label={words(invoice.status)} /></dd>
        <dt>{t('titleType')}</dt><dd>{words(invoice.titleType)}</dd>
        <dt>{t('title')}</dt><dd>{invoice.title}</dd>
        {invoice.taxId && <><dt>{t('taxId')}</dt><dd className="mono">{invoice.taxId}</dd></>}
        {invoice.email && <><dt>{t('email')}</dt><dd>{invoice.email}</dd></>}
        {invoice.invoiceNumber && <><dt>{t('invoiceNumber')}</dt><dd className="mono">{invoice.invoiceNumber}</dd></>}
      </dl>
      {invoice.status === 'requested' && can('admin') && <IssueInvoice orderId={order.id} onIssued={onDone} onConflict={onConflict} onStart={onStart} />}
    </div>
  );
}
