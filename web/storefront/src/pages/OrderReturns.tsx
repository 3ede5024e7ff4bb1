import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError, fileUrl, uploadPhoto } from '../api.ts';
import { formatMoney, useI18n, type MessageKey } from '../i18n.tsx';
import { useFetch } from '../../../shared/useFetch.ts';
import './returns.css';

const TYPES = ['refund_only', 'return_and_refund', 'exchange'] as const;
const REASONS = ['damaged', 'wrong_item', 'not_as_described', 'quality_issue', 'size_fit', 'missing_parts', 'changed_mind', 'other'] as const;
const CARRIERS = ['sf', 'jd', 'yto', 'zto', 'sto', 'yunda', 'ems', 'ups', 'fedex', 'dhl', 'other'] as const;
const MAX_PHOTOS = 6;

interface OrderLine {
  lineNo: number;
  productId: string;
  variantId: string;
  title: Record<string, string>;
  quantity: number;
}

interface StoreVariant {
  id: string;
  sku: string;
  optionValues: Record<string, string>;
  price: { amount: number } | null;
  inStock: boolean;
}

export interface ReturnRequest {
  id: string;
  orderId: string;
  type: (typeof TYPES)[number];
  state: string;
  reasonCode: string;
  reasonText: string;
  amount: number;
  currency: string;
  rejectReason: string | null;
  shipBackBy: string | null;
  returnShipment: { carrier: string; trackingNumber: string } | null;
  replacementOrderId: string | null;
  photos: { id: string; url: string }[];
  lines: { lineNo: number; title: Record<string, string>; quantity: number; exchangeFor: { sku: string | null; optionValues: Record<string, string> | null } | null }[];
}

const pickTitle = (title: Record<string, string>, locale: string) => title[locale] ?? Object.values(title)[0] ?? '';

function problemText(caught: unknown, t: ReturnType<typeof useI18n>['t']): string {
  const problem = caught instanceof ApiError ? caught.problem : undefined;
  if (problem?.code === 'file_too_large') return t('photoTooLarge');
  if (problem?.code === 'unsupported_file_type') return t('photoWrongType');
  return caught instanceof Error ? caught.message : String(caught);
}

/** The order page's after-sales section: a request form per line and this order's requests. */
export function OrderReturns({ orderId, lines, currency, canRequest }: { orderId: string; lines: OrderLine[]; currency: string; canRequest: boolean }) {
  const { t } = useI18n();
  const requests = useFetch(() => api<{ items: ReturnRequest[] }>('GET', `/api/store/returns?orderId=${orderId}`), [orderId]);
  const [open, setOpen] = useState<number | null>(null);
  return (
    <section aria-labelledby="returns-title" className="returns">
      <h2 id="returns-title">{t('returns')}</h2>
      {canRequest && <ul className="lines">
        {lines.map((line) => (
          <li key={line.lineNo}>
            {open === line.lineNo ? (
              <ReturnForm orderId={orderId} line={line} onDone={() => { setOpen(null); requests.reload(); }} />
            ) : (
              <button type="button" onClick={() => setOpen(line.lineNo)} aria-label={`${t('requestReturn')} #${line.lineNo}`}>{t('requestReturn')}</button>
            )}
          </li>
        ))}
      </ul>}
      {requests.error && <p role="alert">{requests.error}</p>}
      {requests.data?.items.length === 0 && <p className="muted">{t('noReturns')}</p>}
      <ol className="lines">
        {requests.data?.items.map((request) => <ReturnItem key={request.id} request={request} currency={currency} onChange={requests.reload} />)}
      </ol>
    </section>
  );
}

