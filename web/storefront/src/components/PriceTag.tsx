import { api } from '../api.ts';
import { formatMoney, useI18n } from '../i18n.tsx';
import { useStore } from '../store.tsx';
import { useFetch } from '../../../shared/useFetch.ts';

interface ShopperPrice {
  variantId: string;
  amount: number;
  listPrice: number | null;
  compareAt: number | null;
  priceListId: string | null;
}

/**
 * The price this shopper pays for a variant now: a member's price or a sale's, with the price it
 * replaces struck through. Product pages are shared and cached, so this is asked for apart.
 */
export function PriceTag({ variantId, fallback }: { variantId: string; fallback: { amount: number; currency: string } }) {
  const { t, locale } = useI18n();
  const { signedIn } = useStore();
  const prices = useFetch(
    () => api<{ items: ShopperPrice[] }>('GET', `/api/store/prices?variantIds=${variantId}&currency=${fallback.currency}`),
    [variantId, fallback.currency, signedIn],
  );
  const price = prices.data?.items.find((item) => item.variantId === variantId);
  const money = (amount: number) => formatMoney(amount, fallback.currency, locale);
  if (!price || price.compareAt === null) return <p className="price large" data-testid="price">{money(price?.amount ?? fallback.amount)}</p>;
  return (
    <p className="price large" data-testid="price">
      {money(price.amount)} <s className="muted" data-testid="compare-at">{money(price.compareAt)}</s>{' '}
      <span className="badge">{t('specialPrice')}</span>
    </p>
  );
}
