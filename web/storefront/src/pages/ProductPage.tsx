import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { api, ApiError } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useStore } from '../store.tsx';
import { useFetch } from '../../../shared/useFetch.ts';
import { WishlistButton } from './WishlistButton.tsx';
import { ReviewsSection } from './Reviews.tsx';
import { Stars } from './Stars.tsx';
import { PriceTag } from '../components/PriceTag.tsx';

interface Product {
  id: string;
  title: string;
  description: string;
  images: { url: string; alt?: string }[];
  options: { code: string; name: string; values: string[] }[];
  variants: { id: string; sku: string; optionValues: Record<string, string>; price: { amount: number; currency: string } | null; available: number; inStock: boolean }[];
  rating: { average: number; count: number } | null;
}

export function ProductPage() {
  const { id } = useParams();
  const { t, locale } = useI18n();
  const { addToCart } = useStore();
  const product = useFetch(() => api<Product>('GET', `/api/store/products/${id}?locale=${locale}`), [id, locale]);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [quantity, setQuantity] = useState(1);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const variant = useMemo(() => {
    const p = product.data;
    if (!p) return undefined;
    const wanted = { ...Object.fromEntries(p.options.map((o) => [o.code, o.values[0]!])), ...chosen };
    return p.variants.find((v) => p.options.every((o) => v.optionValues[o.code] === wanted[o.code]));
  }, [product.data, chosen]);

  if (product.error) return <p role="alert">{product.error}</p>;
  if (!product.data) return <p className="muted" aria-busy="true">{t('loading')}</p>;
  const p = product.data;

  async function add() {
    if (!variant) return;
    try {
      await addToCart(variant.id, quantity);
      setMessage({ kind: 'ok', text: t('added') });
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof ApiError ? error.message : String(error) });
    }
  }

  return (
    <article className="product">
      <img src={p.images[0]?.url ?? ''} alt={p.images[0]?.alt ?? ''} width={400} height={400} />
      <div>
        <h1>{p.title}</h1>
        {p.rating && <p className="product-rating"><Stars value={p.rating.average} count={p.rating.count} /></p>}
        <p className="muted">{p.description}</p>
        {variant?.price && <PriceTag variantId={variant.id} fallback={variant.price} />}
        {p.options.map((option) => (
          <fieldset key={option.code} className="options">
            <legend>{option.name}</legend>
            {option.values.map((value) => {
              const selected = (chosen[option.code] ?? option.values[0]) === value;
              return (
                <button key={value} type="button" aria-pressed={selected} className={selected ? 'option selected' : 'option'} onClick={() => setChosen({ ...chosen, [option.code]: value })}>
                  {value}
                </button>
              );
            })}
          </fieldset>
        ))}
        <p className={variant?.inStock ? 'stock' : 'stock out'}>
          {!variant?.inStock ? t('outOfStock') : variant.available <= 5 ? t('left', { n: variant.available }) : t('inStock')}
        </p>
        <label className="quantity">
          {t('quantity')}
          <input type="number" min={1} max={99} value={quantity} onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))} />
        </label>
        <button type="button" className="primary" disabled={!variant?.inStock} onClick={() => void add()}>{t('addToCart')}</button>
        {message && <p role="status" className={message.kind}>{message.text}</p>}
        <WishlistButton productId={p.id} />
      </div>
      <ReviewsSection productId={p.id} />
    </article>
  );
}
