import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../../shared/http.ts';
import { formatMoney, parseMoney } from '../../../shared/money.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, SelectField, TextField } from '../components/Field.tsx';
import { Loaded, StatusBadge } from '../components/States.tsx';
import { defineMessages, pickText, useLocale, useMessages, type Locale } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import './flash.css';

export const flashMessages = defineMessages({
  en: {
    heading: 'Flash sales', none: 'No flash sales yet.', caption: 'Flash sales, newest first', product: 'Product', sku: 'SKU', price: 'Flash price',
    quantity: 'Quantity', window: 'Window', phase: 'Phase', upcoming: 'Upcoming', live: 'Live', ended: 'Ended', watch: 'Watch live',
    between: '{start} – {end}', newSale: 'New flash sale', create: 'Create flash sale', createdOk: 'Flash sale for {sku} created.',
    search: 'Product search', searchHint: 'Active products only; type part of a title or SKU', matches: 'Matching product', noMatches: 'No active product matches',
    searching: 'Searching…', variant: 'Variant', chooseProduct: 'Choose a product first', loadingVariants: 'Loading variants…', variantOption: '{sku} · {options} · {price} · {available} available',
    priceHint: 'In {currency}, e.g. 99.00; regular price {regular}', priceHintPlain: 'In {currency}, e.g. 99.00',
    limit: 'Limit per customer', startsAt: 'Starts at', endsAt: 'Ends at', paymentMinutes: 'Payment minutes', paymentHint: 'Unpaid orders are cancelled after this and the unit goes back on sale',
    quantityHint: 'Units set aside from stock for the sale', moneyInvalid: 'Enter an amount such as 99.00', countInvalid: 'Enter a whole number from {min} to {max}',
    dateInvalid: 'Enter a date and time', variantMissing: 'Choose a variant', endsBeforeStart: 'Must be after the start', noPrice: 'no regular price',
  },
  'zh-CN': {
    heading: '秒杀', none: '还没有秒杀活动。', caption: '秒杀活动，最新的在前', product: '商品', sku: 'SKU', price: '秒杀价',
    quantity: '数量', window: '活动时间', phase: '阶段', upcoming: '未开始', live: '进行中', ended: '已结束', watch: '实时查看',
    between: '{start} – {end}', newSale: '新建秒杀', create: '创建秒杀', createdOk: '{sku} 的秒杀已创建。',
    search: '搜索商品', searchHint: '仅限在售商品；输入标题或 SKU 的一部分', matches: '匹配的商品', noMatches: '没有匹配的在售商品',
    searching: '搜索中…', variant: '规格', chooseProduct: '请先选择商品', loadingVariants: '正在加载规格…', variantOption: '{sku} · {options} · {price} · 可用 {available}',
    priceHint: '单位 {currency}，例如 99.00；原价 {regular}', priceHintPlain: '单位 {currency}，例如 99.00',
    limit: '每人限购', startsAt: '开始时间', endsAt: '结束时间', paymentMinutes: '付款时限（分钟）', paymentHint: '超时未付款的订单会被取消，名额重新开放',
    quantityHint: '从库存中为秒杀预留的数量', moneyInvalid: '请输入金额，例如 99.00', countInvalid: '请输入 {min} 到 {max} 之间的整数',
    dateInvalid: '请输入日期和时间', variantMissing: '请选择规格', endsBeforeStart: '必须晚于开始时间', noPrice: '无原价',
  },
});

type Translate = (key: keyof (typeof flashMessages)['en'], values?: Record<string, string | number>) => string;

export type SalePhase = 'upcoming' | 'live' | 'ended';

export interface FlashSale {
  id: string;
  productId: string;
  variantId: string;
  sku: string;
  optionValues: Record<string, string>;
  title: Record<string, string>;
  /** Minor units of `currency`. */
  price: number;
  currency: string;
  quantity: number;
  perCustomerLimit: number;
  paymentMinutes: number;
  startsAt: string;
  endsAt: string;
  phase: SalePhase;
  status: string;
}

