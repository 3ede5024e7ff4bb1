import { Link } from 'react-router';
import { formatMoney, useI18n } from '../i18n.tsx';
import { Stars } from './Stars.tsx';

export interface ProductSummary {
  id: string;
  title: string;
  image: { url: string; alt?: string } | null;
  priceRange: { min: number; max: number; currency: string } | null;
  rating: { average: number; count: number } | null;
}

export function ProductGrid({ items }: { items: ProductSummary[] }) {
  const { t } = useI18n();
  if (items.length === 0) return <p className="empty">{t('empty')}</p>;
  return (
    <ul className="grid">
      {items.map((item) => (
        <li key={item.id}>
          <ProductCard product={item} />
        </li>
      ))}
    </ul>
  );
}

function ProductCard({ product }: { product: ProductSummary }) {
  const { locale } = useI18n();
  return (
    <Link to={`/p/${product.id}`} className="card">
      <img src={product.image?.url ?? ''} alt={product.image?.alt ?? ''} width={200} height={200} loading="lazy" />
      <span className="card-title">{product.title}</span>
      {product.priceRange && <span className="price">{formatMoney(product.priceRange.min, product.priceRange.currency, locale)}</span>}
      {product.rating && <Stars value={product.rating.average} count={product.rating.count} />}
    </Link>
  );
}
