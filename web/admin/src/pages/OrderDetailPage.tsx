import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, asApiError } from '../../../shared/http.ts';
import { formatMoney, parseMoney } from '../../../shared/money.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, TextField } from '../components/Field.tsx';
import { Loaded, StatusBadge } from '../components/States.tsx';
import { defineMessages, pickText, useLocale, useMessages } from '../i18n.tsx';
import { statusMessages, type StatusKey } from '../labels.ts';
import { useSession } from '../session.tsx';
import { ShipmentsPanel, type Fulfillment } from './ShipmentsPanel.tsx';
import { OrderEditHistory, OrderEditPanel, type OrderEdit } from './OrderEditPanel.tsx';
import { InvoiceCard, lineTaxText, ShippingMethodName, TaxTotalRow, type OrderTaxFields } from './OrderTaxInvoice.tsx';
import './orders.css';
import { formatTime } from '../format.ts';

const messages = defineMessages({
  en: {
    title: 'Order {id}', back: 'Back to list', status: 'Status', timeline: 'Timeline',
    created: 'Placed', paid: 'Paid', fulfilled: 'Shipped', delivered: 'Delivered', completed: 'Completed', cancelled: 'Cancelled', paymentDue: 'Payment due',
    tracking: 'Tracking number', cancelReasonShown: 'Reason', customer: 'Customer',
    lines: 'Items', product: 'Product', options: 'Options', sku: 'SKU', unitPrice: 'Unit price', quantity: 'Qty', discount: 'Discount', lineTotal: 'Total', lineTax: 'Tax',
    totals: 'Totals', balanceDue: 'Balance due (edited)', subtotal: 'Subtotal', shipping: 'Shipping', total: 'Total', refunded: 'Refunded', coupon: 'coupon {code}',
    address: 'Shipping address', payments: 'Payments', noPayments: 'No payments yet.', payment: 'Payment', provider: 'Provider', amount: 'Amount',
    pay_pending: 'Pending', pay_succeeded: 'Succeeded', pay_failed: 'Failed', pay_refunded: 'Refunded',
    actions: 'Actions',
    completeTitle: 'Complete the order', completeHint: 'The customer has received the goods.', complete: 'Mark completed', completed_ok: 'Order completed.',
    cancelTitle: 'Cancel the order', cancelReason: 'Cancel reason', cancel: 'Cancel order', cancelled_ok: 'Order cancelled; its stock is released.',
    refundTitle: 'Refund', refundAmount: 'Refund amount', refundMax: 'At most {max}', refundReason: 'Refund reason', refund: 'Refund', refunded_ok: 'Refunded {amount}.',
    amountInvalid: 'Enter an amount such as 12.50', amountTooHigh: 'At most {max} can be refunded',
    required: 'Required',
  },
  'zh-CN': {
    title: '订单 {id}', back: '返回列表', status: '状态', timeline: '进度',
    created: '下单', paid: '支付', fulfilled: '发货', delivered: '送达', completed: '完成', cancelled: '取消', paymentDue: '支付截止',
    tracking: '物流单号', cancelReasonShown: '原因', customer: '顾客',
    lines: '商品', product: '商品', options: '规格', sku: 'SKU', unitPrice: '单价', quantity: '数量', discount: '优惠', lineTotal: '小计', lineTax: '税额',
    totals: '金额', balanceDue: '待补款（订单已修改）', subtotal: '商品合计', shipping: '运费', total: '实付', refunded: '已退款', coupon: '优惠券 {code}',
    address: '收货地址', payments: '支付记录', noPayments: '还没有支付记录。', payment: '支付单号', provider: '支付渠道', amount: '金额',
    pay_pending: '处理中', pay_succeeded: '成功', pay_failed: '失败', pay_refunded: '已退回',
    actions: '操作',
    completeTitle: '完成订单', completeHint: '顾客已收到商品。', complete: '标记为已完成', completed_ok: '订单已完成。',
    cancelTitle: '取消订单', cancelReason: '取消原因', cancel: '取消订单', cancelled_ok: '订单已取消，库存已释放。',
    refundTitle: '退款', refundAmount: '退款金额', refundMax: '最多 {max}', refundReason: '退款原因', refund: '退款', refunded_ok: '已退款 {amount}。',
    amountInvalid: '请输入金额，例如 12.50', amountTooHigh: '最多可退 {max}',
    required: '必填',
  },
});

interface ShippingAddress {
  name: string;
  phone: string;
  country: string;
  province?: string;
  city: string;
  district?: string;
  line1: string;
  line2?: string;
  postalCode?: string;
}

interface Payment {
  id: string;
  provider: string;
  status: 'pending' | 'succeeded' | 'failed' | 'refunded';
  amount: number;
  currency: string;
}

