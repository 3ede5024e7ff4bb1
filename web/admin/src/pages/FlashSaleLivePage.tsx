import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, messageOf } from '../../../shared/http.ts';
import { formatMoney } from '../../../shared/money.ts';
import { defineMessages, pickText, useLocale, useMessages, type Locale } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { formatTime, PhaseBadge, type FlashSale } from './FlashSalesPage.tsx';
import './flash.css';

const messages = defineMessages({
  en: {
    back: 'All flash sales', loading: 'Loading…', sold: 'Sold', remaining: 'Remaining', paid: 'Paid', cancelled: 'Cancelled',
    attempts: 'Attempts / s', admitted: 'Admitted / s', progress: 'Sold {sold} of {quantity}', progressLabel: 'Sold so far',
    startsIn: 'Starts in {time}', endsIn: 'Ends in {time}', ended: 'Ended', sku: 'SKU', price: 'Flash price', window: 'Window', between: '{start} – {end}',
    limit: 'Limit per customer', paymentMinutes: 'Payment minutes', chart: 'Attempts per second', chartNone: 'No figures yet',
    chartLabel: 'Attempts per second over the last {n} updates: peak {peak}, now {now}', stale: 'Live figures paused: {message}. Trying again every second.',
    stopped: 'Live figures stopped: {message}', clockNote: 'Countdown by this computer’s clock; the phase is the server’s.',
  },
  'zh-CN': {
    back: '全部秒杀', loading: '加载中…', sold: '已售', remaining: '剩余', paid: '已付款', cancelled: '已取消',
    attempts: '每秒请求', admitted: '每秒成交', progress: '已售 {sold} / {quantity}', progressLabel: '销售进度',
    startsIn: '距开始 {time}', endsIn: '距结束 {time}', ended: '已结束', sku: 'SKU', price: '秒杀价', window: '活动时间', between: '{start} – {end}',
    limit: '每人限购', paymentMinutes: '付款时限（分钟）', chart: '每秒请求数', chartNone: '暂无数据',
    chartLabel: '最近 {n} 次更新的每秒请求数：峰值 {peak}，当前 {now}', stale: '实时数据暂停：{message}。每秒自动重试。',
    stopped: '实时数据已停止：{message}', clockNote: '倒计时按本机时钟计算；阶段以服务器为准。',
  },
});

interface LiveSale extends FlashSale {
  live: { quantity: number; sold: number; paid: number; cancelled: number; remaining: number; attemptsPerSecond: number; admittedPerSecond: number };
}

const POLL_MS = 1_000;
const HISTORY = 60;

/** One flash sale, live: figures polled every second, with a sparkline of attempts per second. */
export function FlashSaleLivePage() {
  const { id = '' } = useParams();
  // A new sale starts a new history.
  return <LiveView key={id} id={id} />;
}

function LiveView({ id }: { id: string }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { sale, history, error, stopped } = useLiveSale(id);
  const now = useNow();

  if (!sale) {
    return (
      <section className="flash-admin">
        <p><Link to="/flash-sales">← {t('back')}</Link></p>
        {error ? <p role="alert" className="form-error">{t('stopped', { message: error })}</p> : <div className="skeleton" aria-busy="true">{t('loading')}</div>}
      </section>
    );
  }

  const title = pickText(sale.title, locale);
  return (
    <section className="flash-admin flash-live-page" aria-labelledby="flash-live-title">
      <p><Link to="/flash-sales">← {t('back')}</Link></p>
      <div className="flash-live-head">
        <h1 id="flash-live-title">{title}</h1>
        <PhaseBadge phase={sale.phase} />
        <Clock sale={sale} now={now} />
      </div>
      <p className="hint">{t('clockNote')}</p>
      <Facts sale={sale} locale={locale} />
      <Figures live={sale.live} locale={locale} />
      <Progress sold={sale.live.sold} quantity={sale.live.quantity} locale={locale} />
      <section className="card flash-chart" aria-labelledby="flash-chart-title">
        <h2 id="flash-chart-title">{t('chart')}</h2>
        <Sparkline values={history} locale={locale} />
      </section>
      {/* Kept in the layout, so the page doesn't move when a poll fails or recovers. */}
      <p role="alert" className="form-error flash-poll-error">{error && t(stopped ? 'stopped' : 'stale', { message: error })}</p>
    </section>
  );
}

/**
 * Polls the sale every second, one request at a time (a slow answer delays the next instead of
 * piling requests up), keeping the last figures on screen while the next ones load.
 */
function useLiveSale(id: string) {
  const { api } = useSession();
  const [state, setState] = useState<{ sale?: LiveSale; history: number[]; error?: string; stopped: boolean }>({ history: [], stopped: false });
  useEffect(() => {
    let active = true;
    let timer = 0;
    async function poll() {
      const started = Date.now();
      // A background tab needs no figures; polling resumes when it is looked at again.
      if (!document.hidden) {
        try {
          const sale = await api<LiveSale>('GET', `/api/admin/flash-sales/${encodeURIComponent(id)}`);
          if (!active) return;
          setState((current) => ({ sale, history: [...current.history, sale.live.attemptsPerSecond].slice(-HISTORY), stopped: false }));
        } catch (error) {
          if (!active) return;
          // No such sale, or not allowed: asking again every second won't change that.
          const final = error instanceof ApiError && [403, 404].includes(error.problem.status);
          setState((current) => ({ ...current, error: messageOf(error), stopped: final }));
          if (final) return;
        }
      }
      if (active) timer = window.setTimeout(() => void poll(), Math.max(0, POLL_MS - (Date.now() - started)));
    }
    void poll();
    return () => {
      active = false;
      window.clearTimeout(timer);
    };
  }, [api, id]);
  return state;
}

