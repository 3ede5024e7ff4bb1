import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useFetch } from '../../../shared/useFetch.ts';
import { ProductGrid, type ProductSummary } from './ProductCard.tsx';

type Sort = 'newest' | 'price_asc' | 'price_desc';

/** A category's products, or search results, with sorting and "load more" (cursor pages). */
export function ListingPage() {
  const { t, locale } = useI18n();
  const { slug } = useParams();
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  const [sort, setSort] = useState<Sort | ''>('');
  const [more, setMore] = useState<{ items: ProductSummary[]; cursor: string | null } | null>(null);
  const query = new URLSearchParams({ limit: '20', locale, ...(slug ? { category: slug } : {}), ...(q ? { q } : {}), ...(sort ? { sort } : {}) });
  const page = useFetch(async () => {
    setMore(null);
    return api<{ items: ProductSummary[]; nextCursor: string | null }>('GET', `/api/store/products?${query}`);
  }, [query.toString()]);
  const items = [...(page.data?.items ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.cursor : page.data?.nextCursor;

  async function loadMore() {
    const next = await api<{ items: ProductSummary[]; nextCursor: string | null }>('GET', `/api/store/products?${query}&cursor=${cursor}`);
    setMore({ items: [...(more?.items ?? []), ...next.items], cursor: next.nextCursor });
  }

  return (
    <section aria-busy={page.loading}>
      <div className="toolbar">
        <h1>{q ? t('results', { q }) : slug}</h1>
        <label>
          <span className="visually-hidden">sort</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            <option value="">{t('sortNewest')}</option>
            <option value="price_asc">{t('sortPriceAsc')}</option>
            <option value="price_desc">{t('sortPriceDesc')}</option>
          </select>
        </label>
      </div>
      {page.error && <p role="alert">{page.error}</p>}
      {page.data ? <ProductGrid items={items} /> : <p className="muted">{t('loading')}</p>}
      {cursor && <button type="button" className="secondary" onClick={() => void loadMore()}>{t('more')}</button>}
    </section>
  );
}
