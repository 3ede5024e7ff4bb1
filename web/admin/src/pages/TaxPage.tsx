import { useState, type FormEvent } from 'react';
import { ApiError, asApiError } from '../../../shared/http.ts';
import { formatMoney, minorDigits } from '../../../shared/money.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { BarChart } from '../components/BarChart.tsx';
import { FormError, TextField } from '../components/Field.tsx';
import { Loaded } from '../components/States.tsx';
import { defineMessages, useLocale, useMessages, type Locale } from '../i18n.tsx';
import { periodQuery, thisMonth, type Period } from '../period.ts';
import { useSession } from '../session.tsx';
import './orders.css';
import './shipping-tax.css';

const messages = defineMessages({
  en: {
    title: 'Tax', basis: 'Prices', includeTax: 'Catalog prices include tax', includeHint: 'On: tax is worked out of the price (usual in China). Off: tax is added at checkout.',
    basisSaved: 'Prices now include tax.', basisSavedNet: 'Tax is now added to prices at checkout.',
    confirmInclude: 'Treat catalog prices as including tax? Orders placed from now on are taxed out of the price.', confirmAdd: 'Add tax on top of catalog prices? Orders placed from now on cost more by their tax.',
    rates: 'Tax rates', ratesHint: 'A province rate wins over its country\'s. Shipping is taxed by the class "shipping".', noRates: 'No tax rates: orders carry no tax.',
    country: 'Country', countryHint: 'ISO code, e.g. CN', province: 'Province', provinceHint: 'Optional; empty for the whole country', taxClass: 'Tax class', taxClassHint: 'e.g. standard, reduced, shipping',
    rate: 'Rate', rateHint: 'Percent, e.g. 13 or 9.5', name: 'Name', actions: 'Actions', edit: 'Edit', save: 'Save', cancel: 'Cancel', delete: 'Delete', wholeCountry: 'whole country',
    newRate: 'New rate', addRate: 'Add rate', rateAdded: 'Rate {name} added.', rateSaved: 'Rate {name} saved.', rateDeleted: 'Rate {name} deleted.', confirmDelete: 'Delete rate {name}?',
    percentInvalid: 'A percentage from 0 to 100, e.g. 13 or 9.5', required: 'Required',
    report: 'Tax report', reportHint: 'Tax on orders paid in the period, per currency, class and rate.', from: 'From', through: 'To (included)', show: 'Show',
    orders: 'Orders', netSales: 'Sales', tax: 'Tax', total: 'Total {currency}', noTax: 'No taxed orders were paid in this period.', chart: 'Tax per class',
    readOnly: 'Only admins can change tax settings.',
  },
  'zh-CN': {
    title: '税费', basis: '价格', includeTax: '商品价格含税', includeHint: '开启：税额从售价中计算（国内常见）。关闭：结账时在价格之外加税。',
    basisSaved: '商品价格现在含税。', basisSavedNet: '结账时将在价格之外加税。',
    confirmInclude: '将商品价格视为含税？此后下的订单从售价中计税。', confirmAdd: '在商品价格之外加税？此后下的订单将加上税额。',
    rates: '税率', ratesHint: '省级税率优先于国家税率。运费按税类 “shipping” 计税。', noRates: '还没有税率：订单不计税。',
    country: '国家', countryHint: 'ISO 代码，例如 CN', province: '省份', provinceHint: '选填；不填表示全国', taxClass: '税类', taxClassHint: '例如 standard、reduced、shipping',
    rate: '税率', rateHint: '百分比，例如 13 或 9.5', name: '名称', actions: '操作', edit: '编辑', save: '保存', cancel: '取消', delete: '删除', wholeCountry: '全国',
    newRate: '新建税率', addRate: '添加税率', rateAdded: '税率 {name} 已添加。', rateSaved: '税率 {name} 已保存。', rateDeleted: '税率 {name} 已删除。', confirmDelete: '删除税率 {name}？',
    percentInvalid: '0 到 100 的百分比，例如 13 或 9.5', required: '必填',
    report: '税费报表', reportHint: '期间内已支付订单的税额，按币种、税类和税率汇总。', from: '开始日期', through: '结束日期（含）', show: '查看',
    orders: '订单数', netSales: '销售额', tax: '税额', total: '合计 {currency}', noTax: '这段时间没有计税的已付订单。', chart: '各税类税额',
    readOnly: '只有管理员可以修改税费设置。',
  },
});

type Translate = (key: keyof (typeof messages)['en'], values?: Record<string, string | number>) => string;

