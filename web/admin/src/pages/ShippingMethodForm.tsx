import { useState, type FormEvent } from 'react';
import { ApiError, asApiError } from '../../../shared/http.ts';
import { formatMoney, moneyInput, parseMoney } from '../../../shared/money.ts';
import { FormError, SelectField, TextField } from '../components/Field.tsx';
import { defineMessages, pickText, useLocale, useMessages, type Locale } from '../i18n.tsx';
import { useSession } from '../session.tsx';

const messages = defineMessages({
  en: {
    nameZh: 'Name (Chinese)', nameEn: 'Name (English)', kind: 'Kind', carrier: 'Carrier', carrierHint: 'Required for a carrier method, e.g. sf',
    standard: 'Standard', express: 'Express', carrierKind: 'Carrier', pickup: 'Pickup',
    currency: 'Currency', rateType: 'Rate', flat: 'Flat rate', weight: 'By weight (first + additional)', item_count: 'By item count',
    amount: 'Amount', firstGrams: 'First weight (g)', firstAmount: 'First weight price', stepGrams: 'Additional step (g)', stepAmount: 'Price per step',
    firstItem: 'First item', additionalItem: 'Each further item', freeOver: 'Free over', freeOverHint: 'Goods total for free shipping; empty for never',
    minDays: 'Delivery from (days)', maxDays: 'Delivery to (days)', status: 'Status', active: 'Active', disabled: 'Disabled',
    profiles: 'Carries', allProfiles: 'Every profile (leave all unticked)', surcharge: 'Surcharge per unit: {profile}', surchargeHint: 'Optional, in {currency}',
    create: 'Add method', save: 'Save method', cancel: 'Cancel', general: 'General goods',
    moneyInvalid: 'Enter an amount such as {example}', gramsInvalid: 'Whole grams, at least 1', daysInvalid: 'Whole days, 0 to 365', required: 'Required',
    rateFlat: 'Flat {amount}', rateWeight: 'First {first} {firstAmount}, then {stepAmount}/{step}', rateItems: 'First item {first}, then {additional} each',
  },
  'zh-CN': {
    nameZh: '名称（中文）', nameEn: '名称（英文）', kind: '类型', carrier: '承运商', carrierHint: '承运商类型必填，例如 sf',
    standard: '普通快递', express: '加急', carrierKind: '指定承运商', pickup: '自提',
    currency: '币种', rateType: '计费方式', flat: '固定运费', weight: '按重量（首重 + 续重）', item_count: '按件数',
    amount: '运费', firstGrams: '首重（克）', firstAmount: '首重价格', stepGrams: '续重单位（克）', stepAmount: '续重价格',
    firstItem: '首件', additionalItem: '续件（每件）', freeOver: '满额包邮', freeOverHint: '商品金额达到即包邮；不填表示不包邮',
    minDays: '最快送达（天）', maxDays: '最慢送达（天）', status: '状态', active: '启用', disabled: '停用',
    profiles: '可配送', allProfiles: '全部运费模板（都不勾选）', surcharge: '每件附加费：{profile}', surchargeHint: '选填，单位 {currency}',
    create: '添加配送方式', save: '保存配送方式', cancel: '取消', general: '普通商品',
    moneyInvalid: '请输入金额，例如 {example}', gramsInvalid: '整数克，至少 1', daysInvalid: '0 到 365 的整数天', required: '必填',
    rateFlat: '运费 {amount}', rateWeight: '首重 {first} {firstAmount}，续重 {stepAmount}/{step}', rateItems: '首件 {first}，续件 {additional}/件',
  },
});

type Translate = (key: keyof (typeof messages)['en'], values?: Record<string, string | number>) => string;

export type ShippingRate =
  | { type: 'flat'; amount: number }
  | { type: 'weight'; firstGrams: number; firstAmount: number; stepGrams: number; stepAmount: number }
  | { type: 'item_count'; firstAmount: number; additionalAmount: number };

export interface ShippingMethod {
  id: string;
  zoneId: string;
  name: Record<string, string>;
  kind: 'standard' | 'express' | 'carrier' | 'pickup';
  carrier: string | null;
  currency: string;
  rate: ShippingRate;
  freeOver: number | null;
  profiles: string[] | null;
  surcharges: Record<string, number>;
  minDays: number;
  maxDays: number;
  status: 'active' | 'disabled';
  position: number;
}

export interface ShippingProfile {
  code: string;
  name: Record<string, string>;
  requiresShipping: boolean;
}

