import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, asApiError } from '../../../shared/http.ts';
import { formatMoney } from '../../../shared/money.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, SelectField, TextField } from '../components/Field.tsx';
import { Loaded, StatusBadge } from '../components/States.tsx';
import { defineMessages, useLocale, useMessages, type Locale } from '../i18n.tsx';
import { periodQuery } from '../period.ts';
import { useSession } from '../session.tsx';
import './orders.css';
import './shipping-tax.css';

/** Invoice words the order page shows too. */
export const invoiceMessages = defineMessages({
  en: {
    requested: 'Requested', issued: 'Issued', cancelled: 'Cancelled', personal: 'Personal', company: 'Company',
    issue: 'Issue', issueFor: 'Issue the invoice of order {id}', invoiceNumber: 'Invoice number', invoiceNumberHint: '4-40 letters, digits and -',
    confirm: 'Mark issued', cancel: 'Cancel', issuedOk: 'Invoice {number} issued for order {id}.',
  },
  'zh-CN': {
    requested: '待开票', issued: '已开票', cancelled: '已取消', personal: '个人', company: '企业',
    issue: '开票', issueFor: '为订单 {id} 开票', invoiceNumber: '发票号码', invoiceNumberHint: '4-40 个字母、数字或 -',
    confirm: '标记为已开票', cancel: '取消', issuedOk: '订单 {id} 的发票 {number} 已开具。',
  },
});

const messages = defineMessages({
  en: {
    title: 'Invoices', status: 'Status', all: 'All', from: 'Requested from', through: 'Requested to (included)', apply: 'Filter', export: 'Export CSV', exporting: 'Exporting…',
    order: 'Order', requestedAt: 'Requested at', titleType: 'Type', invoiceTitle: 'Title', taxId: 'Tax ID', email: 'Email', orderTotal: 'Order total', invoiceNumber: 'Invoice no.', actions: 'Actions',
    none: 'No invoice requests match.',
  },
  'zh-CN': {
    title: '发票', status: '状态', all: '全部', from: '申请开始日期', through: '申请结束日期（含）', apply: '筛选', export: '导出 CSV', exporting: '正在导出…',
    order: '订单', requestedAt: '申请时间', titleType: '抬头类型', invoiceTitle: '发票抬头', taxId: '税号', email: '邮箱', orderTotal: '订单金额', invoiceNumber: '发票号码', actions: '操作',
    none: '没有符合条件的开票申请。',
  },
});

interface InvoiceRequest {
  orderId: string;
  titleType: 'personal' | 'company';
  title: string;
  taxId: string | null;
  email: string | null;
  status: 'requested' | 'issued' | 'cancelled';
  invoiceNumber: string | null;
  createdAt: string;
  issuedAt: string | null;
  orderTotal: number;
  currency: string;
}

interface Filter {
  status: '' | InvoiceRequest['status'];
  from: string;
  through: string;
}

/** The query both the list and the CSV export take, so the export is exactly what is listed. */
function filterQuery(filter: Filter): string {
  const query = periodQuery(filter);
  if (filter.status) query.set('status', filter.status);
  return query.toString();
}

export function InvoicesPage() {
  const t = useMessages(messages);
  const words = useMessages(invoiceMessages);
  const { api, download } = useSession();
  const [typed, setTyped] = useState<Filter>({ status: 'requested', from: '', through: '' });
  const [filter, setFilter] = useState<Filter>(typed);
  const invoices = useFetch(() => api<{ items: InvoiceRequest[] }>('GET', `/api/admin/invoices?${filterQuery(filter)}`), [api, filter]);
  const [notice, setNotice] = useState('');
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  const [exporting, setExporting] = useState(false);

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilter(typed);
  }

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    try {
      const blob = await download(`/api/admin/invoices/export.csv?${filterQuery(filter)}`);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `invoice-requests${filter.from ? `-${filter.from}` : ''}.csv`;
      link.click();
      // The click has handed the file to the browser; the URL is not needed after this turn.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (problem) {
      setExportError(asApiError(problem));
    } finally {
      setExporting(false);
    }
  }

  return (
    <section>
      <div className="page-head">
        <h1>{t('title')}</h1>
        <button type="button" className="secondary" onClick={() => void exportCsv()} disabled={exporting}>{exporting ? t('exporting') : t('export')}</button>
      </div>
      <FormError error={exportError} />
      <form className="filters" onSubmit={apply} aria-label={t('apply')}>
        <SelectField id="invoice-status" label={t('status')} value={typed.status} onChange={(e) => setTyped({ ...typed, status: e.target.value as Filter['status'] })}>
          <option value="">{t('all')}</option>
          <option value="requested">{words('requested')}</option>
          <option value="issued">{words('issued')}</option>
          <option value="cancelled">{words('cancelled')}</option>
        </SelectField>
        <TextField id="invoice-from" type="date" label={t('from')} value={typed.from} onChange={(e) => setTyped({ ...typed, from: e.target.value })} />
        <TextField id="invoice-through" type="date" label={t('through')} value={typed.through} onChange={(e) => setTyped({ ...typed, through: e.target.value })} />
        <button type="submit" className="secondary">{t('apply')}</button>
      </form>
      <p role="status" className="notice">{notice}</p>
      <FormError error={conflict} />
      <Loaded fetched={invoices} isEmpty={(data) => data.items.length === 0} empty={t('none')}>
        {(data) => (
          <InvoiceTable invoices={data.items} busy={invoices.loading} onStart={() => { setNotice(''); setConflict(null); }}
            onIssued={(message) => { setNotice(message); invoices.reload(); }} onConflict={(error) => { setConflict(error); invoices.reload(); }} />
        )}
      </Loaded>
    </section>
  );
}

