import { useMemo, useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { api, ApiError } from '../api.ts';
import { formatMoney, useI18n } from '../i18n.tsx';
import { ADDRESS_FIELDS } from '../addressFields.ts';
import { useStore } from '../store.tsx';
import { SaveAddressOption, SavedAddressPicker, useSavedAddresses } from './SavedAddressPicker.tsx';


/** Shipping address, then the order; the server's field messages appear next to each field. */
export function CheckoutPage() {
  const { t, locale } = useI18n();
  const { cart, signedIn, setCart } = useStore();
  const navigate = useNavigate();
  const [address, setAddress] = useState<Record<string, string>>({ country: 'CN' });
  const addressBook = useSavedAddresses(setAddress);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per visit to this page: a double click or a retry can't place two orders.
  const idempotencyKey = useMemo(() => `web-${crypto.randomUUID()}`, []);
  if (!signedIn) return <Navigate to="/login?next=/checkout" replace />;
  if (!cart || cart.lines.length === 0) return <p className="empty">{t('cartEmpty')}</p>;

  async function placeOrder(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const shippingAddress = Object.fromEntries(Object.entries(address).filter(([, value]) => value.trim() !== ''));
      const result = await api<{ order: { id: string }; payment: { redirectUrl: string } | null }>(
        'POST', `/api/store/carts/${cart!.id}/checkout`, { shippingAddress }, { 'idempotency-key': idempotencyKey },
      );
      await addressBook.saveIfAsked(shippingAddress);
      setCart(null);
      if (result.payment) window.location.assign(`${result.payment.redirectUrl}?return=/orders/${result.order.id}`);
      else void navigate(`/orders/${result.order.id}`);
    } catch (problem) {
      setError(problem instanceof ApiError ? problem : null);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={placeOrder} className="checkout" noValidate>
      <h1>{t('shipping')}</h1>
      <SavedAddressPicker book={addressBook} address={address} onPick={setAddress} />
      {ADDRESS_FIELDS.map((field) => {
        const message = error?.fieldMessage(`shippingAddress.${field.name}`);
        return (
          <div key={field.name} className="field">
            <label htmlFor={field.name}>{t(field.label)}{field.required && ' *'}</label>
            <input id={field.name} name={field.name} autoComplete={field.autoComplete} required={field.required}
              aria-invalid={message ? true : undefined} aria-describedby={message ? `${field.name}-error` : undefined}
              value={address[field.name] ?? ''} onChange={(e) => setAddress({ ...address, [field.name]: e.target.value })} />
            {message && <span id={`${field.name}-error`} className="error">{message}</span>}
          </div>
        );
      })}
      <SaveAddressOption book={addressBook} address={address} />
      {error && !error.problem.errors?.some((e) => e.path.includes('shippingAddress')) && <p role="alert">{error.message}</p>}
      <p className="price large">{t('total')}: {formatMoney(cart.total, cart.currency, locale)}</p>
      <button type="submit" className="primary" disabled={busy}>{t('placeOrder')}</button>
    </form>
  );
}