/** Flash sales: the list, each linking to its live view, and the form for a new one. */
export function FlashSalesPage() {
  const t = useMessages(flashMessages);
  const { api, can } = useSession();
  const sales = useFetch(() => api<{ items: FlashSale[] }>('GET', '/api/admin/flash-sales'), [api]);
  const [notice, setNotice] = useState<{ text: string; saleId: string } | null>(null);

  function created(sale: FlashSale) {
    setNotice({ text: t('createdOk', { sku: sale.sku }), saleId: sale.id });
    sales.reload();
  }

  return (
    <section className="flash-admin" aria-labelledby="flash-heading">
      <div className="toolbar">
        <h1 id="flash-heading" className="flash-heading">{t('heading')}</h1>
        <span className="spacer" />
        {can('operator') && <a href="#new-flash-sale" className="primary flash-button-link">{t('newSale')}</a>}
      </div>
      <p role="status" className="flash-notice">
        {notice && <>{notice.text} <Link to={`/flash-sales/${notice.saleId}`}>{t('watch')}</Link></>}
      </p>
      <Loaded fetched={sales} isEmpty={(data) => data.items.length === 0} empty={t('none')}>
        {(data) => <SaleTable sales={data.items} busy={sales.loading} />}
      </Loaded>
      {can('operator') && (
        <>
          <h2 id="new-flash-sale" tabIndex={-1}>{t('newSale')}</h2>
          <NewSaleForm onCreated={created} onStart={() => setNotice(null)} />
        </>
      )}
    </section>
  );
}

