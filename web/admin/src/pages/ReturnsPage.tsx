import { useState } from 'react';
import { Link } from 'react-router';
import { asApiError } from '../../../shared/http.ts';
import { formatMoney } from '../../../shared/money.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { Loaded } from '../components/States.tsx';
import { defineMessages, useLocale, useMessages } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import './reviews.css';

const messages = defineMessages({
  en: {
    title: 'Returns', none: 'No return requests here.', all: 'All',
    state_requested: 'To review', state_approved: 'Approved', state_rejected: 'Rejected', state_awaiting_return: 'Awaiting parcel', state_shipped_back: 'Parcel on its way',
    state_received: 'Received', state_refunding: 'Refunding', state_refunded: 'Refunded', state_exchanged: 'Exchanged', state_cancelled: 'Cancelled', state_expired: 'Expired',
    type_refund_only: 'Refund only', type_return_and_refund: 'Return and refund', type_exchange: 'Exchange',
    order: 'Order', amount: 'Refund', reason: 'Reason', photo: 'Photo {n}', approve: 'Approve', reject: 'Reject', rejectReason: 'Reason for rejecting', reasonRequired: 'Give a reason first.',
    receive: 'Mark received', restock: 'Restock', writeOff: 'Write off', settle: 'Refund again', settleError: 'Last attempt failed: {code}',
    refundId: 'Refund {id}', replacement: 'Replacement order', shipBackBy: 'Ship back by {time}', parcel: 'Return parcel: {carrier} {tracking}', rejectedFor: 'Rejected: {reason}', done: 'Return {id}: {state}.',
  },
  'zh-CN': {
    title: '售后', none: '这里没有售后申请。', all: '全部',
    state_requested: '待审核', state_approved: '已同意', state_rejected: '已拒绝', state_awaiting_return: '待买家寄回', state_shipped_back: '买家已寄回',
    state_received: '已收货', state_refunding: '退款中', state_refunded: '已退款', state_exchanged: '已换货', state_cancelled: '已取消', state_expired: '已关闭',
    type_refund_only: '仅退款', type_return_and_refund: '退货退款', type_exchange: '换货',
    order: '订单', amount: '退款金额', reason: '原因', photo: '图片 {n}', approve: '同意', reject: '拒绝', rejectReason: '拒绝原因', reasonRequired: '请先填写拒绝原因。',
    receive: '确认收货', restock: '入库', writeOff: '报损', settle: '重新退款', settleError: '上次处理失败：{code}',
    refundId: '退款单 {id}', replacement: '换货订单', shipBackBy: '须在 {time} 前寄回', parcel: '退货物流：{carrier} {tracking}', rejectedFor: '拒绝原因：{reason}', done: '售后 {id}：{state}。',
  },
});

const TABS = ['requested', 'awaiting_return', 'shipped_back', 'received', 'refunded', 'exchanged', 'rejected'] as const;
type State = (typeof TABS)[number] | 'approved' | 'refunding' | 'cancelled' | 'expired';
type MessageKey = keyof (typeof messages)['en'];

interface ReturnRequest {
  id: string;
  orderId: string;
  type: 'refund_only' | 'return_and_refund' | 'exchange';
  state: State;
  reasonCode: string;
  reasonText: string;
  photos: { id: string; url: string }[];
  amount: number;
  currency: string;
  rejectReason: string | null;
  shipBackBy: string | null;
  returnShipment: { carrier: string; carrierName: string | null; trackingNumber: string } | null;
  refundId: string | null;
  settleError: string | null;
  replacementOrderId: string | null;
  lines: { lineNo: number; sku: string; title: Record<string, string>; quantity: number; restocked: number; writtenOff: number }[];
  createdAt: string;
}

/** The after-sales queue: staff decide requests, receive parcels (restock or write off each unit) and see refunds through. */
export function ReturnsPage() {
  const t = useMessages(messages);
  const { api, can } = useSession();
  const [state, setState] = useState<(typeof TABS)[number] | ''>('requested');
  const requests = useFetch(() => api<{ items: ReturnRequest[] }>('GET', `/api/admin/returns?limit=50${state ? `&state=${state}` : ''}`), [state]);
  const [notice, setNotice] = useState('');
  return (
    <section>
      <h1>{t('title')}</h1>
      <div className="tabs" role="tablist">
        {[...TABS, ''].map((tab) => (
          <button key={tab || 'all'} type="button" role="tab" aria-selected={state === tab} className={state === tab ? 'tab selected' : 'tab'} onClick={() => { setState(tab as typeof state); setNotice(''); }}>
            {tab ? t(`state_${tab}` as MessageKey) : t('all')}
          </button>
        ))}
      </div>
      <p role="status" className="notice">{notice}</p>
      <Loaded fetched={requests} isEmpty={(data) => data.items.length === 0} empty={t('none')}>
        {(data) => (
          <ul className="review-queue">
            {data.items.map((request) => (
              <ReturnCard key={request.id} request={request} canAct={can('operator')} onDone={(message) => { setNotice(message); requests.reload(); }} />
            ))}
          </ul>
        )}
      </Loaded>
    </section>
  );
}