export const GENERAL_PROFILE = 'general';
const KINDS = ['standard', 'express', 'carrier', 'pickup'] as const;

/** "首重 1kg ¥8.00，续重 ¥4.00/kg": what the method charges, in a line. */
export function useRateSummary(): (method: Pick<ShippingMethod, 'rate' | 'currency'>) => string {
  const t = useMessages(messages);
  const { locale } = useLocale();
  return (method) => rateSummary(method.rate, method.currency, locale, t);
}

function rateSummary(rate: ShippingRate, currency: string, locale: Locale, t: Translate): string {
  const money = (amount: number) => formatMoney(amount, currency, locale);
  switch (rate.type) {
    case 'flat':
      return t('rateFlat', { amount: money(rate.amount) });
    case 'weight':
      return t('rateWeight', { first: weight(rate.firstGrams), firstAmount: money(rate.firstAmount), stepAmount: money(rate.stepAmount), step: rate.stepGrams === 1000 ? 'kg' : weight(rate.stepGrams) });
    case 'item_count':
      return t('rateItems', { first: money(rate.firstAmount), additional: money(rate.additionalAmount) });
  }
}

/** 1000 → "1kg", 500 → "500g", 1500 → "1.5kg". */
function weight(grams: number): string {
  return grams >= 1000 ? `${grams / 1000}kg` : `${grams}g`;
}

/** The form as typed: money as decimals, grams and days as digits. */
interface MethodDraft {
  nameZh: string;
  nameEn: string;
  kind: ShippingMethod['kind'];
  carrier: string;
  currency: string;
  rateType: ShippingRate['type'];
  amount: string;
  firstGrams: string;
  firstAmount: string;
  stepGrams: string;
  stepAmount: string;
  additionalAmount: string;
  freeOver: string;
  profiles: string[];
  surcharges: Record<string, string>;
  minDays: string;
  maxDays: string;
  status: ShippingMethod['status'];
}

function draftOf(method: ShippingMethod | null, currency: string): MethodDraft {
  if (!method) {
    return {
      nameZh: '', nameEn: '', kind: 'standard', carrier: '', currency, rateType: 'weight', amount: '', firstGrams: '1000', firstAmount: '', stepGrams: '1000', stepAmount: '',
      additionalAmount: '', freeOver: '', profiles: [], surcharges: {}, minDays: '2', maxDays: '4', status: 'active',
    };
  }
  const money = (amount: number) => moneyInput(amount, method.currency);
  const rate = method.rate;
  return {
    nameZh: method.name['zh-CN'] ?? '',
    nameEn: method.name.en ?? '',
    kind: method.kind,
    carrier: method.carrier ?? '',
    currency: method.currency,
    rateType: rate.type,
    amount: rate.type === 'flat' ? money(rate.amount) : '',
    firstGrams: rate.type === 'weight' ? String(rate.firstGrams) : '1000',
    firstAmount: rate.type === 'flat' ? '' : money(rate.firstAmount),
    stepGrams: rate.type === 'weight' ? String(rate.stepGrams) : '1000',
    stepAmount: rate.type === 'weight' ? money(rate.stepAmount) : '',
    additionalAmount: rate.type === 'item_count' ? money(rate.additionalAmount) : '',
    freeOver: method.freeOver === null ? '' : money(method.freeOver),
    profiles: method.profiles ?? [],
    surcharges: Object.fromEntries(Object.entries(method.surcharges).map(([code, amount]) => [code, money(amount)])),
    minDays: String(method.minDays),
    maxDays: String(method.maxDays),
    status: method.status,
  };
}

