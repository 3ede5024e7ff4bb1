import { useState, type FormEvent } from 'react';
import { asApiError, type ApiError } from '../../../shared/http.ts';
import { formatMoney, parseMoney } from '../../../shared/money.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, SelectField, TextField } from '../components/Field.tsx';
import { Loaded } from '../components/States.tsx';
import { defineMessages, useLocale, useMessages } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import './orders.css';

const messages = defineMessages({
  en: {
    title: 'Gift cards', issueTitle: 'Issue a gift card', amount: 'Amount', currency: 'Currency', expiresAt: 'Expires', note: 'Note', optional: 'Optional',
    issue: 'Issue card', issued: 'Gift card issued. Its code is shown only now; copy it for the customer:', moneyInvalid: 'Enter an amount such as 50.00',
    search: 'Search (last 4 characters or note)', code: 'Code', balance: 'Balance', initial: 'Issued', status: 'Status', actions: 'Actions', none: 'No gift cards yet.',
    active: 'Active', disabled: 'Disabled', expired: 'Expired', disable: 'Disable', enable: 'Enable', movements: 'Movements', hide: 'Hide',
    creditTitle: 'Store credit', customerEmail: 'Customer e-mail', find: 'Find', reason: 'Reason', grant: 'Grant credit', granted: 'Store credit granted.',
    noCredit: 'No store credit yet.', when: 'When', what: 'What', order: 'Order',
  },
  'zh-CN': {
    title: '礼品卡', issueTitle: '发行礼品卡', amount: '面值', currency: '币种', expiresAt: '有效期至', note: '备注', optional: '选填',
    issue: '发行', issued: '礼品卡已发行。卡号只显示这一次，请复制给顾客：', moneyInvalid: '请输入金额，例如 50.00',
    search: '搜索（卡号后 4 位或备注）', code: '卡号', balance: '余额', initial: '面值', status: '状态', actions: '操作', none: '还没有礼品卡。',
    active: '可用', disabled: '已停用', expired: '已过期', disable: '停用', enable: '启用', movements: '流水', hide: '收起',
    creditTitle: '店铺余额', customerEmail: '顾客邮箱', find: '查找', reason: '原因', grant: '发放余额', granted: '店铺余额已发放。',
    noCredit: '暂无店铺余额。', when: '时间', what: '事项', order: '订单',
  },
});

interface GiftCard {
  id: string;
  code: string;
  currency: string;
  initialAmount: number;
  balance: number;
  status: 'active' | 'disabled' | 'expired';
  expiresAt: string | null;
  note: string | null;
}

interface Movement {
  operationId: string;
  leg: number;
  kind: string;
  amount: number;
  currency: string;
  orderId: string | null;
  memo: { reason?: string };
  at: string;
}

interface Platform {
  defaultCurrency: string;
  currencies: string[];
}

export function GiftCardsPage() {
  const t = useMessages(messages);
  const { api, can } = useSession();
  const [search, setSearch] = useState('');
  const cards = useFetch(() => api<{ items: GiftCard[] }>('GET', `/api/admin/gift-cards${search.trim() ? `?q=${encodeURIComponent(search.trim())}` : ''}`), [search]);
  const platform = useFetch(() => api<Platform>('GET', '/api/store/platform'), []);
  return (
    <section>
      <h1>{t('title')}</h1>
      {can('operator') && <Loaded fetched={platform}>{(found) => <IssueForm platform={found} onIssued={cards.reload} />}</Loaded>}
      <TextField id="gift-card-search" label={t('search')} type="search" value={search} maxLength={100} onChange={(e) => setSearch(e.target.value)} />
      <Loaded fetched={cards} isEmpty={(data) => data.items.length === 0} empty={t('none')}>
        {(data) => <CardTable cards={data.items} canEdit={can('operator')} onChanged={cards.reload} />}
      </Loaded>
      <Loaded fetched={platform}>{(found) => <StoreCreditPanel platform={found} canGrant={can('operator')} />}</Loaded>
    </section>
  );
}

function IssueForm({ platform, onIssued }: { platform: Platform; onIssued(): void }) {
  const t = useMessages(messages);
  const { api } = useSession();
  const [currency, setCurrency] = useState(platform.defaultCurrency);
  const [amount, setAmount] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [code, setCode] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function issue(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setCode(null);
    const minor = parseMoney(amount, currency);
    setBusy(true);
    try {
      const body = { amount: minor, currency, ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}), ...(note.trim() ? { note: note.trim() } : {}) };
      const issued = await api<{ fullCode: string }>('POST', '/api/admin/gift-cards', body);
      setCode(issued.fullCode);
      setAmount('');
      setNote('');
      onIssued();
    } catch (problem) {
      setError(asApiError(problem));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={issue} className="form" aria-labelledby="issue-heading">
      <h2 id="issue-heading">{t('issueTitle')}</h2>
      <TextField id="gift-card-amount" name="amount" label={t('amount')} inputMode="decimal" required value={amount} error={error} onChange={(e) => setAmount(e.target.value)} />
      <SelectField id="gift-card-currency" name="currency" label={t('currency')} value={currency} error={error} onChange={(e) => setCurrency(e.target.value)}>
        {platform.currencies.map((option) => <option key={option} value={option}>{option}</option>)}
      </SelectField>
      <TextField id="gift-card-expires" name="expiresAt" label={t('expiresAt')} hint={t('optional')} type="datetime-local" value={expiresAt} error={error} onChange={(e) => setExpiresAt(e.target.value)} />
      <TextField id="gift-card-note" name="note" label={t('note')} hint={t('optional')} maxLength={200} value={note} error={error} onChange={(e) => setNote(e.target.value)} />
      <FormError error={error} />
      <button type="submit" disabled={busy}>{t('issue')}</button>
      {code && <p role="status" className="notice">{t('issued')} <strong className="gift-card-code">{code}</strong></p>}
    </form>
  );
}

