import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { api, ApiError } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { ADDRESS_FIELDS } from '../addressFields.ts';
import { useStore } from '../store.tsx';
import { InvoiceFields, invoiceBody, NO_INVOICE, type InvoiceDraft } from '../components/InvoiceFields.tsx';
import { OrderTotals, type Totals } from '../components/OrderTotals.tsx';
import { ShippingOptions, type ShippingOption } from '../components/ShippingOptions.tsx';
import { coveredBy, NO_TENDERS, TenderFields, tendersBody, useStoreCreditBalance, type TenderDraft } from '../components/TenderFields.tsx';
import { SaveAddressOption, SavedAddressPicker, useSavedAddresses } from './SavedAddressPicker.tsx';

interface Preview extends Totals {
  shippingRequired: boolean;
  shippingOptions: ShippingOption[];
  shippingMethod: { id: string } | null;
}

const filled = (address: Record<string, string>) => Object.fromEntries(Object.entries(address).filter(([, value]) => value.trim() !== ''));

/**
 * Shipping address, shipping method, invoice, then the order. The cart is priced by the server
 * for the address as it is typed (its zone's methods and tax), so the total shown is the one
 * charged; the server's field messages appear next to each field.
 */
export function CheckoutPage() {
  const { t, locale } = useI18n();
  const { cart, signedIn, setCart } = useStore();
  const navigate = useNavigate();
  const [address, setAddress] = useState<Record<string, string>>({ country: 'CN' });
  const addressBook = useSavedAddresses(setAddress);
  const [methodId, setMethodId] = useState<string | undefined>();
  const [invoice, setInvoice] = useState<InvoiceDraft>(NO_INVOICE);
  const [tenders, setTenders] = useState<TenderDraft>(NO_TENDERS);
  const storeCredit = useStoreCreditBalance(cart?.currency ?? '');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per visit to this page: a double click or a retry can't place two orders.
  const idempotencyKey = useMemo(() => `web-${crypto.randomUUID()}`, []);
  const { country = '', province = '', city = '' } = address;

  useEffect(() => {
    if (!cart || cart.lines.length === 0 || !country || !city.trim()) return;
    // Priced again when the region or the method changes, a moment after typing stops.
    const timer = setTimeout(() => {
      const shippingAddress = filled({ country, province, city });
      api<Preview>('POST', `/api/store/carts/${cart.id}/checkout-preview?locale=${locale}`, { shippingAddress, ...(methodId ? { shippingMethodId: methodId } : {}) })
        .then((priced) => {
          setPreview(priced);
          setPreviewError(null);
          setMethodId((current) => current ?? priced.shippingMethod?.id);
        })
        .catch((problem: unknown) => {
          setPreview(null);
          setPreviewError(problem instanceof ApiError ? problem : null);
          // A method of the previous region may not exist in this one: let the server choose again.
          if (problem instanceof ApiError && problem.problem.code === 'shipping_method_unavailable') setMethodId(undefined);
        });
    }, 300);
    return () => clearTimeout(timer);
  }, [cart, country, province, city, methodId, locale]);

  if (!signedIn) return <Navigate to="/login?next=/checkout" replace />;
  if (!cart || cart.lines.length === 0) return <p className="empty">{t('cartEmpty')}</p>;
  const totals: Totals = preview ?? { ...cart, shippingTotal: 0, taxTotal: 0, pricesIncludeTax: true };

  async function placeOrder(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const shippingAddress = filled(address);
      const body = { shippingAddress, ...(methodId && preview?.shippingRequired ? { shippingMethodId: methodId } : {}), ...(invoice.wanted ? { invoice: invoiceBody(invoice) } : {}), ...(tendersBody(tenders) ? { tenders: tendersBody(tenders) } : {}) };
      const result = await api<{ order: { id: string }; payment: { redirectUrl: string } | null }>(
        'POST', `/api/store/carts/${cart!.id}/checkout`, body, { 'idempotency-key': idempotencyKey },
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
      {!preview && !previewError && <p className="muted">{t('shippingEnterAddress')}</p>}
      {previewError && <p role="alert">{previewError.message}</p>}
      {preview?.shippingRequired && <ShippingOptions options={preview.shippingOptions} selected={methodId} currency={preview.currency} onSelect={setMethodId} />}
      <InvoiceFields draft={invoice} onChange={setInvoice} error={error} />
      {error && !error.hasFieldErrors('shippingAddress') && !error.hasFieldErrors('invoice') && <p role="alert">{error.message}</p>}
      <TenderFields draft={tenders} currency={cart.currency} storeCredit={storeCredit} onChange={setTenders} />
      <OrderTotals totals={{ ...totals, tenderTotal: coveredBy(tenders, totals.total, storeCredit) }} showShipping={preview?.shippingRequired ?? false} />
      <button type="submit" className="primary" disabled={busy}>{t('placeOrder')}</button>
    </form>
  );
}
