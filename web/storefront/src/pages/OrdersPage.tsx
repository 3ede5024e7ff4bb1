import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { formatMoney, useI18n, type MessageKey } from '../i18n.tsx';
import { useFetch } from '../../../shared/useFetch.ts';
import { OrderTotals, type Totals } from '../components/OrderTotals.tsx';

interface Order extends Totals {
  id: string;
  status: string;
  createdAt: string;
  shippingMethod: { name: Record<string, string>; minDays: number; maxDays: number } | null;
  invoice: { titleType: string; title: string; status: string; invoiceNumber: string | null } | null;
  lines: { sku: string; title: Record<string, string>; quantity: number; total: number }[];
}

const pickTitle = (title: Record<string, string>, locale: string) => title[locale] ?? Object.values(title)[0] ?? '';

export function OrdersPage() {
  const { t, locale } = useI18n();
  const orders = useFetch(() => api<{ items: Order[] }>('GET', '/api/store/orders'), []);
  if (orders.error) return <p role="alert">{orders.error}</p>;
  if (!orders.data) return <p className="muted">{t('loading')}</p>;
  if (orders.data.items.length === 0) return <p className="empty">{t('noOrders')}</p>;
  return (
    <section>
      <h1>{t('orders')}</h1>
      <ul className="lines">
        {orders.data.items.map((order) => (
          <li key={order.id} className="line">
            <Link to={`/orders/${order.id}`}>{order.lines.map((line) => pickTitle(line.title, locale)).join(', ')}</Link>
            <span className="status">{t(`status_${order.status}` as MessageKey)}</span>
            <span className="price">{formatMoney(order.total, order.currency, locale)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function OrderPage() {
  const { id } = useParams();
  const { t, locale } = useI18n();
  const order = useFetch(() => api<Order>('GET', `/api/store/orders/${id}`), [id]);
  if (order.error) return <p role="alert">{order.error}</p>;
  if (!order.data) return <p className="muted">{t('loading')}</p>;
  const o = order.data;
  return (
    <section>
      <h1>{t('orderPlaced')}</h1>
      <p>{t('orderStatus')}: <strong className="status">{t(`status_${o.status}` as MessageKey)}</strong></p>
      <ul className="lines">
        {o.lines.map((line) => (
          <li key={line.sku} className="line">
            <span>{pickTitle(line.title, locale)} × {line.quantity}</span>
            <span className="price">{formatMoney(line.total, o.currency, locale)}</span>
          </li>
        ))}
      </ul>
      {o.shippingMethod && <p>{t('shippedBy', { method: pickTitle(o.shippingMethod.name, locale) })}</p>}
      <OrderTotals totals={o} showShipping={o.shippingMethod !== null} />
      {o.invoice && (
        <p data-testid="invoice">
          {t('invoice')}: {o.invoice.title} · {o.invoice.status === 'issued' ? t('invoiceIssued', { number: o.invoice.invoiceNumber ?? '' }) : t('invoiceRequested')}
        </p>
      )}
    </section>
  );
}
