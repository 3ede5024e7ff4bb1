import { useState, type FormEvent } from 'react';
import { ApiError, asApiError } from '../../../shared/http.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, SelectField, TextField } from '../components/Field.tsx';
import { StatusBadge } from '../components/States.tsx';
import { defineMessages, pickText, useLocale, useMessages } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { formatTime } from '../format.ts';

const CARRIERS = ['sf', 'jd', 'yto', 'zto', 'sto', 'yunda', 'ems', 'ups', 'fedex', 'dhl', 'other'] as const;

const messages = defineMessages({
  en: {
    shipments: 'Shipments', noShipments: 'Nothing has shipped yet.', parcel: 'Parcel', carrier: 'Carrier', carrierName: 'Carrier name',
    tracking: 'Tracking number', status: 'Status', items: 'Items', shippedAt: 'Shipped', deliveredAt: 'Delivered', actions: 'Actions',
    st_created: 'Packed', st_shipped: 'Shipped', st_delivered: 'Delivered', orderDelivered: 'Every parcel was delivered by {time}.',
    markShipped: 'Mark shipped', markDelivered: 'Mark delivered', correct: 'Correct tracking', save: 'Save', cancel: 'Cancel',
    shipped_ok: 'Parcel {n} marked as shipped.', delivered_ok: 'Parcel {n} marked as delivered.', corrected_ok: 'Tracking of parcel {n} corrected.',
    shipTitle: 'Ship', shipHint: 'Choose the units in this parcel; a line may go in several parcels.', left: '{n} left',
    qtyOf: 'Units of {sku} to ship', suggested: 'Suggested parcels, by the warehouse the units were reserved from', noWarehouse: 'No warehouse',
    use: 'Use', shipNow: 'The parcel has left (mark it shipped)', create: 'Create shipment', created_ok: 'Shipment created.',
    required: 'Required', qtyInvalid: 'Enter whole units from 0 to {max}', nothingChosen: 'Choose at least one unit to ship',
    c_sf: 'SF Express', c_jd: 'JD Logistics', c_yto: 'YTO Express', c_zto: 'ZTO Express', c_sto: 'STO Express', c_yunda: 'Yunda Express',
    c_ems: 'EMS', c_ups: 'UPS', c_fedex: 'FedEx', c_dhl: 'DHL', c_other: 'Other',
  },
  'zh-CN': {
    shipments: '包裹', noShipments: '还没有发货。', parcel: '包裹', carrier: '快递公司', carrierName: '快递公司名称',
    tracking: '物流单号', status: '状态', items: '商品', shippedAt: '发出', deliveredAt: '送达', actions: '操作',
    st_created: '已打包', st_shipped: '已发出', st_delivered: '已送达', orderDelivered: '全部包裹已于 {time} 送达。',
    markShipped: '标记为已发出', markDelivered: '标记为已送达', correct: '更正物流单号', save: '保存', cancel: '取消',
    shipped_ok: '包裹 {n} 已标记为发出。', delivered_ok: '包裹 {n} 已标记为送达。', corrected_ok: '包裹 {n} 的物流单号已更正。',
    shipTitle: '发货', shipHint: '选择这个包裹里的件数；同一行商品可以分几个包裹发出。', left: '还剩 {n} 件',
    qtyOf: '{sku} 本次发货件数', suggested: '建议的包裹（按预留库存的仓库）', noWarehouse: '未指定仓库',
    use: '采用', shipNow: '包裹已发出（标记为已发出）', create: '创建发货单', created_ok: '发货单已创建。',
    required: '必填', qtyInvalid: '请输入 0 到 {max} 的整数', nothingChosen: '请至少选择一件商品',
    c_sf: '顺丰速运', c_jd: '京东物流', c_yto: '圆通速递', c_zto: '中通快递', c_sto: '申通快递', c_yunda: '韵达快递',
    c_ems: 'EMS', c_ups: 'UPS', c_fedex: 'FedEx', c_dhl: 'DHL', c_other: '其他',
  },
});

