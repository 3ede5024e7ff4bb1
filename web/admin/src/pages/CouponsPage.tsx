import { useState, type FormEvent } from 'react';
import { ApiError, asApiError } from '../../../shared/http.ts';
import { formatMoney, parseMoney } from '../../../shared/money.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, SelectField, TextField } from '../components/Field.tsx';
import { Loaded, StatusBadge } from '../components/States.tsx';
import { defineMessages, useLocale, useMessages, type Locale } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import './orders.css';
import { formatTime } from '../format.ts';

const messages = defineMessages({
  en: {
    title: 'Coupons', code: 'Code', kind: 'Kind', value: 'Value', minSpend: 'Minimum spend', window: 'Valid', used: 'Used / limit', status: 'Status', actions: 'Actions',
    fixed: 'Fixed amount', percentage: 'Percentage', active: 'Active', disabled: 'Disabled', enable: 'Enable', disable: 'Disable',
    always: 'Always', from: 'From {start}', until: 'Until {end}', between: '{start} – {end}', unlimited: 'no limit', perCustomer: '{n} per customer',
    none: 'No coupons yet.', enabledOk: 'Coupon {code} enabled.', disabledOk: 'Coupon {code} disabled.',
    newCoupon: 'New coupon', create: 'Create coupon', createdOk: 'Coupon {code} created.',
    codeHint: '3-40 letters, digits, _ and -', valueFixedHint: 'Amount off in {currency}, e.g. 20.00', valuePercentHint: 'Percent off, e.g. 15',
    minSpendHint: 'In {currency}; leave empty for none', startsAt: 'Starts', endsAt: 'Ends', optional: 'Optional',
    usageLimit: 'Usage limit', perCustomerLimit: 'Per-customer limit', limitHint: 'Optional; a whole number',
    moneyInvalid: 'Enter an amount such as 20.00', percentInvalid: 'Enter a percentage from 0.01 to 100', countInvalid: 'Enter a whole number', dateInvalid: 'Enter a date and time',
  },
  'zh-CN': {
    title: '优惠券', code: '券码', kind: '类型', value: '面值', minSpend: '最低消费', window: '有效期', used: '已用 / 上限', status: '状态', actions: '操作',
    fixed: '满减金额', percentage: '折扣百分比', active: '生效中', disabled: '已停用', enable: '启用', disable: '停用',
    always: '长期有效', from: '{start} 起', until: '至 {end}', between: '{start} – {end}', unlimited: '不限', perCustomer: '每人 {n} 次',
    none: '还没有优惠券。', enabledOk: '优惠券 {code} 已启用。', disabledOk: '优惠券 {code} 已停用。',
    newCoupon: '创建新券', create: '创建优惠券', createdOk: '优惠券 {code} 已创建。',
    codeHint: '3-40 个字母、数字、_ 或 -', valueFixedHint: '减免金额（{currency}），例如 20.00', valuePercentHint: '优惠百分比，例如 15',
    minSpendHint: '单位 {currency}；不填表示无门槛', startsAt: '开始时间', endsAt: '结束时间', optional: '选填',
    usageLimit: '总使用次数', perCustomerLimit: '每人使用次数', limitHint: '选填，整数',
    moneyInvalid: '请输入金额，例如 20.00', percentInvalid: '请输入 0.01 到 100 之间的百分比', countInvalid: '请输入整数', dateInvalid: '请输入日期和时间',
  },
});

type Translate = (key: keyof (typeof messages)['en'], values?: Record<string, string | number>) => string;

interface Coupon {
  id: string;
  code: string;
  kind: 'fixed' | 'percentage';
  /** fixed: minor units of `currency`; percentage: basis points (1500 = 15 %). */
  value: number;
  currency: string | null;
  minSpend: number;
  startsAt: string | null;
  endsAt: string | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  usedCount: number;
  status: 'active' | 'disabled';
}

export function CouponsPage() {
  const t = useMessages(messages);
  const { api, can } = useSession();
  const coupons = useFetch(() => api<{ items: Coupon[] }>('GET', '/api/admin/coupons'), []);
  const platform = useFetch(() => api<{ defaultCurrency: string }>('GET', '/api/store/platform'), []);
  const [notice, setNotice] = useState('');
  const currency = platform.data?.defaultCurrency;

  function changed(message: string) {
    setNotice(message);
    coupons.reload();
  }

  return (
    <section>
      <h1>{t('title')}</h1>
      <p role="status" className="notice">{notice}</p>
      <Loaded fetched={coupons} isEmpty={(data) => data.items.length === 0} empty={t('none')}>
        {(data) => <CouponTable coupons={data.items} busy={coupons.loading} defaultCurrency={currency} canEdit={can('operator')} onChanged={changed} onStart={() => setNotice('')} />}
      </Loaded>
      {can('operator') && (
        <>
          <h2 id="new-coupon">{t('newCoupon')}</h2>
          <Loaded fetched={platform}>
            {(found) => <NewCouponForm currency={found.defaultCurrency} onCreated={changed} onStart={() => setNotice('')} />}
          </Loaded>
        </>
      )}
    </section>
  );
}

