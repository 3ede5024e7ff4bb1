import { Link } from 'react-router';
import { formatMoney, useI18n } from '../i18n.tsx';
import { listWishlist, removeFromWishlist } from '../wishlist.ts';
import { useFetch } from '../../../shared/useFetch.ts';

/** Wished-for products as they are now; an archived one stays, marked unavailable. */
export function WishlistSection() {
  const { t, locale } = useI18n();
  const wishlist = useFetch(() => listWishlist(locale), [locale]);
  const items = wishlist.data ?? [];
  return (
    <section aria-labelledby="wishlist">
      <h2 id="wishlist">{t('wishlist')}</h2>
      {wishlist.error && <p role="alert">{wishlist.error}</p>}
      {wishlist.data && items.length === 0 && <p className="muted">{t('wishlistEmpty')}</p>}
      <ul className="lines">
        {items.map((item) => (
          <li key={item.productId} className="line wish">
            {item.image && <img src={item.image.url} alt={item.image.alt ?? ''} width={56} height={56} />}
            <span className="wish-title">
              {item.available ? <Link to={`/p/${item.productId}`}>{item.title}</Link> : <span className="muted">{item.title}</span>}
              {!item.available && <span className="muted"> · {t('unavailable')}</span>}
            </span>
            {item.priceRange && <span className="price">{formatMoney(item.priceRange.min, item.priceRange.currency, locale)}</span>}
            <button type="button" className="link" onClick={() => void removeFromWishlist(item.productId).finally(wishlist.reload)}>{t('remove')}</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
