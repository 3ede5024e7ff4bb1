import { useMemo } from 'react';
import { Link } from 'react-router';
import { formatMoney, useI18n } from '../i18n.tsx';
import { useFetch } from '../../../shared/useFetch.ts';
import { Countdown, loadWithServerClock, phaseAt, useServerNow, type FlashSale } from './FlashSalePage.tsx';
import './flash.css';

/** Live and upcoming flash sales, each with its countdown by the server's clock. */
export function FlashSalesPage() {
  const { t, locale } = useI18n();
  const loaded = useFetch(() => loadWithServerClock<{ items: FlashSale[]; serverTime: string }>(`/api/store/flash-sales?locale=${locale}`), [locale]);
  return (
    <section aria-labelledby="flash-sales-heading" aria-busy={loaded.loading}>
      <h1 id="flash-sales-heading">{t('flashSales')}</h1>
      {loaded.error && <p role="alert">{loaded.error}</p>}
      {loaded.data ? <SaleList sales={loaded.data.data.items} offset={loaded.data.offset} /> : !loaded.error && <p className="muted">{t('loading')}</p>}
    </section>
  );
}

function SaleList({ sales, offset }: { sales: FlashSale[]; offset: number }) {
  const { t } = useI18n();
  const now = useServerNow(offset);
  // Live first, then soonest; sorted once per load so cards don't move while the shopper reads.
  const sorted = useMemo(
    () => [...sales].sort((a, b) => Number(b.phase === 'live') - Number(a.phase === 'live') || Date.parse(a.startsAt) - Date.parse(b.startsAt)),
    [sales],
  );
  if (sorted.length === 0) return <p className="empty">{t('flashNone')}</p>;
  return (
    <ul className="flash-list">
      {sorted.map((sale) => (
        <li key={sale.id}>
          <SaleCard sale={sale} now={now} />
        </li>
      ))}
    </ul>
  );
}

const PHASE_LABEL = { live: 'flashLive', upcoming: 'flashUpcoming', ended: 'flashEnded' } as const;

function SaleCard({ sale, now }: { sale: FlashSale; now: number }) {
  const { t, locale } = useI18n();
  const phase = phaseAt(sale, now);
  // Two sales of one product differ only in the variant.
  const options = Object.values(sale.optionValues).join(' / ');
  return (
    <article className="flash-card">
      <h2><Link to={`/flash/${encodeURIComponent(sale.id)}`}>{sale.title}</Link></h2>
      {options && <p className="muted">{options}</p>}
      <span className={`flash-phase flash-${phase}`}>{t(PHASE_LABEL[phase])}</span>
      <p>
        <span className="price">{formatMoney(sale.price, sale.currency, locale)}</span>{' '}
        <span className="muted">· {t('flashQuantity', { n: sale.quantity })} · {t('flashLimit', { n: sale.perCustomerLimit })}</span>
      </p>
      <Countdown sale={sale} now={now} soldOut={false} />
    </article>
  );
}
