import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../api.ts';
import { formatMoney, useI18n, type MessageKey } from '../i18n.tsx';
import { ADDRESS_FIELDS } from '../addressFields.ts';
import { useStore } from '../store.tsx';
import { useFetch } from '../../../shared/useFetch.ts';
import './flash.css';

export type Phase = 'upcoming' | 'live' | 'ended';

export interface FlashSale {
  id: string;
  sku: string;
  optionValues: Record<string, string>;
  title: string;
  /** Minor units of `currency`. */
  price: number;
  currency: string;
  quantity: number;
  perCustomerLimit: number;
  paymentMinutes: number;
  startsAt: string;
  endsAt: string;
  phase: Phase;
  status: string;
}

interface SaleDetail extends FlashSale {
  serverTime: string;
  soldOut: boolean;
}

/**
 * A GET that also says how far the server's clock is from this device's. The server read its
 * clock somewhere inside the round trip; the middle of it is the best guess of when.
 */
export async function loadWithServerClock<T extends { serverTime: string }>(path: string): Promise<{ data: T; offset: number }> {
  const sent = Date.now();
  const data = await api<T>('GET', path);
  return { data, offset: Date.parse(data.serverTime) - (sent + Date.now()) / 2 };
}

// Waking a few ms after the boundary makes sure the countdown has really reached it.
const TICK_SLACK_MS = 5;

/**
 * The server's time, ticking once a second. A shopper's clock may be minutes off; the sale starts
 * by the server's. Ticks land on the server's second boundaries shifted by `alignMs` (the start's
 * milliseconds), so the button turns on the moment the countdown shows zero.
 */
export function useServerNow(offset: number, alignMs = 0): number {
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    let timer = 0;
    const tick = () => {
      const current = Date.now() + offset;
      setNow(current);
      const untilBoundary = (((alignMs - current) % 1000) + 1000) % 1000 || 1000;
      timer = window.setTimeout(tick, untilBoundary + TICK_SLACK_MS);
    };
    tick();
    return () => window.clearTimeout(timer);
  }, [offset, alignMs]);
  return now;
}

/** The phase at `now`, by the same rule as the server. */
export function phaseAt(sale: Pick<FlashSale, 'startsAt' | 'endsAt' | 'status'>, now: number): Phase {
  if (now < Date.parse(sale.startsAt)) return 'upcoming';
  return now < Date.parse(sale.endsAt) && sale.status === 'scheduled' ? 'live' : 'ended';
}

/** hh:mm:ss, rounded up so "00:00:00" is only ever shown at the very moment it starts. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

/** "Starts in …", "Ends in …", "Sold out" or "Ended". A timer: screen readers don't announce every tick. */
export function Countdown({ sale, now, soldOut, testId }: { sale: FlashSale; now: number; soldOut: boolean; testId?: string }) {
  const { t } = useI18n();
  const phase = phaseAt(sale, now);
  const state = phase === 'live' && soldOut ? 'soldout' : phase;
  const text = {
    upcoming: () => t('flashStartsIn', { time: formatCountdown(Date.parse(sale.startsAt) - now) }),
    live: () => t('flashEndsIn', { time: formatCountdown(Date.parse(sale.endsAt) - now) }),
    soldout: () => t('flashSoldOut'),
    ended: () => t('flashEnded'),
  }[state]();
  return <p role="timer" className={`flash-countdown flash-${state}`} data-testid={testId}>{text}</p>;
}

/** One flash sale: price, countdown by the server's clock, the address, and the buy button. */
export function FlashSalePage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const loaded = useFetch(() => loadWithServerClock<SaleDetail>(`/api/store/flash-sales/${encodeURIComponent(id)}?locale=${locale}`), [id, locale]);
  if (loaded.error) return <p role="alert">{loaded.error}</p>;
  if (!loaded.data) return <p className="muted" aria-busy="true">{t('loading')}</p>;
  return <SaleView key={id} sale={loaded.data.data} offset={loaded.data.offset} checking={loaded.loading} onCheckAgain={loaded.reload} />;
}

