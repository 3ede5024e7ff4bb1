import { Link } from 'react-router';
import { api } from '../api.ts';
import { formatMoney, useI18n } from '../i18n.tsx';
import { useStore } from '../store.tsx';
import { useFetch } from '../../../shared/useFetch.ts';
import { Stars } from './Stars.tsx';

interface ShopperProductPrice {
  productId: string;
  amount: number;
  compareAt: number;
}

export interface ProductSummary {
  id: string;
  title: string;
  image: { url: string; alt?: string } | null;
  priceRange: { min: number; max: number; currency: string } | null;
  rating: { average: number; count: number } | null;
}

export function ProductGrid({ items }: { items: ProductSummary[] }) {
  const { t } = useI18n();
  const { signedIn } = useStore();
  // Listings are cached and shared by every shopper; the prices this one pays (a member's, a
  // sale's) are asked for apart, for the whole grid at once.
  const ids = items.map((item) => item.id).join(',');
  const currency = items.find((item) => item.priceRange)?.priceRange?.currency;
  const prices = useFetch(
    () => (ids && currency ? api<{ items: ShopperProductPrice[] }>('GET', `/api/store/prices/products?productIds=${ids}&currency=${currency}`) : Promise.resolve({ items: [] })),
    [ids, currency, signedIn],
  );
  if (items.length === 0) return <p className="empty">{t('empty')}</p>;
  const special = new Map((prices.data?.items ?? []).map((price) => [price.productId, price]));
  return (
    <ul className="grid">
      {items.map((item) => (
        <li key={item.id}>
          <ProductCard product={item} special={special.get(item.id)} />
        </li>
      ))}
    </ul>
  );
}

function ProductCard({ product, special }: { product: ProductSummary; special: ShopperProductPrice | undefined }) {
  const { locale } = useI18n();
  const money = (amount: number) => formatMoney(amount, product.priceRange!.currency, locale);
  return (
    <Link to={`/p/${product.id}`} className="card">
      <img src={product.image?.url ?? ''} alt={product.image?.alt ?? ''} width={200} height={200} loading="lazy" />
      <span className="card-title">{product.title}</span>
      {product.priceRange && (
        <span className="price" data-testid="card-price">
          {money(special?.amount ?? product.priceRange.min)}
          {special && <> <s className="muted">{money(special.compareAt)}</s></>}
        </span>
      )}
      {product.rating && <Stars value={product.rating.average} count={product.rating.count} />}
    </Link>
  );
}
