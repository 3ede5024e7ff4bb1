import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { formatMoney, useI18n, type MessageKey } from '../i18n.tsx';
import { useFetch } from '../../../shared/useFetch.ts';
import { OrderTotals, type Totals } from '../components/OrderTotals.tsx';
import { MyReturns, OrderReturns } from './OrderReturns.tsx';

interface Order extends Totals {
  id: string;
  status: string;
  createdAt: string;
  shippingMethod: { name: Record<string, string>; minDays: number; maxDays: number } | null;
  invoice: { titleType: string; title: string; status: string; invoiceNumber: string | null } | null;
  lines: { lineNo: number; productId: string; variantId: string; sku: string; title: Record<string, string>; quantity: number; total: number }[];
  /** What a paid order owes since the shop edited it. */
  balanceDue: number;
  amountDue: number;
  /** Only on the order's own page. */
  fulfillment?: Fulfillment;
}

interface Shipment {
  id: string;
  carrier: string;
  carrierName: string | null;
  trackingNumber: string;
  status: 'created' | 'shipped' | 'delivered';
  shippedAt: string | null;
  deliveredAt: string | null;
  lines: { lineNo: number; quantity: number }[];
}

interface Fulfillment {
  shipments: Shipment[];
  deliveredAt: string | null;
}

/** Orders a return may be asked for; the server says what each line still allows. */
const RETURNABLE = ['paid', 'partially_fulfilled', 'fulfilled', 'completed', 'partially_refunded', 'refunded'];

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
      <MyReturns />
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
      <PayButton order={o} />
      {o.invoice && (
        <p data-testid="invoice">
          {t('invoice')}: {o.invoice.title} · {o.invoice.status === 'issued' ? t('invoiceIssued', { number: o.invoice.invoiceNumber ?? '' }) : t('invoiceRequested')}
        </p>
      )}
      {o.fulfillment && <Shipments order={o} fulfillment={o.fulfillment} />}
      {RETURNABLE.includes(o.status) && <OrderReturns orderId={o.id} lines={o.lines} currency={o.currency} canRequest={o.status !== 'refunded'} />}
    </section>
  );
}

/**
 * An unpaid order, or a paid one the shop edited to cost more, is paid from here: a session for
 * what is owed, back to this page afterwards.
 */
function PayButton({ order }: { order: Order }) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const owed = order.status === 'pending_payment' ? order.amountDue : order.status === 'paid' ? order.balanceDue : 0;
  if (owed <= 0) return null;

  async function pay() {
    setBusy(true);
    setError('');
    try {
      const payment = await api<{ redirectUrl: string }>('POST', `/api/store/orders/${encodeURIComponent(order.id)}/payments`);
      window.location.assign(`${payment.redirectUrl}?return=/orders/${order.id}`);
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
      setBusy(false);
    }
  }

  const amount = formatMoney(owed, order.currency, locale);
  return (
    <div className="pay-owed">
      {order.status === 'paid' && <p>{t('balanceOwed', { amount })}</p>}
      <button type="button" className="primary" onClick={pay} disabled={busy}>{order.status === 'paid' ? t('payBalance', { amount }) : t('payNow', { amount })}</button>
      {error && <p role="alert">{error}</p>}
    </div>
  );
}

/** Each parcel of the order: carrier, tracking number, where it is, and what is in it. */
function Shipments({ order, fulfillment }: { order: Order; fulfillment: Fulfillment }) {
  const { t, locale } = useI18n();
  const time = (at: string) => new Date(at).toLocaleString(locale);
  const titleOf = (lineNo: number) => pickTitle(order.lines.find((line) => line.lineNo === lineNo)?.title ?? {}, locale);
  return (
    <section aria-labelledby="shipments-title" className="shipments">
      <h2 id="shipments-title">{t('shipments')}</h2>
      {fulfillment.shipments.length === 0 && <p className="muted">{t('noShipments')}</p>}
      {fulfillment.deliveredAt && <p>{t('deliveredAt', { time: time(fulfillment.deliveredAt) })}</p>}
      <ol className="lines">
        {fulfillment.shipments.map((shipment, index) => (
          <li key={shipment.id} className="shipment" aria-label={t('shipmentN', { n: index + 1 })}>
            <p>
              <strong>{shipment.carrierName ?? t(`carrier_${shipment.carrier}` as MessageKey)}</strong>{' '}
              <span className="status">{t(`shipment_${shipment.status}`)}</span>
            </p>
            <p>{t('trackingNumber')}: <span className="mono" data-testid="tracking-number">{shipment.trackingNumber}</span></p>
            {shipment.shippedAt && <p className="muted">{t('shippedAtLabel')}: {time(shipment.shippedAt)}{shipment.deliveredAt && ` · ${t('deliveredAtLabel')}: ${time(shipment.deliveredAt)}`}</p>}
            <p className="muted">{shipment.lines.map((line) => `${titleOf(line.lineNo)} × ${line.quantity}`).join(', ')}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