function SaleView({ sale, offset, checking, onCheckAgain }: { sale: SaleDetail; offset: number; checking: boolean; onCheckAgain(): void }) {
  const { t, locale } = useI18n();
  const { signedIn } = useStore();
  const now = useServerNow(offset, Date.parse(sale.startsAt) % 1000);
  const purchase = usePurchase(sale.id, offset);
  const outcome = purchase.outcome;
  // What an attempt found out is newer than what the page loaded with.
  const soldOut = sale.soldOut || outcome?.kind === 'sold_out';
  const phase = outcome?.kind === 'ended' ? 'ended' : phaseAt(sale, now);
  const options = Object.values(sale.optionValues).join(' / ');

  function checkAgain() {
    purchase.clear();
    onCheckAgain();
  }

  return (
    <article className="flash-sale" aria-labelledby="flash-title">
      <h1 id="flash-title">{sale.title}</h1>
      {options && <p className="muted">{options}</p>}
      <p className="flash-price">
        <span className="muted">{t('flashPrice')}</span> <span className="price large">{formatMoney(sale.price, sale.currency, locale)}</span>
      </p>
      <ul className="flash-facts">
        <li>{t('flashQuantity', { n: sale.quantity })}</li>
        <li>{t('flashLimit', { n: sale.perCustomerLimit })}</li>
      </ul>
      <Countdown sale={sale} now={now} soldOut={soldOut} testId="countdown" />
      {soldOut && phase === 'live' && (
        <button type="button" className="secondary" onClick={checkAgain} disabled={checking}>{t('flashCheckAgain')}</button>
      )}
      {signedIn ? (
        <BuyForm sale={sale} offset={offset} canBuy={phase === 'live' && !soldOut} upcoming={phase === 'upcoming'} purchase={purchase} />
      ) : (
        <p><Link className="primary" to={`/login?next=/flash/${encodeURIComponent(sale.id)}`}>{t('flashSignIn')}</Link></p>
      )}
    </article>
  );
}

interface BuyFormProps {
  sale: FlashSale;
  offset: number;
  canBuy: boolean;
  upcoming: boolean;
  purchase: Purchase;
}

function BuyForm({ sale, offset, canBuy, upcoming, purchase }: BuyFormProps) {
  const { t } = useI18n();
  const [address, setAddress] = useSavedAddress();
  const { outcome, busy, coolingDown } = purchase;
  const fieldErrors = outcome?.kind === 'fields' ? outcome.error : null;

  // Take the shopper to the first field to fix, so they don't hunt for it with the clock running.
  useEffect(() => {
    const first = fieldErrors?.problem.errors?.[0]?.path.replace(/^(body\.)?shippingAddress\./, '');
    if (first) document.getElementById(`flash-${first}`)?.focus();
  }, [fieldErrors]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const missing = ADDRESS_FIELDS.filter((field) => field.required && !address[field.name]?.trim());
    if (missing.length > 0) {
      purchase.refuseLocally(new ApiError({
        status: 400,
        code: 'address_incomplete',
        detail: t('flashOutAddress'),
        errors: missing.map((field) => ({ path: `shippingAddress.${field.name}`, message: t('flashRequired') })),
      }));
      return;
    }
    const shippingAddress = Object.fromEntries(Object.entries(address).map(([name, value]) => [name, value.trim()]).filter(([, value]) => value !== ''));
    void purchase.buy(shippingAddress);
  }

  const admitted = outcome?.kind === 'admitted';
  return (
    <form className="flash-buy" onSubmit={submit} noValidate>
      <AddressFields address={address} onChange={setAddress} error={fieldErrors} />
      {upcoming && <p className="muted">{t('flashWaitForStart')}</p>}
      <button type="submit" className="primary flash-buy-button" disabled={!canBuy || busy || coolingDown || admitted} aria-busy={busy}>{t('flashBuy')}</button>
      <div className="flash-result">
        <OutcomeMessage outcome={outcome} sale={sale} offset={offset} />
        {outcome?.kind === 'admitted' && <PayButton orderId={outcome.orderId} />}
        {outcome?.kind === 'signin' && <Link to={`/login?next=/flash/${encodeURIComponent(sale.id)}`}>{t('login')}</Link>}
        {outcome?.kind === 'limit_reached' && <Link to="/orders">{t('orders')}</Link>}
      </div>
    </form>
  );
}

type Address = Record<string, string>;


const ADDRESS_KEY = 'bazaar.flash.address';