type IssueCallbacks = Pick<Parameters<typeof IssueInvoice>[0], 'onIssued' | 'onConflict' | 'onStart'>;

function InvoiceTable({ invoices, busy, ...callbacks }: { invoices: InvoiceRequest[]; busy: boolean } & IssueCallbacks) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { can } = useSession();
  return (
    <div className="table-scroll">
      <table aria-busy={busy}>
        <thead>
          <tr>
            <th scope="col">{t('order')}</th>
            <th scope="col">{t('requestedAt')}</th>
            <th scope="col">{t('titleType')}</th>
            <th scope="col">{t('invoiceTitle')}</th>
            <th scope="col">{t('taxId')}</th>
            <th scope="col">{t('email')}</th>
            <th scope="col" className="num">{t('orderTotal')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('invoiceNumber')}</th>
            {can('admin') && <th scope="col">{t('actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {invoices.map((invoice) => (
            <InvoiceRow key={invoice.orderId} invoice={invoice} locale={locale} canIssue={can('admin')} {...callbacks} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function InvoiceRow({ invoice, locale, canIssue, ...callbacks }: { invoice: InvoiceRequest; locale: Locale; canIssue: boolean } & IssueCallbacks) {
  const words = useMessages(invoiceMessages);
  return (
    <tr>
      <td className="nowrap"><Link to={`/orders/${invoice.orderId}`} className="mono">{invoice.orderId}</Link></td>
      <td className="nowrap"><time dateTime={invoice.createdAt}>{new Date(invoice.createdAt).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })}</time></td>
      <td>{words(invoice.titleType)}</td>
      <td>{invoice.title}</td>
      <td className="mono nowrap">{invoice.taxId ?? '—'}</td>
      <td>{invoice.email ?? '—'}</td>
      <td className="num">{formatMoney(invoice.orderTotal, invoice.currency, locale)}</td>
      <td><StatusBadge status={invoice.status} label={words(invoice.status)} /></td>
      <td className="mono nowrap">{invoice.invoiceNumber ?? '—'}</td>
      {canIssue && <td>{invoice.status === 'requested' && <IssueInvoice orderId={invoice.orderId} {...callbacks} />}</td>}
    </tr>
  );
}

/**
 * "Issue" opens a small form asking for the number of the invoice made in the tax system; a 409
 * (issued by someone else meanwhile) shows the server's message and the list reloads.
 */
export function IssueInvoice({ orderId, onIssued, onConflict, onStart }: { orderId: string; onIssued(message: string): void; onConflict(error: ApiError): void; onStart(): void }) {
  const t = useMessages(invoiceMessages);
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [number, setNumber] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = `invoice-number-${orderId}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!/^[A-Za-z0-9-]{4,40}$/.test(number.trim())) {
      return setError(new ApiError({ status: 400, code: 'validation_failed', detail: t('invoiceNumberHint'), errors: [{ path: 'body.invoiceNumber', message: t('invoiceNumberHint') }] }));
    }
    setBusy(true);
    setError(null);
    onStart();
    try {
      await api('POST', `/api/admin/invoices/${encodeURIComponent(orderId)}/issue`, { invoiceNumber: number.trim() });
      setOpen(false);
      onIssued(t('issuedOk', { number: number.trim(), id: orderId }));
    } catch (problem) {
      const found = asApiError(problem);
      // Issued by someone else meanwhile: the page says so and reloads, which may remove this form.
      if (found.problem.status === 409) onConflict(found);
      else setError(found);
    } finally {
      setBusy(false);
    }
  }

  if (!open) return <button type="button" className="secondary" aria-label={t('issueFor', { id: orderId })} onClick={() => setOpen(true)}>{t('issue')}</button>;
  return (
    <form onSubmit={submit} noValidate aria-label={t('issueFor', { id: orderId })}>
      <div className="inline-form">
        <TextField id={inputId} name="invoiceNumber" label={t('invoiceNumber')} value={number} onChange={(e) => setNumber(e.target.value)} error={error} autoComplete="off" maxLength={40} autoFocus />
      </div>
      {error && !error.fieldMessage('invoiceNumber') && <FormError error={error} />}
      <div className="inline-form">
        <button type="submit" className="primary" disabled={busy}>{t('confirm')}</button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>{t('cancel')}</button>
      </div>
    </form>
  );
}
