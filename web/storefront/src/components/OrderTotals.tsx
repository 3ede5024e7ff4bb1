import { formatMoney, useI18n } from '../i18n.tsx';

export interface Totals {
  currency: string;
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  taxTotal: number;
  pricesIncludeTax: boolean;
  total: number;
  /** Paid with gift cards and store credit (or, before checkout, what they will cover). */
  tenderTotal?: number;
}

/** Subtotal, discount, shipping, tax and total, as the cart preview and the order both give them. */
export function OrderTotals({ totals, showShipping }: { totals: Totals; showShipping: boolean }) {
  const { t, locale } = useI18n();
  const money = (amount: number) => formatMoney(amount, totals.currency, locale);
  return (
    <dl className="totals">
      <dt>{t('subtotal')}</dt><dd>{money(totals.subtotal)}</dd>
      {totals.discountTotal > 0 && (<><dt>{t('discount')}</dt><dd>−{money(totals.discountTotal)}</dd></>)}
      {showShipping && (<><dt>{t('shippingFee')}</dt><dd data-testid="shipping-total">{totals.shippingTotal === 0 ? t('freeShipping') : money(totals.shippingTotal)}</dd></>)}
      {totals.taxTotal > 0 && (<><dt>{t(totals.pricesIncludeTax ? 'taxIncluded' : 'taxAdded')}</dt><dd data-testid="tax-total">{money(totals.taxTotal)}</dd></>)}
      <dt>{t('total')}</dt><dd className="price" data-testid="order-total">{money(totals.total)}</dd>
      {(totals.tenderTotal ?? 0) > 0 && (
        <>
          <dt>{t('paidWithTenders')}</dt><dd data-testid="tender-total">−{money(totals.tenderTotal!)}</dd>
          <dt>{t('toPay')}</dt><dd className="price" data-testid="amount-due">{money(totals.total - totals.tenderTotal!)}</dd>
        </>
      )}
    </dl>
  );
}
