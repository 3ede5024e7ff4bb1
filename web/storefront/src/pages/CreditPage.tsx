import { useState, type FormEvent } from 'react';
import { useFetch } from '../../../shared/useFetch.ts';
import { api, ApiError } from '../api.ts';
import { formatMoney, useI18n, type MessageKey } from '../i18n.tsx';
import { useStore } from '../store.tsx';

interface Movement {
  operationId: string;
  leg: number;
  kind: string;
  amount: number;
  currency: string;
  orderId: string | null;
  at: string;
}

interface StoreCredit {
  balances: { currency: string; balance: number }[];
  history: Movement[];
}

/** Gift card balance checker for anyone; the signed-in customer's store credit and its history. */
export function CreditPage() {
  const { t } = useI18n();
  const { signedIn } = useStore();
  return (
    <section className="credit">
      <h1>{t('creditTitle')}</h1>
      <GiftCardBalance />
      {signedIn && <StoreCreditPanel />}
    </section>
  );
}

const CARD_PROBLEMS: Record<string, MessageKey> = {
  gift_card_not_found: 'giftCardNotFound',
  gift_card_expired: 'giftCardExpired',
  gift_card_disabled: 'giftCardDisabled',
  gift_card_lookups_throttled: 'giftCardThrottled',
};

function GiftCardBalance() {
  const { t, locale } = useI18n();
  const [code, setCode] = useState('');
  const [result, setResult] = useState<{ balance: number; currency: string; code: string; expiresAt: string | null } | null>(null);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  async function check(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem('');
    setResult(null);
    try {
      setResult(await api('GET', `/api/store/gift-cards/balance?code=${encodeURIComponent(code.trim())}`));
    } catch (error) {
      const key = error instanceof ApiError ? CARD_PROBLEMS[error.problem.code] : undefined;
      setProblem(key ? t(key) : (error as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={check} aria-labelledby="gift-card-heading">
      <h2 id="gift-card-heading">{t('giftCardBalance')}</h2>
      <label htmlFor="gift-card-code">{t('giftCardCode')}</label>
      <input id="gift-card-code" value={code} required maxLength={40} autoComplete="off" placeholder="XXXX-XXXX-XXXX-XXXX" onChange={(e) => setCode(e.target.value)} />
      <button type="submit" disabled={busy}>{t('giftCardCheck')}</button>
      <p role="status" className="gift-card-result">
        {result && t('giftCardHas', { code: result.code, balance: formatMoney(result.balance, result.currency, locale) })}
        {result?.expiresAt && ` ${t('giftCardExpires', { date: new Date(result.expiresAt).toLocaleDateString(locale) })}`}
      </p>
      {problem && <p role="alert" className="error">{problem}</p>}
    </form>
  );
}

function StoreCreditPanel() {
  const { t, locale } = useI18n();
  const credit = useFetch(() => api<StoreCredit>('GET', '/api/store/account/store-credit'), []);
  if (credit.error) return <p role="alert">{credit.error}</p>;
  if (!credit.data) return <p>{t('loading')}</p>;
  const { balances, history } = credit.data;
  return (
    <div aria-labelledby="store-credit-heading">
      <h2 id="store-credit-heading">{t('storeCredit')}</h2>
      <p className="store-credit-balance">
        {balances.length === 0 ? t('storeCreditNone') : balances.map((entry) => formatMoney(entry.balance, entry.currency, locale)).join(' · ')}
      </p>
      {history.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('creditWhen')}</th>
              <th scope="col">{t('creditWhat')}</th>
              <th scope="col" className="num">{t('creditAmount')}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((entry) => (
              <tr key={`${entry.operationId}:${entry.leg}`}>
                <td>{new Date(entry.at).toLocaleString(locale)}</td>
                <td>{t(MOVEMENT_KINDS[entry.kind] ?? 'creditOther')}{entry.orderId ? ` · ${entry.orderId}` : ''}</td>
                <td className="num">{entry.amount > 0 ? '+' : ''}{formatMoney(entry.amount, entry.currency, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

const MOVEMENT_KINDS: Record<string, MessageKey> = {
  'store_credit.granted': 'creditGranted',
  'tender.held': 'creditSpent',
  'tender.released': 'creditReturned',
  'tender.refunded': 'creditRefunded',
};
