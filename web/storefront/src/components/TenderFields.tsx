import { useState } from 'react';
import { api, ApiError } from '../api.ts';
import { formatMoney, useI18n } from '../i18n.tsx';
import { useFetch } from '../../../shared/useFetch.ts';

export interface TenderDraft {
  giftCard: { code: string; balance: number } | null;
  useStoreCredit: boolean;
}

export const NO_TENDERS: TenderDraft = { giftCard: null, useStoreCredit: false };

/** The tenders as the checkout API takes them: the gift card first, then store credit. */
export function tendersBody(draft: TenderDraft) {
  const tenders = [...(draft.giftCard ? [{ kind: 'gift_card', code: draft.giftCard.code }] : []), ...(draft.useStoreCredit ? [{ kind: 'store_credit' }] : [])];
  return tenders.length > 0 ? tenders : undefined;
}

/** What the tenders will cover of `total`, as checkout will take it (the server has the last word). */
export function coveredBy(draft: TenderDraft, total: number, storeCredit: number): number {
  const card = Math.min(draft.giftCard?.balance ?? 0, total);
  return card + (draft.useStoreCredit ? Math.min(storeCredit, total - card) : 0);
}

export function useStoreCreditBalance(currency: string): number {
  const credit = useFetch(() => api<{ balances: { currency: string; balance: number }[] }>('GET', '/api/store/account/store-credit'), []);
  return credit.data?.balances.find((b) => b.currency === currency)?.balance ?? 0;
}

/** A gift card to apply (its balance checked at once) and the shopper's store credit. */
export function TenderFields({ draft, currency, storeCredit, onChange }: { draft: TenderDraft; currency: string; storeCredit: number; onChange(draft: TenderDraft): void }) {
  const { t, locale } = useI18n();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function apply() {
    setError(null);
    try {
      const card = await api<{ balance: number; currency: string }>('GET', `/api/store/gift-cards/balance?code=${encodeURIComponent(code.trim())}`);
      if (card.currency !== currency) return setError(t('giftCardOtherCurrency'));
      onChange({ ...draft, giftCard: { code: code.trim(), balance: card.balance } });
    } catch (problem) {
      setError(problem instanceof ApiError ? problem.message : String(problem));
    }
  }

  return (
    <fieldset className="tenders">
      <legend>{t('giftCardAndCredit')}</legend>
      {draft.giftCard ? (
        <p>
          {t('giftCardApplied', { balance: formatMoney(draft.giftCard.balance, currency, locale) })}{' '}
          <button type="button" className="link" onClick={() => onChange({ ...draft, giftCard: null })}>{t('remove')}</button>
        </p>
      ) : (
        <div className="coupon">
          <label htmlFor="gift-card">{t('giftCard')}</label>
          <input id="gift-card" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" />
          <button type="button" className="secondary" onClick={() => void apply()} disabled={!code.trim()}>{t('apply')}</button>
        </div>
      )}
      {error && <p role="alert">{error}</p>}
      {storeCredit > 0 && (
        <label>
          <input type="checkbox" checked={draft.useStoreCredit} onChange={(e) => onChange({ ...draft, useStoreCredit: e.target.checked })} />{' '}
          {t('useStoreCredit', { balance: formatMoney(storeCredit, currency, locale) })}
        </label>
      )}
    </fieldset>
  );
}