type Carrier = (typeof CARRIERS)[number];

export interface Shipment {
  id: string;
  warehouseId: string | null;
  carrier: Carrier;
  carrierName: string | null;
  trackingNumber: string;
  status: 'created' | 'shipped' | 'delivered';
  shippedAt: string | null;
  deliveredAt: string | null;
  lines: { lineNo: number; sku: string; quantity: number }[];
}

export interface Fulfillment {
  shipments: Shipment[];
  lines: { lineNo: number; sku: string; ordered: number; inShipments: number; shipped: number; remaining: number }[];
  deliveredAt: string | null;
}

interface ProposedShipment {
  warehouse: { id: string; code: string; name: string } | null;
  lines: { lineNo: number; sku: string; quantity: number }[];
}

export interface ShipmentsPanelProps {
  orderId: string;
  fulfillment: Fulfillment;
  titles: Record<number, Record<string, string>>;
  /** Staff may ship and the order's status allows it. */
  canShip: boolean;
  onDone(message: string): void;
  onConflict(error: ApiError): void;
  onStart(): void;
}

/** The order's parcels with their actions, and the form that packs the next one. */
export function ShipmentsPanel(props: ShipmentsPanelProps) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { fulfillment, canShip } = props;
  const left = fulfillment.lines.some((line) => line.remaining > 0);
  return (
    <div className="section">
      <h2>{t('shipments')}</h2>
      {fulfillment.deliveredAt && <p>{t('orderDelivered', { time: formatTime(fulfillment.deliveredAt, locale) })}</p>}
      {fulfillment.shipments.length === 0 ? <p className="empty">{t('noShipments')}</p> : <ShipmentsTable {...props} />}
      {/* A new parcel after each one: the form starts again from what is left. */}
      {canShip && left && <ShipForm key={fulfillment.shipments.length} {...props} />}
    </div>
  );
}