function CardTable({ cards, canEdit, onChanged }: { cards: GiftCard[]; canEdit: boolean; onChanged(): void }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api } = useSession();
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function toggle(card: GiftCard) {
    setError(null);
    try {
      await api('PATCH', `/api/admin/gift-cards/${encodeURIComponent(card.id)}`, { status: card.status === 'disabled' ? 'active' : 'disabled' });
      onChanged();
    } catch (problem) {
      setError(asApiError(problem));
    }
  }

  return (
    <>
      <FormError error={error} />
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('code')}</th>
              <th scope="col" className="num">{t('balance')}</th>
              <th scope="col" className="num">{t('initial')}</th>
              <th scope="col">{t('expiresAt')}</th>
              <th scope="col">{t('note')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {cards.map((card) => (
              <tr key={card.id}>
                <td><code>{card.code}</code>{open === card.id && <CardMovements id={card.id} />}</td>
                <td className="num">{formatMoney(card.balance, card.currency, locale)}</td>
                <td className="num">{formatMoney(card.initialAmount, card.currency, locale)}</td>
                <td>{card.expiresAt ? new Date(card.expiresAt).toLocaleDateString(locale) : '—'}</td>
                <td>{card.note ?? ''}</td>
                <td>{t(card.status)}</td>
                <td>
                  <button type="button" className="link" onClick={() => setOpen(open === card.id ? null : card.id)}>{t(open === card.id ? 'hide' : 'movements')}</button>
                  {canEdit && card.status !== 'expired' && ' · '}
                  {canEdit && card.status !== 'expired' && (
                    <button type="button" className="link" onClick={() => void toggle(card)}>{t(card.status === 'disabled' ? 'enable' : 'disable')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function CardMovements({ id }: { id: string }) {
  const { api } = useSession();
  const detail = useFetch(() => api<{ movements: Movement[] }>('GET', `/api/admin/gift-cards/${encodeURIComponent(id)}`), [id]);
  return <Loaded fetched={detail}>{(data) => <MovementList movements={data.movements} />}</Loaded>;
}

function MovementList({ movements }: { movements: Movement[] }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  return (
    <table className="movements">
      <thead>
        <tr>
          <th scope="col">{t('when')}</th>
          <th scope="col">{t('what')}</th>
          <th scope="col" className="num">{t('amount')}</th>
        </tr>
      </thead>
      <tbody>
        {movements.map((entry) => (
          <tr key={`${entry.operationId}:${entry.leg}`}>
            <td>{new Date(entry.at).toLocaleString(locale)}</td>
            <td>{entry.kind}{entry.orderId ? ` · ${t('order')} ${entry.orderId}` : ''}{entry.memo.reason ? ` · ${entry.memo.reason}` : ''}</td>
            <td className="num">{entry.amount > 0 ? '+' : ''}{formatMoney(entry.amount, entry.currency, locale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface StoreCredit {
  customerId: string;
  balances: { currency: string; balance: number }[];
  history: Movement[];
}

function StoreCreditPanel({ platform, canGrant }: { platform: Platform; canGrant: boolean }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api } = useSession();
  const [email, setEmail] = useState('');
  const [credit, setCredit] = useState<StoreCredit | null>(null);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');

  async function find(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setNotice('');
    try {
      setCredit(await api<StoreCredit>('GET', `/api/admin/store-credit?email=${encodeURIComponent(email.trim())}`));
    } catch (problem) {
      setCredit(null);
      setError(asApiError(problem));
    }
  }

  async function grant(event: FormEvent) {
    event.preventDefault();
    if (!credit) return;
    setError(null);
    try {
      const body = { amount: parseMoney(amount, platform.defaultCurrency), currency: platform.defaultCurrency, reason: reason.trim() };
      setCredit(await api<StoreCredit>('POST', `/api/admin/customers/${encodeURIComponent(credit.customerId)}/store-credit`, body));
      setAmount('');
      setReason('');
      setNotice(t('granted'));
    } catch (problem) {
      setError(asApiError(problem));
    }
  }

  return (
    <div aria-labelledby="credit-heading">
      <h2 id="credit-heading">{t('creditTitle')}</h2>
      <form onSubmit={find} className="form">
        <TextField id="credit-email" name="email" type="email" label={t('customerEmail')} required value={email} onChange={(e) => setEmail(e.target.value)} />
        <button type="submit">{t('find')}</button>
      </form>
      <FormError error={error} />
      <p role="status" className="notice">{notice}</p>
      {credit && (
        <>
          <p className="credit-balance">{credit.balances.length === 0 ? t('noCredit') : credit.balances.map((entry) => formatMoney(entry.balance, entry.currency, locale)).join(' · ')}</p>
          {canGrant && (
            <form onSubmit={grant} className="form">
              <TextField id="credit-amount" name="amount" label={`${t('amount')} (${platform.defaultCurrency})`} inputMode="decimal" required value={amount} error={error} onChange={(e) => setAmount(e.target.value)} />
              <TextField id="credit-reason" name="reason" label={t('reason')} required maxLength={200} value={reason} error={error} onChange={(e) => setReason(e.target.value)} />
              <button type="submit">{t('grant')}</button>
            </form>
          )}
          {credit.history.length > 0 && <MovementList movements={credit.history} />}
        </>
      )}
    </div>
  );
}