interface TaxRate {
  id: string;
  country: string;
  province: string | null;
  taxClass: string;
  /** Basis points: 1300 = 13 %. */
  rateBp: number;
  name: string;
}

interface TaxReport {
  rows: { currency: string; taxClass: string; rateBp: number; orders: number; netSales: number; tax: number }[];
  totals: { currency: string; netSales: number; tax: number }[];
}

export function TaxPage() {
  const t = useMessages(messages);
  const { can } = useSession();
  return (
    <section>
      <h1>{t('title')}</h1>
      {!can('admin') && <p className="hint">{t('readOnly')}</p>}
      <PricesIncludeTax />
      <RatesSection />
      <ReportSection />
    </section>
  );
}

/* ---------- The platform's tax basis ---------- */

function PricesIncludeTax() {
  const t = useMessages(messages);
  const { api, can } = useSession();
  const platform = useFetch(() => api<{ tax: { pricesIncludeTax: boolean } }>('GET', '/api/admin/platform'), [api]);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  async function change(pricesIncludeTax: boolean) {
    // It changes the total of every order placed from now on: asked once more.
    if (!window.confirm(t(pricesIncludeTax ? 'confirmInclude' : 'confirmAdd'))) return;
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      await api('PATCH', '/api/admin/platform', { tax: { pricesIncludeTax } });
      setNotice(t(pricesIncludeTax ? 'basisSaved' : 'basisSavedNet'));
      platform.reload();
    } catch (problem) {
      setError(asApiError(problem));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="section">
      <h2>{t('basis')}</h2>
      <Loaded fetched={platform}>
        {(data) => (
          <div className="card">
            <label>
              <input type="checkbox" role="switch" checked={data.tax.pricesIncludeTax} disabled={!can('admin') || busy || platform.loading}
                aria-describedby="prices-include-tax-hint" onChange={(event) => void change(event.target.checked)} /> {t('includeTax')}
            </label>
            <p className="hint" id="prices-include-tax-hint">{t('includeHint')}</p>
            <FormError error={error} />
            <p role="status" className="notice">{notice}</p>
          </div>
        )}
      </Loaded>
    </div>
  );
}

/* ---------- Rates ---------- */

/** "13" or "9.5" percent in basis points (1300, 950); NaN when it isn't a percentage. */
function parsePercent(text: string): number {
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text.trim())) return Number.NaN;
  const basisPoints = Math.round(Number(text.trim()) * 100);
  return basisPoints > 10_000 ? Number.NaN : basisPoints;
}

/** 950 → "9.5%" in the locale's way. */
function percent(basisPoints: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(basisPoints / 10_000);
}

