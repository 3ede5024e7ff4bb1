import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useFetch } from '../../../shared/useFetch.ts';
import { FacetSidebar, type FacetGroup } from './FacetSidebar.tsx';
import { ProductGrid, type ProductSummary } from './ProductCard.tsx';

type Sort = 'newest' | 'price_asc' | 'price_desc' | 'best_selling' | 'position';
type Page = { items: ProductSummary[]; nextCursor: string | null; total: number; facets: FacetGroup[] };

/** What a listing is of: a category, a search, a brand or a collection. */
export type ListingScope = 'category' | 'search' | 'brand' | 'collection';

/** Names the page's heading: a brand's or a collection's name, fetched from the store API. */
function useScopeTitle(scope: ListingScope, key: string | undefined, locale: string) {
  return useFetch(async () => {
    if (!key) return null;
    if (scope === 'brand') return (await api<{ name: string }>('GET', `/api/store/brands/${encodeURIComponent(key)}?locale=${locale}`)).name;
    if (scope === 'collection') {
      const collection = await api<{ title: string; description: string }>('GET', `/api/store/collections/${encodeURIComponent(key)}?locale=${locale}`);
      return collection.title;
    }
    return key;
  }, [scope, key, locale]);
}

/**
 * Products of a category, a search, a brand or a collection, with a facet sidebar (counts of each
 * facet under the others' filters), sorting and "load more". Filters live in the URL, so a
 * filtered listing can be shared and the back button undoes a filter.
 */
export function ListingPage({ scope }: { scope: ListingScope }) {
  const { t, locale } = useI18n();
  const { slug, value } = useParams();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const sort = (params.get('sort') ?? '') as Sort | '';
  const scopeKey = scope === 'brand' ? value : slug;
  const title = useScopeTitle(scope, scopeKey, locale);
  const [more, setMore] = useState<{ items: ProductSummary[]; cursor: string | null } | null>(null);

  const query = new URLSearchParams({ limit: '20', locale, facets: 'true' });
  if (scope === 'category' && slug) query.set('category', slug);
  if (scope === 'collection' && slug) query.set('collection', slug);
  if (scope === 'brand' && value) query.set('brand', value);
  if (q) query.set('q', q);
  for (const [key, entry] of params) if (key === 'sort' || key === 'price' || key === 'inStock' || key.startsWith('attr.') || key.startsWith('option.')) query.set(key, entry);

  const page = useFetch(async () => {
    setMore(null);
    return api<Page>('GET', `/api/store/products?${query}`);
  }, [query.toString()]);
  const items = [...(page.data?.items ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.cursor : page.data?.nextCursor;
  const currency = page.data?.items[0]?.priceRange?.currency ?? 'CNY';
  const filterKeys = [...params.keys()].filter((key) => key !== 'q' && key !== 'sort');

  async function loadMore() {
    const next = await api<Page>('GET', `/api/store/products?${query}&cursor=${cursor}`);
    setMore({ items: [...(more?.items ?? []), ...next.items], cursor: next.nextCursor });
  }

  function toggle(key: string, facetValue: string) {
    const next = new URLSearchParams(params);
    if (key === 'inStock') {
      if (next.get('inStock') === 'true') next.delete('inStock');
      else next.set('inStock', 'true');
    } else {
      const chosen = new Set((next.get(key) ?? '').split(',').filter(Boolean));
      if (chosen.has(facetValue)) chosen.delete(facetValue);
      else chosen.add(facetValue);
      if (chosen.size > 0) next.set(key, [...chosen].join(','));
      else next.delete(key);
    }
    setParams(next);
  }

  function isSelected(key: string, facetValue: string): boolean {
    if (key === 'inStock') return params.get('inStock') === 'true';
    return (params.get(key) ?? '').split(',').includes(facetValue);
  }

  function clear() {
    const next = new URLSearchParams();
    for (const key of ['q', 'sort']) if (params.get(key)) next.set(key, params.get(key)!);
    setParams(next);
  }

  function changeSort(next: Sort | '') {
    const changed = new URLSearchParams(params);
    if (next) changed.set('sort', next);
    else changed.delete('sort');
    setParams(changed);
  }

  const heading = scope === 'search' ? t('results', { q }) : (title.data ?? scopeKey);
  return (
    <section aria-busy={page.loading} className="listing">
      <div className="toolbar">
        <h1>{heading}</h1>
        {page.data && <span className="muted" data-testid="product-count">{t('productCount', { n: page.data.total })}</span>}
        <label>
          <span className="visually-hidden">sort</span>
          <select value={sort} onChange={(e) => changeSort(e.target.value as Sort)}>
            <option value="">{scope === 'collection' ? t('sortPosition') : t('sortNewest')}</option>
            {scope === 'collection' && <option value="newest">{t('sortNewest')}</option>}
            <option value="best_selling">{t('sortBestSelling')}</option>
            <option value="price_asc">{t('sortPriceAsc')}</option>
            <option value="price_desc">{t('sortPriceDesc')}</option>
          </select>
        </label>
      </div>
      {page.error && <p role="alert">{page.error}</p>}
      <div className="listing-body">
        {page.data && page.data.facets.length > 0 && (
          <FacetSidebar groups={page.data.facets} currency={currency} onToggle={toggle} onClear={clear} isSelected={isSelected} anySelected={filterKeys.length > 0} />
        )}
        <div className="listing-results">
          {page.data ? <ProductGrid items={items} /> : <p className="muted">{t('loading')}</p>}
          {cursor && <button type="button" className="secondary" onClick={() => void loadMore()}>{t('more')}</button>}
        </div>
      </div>
    </section>
  );
}