interface OrderDetail extends OrderTaxFields {
  id: string;
  customerId: string;
  customerEmail?: string | null;
  status: string;
  currency: string;
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  total: number;
  refundedTotal: number;
  couponCode: string | null;
  shippingAddress: ShippingAddress;
  trackingNumber: string | null;
  cancelReason: string | null;
  expiresAt: string | null;
  paidAt: string | null;
  fulfilledAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
  lines: OrderLine[];
  payments: Payment[];
  fulfillment: Fulfillment;
  balanceDue: number;
  edits: OrderEdit[];
}

interface OrderLine {
  lineNo: number;
  sku: string;
  title: Record<string, string>;
  optionValues: Record<string, string>;
  unitPrice: number;
  quantity: number;
  discount: number;
  total: number;
  taxRateBp: number;
  tax: number;
}

export function OrderDetailPage() {
  const { id = '' } = useParams();
  const t = useMessages(messages);
  const { api, can } = useSession();
  const order = useFetch(() => api<OrderDetail>('GET', `/api/admin/orders/${encodeURIComponent(id)}`), [id]);
  const [notice, setNotice] = useState('');
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);

  // The form that was used usually disappears with the new status, so focus goes to the outcome.
  function done(message: string) {
    setNotice(message);
    order.reload();
    noticeRef.current?.focus();
  }

  // Someone else moved the order first: say so above the order and show where it is now. (The
  // form may disappear with the reload, so its message can't live in the form.)
  function conflicted(error: ApiError) {
    setConflict(error);
    order.reload();
  }

  function started() {
    setNotice('');
    setConflict(null);
  }

  return (
    <section>
      <div className="page-head">
        <h1>{t('title', { id })}</h1>
        <Link to="/orders">{t('back')}</Link>
      </div>
      <p role="status" className="notice" ref={noticeRef} tabIndex={-1}>{notice}</p>
      <FormError error={conflict} />
      <Loaded fetched={order}>
        {(data) => (
          <div className={order.loading ? 'refreshing' : undefined} aria-busy={order.loading}>
            <div className="detail-grid">
              <StatusCard order={data} />
              <TotalsCard order={data} />
              <AddressCard order={data} />
              <InvoiceCard order={data} onDone={done} onConflict={conflicted} onStart={started} />
            </div>
            <LinesTable order={data} />
            {can('operator') && EDITABLE.includes(data.status) && data.fulfillment.shipments.length === 0 && data.refundedTotal === 0 && (
              <OrderEditPanel order={data} onDone={done} onConflict={conflicted} onStart={started} />
            )}
            <OrderEditHistory edits={data.edits} currency={data.currency} />
            <ShipmentsPanel
              orderId={data.id}
              fulfillment={data.fulfillment}
              titles={Object.fromEntries(data.lines.map((line) => [line.lineNo, line.title]))}
              canShip={can('operator') && SHIPPABLE.includes(data.status) && data.balanceDue === 0}
              onDone={done}
              onConflict={conflicted}
              onStart={started}
            />
            <PaymentsTable order={data} />
            <OrderActions order={data} onDone={done} onConflict={conflicted} onStart={started} />
          </div>
        )}
      </Loaded>
    </section>
  );
}

function StatusCard({ order }: { order: OrderDetail }) {
  const t = useMessages(messages);
  const statusText = useMessages(statusMessages);
  const { locale } = useLocale();
  const steps: { key: string; label: string; at: string | null; note?: string | null }[] = [
    { key: 'created', label: t('created'), at: order.createdAt },
    { key: 'due', label: t('paymentDue'), at: order.status === 'pending_payment' ? order.expiresAt : null },
    { key: 'paid', label: t('paid'), at: order.paidAt },
    { key: 'fulfilled', label: t('fulfilled'), at: order.fulfilledAt, note: order.trackingNumber && `${t('tracking')}: ${order.trackingNumber}` },
    { key: 'delivered', label: t('delivered'), at: order.fulfillment.deliveredAt },
    { key: 'completed', label: t('completed'), at: order.completedAt },
    { key: 'cancelled', label: t('cancelled'), at: order.cancelledAt, note: order.cancelReason && `${t('cancelReasonShown')}: ${order.cancelReason}` },
  ];
  return (
    <div className="card">
      <h2>{t('status')}</h2>
      <StatusBadge status={order.status} label={statusText(order.status as StatusKey)} />
      <ol className="timeline" aria-label={t('timeline')}>
        {steps.filter((step) => step.at).map((step) => (
          <li key={step.key}>
            <span className="what">{step.label}</span>
            <span>
              <time dateTime={step.at!}>{formatTime(step.at!, locale)}</time>
              {step.note && <><br /><span className="mono">{step.note}</span></>}
            </span>
          </li>
        ))}
      </ol>
      <p className="muted">{t('customer')}: <span className="mono">{order.customerEmail || order.customerId}</span></p>
    </div>
  );
}