/** The request body, or the typing mistakes as a problem shaped like the server's. */
function bodyOf(draft: MethodDraft, t: Translate): Record<string, unknown> | ApiError {
  const errors: { path: string; message: string }[] = [];
  const wrong = (path: string, message: string) => errors.push({ path: `body.${path}`, message });
  const example = moneyInput(800, draft.currency);
  const money = (path: string, text: string) => {
    const amount = parseMoney(text, draft.currency);
    if (Number.isNaN(amount)) wrong(path, t('moneyInvalid', { example }));
    return amount;
  };
  const whole = (path: string, text: string, min: number, max: number, message: string) => {
    const value = /^\d{1,8}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
    if (!(value >= min && value <= max)) wrong(path, message);
    return value;
  };

  const name = Object.fromEntries([['zh-CN', draft.nameZh.trim()], ['en', draft.nameEn.trim()]].filter(([, text]) => text));
  if (Object.keys(name).length === 0) wrong('name', t('required'));
  let rate: ShippingRate;
  if (draft.rateType === 'flat') rate = { type: 'flat', amount: money('rate.amount', draft.amount) };
  else if (draft.rateType === 'weight') {
    rate = {
      type: 'weight',
      firstGrams: whole('rate.firstGrams', draft.firstGrams, 1, 10_000_000, t('gramsInvalid')),
      firstAmount: money('rate.firstAmount', draft.firstAmount),
      stepGrams: whole('rate.stepGrams', draft.stepGrams, 1, 10_000_000, t('gramsInvalid')),
      stepAmount: money('rate.stepAmount', draft.stepAmount),
    };
  } else rate = { type: 'item_count', firstAmount: money('rate.firstAmount', draft.firstAmount), additionalAmount: money('rate.additionalAmount', draft.additionalAmount) };
  const surcharges = Object.fromEntries(
    Object.entries(draft.surcharges).filter(([, text]) => text.trim() !== '').map(([code, text]) => [code, money(`surcharges.${code}`, text)]),
  );
  const body = {
    name,
    kind: draft.kind,
    carrier: draft.carrier.trim() || null,
    currency: draft.currency,
    rate,
    freeOver: draft.freeOver.trim() === '' ? null : money('freeOver', draft.freeOver),
    profiles: draft.profiles.length > 0 ? draft.profiles : null,
    surcharges,
    minDays: whole('minDays', draft.minDays, 0, 365, t('daysInvalid')),
    maxDays: whole('maxDays', draft.maxDays, 0, 365, t('daysInvalid')),
    status: draft.status,
  };
  if (errors.length > 0) return new ApiError({ status: 400, code: 'validation_failed', detail: errors[0]!.message, errors });
  return body;
}

const SHOWN = ['name', 'kind', 'carrier', 'currency', 'rate.amount', 'rate.firstGrams', 'rate.firstAmount', 'rate.stepGrams', 'rate.stepAmount', 'rate.additionalAmount', 'freeOver', 'minDays', 'maxDays'];

interface FormProps {
  zoneId: string;
  /** The method edited, or null for a new one. */
  method: ShippingMethod | null;
  currencies: string[];
  profiles: ShippingProfile[];
  onSaved(method: ShippingMethod): void;
  onCancel(): void;
}

