import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { messageOf } from '../../../shared/http.ts';
import { formatMoney } from '../../../shared/money.ts';
import { useFetch, type Fetched } from '../../../shared/useFetch.ts';
import { SelectField, TextField } from '../components/Field.tsx';
import { Loaded, StatusBadge } from '../components/States.tsx';
import { defineMessages, pickText, useLocale, useMessages } from '../i18n.tsx';
import { statusMessages } from '../labels.ts';
import { useSession } from '../session.tsx';
import './products.css';

const messages = defineMessages({
  en: {
    heading: 'Products', search: 'Search products', searchButton: 'Search', status: 'Status', all: 'All statuses', newProduct: 'New product',
    image: 'Image', title: 'Title', variants: 'Variants', price: 'Price ({currency})', noPrice: 'No price', untitled: 'Untitled product',
    empty: 'No products yet. Create the first one with “New product”.', noMatch: 'No products match this search or status.',
    loadMore: 'Load more', loadingMore: 'Loading…', shown: '{n} products shown', caption: 'Products, newest first',
  },
  'zh-CN': {
    heading: '商品', search: '搜索商品', searchButton: '搜索', status: '状态', all: '全部状态', newProduct: '新建商品',
    image: '图片', title: '标题', variants: '规格数', price: '价格（{currency}）', noPrice: '未定价', untitled: '未命名商品',
    empty: '还没有商品。点击“新建商品”创建第一个。', noMatch: '没有符合搜索或状态的商品。',
    loadMore: '加载更多', loadingMore: '加载中…', shown: '已显示 {n} 个商品', caption: '商品，最新的在前',
  },
});

type ProductStatus = 'draft' | 'active' | 'archived';
const STATUSES: ProductStatus[] = ['draft', 'active', 'archived'];
const PAGE_SIZE = 20;

interface ProductSummary {
  id: string;
  slug: string;
  title: Record<string, string>;
  status: ProductStatus;
  images: { url: string; alt?: string }[];
  /** In the platform's default currency, which is what the admin list prices in. */
  minPrice: number | null;
  maxPrice: number | null;
  variantCount: number;
}

interface ProductPage {
  items: ProductSummary[];
  nextCursor: string | null;
}