function TotalsCard({ order }: { order: OrderDetail }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const money = (amount: number) => formatMoney(amount, order.currency, locale);
  return (
    <div className="card">
      <h2>{t('totals')}</h2>
      <dl className="totals">
        <dt>{t('subtotal')}</dt><dd>{money(order.subtotal)}</dd>
        <dt>{t('discount')}{order.couponCode && <> ({t('coupon', { code: order.couponCode })})</>}</dt><dd>−{money(order.discountTotal)}</dd>
        <dt>{t('shipping')}<ShippingMethodName order={order} /></dt><dd>{money(order.shippingTotal)}</dd>
        <TaxTotalRow order={order} />
        <dt className="grand">{t('total')}</dt><dd className="grand">{money(order.total)}</dd>
        <dt>{t('refunded')}</dt><dd>{money(order.refundedTotal)}</dd>
        {order.balanceDue > 0 && <><dt className="owed">{t('balanceDue')}</dt><dd className="owed">{money(order.balanceDue)}</dd></>}
      </dl>
    </div>
  );
}

function AddressCard({ order }: { order: OrderDetail }) {
  const t = useMessages(messages);
  const a = order.shippingAddress;
  const place = [a.district, a.city, a.province].filter(Boolean).join(', ');
  return (
    <div className="card">
      <h2>{t('address')}</h2>
      <address>
        {a.name}<br />
        {a.phone}<br />
        {a.line1}<br />
        {a.line2 && <>{a.line2}<br /></>}
        {place}{a.postalCode && ` ${a.postalCode}`}<br />
        {a.country}
      </address>
    </div>
  );
}