interface TableProps {
  coupons: Coupon[];
  busy: boolean;
  /** What a percentage coupon's minimum spend is counted in; unknown until the platform loads. */
  defaultCurrency: string | undefined;
  canEdit: boolean;
  onChanged(message: string): void;
  onStart(): void;
}

function CouponTable({ coupons, busy, defaultCurrency, canEdit, onChanged, onStart }: TableProps) {
  const t = useMessages(messages);
  const { api } = useSession();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function toggle(coupon: Coupon) {
    const status = coupon.status === 'active' ? 'disabled' : 'active';
    setPending(coupon.id);
    setError(null);
    onStart();
    try {
      await api('PATCH', `/api/admin/coupons/${encodeURIComponent(coupon.id)}`, { status });
      onChanged(t(status === 'active' ? 'enabledOk' : 'disabledOk', { code: coupon.code }));
    } catch (problem) {
      setError(asApiError(problem));
    } finally {
      setPending(null);
    }
  }

  return (
    <>
      <FormError error={error} />
      <div className="table-scroll">
        <table aria-busy={busy}>
          <thead>
            <tr>
              <th scope="col">{t('code')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col" className="num">{t('value')}</th>
              <th scope="col" className="num">{t('minSpend')}</th>
              <th scope="col">{t('window')}</th>
              <th scope="col" className="num">{t('used')}</th>
              <th scope="col">{t('status')}</th>
              {canEdit && <th scope="col">{t('actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {coupons.map((coupon) => (
              <CouponRow key={coupon.id} coupon={coupon} defaultCurrency={defaultCurrency} canEdit={canEdit} pending={pending === coupon.id} onToggle={() => void toggle(coupon)} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function CouponRow({ coupon, defaultCurrency, canEdit, pending, onToggle }: { coupon: Coupon; defaultCurrency: string | undefined; canEdit: boolean; pending: boolean; onToggle(): void }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const spendCurrency = coupon.currency ?? defaultCurrency;
  const codeId = `coupon-${coupon.id}`;
  return (
    <tr>
      <td id={codeId} className="mono nowrap">{coupon.code}</td>
      <td>{t(coupon.kind)}</td>
      <td className="num">{couponValue(coupon, locale)}</td>
      <td className="num">{coupon.minSpend === 0 ? '—' : spendCurrency ? formatMoney(coupon.minSpend, spendCurrency, locale) : coupon.minSpend}</td>
      <td>{couponWindow(coupon, locale, t)}</td>
      <td className="num">
        {coupon.usedCount} / {coupon.usageLimit ?? t('unlimited')}
        {coupon.perCustomerLimit !== null && <><br /><span className="muted">{t('perCustomer', { n: coupon.perCustomerLimit })}</span></>}
      </td>
      <td><StatusBadge status={coupon.status} label={t(coupon.status)} /></td>
      {canEdit && (
        <td>
          {/* The code cell describes the button, so "Disable" is heard with the coupon it acts on. */}
          <button type="button" className={coupon.status === 'active' ? 'danger' : 'secondary'} onClick={onToggle} disabled={pending} aria-describedby={codeId}>
            {coupon.status === 'active' ? t('disable') : t('enable')}
          </button>
        </td>
      )}
    </tr>
  );
}

function couponValue(coupon: Coupon, locale: Locale): string {
  if (coupon.kind === 'percentage') return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(coupon.value / 10_000);
  return coupon.currency ? formatMoney(coupon.value, coupon.currency, locale) : String(coupon.value);
}

function couponWindow(coupon: Coupon, locale: Locale, t: Translate): string {
  const start = coupon.startsAt && formatTime(coupon.startsAt, locale);
  const end = coupon.endsAt && formatTime(coupon.endsAt, locale);
  if (start && end) return t('between', { start, end });
  if (start) return t('from', { start });
  if (end) return t('until', { end });
  return t('always');
}

const EMPTY_FORM = { code: '', kind: 'fixed' as Coupon['kind'], value: '', minSpend: '', startsAt: '', endsAt: '', usageLimit: '', perCustomerLimit: '' };
type CouponForm = typeof EMPTY_FORM;

function NewCouponForm({ currency, onCreated, onStart }: { currency: string; onCreated(message: string): void; onStart(): void }) {
  const t = useMessages(messages);
  const { api } = useSession();
  const [form, setForm] = useState<CouponForm>(EMPTY_FORM);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof CouponForm) => (event: { target: { value: string } }) => setForm((current) => ({ ...current, [name]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const built = buildCoupon(form, currency, t);
    if (built instanceof ApiError) {
      setError(built);
      return;
    }
    setBusy(true);
    setError(null);
    onStart();
    try {
      const created = await api<Coupon>('POST', '/api/admin/coupons', built);
      setForm(EMPTY_FORM);
      onCreated(t('createdOk', { code: created.code }));
    } catch (problem) {
      setError(asApiError(problem));
    } finally {
      setBusy(false);
    }
  }

  const field = { error, autoComplete: 'off' };
  return (
    <form className="card grid" onSubmit={submit} noValidate aria-labelledby="new-coupon">
      <TextField id="coupon-code" name="code" label={t('code')} hint={t('codeHint')} value={form.code} onChange={set('code')} required {...field} />
      <SelectField id="coupon-kind" name="kind" label={t('kind')} value={form.kind} onChange={set('kind')} error={error}>
        <option value="fixed">{t('fixed')}</option>
        <option value="percentage">{t('percentage')}</option>
      </SelectField>
      <TextField id="coupon-value" name="value" label={t('value')} hint={form.kind === 'fixed' ? t('valueFixedHint', { currency }) : t('valuePercentHint')} value={form.value} onChange={set('value')} inputMode="decimal" required {...field} />
      <TextField id="coupon-min-spend" name="minSpend" label={t('minSpend')} hint={t('minSpendHint', { currency })} value={form.minSpend} onChange={set('minSpend')} inputMode="decimal" {...field} />
      <TextField id="coupon-starts" name="startsAt" type="datetime-local" label={t('startsAt')} hint={t('optional')} value={form.startsAt} onChange={set('startsAt')} {...field} />
      <TextField id="coupon-ends" name="endsAt" type="datetime-local" label={t('endsAt')} hint={t('optional')} value={form.endsAt} onChange={set('endsAt')} {...field} />
      <TextField id="coupon-usage-limit" name="usageLimit" label={t('usageLimit')} hint={t('limitHint')} value={form.usageLimit} onChange={set('usageLimit')} inputMode="numeric" {...field} />
      <TextField id="coupon-per-customer" name="perCustomerLimit" label={t('perCustomerLimit')} hint={t('limitHint')} value={form.perCustomerLimit} onChange={set('perCustomerLimit')} inputMode="numeric" {...field} />
      {error && !SHOWN_FIELDS.some((name) => error.fieldMessage(name)) && <FormError error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{t('create')}</button>
      </div>
    </form>
  );
}

const SHOWN_FIELDS = ['code', 'kind', 'value', 'minSpend', 'startsAt', 'endsAt', 'usageLimit', 'perCustomerLimit'];

/**
 * The request body from what was typed, or the typing mistakes as a problem shaped like the
 * server's, so both show beside their fields the same way.
 */
function buildCoupon(form: CouponForm, currency: string, t: Translate): Record<string, unknown> | ApiError {
  const errors: { path: string; message: string }[] = [];
  const wrong = (path: string, message: string) => errors.push({ path: `body.${path}`, message });

  if (!/^[A-Za-z0-9_-]{3,40}$/.test(form.code.trim())) wrong('code', t('codeHint'));
  const value = form.kind === 'fixed' ? parseMoney(form.value, currency) : parsePercent(form.value);
  if (Number.isNaN(value) || value <= 0) wrong('value', t(form.kind === 'fixed' ? 'moneyInvalid' : 'percentInvalid'));
  const minSpend = form.minSpend.trim() === '' ? 0 : parseMoney(form.minSpend, currency);
  if (Number.isNaN(minSpend)) wrong('minSpend', t('moneyInvalid'));
  const count = (name: 'usageLimit' | 'perCustomerLimit') => {
    const text = form[name].trim();
    if (text === '') return undefined;
    if (!/^\d{1,9}$/.test(text)) wrong(name, t('countInvalid'));
    return Number(text);
  };
  const instant = (name: 'startsAt' | 'endsAt') => {
    if (form[name] === '') return undefined;
    const date = new Date(form[name]);
    if (Number.isNaN(date.getTime())) wrong(name, t('dateInvalid'));
    else return date.toISOString();
    return undefined;
  };
  const body = {
    code: form.code.trim(),
    kind: form.kind,
    value,
    ...(form.kind === 'fixed' ? { currency } : {}),
    minSpend,
    startsAt: instant('startsAt'),
    endsAt: instant('endsAt'),
    usageLimit: count('usageLimit'),
    perCustomerLimit: count('perCustomerLimit'),
  };
  if (errors.length > 0) return new ApiError({ status: 400, code: 'validation_failed', detail: errors[0]!.message, errors });
  return body;
}

/** "15" or "12.5" percent in basis points (1500, 1250); NaN when it isn't a percentage. */
function parsePercent(text: string): number {
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text.trim())) return Number.NaN;
  const basisPoints = Math.round(Number(text.trim()) * 100);
  return basisPoints > 10_000 ? Number.NaN : basisPoints;
}