/** The catalog for staff: search, a status filter and "load more" pages, filters kept in the URL. */
export function ProductsPage() {
  const t = useMessages(messages);
  const { api, can } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const status = STATUSES.find((candidate) => candidate === params.get('status')) ?? 'all';
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(q ? { q } : {}), ...(status !== 'all' ? { status } : {}) }).toString();
  const pages = useProductPages(query);
  const platform = useFetch(() => api<{ defaultCurrency: string }>('GET', '/api/store/platform'), [api]);

  function setFilter(name: 'q' | 'status', value: string) {
    const next = new URLSearchParams(params);
    if (value && value !== 'all') next.set(name, value);
    else next.delete(name);
    setParams(next);
  }

  return (
    <section className="products-page" aria-labelledby="products-heading">
      <div className="toolbar">
        <h1 id="products-heading" className="products-heading">{t('heading')}</h1>
        <SearchForm query={q} onSearch={(value) => setFilter('q', value)} />
        <SelectField id="product-status" label={t('status')} value={status} onChange={(e) => setFilter('status', e.target.value)}>
          <StatusOptions allLabel={t('all')} />
        </SelectField>
        <span className="spacer" />
        {can('operator') && <Link to="/products/new" className="primary products-button-link">{t('newProduct')}</Link>}
      </div>
      <Loaded fetched={pages.first} isEmpty={(page) => page.items.length === 0} empty={q || status !== 'all' ? t('noMatch') : t('empty')}>
        {() => (
          <>
            <ProductTable items={pages.items} currency={platform.data?.defaultCurrency} busy={pages.first.loading} />
            <p role="status" className="hint products-count">{t('shown', { n: pages.items.length })}</p>
            <LoadMore pages={pages} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function StatusOptions({ allLabel }: { allLabel: string }) {
  const words = useMessages(statusMessages);
  return (
    <>
      <option value="all">{allLabel}</option>
      {STATUSES.map((status) => <option key={status} value={status}>{words(status)}</option>)}
    </>
  );
}

function SearchForm({ query, onSearch }: { query: string; onSearch(value: string): void }) {
  const t = useMessages(messages);
  const [value, setValue] = useState(query);
  const [shown, setShown] = useState(query);
  // Back and forward change the URL's search: show it in the box, without remounting the input.
  if (query !== shown) {
    setShown(query);
    setValue(query);
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(value.trim());
  }
  return (
    <form role="search" className="products-search" onSubmit={submit}>
      <TextField id="product-search" type="search" label={t('search')} value={value} onChange={(e) => setValue(e.target.value)} maxLength={100} />
      <button type="submit" className="secondary">{t('searchButton')}</button>
    </form>
  );
}

interface ProductPages {
  first: Fetched<ProductPage>;
  items: ProductSummary[];
  cursor: string | null;
  loadingMore: boolean;
  moreError: string | null;
  loadMore(): void;
}

/**
 * The first page through useFetch (so filters reload it and old rows stay while they do), plus
 * the pages appended by "Load more". Appended pages remember which first page they follow, so a
 * new search or a retry drops them instead of mixing two result sets.
 */
function useProductPages(query: string): ProductPages {
  const { api } = useSession();
  const first = useFetch(() => api<ProductPage>('GET', `/api/admin/products?${query}`), [api, query]);
  const [more, setMore] = useState<{ after: ProductPage; items: ProductSummary[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const appended = more && more.after === first.data ? more : null;
  const cursor = appended ? appended.cursor : (first.data?.nextCursor ?? null);

  async function loadMore() {
    const base = first.data;
    if (!base || !cursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const next = await api<ProductPage>('GET', `/api/admin/products?${query}&cursor=${encodeURIComponent(cursor)}`);
      setMore((current) => ({ after: base, items: [...(current?.after === base ? current.items : []), ...next.items], cursor: next.nextCursor }));
    } catch (error) {
      setMoreError(messageOf(error));
    } finally {
      setLoadingMore(false);
    }
  }

  return { first, items: [...(first.data?.items ?? []), ...(appended?.items ?? [])], cursor, loadingMore, moreError, loadMore: () => void loadMore() };
}

function LoadMore({ pages }: { pages: ProductPages }) {
  const t = useMessages(messages);
  if (!pages.cursor) return null;
  return (
    <div className="products-load-more">
      <button type="button" className="secondary" onClick={pages.loadMore} aria-disabled={pages.loadingMore} aria-busy={pages.loadingMore}>
        {pages.loadingMore ? t('loadingMore') : t('loadMore')}
      </button>
      {pages.moreError && <p role="alert" className="form-error">{pages.moreError}</p>}
    </div>
  );
}

function ProductTable({ items, currency, busy }: { items: ProductSummary[]; currency: string | undefined; busy: boolean }) {
  const t = useMessages(messages);
  return (
    <div className="products-scroll">
      <table aria-busy={busy} className={busy ? 'products-refreshing' : undefined}>
        <caption className="products-sr-only">{t('caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('image')}</th>
            <th scope="col">{t('title')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col" className="num">{t('variants')}</th>
            <th scope="col" className="num">{t('price', { currency: currency ?? '' })}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((product) => <ProductRow key={product.id} product={product} currency={currency} />)}
        </tbody>
      </table>
    </div>
  );
}

function ProductRow({ product, currency }: { product: ProductSummary; currency: string | undefined }) {
  const t = useMessages(messages);
  const words = useMessages(statusMessages);
  const { locale } = useLocale();
  const image = product.images[0];
  return (
    <tr>
      <td>
        {/* The title beside it says what the product is, so the thumbnail is decorative. */}
        {image ? <img className="products-thumb" src={image.url} alt="" width={48} height={48} loading="lazy" /> : <span className="products-thumb" />}
      </td>
      <td>
        <Link to={`/products/${product.id}`}>{pickText(product.title, locale) || t('untitled')}</Link>
        <div className="hint">{product.slug}</div>
      </td>
      <td><StatusBadge status={product.status} label={words(product.status)} /></td>
      <td className="num">{product.variantCount}</td>
      <td className="num"><PriceRange min={product.minPrice} max={product.maxPrice} currency={currency} /></td>
    </tr>
  );
}

function PriceRange({ min, max, currency }: { min: number | null; max: number | null; currency: string | undefined }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  if (!currency) return null;
  if (min === null) return <span className="hint">{t('noPrice')}</span>;
  const low = formatMoney(min, currency, locale);
  return <span className="products-nowrap">{max === null || max === min ? low : `${low} – ${formatMoney(max, currency, locale)}`}</span>;
}