function readAddress(): Address {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(ADDRESS_KEY) ?? '{}');
    const entries = Object.entries(saved && typeof saved === 'object' ? saved : {}).filter(([name, value]) => typeof value === 'string' && ADDRESS_FIELDS.some((field) => field.name === name));
    return { country: 'CN', ...(Object.fromEntries(entries) as Address) };
  } catch {
    return { country: 'CN' };
  }
}

/** The address, kept on this device: a shopper coming back for the next sale doesn't type it again. */
function useSavedAddress(): [Address, (name: string, value: string) => void] {
  const [address, setAddress] = useState<Address>(readAddress);
  useEffect(() => localStorage.setItem(ADDRESS_KEY, JSON.stringify(address)), [address]);
  return [address, (name, value) => setAddress((current) => ({ ...current, [name]: value }))];
}

function AddressFields({ address, onChange, error }: { address: Address; onChange(name: string, value: string): void; error: ApiError | null }) {
  const { t } = useI18n();
  return (
    <fieldset className="flash-address">
      <legend>{t('shipping')}</legend>
      <p className="muted" id="flash-address-hint">{t('flashAddressHint')}</p>
      {ADDRESS_FIELDS.map((field) => {
        const id = `flash-${field.name}`;
        const message = error?.fieldMessage(`shippingAddress.${field.name}`);
        return (
          <div key={field.name} className="field">
            <label htmlFor={id}>{t(field.label)}{field.required && ' *'}</label>
            <input id={id} name={field.name} autoComplete={field.autoComplete} required={field.required}
              aria-invalid={message ? true : undefined} aria-describedby={message ? `${id}-error` : undefined}
              value={address[field.name] ?? ''}
              // The server wants an ISO code such as CN; typing "cn" is not a mistake worth a message.
              onChange={(e) => onChange(field.name, field.name === 'country' ? e.target.value.toUpperCase() : e.target.value)} />
            {message && <span id={`${id}-error`} className="error">{message}</span>}
          </div>
        );
      })}
    </fieldset>
  );
}

type Refusal = 'sold_out' | 'limit_reached' | 'ended' | 'not_started';
const REFUSALS: readonly string[] = ['sold_out', 'limit_reached', 'ended', 'not_started'] satisfies Refusal[];

type Outcome =
  | { kind: 'trying' }
  | { kind: 'admitted'; orderId: string; paymentDeadline: string }
  | { kind: Refusal | 'rate_limited' | 'network' | 'signin' }
  | { kind: 'fields'; error: ApiError }
  | { kind: 'error'; message: string };

interface Admission {
  outcome: 'admitted';
  orderId: string;
  paymentDeadline: string;
}

interface PurchaseToken {
  token: string;
  expiresAt: string;
}

interface Purchase {
  outcome: Outcome | null;
  busy: boolean;
  /** Just told "too many tries": the button rests for a second. */
  coolingDown: boolean;
  buy(shippingAddress: Address): Promise<void>;
  refuseLocally(error: ApiError): void;
  clear(): void;
}

// A token this close to expiring may expire on the way; get a new one instead.
const TOKEN_MARGIN_MS = 2_000;
const RATE_LIMIT_PAUSE_MS = 1_000;

/**
 * Token, then attempt. One idempotency key per click-session: it is kept until the server gives a
 * final answer, so a retry after a lost response or a 429 replays the same purchase instead of
 * buying a second one. A refusal ends the session; the next click is a new one.
 */