function SaleTable({ sales, busy }: { sales: FlashSale[]; busy: boolean }) {
  const t = useMessages(flashMessages);
  const { locale } = useLocale();
  return (
    <div className="flash-scroll">
      <table aria-busy={busy}>
        <caption className="flash-sr-only">{t('caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('product')}</th>
            <th scope="col">{t('sku')}</th>
            <th scope="col" className="num">{t('price')}</th>
            <th scope="col" className="num">{t('quantity')}</th>
            <th scope="col">{t('window')}</th>
            <th scope="col">{t('phase')}</th>
          </tr>
        </thead>
        <tbody>
          {sales.map((sale) => (
            <tr key={sale.id}>
              <td><Link to={`/flash-sales/${sale.id}`}>{pickText(sale.title, locale)}</Link></td>
              <td className="code">{sale.sku}</td>
              <td className="num">{formatMoney(sale.price, sale.currency, locale)}</td>
              <td className="num">{sale.quantity}</td>
              <td>{t('between', { start: formatTime(sale.startsAt, locale), end: formatTime(sale.endsAt, locale) })}</td>
              <td><PhaseBadge phase={sale.phase} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PhaseBadge({ phase }: { phase: SalePhase }) {
  const t = useMessages(flashMessages);
  return <StatusBadge status={`flash-${phase}`} label={t(phase)} />;
}

export function formatTime(iso: string, locale: Locale): string {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}

interface ProductSummary {
  id: string;
  title: Record<string, string>;
}

interface ProductDetail {
  id: string;
  title: Record<string, string>;
  variants: { id: string; sku: string; optionValues: Record<string, string>; prices: { currency: string; amount: number }[]; stock: { available: number } }[];
}

/** A datetime-local value (local wall time, minutes) for `date`. */
function localInput(date: Date): string {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

function emptyForm() {
  // A sensible default window: from the next whole ten minutes, for an hour.
  const start = new Date(Math.ceil((Date.now() + 60_000) / 600_000) * 600_000);
  return { query: '', productId: '', variantId: '', price: '', quantity: '', perCustomerLimit: '1', startsAt: localInput(start), endsAt: localInput(new Date(start.getTime() + 3_600_000)), paymentMinutes: '5' };
}
type SaleForm = ReturnType<typeof emptyForm>;

const SEARCH_DELAY_MS = 300;

function NewSaleForm({ onCreated, onStart }: { onCreated(sale: FlashSale): void; onStart(): void }) {
  const t = useMessages(flashMessages);
  const { locale } = useLocale();
  const { api } = useSession();
  const platform = useFetch(() => api<{ defaultCurrency: string }>('GET', '/api/store/platform'), [api]);
  const [form, setForm] = useState<SaleForm>(emptyForm);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof SaleForm) => (event: { target: { value: string } }) => setForm((current) => ({ ...current, [name]: event.target.value }));

  const query = useDebounced(form.query.trim(), SEARCH_DELAY_MS);
  const products = useFetch(
    () => api<{ items: ProductSummary[] }>('GET', `/api/admin/products?${new URLSearchParams({ status: 'active', limit: '20', ...(query ? { q: query } : {}) })}`),
    [api, query],
  );
  // The first match is taken until staff pick another, so searching then choosing a variant is enough.
  const productId = products.data?.items.some((p) => p.id === form.productId) ? form.productId : products.data?.items[0]?.id ?? '';
  const product = useFetch(
    () => (productId ? api<ProductDetail>('GET', `/api/admin/products/${encodeURIComponent(productId)}`) : Promise.resolve(null)),
    [api, productId],
  );
  const variants = product.data?.id === productId ? product.data.variants : [];
  const variant = variants.find((v) => v.id === form.variantId) ?? variants[0];
  const currency = platform.data?.defaultCurrency ?? 'CNY';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const built = buildSale(form, variant?.id, currency, t);
    if (built instanceof ApiError) {
      setError(built);
      return;
    }
    setBusy(true);
    setError(null);
    onStart();
    try {
      const sale = await api<FlashSale>('POST', '/api/admin/flash-sales', built);
      setForm((current) => ({ ...emptyForm(), query: current.query, productId: current.productId }));
      onCreated(sale);
    } catch (problem) {
      setError(problem instanceof ApiError ? problem : new ApiError({ status: 0, code: 'error', detail: String(problem) }));
    } finally {
      setBusy(false);
    }
  }

  const regular = variant?.prices.find((p) => p.currency === currency);
  const field = { error, autoComplete: 'off' };
  return (
    <form className="card grid flash-form" onSubmit={submit} noValidate aria-labelledby="new-flash-sale">
      <TextField id="flash-search" type="search" label={t('search')} hint={products.loading ? t('searching') : t('searchHint')} value={form.query} onChange={set('query')}
        // Enter here means "search", which already happens while typing; it must not create the sale.
        onKeyDown={(e) => e.key === 'Enter' && e.preventDefault()} {...field} />
      <SelectField id="flash-product" name="productId" label={t('matches')} value={productId} onChange={set('productId')} disabled={!products.data?.items.length} error={error}>
        {products.data?.items.length ? products.data.items.map((p) => <ProductOption key={p.id} product={p} />) : <option value="">{t(products.data ? 'noMatches' : 'searching')}</option>}
      </SelectField>
      <VariantSelect variants={variants} loading={Boolean(productId) && product.data?.id !== productId && !product.error} value={variant?.id ?? ''} onChange={set('variantId')} currency={currency} error={error} />
      <TextField id="flash-price" name="price" label={t('price')} inputMode="decimal" required value={form.price} onChange={set('price')}
        hint={regular ? t('priceHint', { currency, regular: formatMoney(regular.amount, currency, locale) }) : t('priceHintPlain', { currency })} {...field} />
      <TextField id="flash-quantity" name="quantity" label={t('quantity')} inputMode="numeric" required value={form.quantity} onChange={set('quantity')} hint={t('quantityHint')} {...field} />
      <TextField id="flash-limit" name="perCustomerLimit" label={t('limit')} inputMode="numeric" required value={form.perCustomerLimit} onChange={set('perCustomerLimit')} {...field} />
      <TextField id="flash-starts" name="startsAt" type="datetime-local" step={1} label={t('startsAt')} required value={form.startsAt} onChange={set('startsAt')} {...field} />
      <TextField id="flash-ends" name="endsAt" type="datetime-local" step={1} label={t('endsAt')} required value={form.endsAt} onChange={set('endsAt')} {...field} />
      <TextField id="flash-payment" name="paymentMinutes" label={t('paymentMinutes')} inputMode="numeric" required value={form.paymentMinutes} onChange={set('paymentMinutes')} hint={t('paymentHint')} {...field} />
      {error && !SHOWN_FIELDS.some((name) => error.fieldMessage(name)) && <FormError error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{t('create')}</button>
      </div>
    </form>
  );
}

const SHOWN_FIELDS = ['variantId', 'price', 'quantity', 'perCustomerLimit', 'startsAt', 'endsAt', 'paymentMinutes'];

function ProductOption({ product }: { product: ProductSummary }) {
  const { locale } = useLocale();
  return <option value={product.id}>{pickText(product.title, locale)}</option>;
}

function VariantSelect({ variants, loading, value, onChange, currency, error }: { variants: ProductDetail['variants']; loading: boolean; value: string; onChange(event: { target: { value: string } }): void; currency: string; error: ApiError | null }) {
  const t = useMessages(flashMessages);
  const { locale } = useLocale();
  return (
    <SelectField id="flash-variant" name="variantId" label={t('variant')} value={value} onChange={onChange} disabled={variants.length === 0} error={error}>
      {variants.length === 0 && <option value="">{t(loading ? 'loadingVariants' : 'chooseProduct')}</option>}
      {variants.map((v) => {
        const regular = v.prices.find((p) => p.currency === currency);
        return (
          <option key={v.id} value={v.id}>
            {t('variantOption', {
              sku: v.sku,
              options: Object.values(v.optionValues).join(' / ') || '—',
              price: regular ? formatMoney(regular.amount, currency, locale) : t('noPrice'),
              available: v.stock.available,
            })}
          </option>
        );
      })}
    </SelectField>
  );
}

/** `value`, once it has stopped changing for `delayMs`: one search per pause in typing, not per key. */
function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * The request body from what was typed, or the typing mistakes as a problem shaped like the
 * server's, so both show beside their fields the same way.
 */
function buildSale(form: SaleForm, variantId: string | undefined, currency: string, t: Translate): Record<string, unknown> | ApiError {
  const errors: { path: string; message: string }[] = [];
  const wrong = (path: string, message: string) => errors.push({ path, message });

  if (!variantId) wrong('variantId', t('variantMissing'));
  const price = parseMoney(form.price, currency);
  if (Number.isNaN(price)) wrong('price', t('moneyInvalid'));
  const count = (name: 'quantity' | 'perCustomerLimit' | 'paymentMinutes', min: number, max: number) => {
    const text = form[name].trim();
    if (!/^\d{1,7}$/.test(text) || Number(text) < min || Number(text) > max) wrong(name, t('countInvalid', { min, max }));
    return Number(text);
  };
  const instant = (name: 'startsAt' | 'endsAt') => {
    // datetime-local is the staff member's wall time; the server wants an instant.
    const date = new Date(form[name]);
    if (form[name] === '' || Number.isNaN(date.getTime())) {
      wrong(name, t('dateInvalid'));
      return undefined;
    }
    return date.toISOString();
  };
  const startsAt = instant('startsAt');
  const endsAt = instant('endsAt');
  if (startsAt && endsAt && endsAt <= startsAt) wrong('endsAt', t('endsBeforeStart'));
  const body = {
    variantId,
    price,
    currency,
    quantity: count('quantity', 1, 1_000_000),
    perCustomerLimit: count('perCustomerLimit', 1, 100),
    startsAt,
    endsAt,
    paymentMinutes: count('paymentMinutes', 1, 24 * 60),
  };
  if (errors.length > 0) return new ApiError({ status: 400, code: 'validation_failed', detail: errors[0]!.message, errors });
  return body;
}