function ReturnForm({ orderId, line, onDone }: { orderId: string; line: OrderLine; onDone: () => void }) {
  const { t, locale } = useI18n();
  const [type, setType] = useState<(typeof TYPES)[number]>('return_and_refund');
  const [quantity, setQuantity] = useState(1);
  const [reasonCode, setReasonCode] = useState<(typeof REASONS)[number]>('damaged');
  const [reasonText, setReasonText] = useState('');
  const [exchangeFor, setExchangeFor] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError('');
    if (photos.length > MAX_PHOTOS) return setError(t('tooManyPhotos', { n: MAX_PHOTOS }));
    setBusy(true);
    try {
      const uploaded = [];
      for (const photo of photos) uploaded.push(await uploadPhoto(photo, 'return_photo'));
      await api('POST', `/api/store/orders/${orderId}/returns`, {
        type,
        lines: [{ lineNo: line.lineNo, quantity, ...(type === 'exchange' && exchangeFor ? { exchangeFor } : {}) }],
        reasonCode,
        ...(reasonText.trim() ? { reasonText: reasonText.trim() } : {}),
        photoIds: uploaded.map((photo) => photo.id),
      });
      onDone();
    } catch (caught) {
      setError(problemText(caught, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="return-form" onSubmit={(event) => void submit(event)} aria-label={t('requestReturn')}>
      <h3>{t('requestReturn')}: {pickTitle(line.title, locale)}</h3>
      <label>
        {t('returnType')}
        <select value={type} onChange={(event) => setType(event.target.value as (typeof TYPES)[number])}>
          {TYPES.map((one) => <option key={one} value={one}>{t(`return_${one}` as MessageKey)}</option>)}
        </select>
      </label>
      {type === 'exchange' && <ExchangeChoice line={line} value={exchangeFor} onChange={setExchangeFor} />}
      <label>
        {t('returnQuantity')}
        <input type="number" min={1} max={line.quantity} value={quantity} onChange={(event) => setQuantity(Number(event.target.value))} />
      </label>
      <label>
        {t('returnReason')}
        <select value={reasonCode} onChange={(event) => setReasonCode(event.target.value as (typeof REASONS)[number])}>
          {REASONS.map((one) => <option key={one} value={one}>{t(`reason_${one}` as MessageKey)}</option>)}
        </select>
      </label>
      <label>
        {t('returnReasonText')}
        <textarea maxLength={1000} rows={3} value={reasonText} onChange={(event) => setReasonText(event.target.value)} />
      </label>
      <label>
        {t('returnPhotos', { n: MAX_PHOTOS })}
        <input type="file" accept="image/jpeg,image/png,image/webp" multiple onChange={(event) => setPhotos(Array.from(event.target.files ?? []))} />
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{t('submitReturn')}</button>
        <button type="button" onClick={onDone}>{t('cancel')}</button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}

/**
 * What an exchange sends: the same variant again, or another of the product at the same price
 * (another size, another colour), as the server allows.
 */
function ExchangeChoice({ line, value, onChange }: { line: OrderLine; value: string; onChange(variantId: string): void }) {
  const { t } = useI18n();
  const product = useFetch(() => api<{ variants: StoreVariant[] }>('GET', `/api/store/products/${line.productId}`), [line.productId]);
  const bought = product.data?.variants.find((variant) => variant.id === line.variantId);
  const others = (product.data?.variants ?? []).filter((variant) => variant.id !== line.variantId && variant.price && variant.price.amount === bought?.price?.amount);
  if (others.length === 0) return null;
  return (
    <label>
      {t('exchangeFor')}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{t('exchangeSame')}</option>
        {others.map((variant) => (
          <option key={variant.id} value={variant.id} disabled={!variant.inStock}>{Object.values(variant.optionValues).join(' / ') || variant.sku}</option>
        ))}
      </select>
    </label>
  );
}

function ReturnItem({ request, currency, onChange }: { request: ReturnRequest; currency: string; onChange: () => void }) {
  const { t, locale } = useI18n();
  const [carrier, setCarrier] = useState<(typeof CARRIERS)[number]>('sf');
  const [tracking, setTracking] = useState('');
  const [error, setError] = useState('');

  async function act(path: string, body?: unknown) {
    setError('');
    try {
      await api('POST', `/api/store/returns/${request.id}/${path}`, body);
      onChange();
    } catch (caught) {
      setError(problemText(caught, t));
    }
  }

  return (
    <li className="return" data-testid="return-request" aria-label={`${t('returns')} ${request.id}`}>
      <p>
        <strong>{t(`return_${request.type}` as MessageKey)}</strong>{' '}
        <span className="status" data-testid="return-state">{t(`returnState_${request.state}` as MessageKey)}</span>
      </p>
      <p className="muted">
        {request.lines.map((line) => `${pickTitle(line.title, locale)} × ${line.quantity}${line.exchangeFor ? ` → ${Object.values(line.exchangeFor.optionValues ?? {}).join(' / ') || line.exchangeFor.sku}` : ''}`).join(', ')} · {t(`reason_${request.reasonCode}` as MessageKey)}
      </p>
      {request.type !== 'exchange' && <p>{t('returnAmount')}: {formatMoney(request.amount, currency, locale)}</p>}
      {request.rejectReason && <p>{t('rejectedBecause', { reason: request.rejectReason })}</p>}
      {request.replacementOrderId && <p>{t('replacementOrder')}: <Link to={`/orders/${request.replacementOrderId}`}>{request.replacementOrderId}</Link></p>}
      {request.photos.length > 0 && (
        <p className="photos">{request.photos.map((photo, index) => <img key={photo.id} src={fileUrl(photo.url)} alt={t('returnPhoto', { n: index + 1 })} width={64} height={64} />)}</p>
      )}
      {request.state === 'awaiting_return' && (
        <form onSubmit={(event) => { event.preventDefault(); void act('shipment', { carrier, trackingNumber: tracking.trim() }); }} aria-label={t('shipBack')}>
          {request.shipBackBy && <p>{t('shipBackBy', { time: new Date(request.shipBackBy).toLocaleDateString(locale) })}</p>}
          <label>
            {t('carrier')}
            <select value={carrier} onChange={(event) => setCarrier(event.target.value as (typeof CARRIERS)[number])}>
              {CARRIERS.map((one) => <option key={one} value={one}>{t(`carrier_${one}` as MessageKey)}</option>)}
            </select>
          </label>
          <label>
            {t('trackingNumber')}
            <input required maxLength={64} value={tracking} onChange={(event) => setTracking(event.target.value)} />
          </label>
          <button type="submit">{t('submitShipBack')}</button>
        </form>
      )}
      {request.returnShipment && <p>{t('trackingNumber')}: <span className="mono">{request.returnShipment.trackingNumber}</span></p>}
      {['requested', 'approved', 'awaiting_return'].includes(request.state) && <button type="button" onClick={() => void act('cancel')}>{t('cancelReturn')}</button>}
      {error && <p role="alert" className="error">{error}</p>}
    </li>
  );
}

/** Every after-sales request of the customer, newest first, with its state and a link to its order. */
export function MyReturns() {
  const { t, locale } = useI18n();
  const requests = useFetch(() => api<{ items: ReturnRequest[] }>('GET', '/api/store/returns?limit=50'), []);
  if (!requests.data || requests.data.items.length === 0) return null;
  return (
    <section aria-labelledby="my-returns-title" className="returns">
      <h2 id="my-returns-title">{t('returns')}</h2>
      <ul className="lines">
        {requests.data.items.map((request) => (
          <li key={request.id} className="line" data-testid="my-return">
            <Link to={`/orders/${request.orderId}`}>
              {t(`return_${request.type}` as MessageKey)} · {request.lines.map((line) => `${pickTitle(line.title, locale)} × ${line.quantity}`).join(', ')}
            </Link>
            <span className="status">{t(`returnState_${request.state}` as MessageKey)}</span>
            {request.type !== 'exchange' && <span className="price">{formatMoney(request.amount, request.currency, locale)}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