function usePurchase(saleId: string, offset: number): Purchase {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [coolingDown, setCoolingDown] = useState(false);
  // Refs, not state: a double click arrives before React re-renders with busy = true.
  const running = useRef(false);
  const key = useRef<string | null>(null);
  const token = useRef<PurchaseToken | null>(null);
  const coolTimer = useRef(0);
  useEffect(() => () => window.clearTimeout(coolTimer.current), []);

  async function purchaseToken(fresh: boolean): Promise<string> {
    const held = token.current;
    if (!fresh && held && Date.parse(held.expiresAt) - TOKEN_MARGIN_MS > Date.now() + offset) return held.token;
    token.current = await api<PurchaseToken>('POST', `/api/store/flash-sales/${encodeURIComponent(saleId)}/purchase-token`);
    return token.current.token;
  }

  async function attempt(shippingAddress: Address, freshToken: boolean): Promise<Admission> {
    const body = { token: await purchaseToken(freshToken), shippingAddress };
    return api<Admission>('POST', `/api/store/flash-sales/${encodeURIComponent(saleId)}/attempts`, body, { 'idempotency-key': key.current! });
  }

  async function buy(shippingAddress: Address) {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setOutcome({ kind: 'trying' });
    key.current ??= `flash-${crypto.randomUUID()}`;
    try {
      let admission: Admission;
      try {
        admission = await attempt(shippingAddress, false);
      } catch (error) {
        if (!(error instanceof ApiError && error.problem.code === 'invalid_purchase_token')) throw error;
        // Expired or issued to an older session: one new token, same key, one retry.
        admission = await attempt(shippingAddress, true);
      }
      setOutcome({ kind: 'admitted', orderId: admission.orderId, paymentDeadline: admission.paymentDeadline });
    } catch (error) {
      const next = outcomeOf(error);
      if (REFUSALS.includes(next.kind) || next.kind === 'fields') key.current = null;
      if (next.kind === 'rate_limited') {
        setCoolingDown(true);
        coolTimer.current = window.setTimeout(() => setCoolingDown(false), RATE_LIMIT_PAUSE_MS);
      }
      setOutcome(next);
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  return { outcome, busy, coolingDown, buy, refuseLocally: (error) => setOutcome({ kind: 'fields', error }), clear: () => setOutcome(null) };
}

function outcomeOf(error: unknown): Outcome {
  if (!(error instanceof ApiError)) return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  const { status, code } = error.problem;
  if (status === 0) return { kind: 'network' };
  if (status === 429) return { kind: 'rate_limited' };
  if (REFUSALS.includes(code)) return { kind: code as Refusal };
  if (error.hasFieldErrors('shippingAddress')) return { kind: 'fields', error };
  if (status === 401 && code === 'unauthenticated') return { kind: 'signin' };
  return { kind: 'error', message: error.message };
}

const OUTCOME_TEXT: Record<Refusal | 'rate_limited' | 'network' | 'signin' | 'trying', MessageKey> = {
  trying: 'flashTrying',
  sold_out: 'flashOutSoldOut',
  limit_reached: 'flashOutLimit',
  ended: 'flashOutEnded',
  not_started: 'flashOutNotStarted',
  rate_limited: 'flashOutRateLimited',
  network: 'flashOutNetwork',
  signin: 'flashOutSignIn',
};

/** Always in the page, so screen readers are listening before the answer arrives. */
function OutcomeMessage({ outcome, sale, offset }: { outcome: Outcome | null; sale: FlashSale; offset: number }) {
  const { t, locale } = useI18n();
  let text = '';
  if (outcome?.kind === 'admitted') {
    // The deadline is on the server's clock; shown on the shopper's, which is what they'll look at.
    const deadline = new Date(Date.parse(outcome.paymentDeadline) - offset).toLocaleTimeString(locale);
    text = `${t('flashAdmitted', { n: sale.paymentMinutes })} · ${t('flashPayBy', { time: deadline })}`;
  } else if (outcome?.kind === 'fields') {
    text = outcome.error.problem.code === 'address_incomplete' ? t('flashOutAddress') : t('flashOutFields');
  } else if (outcome?.kind === 'error') {
    text = t('flashOutError', { message: outcome.message });
  } else if (outcome) {
    text = t(OUTCOME_TEXT[outcome.kind]);
  }
  const tone = !outcome || outcome.kind === 'trying' ? '' : outcome.kind === 'admitted' ? 'ok' : 'error';
  return <p role="status" className={`flash-outcome ${tone}`}>{text}</p>;
}

function PayButton({ orderId }: { orderId: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function pay() {
    setBusy(true);
    setError(null);
    try {
      const payment = await api<{ redirectUrl: string }>('POST', `/api/store/orders/${encodeURIComponent(orderId)}/payments`);
      window.location.assign(`${payment.redirectUrl}?return=/orders/${orderId}`);
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className="primary" onClick={() => void pay()} disabled={busy}>{t('pay')}</button>
      {error && <p role="alert">{t('flashPayFailed', { message: error })}</p>}
    </>
  );
}