/** Adds a method to a zone (POST) or changes one (PATCH with every field). */
export function ShippingMethodForm({ zoneId, method, currencies, profiles, onSaved, onCancel }: FormProps) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api } = useSession();
  const [draft, setDraft] = useState(() => draftOf(method, currencies[0]!));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof MethodDraft) => (event: { target: { value: string } }) => setDraft((current) => ({ ...current, [name]: event.target.value }));
  const id = (name: string) => `method-${method?.id ?? `new-${zoneId}`}-${name}`;
  const profileChoices = [{ code: GENERAL_PROFILE, name: { en: t('general'), 'zh-CN': t('general') } }, ...profiles];

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = bodyOf(draft, t);
    if (body instanceof ApiError) return setError(body);
    setBusy(true);
    setError(null);
    try {
      const saved = method
        ? await api<ShippingMethod>('PATCH', `/api/admin/shipping/methods/${encodeURIComponent(method.id)}`, body)
        : await api<ShippingMethod>('POST', `/api/admin/shipping/zones/${encodeURIComponent(zoneId)}/methods`, body);
      onSaved(saved);
    } catch (problem) {
      setError(asApiError(problem));
    } finally {
      setBusy(false);
    }
  }

  function toggleProfile(code: string, on: boolean) {
    setDraft((current) => ({ ...current, profiles: on ? [...current.profiles, code] : current.profiles.filter((candidate) => candidate !== code) }));
  }

  const money = { inputMode: 'decimal' as const, autoComplete: 'off', error, placeholder: moneyInput(0, draft.currency) };
  return (
    <form className="card grid" onSubmit={submit} noValidate aria-label={method ? t('save') : t('create')}>
      <TextField id={id('name-zh')} name="nameZh" errorPath="name" label={t('nameZh')} value={draft.nameZh} onChange={set('nameZh')} maxLength={100} error={error} lang="zh-CN" />
      <TextField id={id('name-en')} name="nameEn" errorPath="name" label={t('nameEn')} value={draft.nameEn} onChange={set('nameEn')} maxLength={100} error={error} lang="en" />
      <SelectField id={id('kind')} name="kind" label={t('kind')} value={draft.kind} onChange={set('kind')} error={error}>
        {KINDS.map((kind) => <option key={kind} value={kind}>{t(kind === 'carrier' ? 'carrierKind' : kind)}</option>)}
      </SelectField>
      <TextField id={id('carrier')} name="carrier" label={t('carrier')} hint={t('carrierHint')} value={draft.carrier} onChange={set('carrier')} maxLength={60} autoComplete="off" error={error} />
      <SelectField id={id('currency')} name="currency" label={t('currency')} value={draft.currency} onChange={set('currency')} error={error}>
        {currencies.map((currency) => <option key={currency} value={currency}>{currency}</option>)}
      </SelectField>
      <SelectField id={id('rate-type')} name="rateType" label={t('rateType')} value={draft.rateType} onChange={set('rateType')} error={error}>
        <option value="weight">{t('weight')}</option>
        <option value="flat">{t('flat')}</option>
        <option value="item_count">{t('item_count')}</option>
      </SelectField>
      {draft.rateType === 'flat' && <TextField id={id('amount')} name="rate.amount" label={t('amount')} value={draft.amount} onChange={set('amount')} {...money} />}
      {draft.rateType === 'weight' && (
        <>
          <TextField id={id('first-grams')} name="rate.firstGrams" label={t('firstGrams')} value={draft.firstGrams} onChange={set('firstGrams')} inputMode="numeric" autoComplete="off" error={error} />
          <TextField id={id('first-amount')} name="rate.firstAmount" label={t('firstAmount')} value={draft.firstAmount} onChange={set('firstAmount')} {...money} />
          <TextField id={id('step-grams')} name="rate.stepGrams" label={t('stepGrams')} value={draft.stepGrams} onChange={set('stepGrams')} inputMode="numeric" autoComplete="off" error={error} />
          <TextField id={id('step-amount')} name="rate.stepAmount" label={t('stepAmount')} value={draft.stepAmount} onChange={set('stepAmount')} {...money} />
        </>
      )}
      {draft.rateType === 'item_count' && (
        <>
          <TextField id={id('first-item')} name="rate.firstAmount" label={t('firstItem')} value={draft.firstAmount} onChange={set('firstAmount')} {...money} />
          <TextField id={id('additional-item')} name="rate.additionalAmount" label={t('additionalItem')} value={draft.additionalAmount} onChange={set('additionalAmount')} {...money} />
        </>
      )}
      <TextField id={id('free-over')} name="freeOver" label={t('freeOver')} hint={t('freeOverHint')} value={draft.freeOver} onChange={set('freeOver')} {...money} />
      <TextField id={id('min-days')} name="minDays" label={t('minDays')} value={draft.minDays} onChange={set('minDays')} inputMode="numeric" autoComplete="off" error={error} />
      <TextField id={id('max-days')} name="maxDays" label={t('maxDays')} value={draft.maxDays} onChange={set('maxDays')} inputMode="numeric" autoComplete="off" error={error} />
      <SelectField id={id('status')} name="status" label={t('status')} value={draft.status} onChange={set('status')} error={error}>
        <option value="active">{t('active')}</option>
        <option value="disabled">{t('disabled')}</option>
      </SelectField>
      <fieldset className="checks" style={{ gridColumn: '1 / -1' }}>
        <legend>{t('profiles')}</legend>
        <span className="hint">{t('allProfiles')}</span>
        {profileChoices.map((profile) => (
          <label key={profile.code} className="nowrap">
            <input type="checkbox" checked={draft.profiles.includes(profile.code)} onChange={(event) => toggleProfile(profile.code, event.target.checked)} /> {pickText(profile.name, locale)} <span className="mono muted">{profile.code}</span>
          </label>
        ))}
      </fieldset>
      {profileChoices.map((profile) => (
        <TextField key={profile.code} id={id(`surcharge-${profile.code}`)} name={`surcharges.${profile.code}`} label={t('surcharge', { profile: pickText(profile.name, locale) })} hint={t('surchargeHint', { currency: draft.currency })}
          value={draft.surcharges[profile.code] ?? ''} onChange={(event) => setDraft((current) => ({ ...current, surcharges: { ...current.surcharges, [profile.code]: event.target.value } }))} {...money} />
      ))}
      {error && !SHOWN.some((name) => error.fieldMessage(name)) && <FormError error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{method ? t('save') : t('create')}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t('cancel')}</button>
      </div>
    </form>
  );
}