/** A request of the panel's: busy while it runs; a 409 goes to the page, other problems stay here. */
function useRequest({ onDone, onConflict, onStart }: ShipmentsPanelProps) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function run(method: string, path: string, body: unknown, success: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    onStart();
    try {
      await api(method, `/api/admin${path}`, body);
      onDone(success);
      return true;
    } catch (problem) {
      const failure = asApiError(problem);
      if (failure.problem.status === 409) onConflict(failure);
      else setError(failure);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

function ShipmentsTable(props: ShipmentsPanelProps) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { can } = useSession();
  const { busy, error, run } = useRequest(props);
  const [correcting, setCorrecting] = useState<string | null>(null);
  const operator = can('operator');
  return (
    <div className="table-scroll">
      <FormError error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{t('parcel')}</th>
            <th scope="col">{t('carrier')}</th>
            <th scope="col">{t('tracking')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('items')}</th>
            <th scope="col">{t('shippedAt')}</th>
            <th scope="col">{t('deliveredAt')}</th>
            {operator && <th scope="col">{t('actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {props.fulfillment.shipments.map((shipment, index) => {
            const n = index + 1;
            return (
              <tr key={shipment.id}>
                <td>{n}</td>
                <td>{shipment.carrierName ?? t(`c_${shipment.carrier}`)}</td>
                <td className="mono nowrap">{shipment.trackingNumber}</td>
                <td><StatusBadge status={`shipment-${shipment.status}`} label={t(`st_${shipment.status}`)} /></td>
                <td>{shipment.lines.map((line) => `${pickText(props.titles[line.lineNo] ?? {}, locale) || line.sku} × ${line.quantity}`).join(', ')}</td>
                <td>{shipment.shippedAt && formatTime(shipment.shippedAt, locale)}</td>
                <td>{shipment.deliveredAt && formatTime(shipment.deliveredAt, locale)}</td>
                {operator && (
                  <td>
                    {correcting === shipment.id ? (
                      <TrackingForm {...props} shipment={shipment} n={n} onClose={() => setCorrecting(null)} />
                    ) : (
                      <div className="row-actions">
                        {shipment.status === 'created' && (
                          <button type="button" disabled={busy} onClick={() => run('POST', `/shipments/${shipment.id}/ship`, undefined, t('shipped_ok', { n }))} aria-label={`${t('markShipped')} ${n}`}>{t('markShipped')}</button>
                        )}
                        {shipment.status === 'shipped' && (
                          <button type="button" disabled={busy} onClick={() => run('POST', `/shipments/${shipment.id}/deliver`, undefined, t('delivered_ok', { n }))} aria-label={`${t('markDelivered')} ${n}`}>{t('markDelivered')}</button>
                        )}
                        {shipment.status !== 'delivered' && (
                          <button type="button" className="link" onClick={() => setCorrecting(shipment.id)} aria-label={`${t('correct')} ${n}`}>{t('correct')}</button>
                        )}
                      </div>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function TrackingForm(props: ShipmentsPanelProps & { shipment: Shipment; n: number; onClose(): void }) {
  const t = useMessages(messages);
  const { busy, error, setError, run } = useRequest(props);
  const [carrier, setCarrier] = useState<Carrier>(props.shipment.carrier);
  const [trackingNumber, setTrackingNumber] = useState(props.shipment.trackingNumber);
  const id = `tracking-${props.shipment.id}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!trackingNumber.trim()) {
      setError(new ApiError({ status: 400, code: 'validation_failed', detail: t('required'), errors: [{ path: 'body.trackingNumber', message: t('required') }] }));
      return;
    }
    const body = { carrier, trackingNumber: trackingNumber.trim(), ...(props.shipment.carrierName && carrier === 'other' ? { carrierName: props.shipment.carrierName } : {}) };
    if (await run('PUT', `/shipments/${props.shipment.id}/tracking`, body, t('corrected_ok', { n: props.n }))) props.onClose();
  }

  return (
    <form onSubmit={submit} noValidate className="inline-form">
      <SelectField id={`${id}-carrier`} name="carrier" label={t('carrier')} value={carrier} onChange={(e) => setCarrier(e.target.value as Carrier)} error={error}>
        {CARRIERS.map((code) => <option key={code} value={code}>{t(`c_${code}`)}</option>)}
      </SelectField>
      <TextField id={`${id}-number`} name="trackingNumber" label={t('tracking')} value={trackingNumber} onChange={(e) => setTrackingNumber(e.target.value)} error={error} maxLength={64} autoComplete="off" required />
      <div className="row-actions">
        <button type="submit" className="primary" disabled={busy}>{t('save')}</button>
        <button type="button" onClick={props.onClose}>{t('cancel')}</button>
      </div>
    </form>
  );
}

function ShipForm(props: ShipmentsPanelProps) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api } = useSession();
  const { busy, error, setError, run } = useRequest(props);
  const { fulfillment, orderId } = props;
  const open = fulfillment.lines.filter((line) => line.remaining > 0);
  const everything = () => Object.fromEntries(open.map((line) => [line.lineNo, String(line.remaining)]));
  const [quantities, setQuantities] = useState<Record<number, string>>(everything);
  const [warehouseId, setWarehouseId] = useState<string | null>(null);
  const [carrier, setCarrier] = useState<Carrier>('sf');
  const [carrierName, setCarrierName] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const [shipNow, setShipNow] = useState(true);
  // Asked again whenever the shipments change, since they change what is left where.
  const proposal = useFetch(
    () => api<{ items: ProposedShipment[] }>('GET', `/api/admin/orders/${encodeURIComponent(orderId)}/shipment-proposal`),
    [orderId, fulfillment.shipments.length],
  );

  function use(group: ProposedShipment) {
    setQuantities(Object.fromEntries(open.map((line) => [line.lineNo, String(group.lines.find((one) => one.lineNo === line.lineNo)?.quantity ?? 0)])));
    setWarehouseId(group.warehouse?.id ?? null);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const errors: { path: string; message: string }[] = [];
    const lines: { lineNo: number; quantity: number }[] = [];
    for (const line of open) {
      const raw = (quantities[line.lineNo] ?? '').trim();
      const quantity = raw === '' ? 0 : Number(raw);
      if (!Number.isInteger(quantity) || quantity < 0 || quantity > line.remaining) errors.push({ path: `body.lines.${line.lineNo}`, message: t('qtyInvalid', { max: line.remaining }) });
      else if (quantity > 0) lines.push({ lineNo: line.lineNo, quantity });
    }
    if (errors.length === 0 && lines.length === 0) errors.push({ path: 'body.lines', message: t('nothingChosen') });
    if (!trackingNumber.trim()) errors.push({ path: 'body.trackingNumber', message: t('required') });
    if (errors.length > 0) {
      setError(new ApiError({ status: 400, code: 'validation_failed', detail: errors[0]!.message, errors }));
      return;
    }
    const body = {
      carrier,
      ...(carrier === 'other' && carrierName.trim() ? { carrierName: carrierName.trim() } : {}),
      trackingNumber: trackingNumber.trim(),
      lines,
      ...(warehouseId ? { warehouseId } : {}),
      shipped: shipNow,
    };
    await run('POST', `/orders/${encodeURIComponent(orderId)}/shipments`, body, t('created_ok'));
  }

  const groups = proposal.data?.items ?? [];
  return (
    <form className="card ship-form" onSubmit={submit} noValidate>
      <h3>{t('shipTitle')}</h3>
      <p className="muted">{t('shipHint')}</p>
      {groups.length > 0 && (
        <div>
          <p className="muted">{t('suggested')}</p>
          <ul className="proposal">
            {groups.map((group) => (
              <li key={group.warehouse?.id ?? 'none'}>
                <span>{group.warehouse?.name ?? t('noWarehouse')}: {group.lines.map((line) => `${line.sku} × ${line.quantity}`).join(', ')}</span>{' '}
                <button type="button" onClick={() => use(group)} aria-label={`${t('use')}: ${group.warehouse?.name ?? t('noWarehouse')}`}>{t('use')}</button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="ship-lines">
        {open.map((line) => (
          <TextField
            key={line.lineNo}
            id={`ship-qty-${line.lineNo}`}
            name={`lines.${line.lineNo}`}
            label={t('qtyOf', { sku: `${pickText(props.titles[line.lineNo] ?? {}, locale) || line.sku} (${line.sku})` })}
            hint={t('left', { n: line.remaining })}
            value={quantities[line.lineNo] ?? ''}
            onChange={(e) => setQuantities({ ...quantities, [line.lineNo]: e.target.value })}
            error={error}
            inputMode="numeric"
            autoComplete="off"
          />
        ))}
      </div>
      <SelectField id="ship-carrier" name="carrier" label={t('carrier')} value={carrier} onChange={(e) => setCarrier(e.target.value as Carrier)} error={error}>
        {CARRIERS.map((code) => <option key={code} value={code}>{t(`c_${code}`)}</option>)}
      </SelectField>
      {carrier === 'other' && <TextField id="ship-carrier-name" name="carrierName" label={t('carrierName')} value={carrierName} onChange={(e) => setCarrierName(e.target.value)} error={error} maxLength={100} autoComplete="off" />}
      <TextField id="tracking-number" name="trackingNumber" label={t('tracking')} value={trackingNumber} onChange={(e) => setTrackingNumber(e.target.value)} error={error} maxLength={64} autoComplete="off" required />
      <label className="checkbox">
        <input type="checkbox" checked={shipNow} onChange={(e) => setShipNow(e.target.checked)} /> {t('shipNow')}
      </label>
      {error && !(error.problem.errors?.length && error.problem.errors.every((one) => shownByField(one.path))) && <FormError error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{t('create')}</button>
      </div>
    </form>
  );
}

/** Problems the ship form's fields show beside themselves. */
function shownByField(path: string): boolean {
  return path.startsWith('body.lines.') || ['body.trackingNumber', 'body.carrier', 'body.carrierName'].includes(path);
}
