import { useEffect, useEffectEvent, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { formatMoney } from '../../../shared/money.ts';
import { messageOf } from '../../../shared/http.ts';
import { useFetch, type Fetched } from '../../../shared/useFetch.ts';
import { SelectField, TextField } from '../components/Field.tsx';
import { Loaded, StatusBadge } from '../components/States.tsx';
import { defineMessages, pickText, useLocale, useMessages } from '../i18n.tsx';
import { statusMessages, type StatusKey } from '../labels.ts';
import { useSession } from '../session.tsx';
import './orders.css';
import { formatTime } from '../format.ts';

const messages = defineMessages({
  en: {
    title: 'Orders', search: 'Search', searchHint: 'Order id, customer email or phone, or SKU', status: 'Status', allStatuses: 'All statuses',
    order: 'Order', created: 'Created', customer: 'Customer', items: 'Items', total: 'Total',
    moreItems: '+{n} more', loadMore: 'Load more', loadingMore: 'Loading…', shown: '{n} orders shown',
    noOrders: 'No orders yet.', noMatch: 'No orders match this search.',
  },
  'zh-CN': {
    title: '订单', search: '搜索', searchHint: '订单号、顾客邮箱或手机号、SKU', status: '状态', allStatuses: '全部状态',
    order: '订单号', created: '下单时间', customer: '顾客', items: '商品', total: '金额',
    moreItems: '等 {n} 件', loadMore: '加载更多', loadingMore: '加载中…', shown: '已显示 {n} 个订单',
    noOrders: '还没有订单。', noMatch: '没有符合条件的订单。',
  },
});

const ORDER_STATUSES = ['pending_payment', 'paid', 'partially_fulfilled', 'fulfilled', 'completed', 'cancelled', 'partially_refunded', 'refunded'] as const;

/** How long typing pauses before the search runs: the server matches whole ids and emails only. */
const SEARCH_DELAY_MS = 350;

interface OrderRow {
  id: string;
  customerId: string;
  /** Not in every version of the API; the id stands in when it's missing. */
  customerEmail?: string | null;
  status: string;
  currency: string;
  total: number;
  createdAt: string;
  lines: { sku: string; title: Record<string, string>; quantity: number }[];
}

interface OrderPage {
  items: OrderRow[];
  nextCursor: string | null;
}

export function OrdersPage() {
  const t = useMessages(messages);
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? '';
  const list = useOrderList(q, status);

  // Filters live in the URL, so going back from an order returns to the same list.
  function setFilter(name: 'q' | 'status', value: string) {
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(name, value);
      else next.delete(name);
      return next;
    }, { replace: true });
  }

  const filtered = q !== '' || status !== '';
  return (
    <section>
      <h1>{t('title')}</h1>
      <OrderFilters q={q} status={status} onChange={setFilter} />
      <Loaded fetched={list.first} isEmpty={(page) => page.items.length === 0} empty={t(filtered ? 'noMatch' : 'noOrders')}>
        {() => (
          <>
            <OrderTable orders={list.items} busy={list.first.loading} />
            <p className="muted" aria-live="polite">{t('shown', { n: list.items.length })}</p>
            <LoadMore list={list} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function OrderFilters({ q, status, onChange }: { q: string; status: string; onChange(name: 'q' | 'status', value: string): void }) {
  const t = useMessages(messages);
  const statusText = useMessages(statusMessages);
  const [text, setText] = useState(q);
  const [seenQ, setSeenQ] = useState(q);
  // Back and forward change the URL under the input: show its search, unless that's what's typed.
  if (q !== seenQ) {
    setSeenQ(q);
    if (text.trim() !== q) setText(q);
  }

  const apply = useEffectEvent((value: string) => onChange('q', value));
  useEffect(() => {
    if (text.trim() === q) return;
    const timer = setTimeout(() => apply(text.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, q]);

  function submit(event: FormEvent) {
    event.preventDefault();
    onChange('q', text.trim());
  }

  return (
    <form role="search" className="toolbar filters" onSubmit={submit}>
      <TextField id="order-search" name="q" type="search" label={t('search')} hint={t('searchHint')} value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
      <SelectField id="order-status" name="status" label={t('status')} value={status} onChange={(e) => onChange('status', e.target.value)}>
        <option value="">{t('allStatuses')}</option>
        {ORDER_STATUSES.map((s) => <option key={s} value={s}>{statusText(s)}</option>)}
      </SelectField>
    </form>
  );
}

function OrderTable({ orders, busy }: { orders: OrderRow[]; busy: boolean }) {
  const t = useMessages(messages);
  return (
    <div className="table-scroll">
      <table aria-busy={busy}>
        <thead>
          <tr>
            <th scope="col">{t('order')}</th>
            <th scope="col">{t('created')}</th>
            <th scope="col">{t('customer')}</th>
            <th scope="col">{t('items')}</th>
            <th scope="col" className="num">{t('total')}</th>
            <th scope="col">{t('status')}</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => <OrderRowView key={order.id} order={order} />)}
        </tbody>
      </table>
    </div>
  );
}

function OrderRowView({ order }: { order: OrderRow }) {
  const { locale } = useLocale();
  const statusText = useMessages(statusMessages);
  return (
    <tr>
      <td><Link to={`/orders/${order.id}`} className="mono">{order.id}</Link></td>
      <td className="nowrap"><time dateTime={order.createdAt}>{formatTime(order.createdAt, locale)}</time></td>
      <td className="mono">{order.customerEmail || order.customerId}</td>
      <td><ItemSummary lines={order.lines} /></td>
      <td className="num">{formatMoney(order.total, order.currency, locale)}</td>
      <td><StatusBadge status={order.status} label={statusText(order.status as StatusKey)} /></td>
    </tr>
  );
}

function ItemSummary({ lines }: { lines: OrderRow['lines'] }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const [first, ...rest] = lines;
  if (!first) return null;
  const more = rest.reduce((sum, line) => sum + line.quantity, 0);
  return (
    <>
      {pickText(first.title, locale)} × {first.quantity}
      {more > 0 && <span className="muted"> {t('moreItems', { n: more })}</span>}
    </>
  );
}

function LoadMore({ list }: { list: OrderList }) {
  const t = useMessages(messages);
  if (!list.nextCursor && !list.moreError) return null;
  return (
    <div className="load-more">
      {list.nextCursor && (
        <button type="button" className="secondary" onClick={list.loadMore} disabled={list.loadingMore} aria-busy={list.loadingMore}>
          {list.loadingMore ? t('loadingMore') : t('loadMore')}
        </button>
      )}
      {list.moreError && <span role="alert" className="form-error">{list.moreError}</span>}
    </div>
  );
}

interface OrderList {
  first: Fetched<OrderPage>;
  items: OrderRow[];
  nextCursor: string | null;
  loadingMore: boolean;
  moreError: string | null;
  loadMore(): void;
}

/**
 * The first page through `useFetch`, later pages appended by "Load more". The extra pages belong
 * to the first page they continue: while a new filter loads, the old list stays whole; when its
 * first page arrives, they are dropped.
 */
function useOrderList(q: string, status: string): OrderList {
  const { api } = useSession();
  const first = useFetch(() => api<OrderPage>('GET', listPath(q, status, null)), [q, status]);
  const [extra, setExtra] = useState<{ base: OrderPage; items: OrderRow[]; nextCursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  const base = first.data;
  const more = extra && extra.base === base ? extra : null;
  const items = base ? [...base.items, ...(more?.items ?? [])] : [];
  const nextCursor = more ? more.nextCursor : (base?.nextCursor ?? null);

  function loadMore() {
    if (!base || !nextCursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    api<OrderPage>('GET', listPath(q, status, nextCursor)).then(
      (page) => setExtra({ base, items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor }),
      (error: unknown) => setMoreError(messageOf(error)),
    ).finally(() => setLoadingMore(false));
  }

  return { first, items, nextCursor, loadingMore, moreError, loadMore };
}

function listPath(q: string, status: string, cursor: string | null): string {
  const query = new URLSearchParams({ limit: '20' });
  if (q) query.set('q', q);
  if (status) query.set('status', status);
  if (cursor) query.set('cursor', cursor);
  return `/api/admin/orders?${query}`;
}
