import { Link } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useFetch } from '../../../shared/useFetch.ts';
import { ProductGrid, type ProductSummary } from './ProductCard.tsx';

interface CategoryNode {
  id: string;
  slug: string;
  name: string;
  children: CategoryNode[];
}

export function HomePage() {
  const { t, locale } = useI18n();
  const categories = useFetch(() => api<{ items: CategoryNode[] }>('GET', `/api/store/categories?locale=${locale}`), [locale]);
  const featured = useFetch(() => api<{ items: ProductSummary[] }>('GET', `/api/store/products?limit=12&locale=${locale}`), [locale]);
  return (
    <>
      <section aria-labelledby="categories">
        <h2 id="categories">{t('categories')}</h2>
        <ul className="chips">
          {categories.data?.items.map((category) => (
            <li key={category.id}>
              <Link to={`/c/${category.slug}`} className="chip">{category.name}</Link>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="featured" aria-busy={featured.loading}>
        <h2 id="featured">{t('featured')}</h2>
        {featured.error && <p role="alert">{featured.error}</p>}
        {featured.data ? <ProductGrid items={featured.data.items} /> : <p className="muted">{t('loading')}</p>}
      </section>
    </>
  );
}