function ReturnCard({ request, canAct, onDone }: { request: ReturnRequest; canAct: boolean; onDone: (message: string) => void }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api, session } = useSession();
  const [reason, setReason] = useState('');
  const [restock, setRestock] = useState<Record<number, number>>(() => Object.fromEntries(request.lines.map((line) => [line.lineNo, line.quantity])));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const photoUrl = (url: string) => `${url}?tenant=${encodeURIComponent(session?.tenant ?? '')}`;
  const title = (text: Record<string, string>) => text[locale] ?? Object.values(text)[0] ?? '';

  async function act(action: 'approve' | 'reject' | 'receive' | 'settle') {
    if (action === 'reject' && !reason.trim()) return setError(t('reasonRequired'));
    setBusy(true);
    setError('');
    try {
      const body =
        action === 'reject'
          ? { reason: reason.trim() }
          : action === 'receive'
            ? { lines: request.lines.map((line) => ({ lineNo: line.lineNo, restock: restock[line.lineNo] ?? 0, writeOff: line.quantity - (restock[line.lineNo] ?? 0) })) }
            : undefined;
      const after = await api<ReturnRequest>('POST', `/api/admin/returns/${request.id}/${action}`, body);
      onDone(t('done', { id: request.id, state: t(`state_${after.state}` as MessageKey) }));
    } catch (caught) {
      setError(asApiError(caught).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="review-card" aria-label={request.id} data-testid="return-card">
      <h2>
        {t(`type_${request.type}` as MessageKey)} · <span className="status" data-testid="return-state">{t(`state_${request.state}` as MessageKey)}</span>
      </h2>
      <p className="muted">
        <span className="mono">{request.id}</span> · {t('order')} <Link to={`/orders/${request.orderId}`} className="mono">{request.orderId}</Link> · {new Date(request.createdAt).toLocaleString(locale)}
      </p>
      <ul>
        {request.lines.map((line) => (
          <li key={line.lineNo}>
            {title(line.title)} ({line.sku}) × {line.quantity}
            {(line.restocked > 0 || line.writtenOff > 0) && ` · ${t('restock')} ${line.restocked} · ${t('writeOff')} ${line.writtenOff}`}
          </li>
        ))}
      </ul>
      <p>{t('reason')}: {request.reasonCode}{request.reasonText && ` — ${request.reasonText}`}</p>
      {request.type !== 'exchange' && <p>{t('amount')}: {formatMoney(request.amount, request.currency, locale)}</p>}
      {request.photos.length > 0 && (
        <div className="review-photos">
          {request.photos.map((photo, index) => (
            <a key={photo.id} href={photoUrl(photo.url)} target="_blank" rel="noreferrer">
              <img src={photoUrl(photo.url)} alt={t('photo', { n: index + 1 })} width={96} height={96} loading="lazy" />
            </a>
          ))}
        </div>
      )}
      {request.shipBackBy && request.state === 'awaiting_return' && <p className="muted">{t('shipBackBy', { time: new Date(request.shipBackBy).toLocaleString(locale) })}</p>}
      {request.returnShipment && <p>{t('parcel', { carrier: request.returnShipment.carrierName ?? request.returnShipment.carrier, tracking: request.returnShipment.trackingNumber })}</p>}
      {request.rejectReason && <p className="muted">{t('rejectedFor', { reason: request.rejectReason })}</p>}
      {request.refundId && <p className="muted">{t('refundId', { id: request.refundId })}</p>}
      {request.replacementOrderId && <p>{t('replacement')}: <Link to={`/orders/${request.replacementOrderId}`} className="mono">{request.replacementOrderId}</Link></p>}
      {request.settleError && <p role="alert" className="form-error">{t('settleError', { code: request.settleError })}</p>}
      {canAct && (
        <div className="review-actions">
          {request.state === 'requested' && (
            <>
              <button type="button" className="primary" disabled={busy} onClick={() => void act('approve')}>{t('approve')}</button>
              <label>
                {t('rejectReason')}
                <input value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
              </label>
              <button type="button" className="secondary" disabled={busy} onClick={() => void act('reject')}>{t('reject')}</button>
            </>
          )}
          {(request.state === 'awaiting_return' || request.state === 'shipped_back') && (
            <>
              {request.lines.map((line) => (
                <label key={line.lineNo}>
                  {t('restock')} ({line.sku}, {line.quantity})
                  <input type="number" min={0} max={line.quantity} value={restock[line.lineNo] ?? 0} onChange={(event) => setRestock({ ...restock, [line.lineNo]: Number(event.target.value) })} />
                </label>
              ))}
              <button type="button" className="primary" disabled={busy} onClick={() => void act('receive')}>{t('receive')}</button>
            </>
          )}
          {(request.state === 'approved' || request.state === 'received' || request.state === 'refunding') && (
            <button type="button" className="secondary" disabled={busy} onClick={() => void act('settle')}>{t('settle')}</button>
          )}
        </div>
      )}
      {error && <p role="alert" className="form-error">{error}</p>}
    </li>
  );
}