function LinesTable({ order }: { order: OrderDetail }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const money = (amount: number) => formatMoney(amount, order.currency, locale);
  return (
    <div className="section">
      <h2>{t('lines')}</h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('product')}</th>
              <th scope="col">{t('options')}</th>
              <th scope="col">{t('sku')}</th>
              <th scope="col" className="num">{t('unitPrice')}</th>
              <th scope="col" className="num">{t('quantity')}</th>
              <th scope="col" className="num">{t('discount')}</th>
              <th scope="col" className="num">{t('lineTotal')}</th>
              <th scope="col" className="num">{t('lineTax')}</th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((line) => (
              <tr key={line.lineNo}>
                <td>{pickText(line.title, locale)}</td>
                <td>{Object.entries(line.optionValues).map(([name, value]) => `${name}: ${value}`).join(', ')}</td>
                <td className="mono">{line.sku}</td>
                <td className="num">{money(line.unitPrice)}</td>
                <td className="num">{line.quantity}</td>
                <td className="num">{line.discount ? `−${money(line.discount)}` : money(0)}</td>
                <td className="num">{money(line.total)}</td>
                <td className="num">{lineTaxText(line, order.currency, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function PaymentsTable({ order }: { order: OrderDetail }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  return (
    <div className="section">
      <h2>{t('payments')}</h2>
      {order.payments.length === 0 ? (
        <p className="empty">{t('noPayments')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('payment')}</th>
                <th scope="col">{t('provider')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col" className="num">{t('amount')}</th>
              </tr>
            </thead>
            <tbody>
              {order.payments.map((payment) => (
                <tr key={payment.id}>
                  <td className="mono">{payment.id}</td>
                  <td>{payment.provider}</td>
                  <td><StatusBadge status={payment.status === 'succeeded' ? 'paid' : payment.status} label={t(`pay_${payment.status}`)} /></td>
                  <td className="num">{formatMoney(payment.amount, payment.currency, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

interface ActionProps {
  order: OrderDetail;
  /** Called with the message to announce once the action has succeeded. */
  onDone(message: string): void;
  /** A 409: the order is no longer where this page showed it. */
  onConflict(error: ApiError): void;
  onStart(): void;
}

const REFUNDABLE = ['paid', 'partially_fulfilled', 'fulfilled', 'completed', 'partially_refunded'];
/** Statuses whose lines staff may still change (the server also wants nothing shipped or refunded). */
const EDITABLE = ['pending_payment', 'paid'];
/** Statuses that may still have units to ship (the panel shows its form only while some are left). */
const SHIPPABLE = ['paid', 'partially_fulfilled', 'partially_refunded'];

/** The moves the order's status allows and the staff member's role permits; nothing if none. */
function OrderActions(props: ActionProps) {
  const t = useMessages(messages);
  const { can } = useSession();
  const { status, total, refundedTotal, fulfilledAt, completedAt } = props.order;
  const operator = can('operator');
  // A partial refund leaves the order where it was in shipping, so its times say what's next.
  const partlyRefunded = status === 'partially_refunded';
  const completable = status === 'fulfilled' || (partlyRefunded && fulfilledAt !== null && !completedAt);
  const forms: ReactNode[] = [];
  if (operator && completable) forms.push(<CompleteForm key="complete" {...props} />);
  // A paid order is not cancelled but refunded: the state machine allows cancelling only unpaid ones.
  if (operator && status === 'pending_payment') forms.push(<CancelForm key="cancel" {...props} />);
  if (can('admin') && REFUNDABLE.includes(status) && total > refundedTotal) forms.push(<RefundForm key="refund" {...props} />);
  if (forms.length === 0) return null;
  return (
    <div className="section">
      <h2>{t('actions')}</h2>
      <div className="action-forms">{forms}</div>
    </div>
  );
}

/** One action's request: busy while it runs, the server's problem kept for the form to show. */
function useAction({ order, onDone, onConflict, onStart }: ActionProps) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function run(path: string, body: unknown, success: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    onStart();
    try {
      await api('POST', `/api/admin/orders/${encodeURIComponent(order.id)}/${path}`, body);
      onDone(success);
      return true;
    } catch (problem) {
      const error = asApiError(problem);
      if (error.problem.status === 409) onConflict(error);
      else setError(error);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, run };
}

/** The problem as an alert, unless every message in it is already shown beside its field. */
function ProblemSummary({ error, fields }: { error: ApiError | null; fields: string[] }) {
  if (!error) return null;
  if (fields.some((field) => error.fieldMessage(field))) return null;
  return <FormError error={error} />;
}

function CompleteForm(props: ActionProps) {
  const t = useMessages(messages);
  const { busy, error, run } = useAction(props);

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run('complete', undefined, t('completed_ok'));
  }

  return (
    <form className="card" onSubmit={submit}>
      <h3>{t('completeTitle')}</h3>
      <p className="muted">{t('completeHint')}</p>
      <FormError error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{t('complete')}</button>
      </div>
    </form>
  );
}

function CancelForm(props: ActionProps) {
  const t = useMessages(messages);
  const { busy, error, setError, run } = useAction(props);
  const [reason, setReason] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const missing = missingFields({ reason }, t('required'));
    if (missing) setError(missing);
    else await run('cancel', { reason: reason.trim() }, t('cancelled_ok'));
  }

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h3>{t('cancelTitle')}</h3>
      <TextField id="cancel-reason" name="reason" label={t('cancelReason')} value={reason} onChange={(e) => setReason(e.target.value)} error={error} maxLength={200} autoComplete="off" required />
      <ProblemSummary error={error} fields={['reason']} />
      <div className="actions">
        <button type="submit" className="danger" disabled={busy}>{t('cancel')}</button>
      </div>
    </form>
  );
}

function RefundForm(props: ActionProps) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { busy, error, setError, run } = useAction(props);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const { currency, total, refundedTotal } = props.order;
  const remaining = total - refundedTotal;
  const max = formatMoney(remaining, currency, locale);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const minor = parseMoney(amount, currency);
    // Checked here too, so a typo is explained in the console's language before anything is sent.
    const problem = Number.isNaN(minor) || minor <= 0 ? t('amountInvalid') : minor > remaining ? t('amountTooHigh', { max }) : null;
    const missing = missingFields({ reason }, t('required'));
    if (problem || missing) {
      const errors = [...(problem ? [{ path: 'body.amount', message: problem }] : []), ...(missing?.problem.errors ?? [])];
      setError(new ApiError({ status: 400, code: 'validation_failed', detail: errors[0]!.message, errors }));
      return;
    }
    if (await run('refunds', { amount: minor, reason: reason.trim() }, t('refunded_ok', { amount: formatMoney(minor, currency, locale) }))) {
      setAmount('');
      setReason('');
    }
  }

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h3>{t('refundTitle')}</h3>
      <TextField id="refund-amount" name="amount" label={t('refundAmount')} hint={t('refundMax', { max })} value={amount} onChange={(e) => setAmount(e.target.value)} error={error} inputMode="decimal" autoComplete="off" required />
      <TextField id="refund-reason" name="reason" label={t('refundReason')} value={reason} onChange={(e) => setReason(e.target.value)} error={error} maxLength={200} autoComplete="off" required />
      <ProblemSummary error={error} fields={['amount', 'reason']} />
      <div className="actions">
        <button type="submit" className="danger" disabled={busy}>{t('refund')}</button>
      </div>
    </form>
  );
}

/** The fields left empty as a problem shaped like the server's, in the console's language. */
function missingFields(values: Record<string, string>, message: string): ApiError | null {
  const errors = Object.entries(values).filter(([, value]) => value.trim() === '').map(([name]) => ({ path: `body.${name}`, message }));
  return errors.length > 0 ? new ApiError({ status: 400, code: 'validation_failed', detail: message, errors }) : null;
}