/** This computer's time, once a second, so the countdown moves even when a poll is slow. */
function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

function Clock({ sale, now }: { sale: LiveSale; now: number }) {
  const t = useMessages(messages);
  const text =
    sale.phase === 'upcoming' ? t('startsIn', { time: formatCountdown(Date.parse(sale.startsAt) - now) })
    : sale.phase === 'live' ? t('endsIn', { time: formatCountdown(Date.parse(sale.endsAt) - now) })
    : t('ended');
  return <span role="timer" className="flash-clock" data-testid="countdown">{text}</span>;
}

function Facts({ sale, locale }: { sale: LiveSale; locale: Locale }) {
  const t = useMessages(messages);
  const options = Object.values(sale.optionValues).join(' / ');
  return (
    <dl className="facts flash-facts">
      <dt>{t('sku')}</dt>
      <dd className="code">{sale.sku}{options && ` (${options})`}</dd>
      <dt>{t('price')}</dt>
      <dd>{formatMoney(sale.price, sale.currency, locale)}</dd>
      <dt>{t('window')}</dt>
      <dd>{t('between', { start: formatTime(sale.startsAt, locale), end: formatTime(sale.endsAt, locale) })}</dd>
      <dt>{t('limit')}</dt>
      <dd>{sale.perCustomerLimit}</dd>
      <dt>{t('paymentMinutes')}</dt>
      <dd>{sale.paymentMinutes}</dd>
    </dl>
  );
}

function Figures({ live, locale }: { live: LiveSale['live']; locale: Locale }) {
  const t = useMessages(messages);
  const whole = new Intl.NumberFormat(locale);
  // Rates are averages over a few seconds, so they have a fraction.
  const rate = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return (
    <div className="stats flash-figures">
      <Figure label={t('sold')} value={whole.format(live.sold)} testId="sold" />
      <Figure label={t('remaining')} value={whole.format(live.remaining)} testId="remaining" />
      <Figure label={t('paid')} value={whole.format(live.paid)} testId="paid" />
      <Figure label={t('cancelled')} value={whole.format(live.cancelled)} testId="cancelled" />
      <Figure label={t('attempts')} value={rate.format(live.attemptsPerSecond)} testId="attempts-per-second" />
      <Figure label={t('admitted')} value={rate.format(live.admittedPerSecond)} testId="admitted-per-second" />
    </div>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  const labelId = `flash-figure-${testId}`;
  return (
    <div className="card stat" role="group" aria-labelledby={labelId}>
      <div className="label" id={labelId}>{label}</div>
      <div className="value" data-testid={testId}>{value}</div>
    </div>
  );
}

function Progress({ sold, quantity, locale }: { sold: number; quantity: number; locale: Locale }) {
  const t = useMessages(messages);
  const share = quantity > 0 ? Math.min(1, sold / quantity) : 0;
  const text = `${t('progress', { sold, quantity })} (${new Intl.NumberFormat(locale, { style: 'percent' }).format(share)})`;
  return (
    <div className="flash-progress">
      <div className="flash-progress-track" role="progressbar" aria-label={t('progressLabel')} aria-valuemin={0} aria-valuemax={quantity} aria-valuenow={sold} aria-valuetext={text}>
        <div className="flash-progress-fill" style={{ width: `${share * 100}%` }} />
      </div>
      <p className="flash-progress-text">{text}</p>
    </div>
  );
}

const SPARK_WIDTH = 600;
const SPARK_HEIGHT = 80;
const SPARK_PAD = 4;

/**
 * The last polls' attempts per second as a line, in plain SVG like BarChart: one small line
 * doesn't justify a charting library. The newest value is always at the right edge.
 */
function Sparkline({ values, locale }: { values: number[]; locale: Locale }) {
  const t = useMessages(messages);
  const rate = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const peak = Math.max(0, ...values);
  const top = Math.max(1, peak);
  const step = (SPARK_WIDTH - 2 * SPARK_PAD) / (HISTORY - 1);
  const offset = HISTORY - values.length;
  const points = values.map((value, index) => {
    const x = SPARK_PAD + (offset + index) * step;
    const y = SPARK_HEIGHT - SPARK_PAD - (value / top) * (SPARK_HEIGHT - 2 * SPARK_PAD);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  const label = values.length === 0 ? t('chartNone') : t('chartLabel', { n: values.length, peak: rate.format(peak), now: rate.format(values.at(-1)!) });
  const baseline = SPARK_HEIGHT - SPARK_PAD;
  return (
    <>
      <svg className="flash-sparkline" viewBox={`0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`} preserveAspectRatio="none" role="img" aria-labelledby="flash-sparkline-label">
      <line className="flash-sparkline-axis" x1={SPARK_PAD} x2={SPARK_WIDTH - SPARK_PAD} y1={baseline} y2={baseline} />
      {points.length > 1 && (
        <>
          <polygon className="flash-sparkline-area" points={`${points[0]!.split(',')[0]},${baseline} ${points.join(' ')} ${points.at(-1)!.split(',')[0]},${baseline}`} />
          <polyline className="flash-sparkline-line" points={points.join(' ')} />
        </>
      )}
      </svg>
      <p id="flash-sparkline-label" className="hint flash-sparkline-label">{label}</p>
    </>
  );
}
