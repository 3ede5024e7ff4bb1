import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api.ts';
import { formatMoney, useI18n } from '../i18n.tsx';
import { useStore, type Cart } from '../store.tsx';

export function CartPage() {
  const { t, locale } = useI18n();
  const { cart, setCart } = useStore();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!cart || cart.lines.length === 0) return <p className="empty">{t('cartEmpty')}</p>;
  const money = (amount: number) => formatMoney(amount, cart.currency, locale);

  async function change(run: () => Promise<Cart>) {
    try {
      setError(null);
      setCart(await run());
    } catch (problem) {
      setError(problem instanceof ApiError ? problem.message : String(problem));
    }
  }
  const applyCoupon = (event: FormEvent) => {
    event.preventDefault();
    void change(() => api<Cart>('PUT', `/api/store/carts/${cart.id}/coupon?locale=${locale}`, { code }));
  };

  return (
    <section>
      <h1>{t('cart')}</h1>
      <ul className="lines">
        {cart.lines.map((line) => (
          <li key={line.variantId} className="line">
            <img src={line.image?.url ?? ''} alt="" width={64} height={64} />
            <div>
              <strong>{line.title}</strong>
              <span className="muted"> {Object.values(line.optionValues).join(' / ')}</span>
              <div>{line.unitPrice !== null ? money(line.unitPrice) : '—'}</div>
            </div>
            <label>
              <span className="visually-hidden">{t('quantity')}</span>
              <input type="number" min={0} max={999} value={line.quantity}
                onChange={(e) => void change(() => api<Cart>('PATCH', `/api/store/carts/${cart.id}/lines/${line.variantId}?locale=${locale}`, { quantity: Number(e.target.value) }))} />
            </label>
            <button type="button" className="link" onClick={() => void change(() => api<Cart>('DELETE', `/api/store/carts/${cart.id}/lines/${line.variantId}?locale=${locale}`))}>{t('remove')}</button>
          </li>
        ))}
      </ul>
      <form onSubmit={applyCoupon} className="coupon">
        <label htmlFor="coupon">{t('coupon')}</label>
        <input id="coupon" value={code} onChange={(e) => setCode(e.target.value)} />
        <button type="submit" className="secondary">{t('apply')}</button>
      </form>
      {cart.coupon && !cart.coupon.applied && <p role="alert">{cart.coupon.message}</p>}
      {error && <p role="alert">{error}</p>}
      <dl className="totals">
        <dt>{t('subtotal')}</dt><dd>{money(cart.subtotal)}</dd>
        {cart.discountTotal > 0 && (<><dt>{t('discount')}</dt><dd>−{money(cart.discountTotal)}</dd></>)}
        <dt>{t('total')}</dt><dd className="price">{money(cart.total)}</dd>
      </dl>
      <Link to="/checkout" className="button primary">{t('checkout')}</Link>
    </section>
  );
}