function RatesSection() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api, can } = useSession();
  const rates = useFetch(() => api<{ items: TaxRate[] }>('GET', '/api/admin/tax/rates'), [api]);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const admin = can('admin');

  function changed(message: string) {
    setEditing(null);
    setNotice(message);
    rates.reload();
  }

  async function remove(rate: TaxRate) {
    if (!window.confirm(t('confirmDelete', { name: rate.name }))) return;
    setError(null);
    setNotice('');
    try {
      await api('DELETE', `/api/admin/tax/rates/${encodeURIComponent(rate.id)}`);
      changed(t('rateDeleted', { name: rate.name }));
    } catch (problem) {
      setError(asApiError(problem));
    }
  }

  return (
    <div className="section">
      <h2 id="tax-rates">{t('rates')}</h2>
      <p className="hint">{t('ratesHint')}</p>
      <p role="status" className="notice">{notice}</p>
      <FormError error={error} />
      <Loaded fetched={rates} isEmpty={(data) => data.items.length === 0} empty={t('noRates')}>
        {(data) => (
          <div className="table-scroll">
            <table aria-labelledby="tax-rates" aria-busy={rates.loading}>
              <thead>
                <tr>
                  <th scope="col">{t('country')}</th>
                  <th scope="col">{t('province')}</th>
                  <th scope="col">{t('taxClass')}</th>
                  <th scope="col" className="num">{t('rate')}</th>
                  <th scope="col">{t('name')}</th>
                  {admin && <th scope="col">{t('actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {data.items.map((rate) =>
                  editing === rate.id ? (
                    <RateEditRow key={rate.id} rate={rate} onCancel={() => setEditing(null)} onSaved={(saved) => changed(t('rateSaved', { name: saved.name }))} />
                  ) : (
                    <tr key={rate.id}>
                      <td className="mono">{rate.country}</td>
                      <td>{rate.province ?? <span className="muted">{t('wholeCountry')}</span>}</td>
                      <td className="mono">{rate.taxClass}</td>
                      <td className="num">{percent(rate.rateBp, locale)}</td>
                      <td id={`rate-${rate.id}`}>{rate.name}</td>
                      {admin && (
                        <td className="nowrap">
                          <button type="button" className="secondary" aria-describedby={`rate-${rate.id}`} onClick={() => setEditing(rate.id)}>{t('edit')}</button>{' '}
                          <button type="button" className="danger" aria-describedby={`rate-${rate.id}`} onClick={() => void remove(rate)}>{t('delete')}</button>
                        </td>
                      )}
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      {admin && (
        <>
          <h3 id="new-rate">{t('newRate')}</h3>
          <NewRateForm onAdded={(rate) => changed(t('rateAdded', { name: rate.name }))} />
        </>
      )}
    </div>
  );
}

function RateEditRow({ rate, onCancel, onSaved }: { rate: TaxRate; onCancel(): void; onSaved(rate: TaxRate): void }) {
  const t = useMessages(messages);
  const { api } = useSession();
  const [rateText, setRateText] = useState(String(rate.rateBp / 100));
  const [name, setName] = useState(rate.name);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    const rateBp = parsePercent(rateText);
    if (Number.isNaN(rateBp)) return setError(new ApiError({ status: 400, code: 'validation_failed', detail: t('percentInvalid') }));
    if (!name.trim()) return setError(new ApiError({ status: 400, code: 'validation_failed', detail: t('required') }));
    setBusy(true);
    setError(null);
    try {
      onSaved(await api<TaxRate>('PATCH', `/api/admin/tax/rates/${encodeURIComponent(rate.id)}`, { rateBp, name: name.trim() }));
    } catch (problem) {
      setError(asApiError(problem));
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr>
      <td className="mono">{rate.country}</td>
      <td>{rate.province ?? t('wholeCountry')}</td>
      <td className="mono">{rate.taxClass}</td>
      <td className="num">
        <label htmlFor={`rate-${rate.id}-rate`} className="sr-only">{t('rate')}</label>
        <input id={`rate-${rate.id}-rate`} className="inline-input" size={6} inputMode="decimal" value={rateText} onChange={(e) => setRateText(e.target.value)} />%
      </td>
      <td>
        <label htmlFor={`rate-${rate.id}-name`} className="sr-only">{t('name')}</label>
        <input id={`rate-${rate.id}-name`} className="inline-input" maxLength={60} value={name} onChange={(e) => setName(e.target.value)} />
        <FormError error={error} />
      </td>
      <td className="nowrap">
        <button type="button" className="primary" disabled={busy} onClick={() => void save()}>{t('save')}</button>{' '}
        <button type="button" className="secondary" onClick={onCancel}>{t('cancel')}</button>
      </td>
    </tr>
  );
}

const EMPTY_RATE = { country: 'CN', province: '', taxClass: 'standard', rate: '', name: '' };

function NewRateForm({ onAdded }: { onAdded(rate: TaxRate): void }) {
  const t = useMessages(messages);
  const { api } = useSession();
  const [form, setForm] = useState(EMPTY_RATE);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof EMPTY_RATE) => (event: { target: { value: string } }) => setForm((current) => ({ ...current, [name]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const rateBp = parsePercent(form.rate);
    const errors = [
      ...(Number.isNaN(rateBp) ? [{ path: 'body.rateBp', message: t('percentInvalid') }] : []),
      ...(form.name.trim() ? [] : [{ path: 'body.name', message: t('required') }]),
    ];
    if (errors.length > 0) return setError(new ApiError({ status: 400, code: 'validation_failed', detail: errors[0]!.message, errors }));
    setBusy(true);
    setError(null);
    try {
      const created = await api<TaxRate>('POST', '/api/admin/tax/rates', {
        country: form.country.trim().toUpperCase(),
        ...(form.province.trim() ? { province: form.province.trim() } : {}),
        taxClass: form.taxClass.trim(),
        rateBp,
        name: form.name.trim(),
      });
      setForm(EMPTY_RATE);
      onAdded(created);
    } catch (problem) {
      // tax_rate_exists (409): the region has that class's rate already; the message says so.
      setError(asApiError(problem));
    } finally {
      setBusy(false);
    }
  }

  const field = { error, autoComplete: 'off' };
  return (
    <form className="card grid" onSubmit={submit} noValidate aria-labelledby="new-rate">
      <TextField id="rate-country" name="country" label={t('country')} hint={t('countryHint')} value={form.country} onChange={set('country')} maxLength={2} {...field} />
      <TextField id="rate-province" name="province" label={t('province')} hint={t('provinceHint')} value={form.province} onChange={set('province')} maxLength={100} {...field} />
      <TextField id="rate-class" name="taxClass" label={t('taxClass')} hint={t('taxClassHint')} value={form.taxClass} onChange={set('taxClass')} maxLength={32} {...field} />
      <TextField id="rate-rate" name="rateBp" label={t('rate')} hint={t('rateHint')} value={form.rate} onChange={set('rate')} inputMode="decimal" {...field} />
      <TextField id="rate-name" name="name" label={t('name')} value={form.name} onChange={set('name')} maxLength={60} {...field} />
      {error && !['country', 'province', 'taxClass', 'rateBp', 'name'].some((name) => error.fieldMessage(name)) && <FormError error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{t('addRate')}</button>
      </div>
    </form>
  );
}

/* ---------- Report ---------- */

function ReportSection() {
  const t = useMessages(messages);
  const { api } = useSession();
  const [typed, setTyped] = useState<Period>(thisMonth);
  const [period, setPeriod] = useState<Period>(typed);
  const report = useFetch(() => api<TaxReport>('GET', `/api/admin/tax/report?${periodQuery(period).toString()}`), [api, period]);

  function show(event: FormEvent) {
    event.preventDefault();
    setPeriod(typed);
  }

  return (
    <div className="section">
      <h2 id="tax-report">{t('report')}</h2>
      <p className="hint">{t('reportHint')}</p>
      <form className="filters" onSubmit={show} aria-labelledby="tax-report">
        <TextField id="report-from" type="date" label={t('from')} value={typed.from} onChange={(e) => setTyped({ ...typed, from: e.target.value })} required />
        <TextField id="report-through" type="date" label={t('through')} value={typed.through} onChange={(e) => setTyped({ ...typed, through: e.target.value })} required />
        <button type="submit" className="secondary">{t('show')}</button>
      </form>
      <Loaded fetched={report} isEmpty={(data) => data.rows.length === 0} empty={t('noTax')}>
        {(data) => <ReportTable report={data} busy={report.loading} t={t} />}
      </Loaded>
    </div>
  );
}

function ReportTable({ report, busy, t }: { report: TaxReport; busy: boolean; t: Translate }) {
  const { locale } = useLocale();
  const money = (amount: number, currency: string) => formatMoney(amount, currency, locale);
  const currencies = report.totals.map((total) => total.currency);
  // One bar per class (and currency, when there are several), in major units so the axis reads as money.
  const perClass = new Map<string, { label: string; value: number; currency: string; tax: number }>();
  for (const row of report.rows) {
    const label = currencies.length > 1 ? `${row.taxClass} (${row.currency})` : row.taxClass;
    const bar = perClass.get(label) ?? { label, value: 0, currency: row.currency, tax: 0 };
    bar.tax += row.tax;
    bar.value = bar.tax / 10 ** minorDigits(row.currency);
    perClass.set(label, bar);
  }
  const bars = [...perClass.values()].map((bar) => ({ label: bar.label, value: bar.value, description: `${bar.label}: ${money(bar.tax, bar.currency)}` }));

  return (
    <>
      <div className="table-scroll">
        <table aria-labelledby="tax-report" aria-busy={busy}>
          <thead>
            <tr>
              <th scope="col">{t('taxClass')}</th>
              <th scope="col" className="num">{t('rate')}</th>
              <th scope="col" className="num">{t('orders')}</th>
              <th scope="col" className="num">{t('netSales')}</th>
              <th scope="col" className="num">{t('tax')}</th>
            </tr>
          </thead>
          {currencies.map((currency) => {
            const total = report.totals.find((candidate) => candidate.currency === currency)!;
            return (
              <tbody key={currency}>
                {report.rows.filter((row) => row.currency === currency).map((row) => (
                  <tr key={`${row.taxClass}-${row.rateBp}`}>
                    <td className="mono">{row.taxClass}</td>
                    <td className="num">{percent(row.rateBp, locale)}</td>
                    <td className="num">{row.orders}</td>
                    <td className="num">{money(row.netSales, currency)}</td>
                    <td className="num">{money(row.tax, currency)}</td>
                  </tr>
                ))}
                <tr className="totals-row">
                  <th scope="row" colSpan={3}>{t('total', { currency })}</th>
                  <td className="num">{money(total.netSales, currency)}</td>
                  <td className="num">{money(total.tax, currency)}</td>
                </tr>
              </tbody>
            );
          })}
        </table>
      </div>
      <h3>{t('chart')}</h3>
      <BarChart bars={bars} title={t('chart')} />
    </>
  );
}
