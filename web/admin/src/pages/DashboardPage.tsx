import { Link } from 'react-router';
import { formatMoney } from '../../../shared/money.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { BarChart } from '../components/BarChart.tsx';
import { Loaded, StatusBadge } from '../components/States.tsx';
import { defineMessages, pickText, useLocale, useMessages } from '../i18n.tsx';
import { statusMessages, type StatusKey } from '../labels.ts';
import { useSession } from '../session.tsx';

const messages = defineMessages({
  en: {
    title: 'Dashboard', ordersToday: "Today's orders", revenueToday: "Today's revenue", awaitingPayment: 'Awaiting payment', toFulfil: 'To ship',
    chart: 'Orders per day, last {n} days', bar: '{date}: {orders} orders, {revenue} revenue', recent: 'Recent orders', noOrders: 'No orders yet',
    order: 'Order', items: 'Items', total: 'Total', status: 'Status', placed: 'Placed', all: 'All orders',
  },
  'zh-CN': {
    title: '概览', ordersToday: '今日订单', revenueToday: '今日销售额', awaitingPayment: '待支付', toFulfil: '待发货',
    chart: '近 {n} 天每日订单数', bar: '{date}：{orders} 单，销售额 {revenue}', recent: '最新订单', noOrders: '还没有订单',
    order: '订单', items: '商品', total: '金额', status: '状态', placed: '下单时间', all: '全部订单',
  },
});

interface SalesReport {
  currency: string;
  days: { date: string; orders: number; paidOrders: number; revenue: number }[];
  today: { orders: number; revenue: number };
  awaitingPayment: number;
  toFulfil: number;
}

interface OrderSummary {
  id: string;
  status: StatusKey;
  currency: string;
  total: number;
  createdAt: string;
  lines: { title: Record<string, string>; quantity: number }[];
}

const DAYS = 14;
// "Today" is the staff member's today, wherever the server runs.
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function DashboardPage() {
  const t = useMessages(messages);
  const { api } = useSession();
  const report = useFetch(() => api<SalesReport>('GET', `/api/admin/dashboard?days=${DAYS}&timeZone=${encodeURIComponent(TIME_ZONE)}`), [api]);
  const recent = useFetch(() => api<{ items: OrderSummary[] }>('GET', '/api/admin/orders?limit=8'), [api]);
  return (
    <>
      <h1>{t('title')}</h1>
      <Loaded fetched={report}>{(data) => <Figures report={data} />}</Loaded>
      <h2>{t('recent')}</h2>
      <Loaded fetched={recent} isEmpty={(data) => data.items.length === 0} empty={t('noOrders')}>
        {(data) => <RecentOrders orders={data.items} />}
      </Loaded>
      <p><Link to="/orders">{t('all')} →</Link></p>
    </>
  );
}

function Figures({ report }: { report: SalesReport }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const money = (amount: number) => formatMoney(amount, report.currency, locale);
  const dayLabel = (date: string) => date.slice(5).replace('-', '/');
  return (
    <>
      <div className="stats">
        <Stat label={t('ordersToday')} value={String(report.today.orders)} />
        <Stat label={t('revenueToday')} value={money(report.today.revenue)} />
        <Stat label={t('awaitingPayment')} value={String(report.awaitingPayment)} />
        <Stat label={t('toFulfil')} value={String(report.toFulfil)} link="/orders?status=paid" />
      </div>
      <section className="card">
        <h2 id="chart-title" style={{ marginTop: 0 }}>{t('chart', { n: report.days.length })}</h2>
        <BarChart
          title={t('chart', { n: report.days.length })}
          bars={report.days.map((day) => ({
            label: dayLabel(day.date),
            value: day.orders,
            description: t('bar', { date: day.date, orders: day.orders, revenue: money(day.revenue) }),
          }))}
        />
      </section>
    </>
  );
}

function Stat({ label, value, link }: { label: string; value: string; link?: string }) {
  return (
    <div className="card stat">
      <div className="label">{link ? <Link to={link}>{label}</Link> : label}</div>
      <div className="value" data-testid={label}>{value}</div>
    </div>
  );
}

function RecentOrders({ orders }: { orders: OrderSummary[] }) {
  const t = useMessages(messages);
  const status = useMessages(statusMessages);
  const { locale } = useLocale();
  return (
    <table>
      <thead>
        <tr><th>{t('order')}</th><th>{t('placed')}</th><th>{t('items')}</th><th className="num">{t('total')}</th><th>{t('status')}</th></tr>
      </thead>
      <tbody>
        {orders.map((order) => (
          <tr key={order.id}>
            <td><Link to={`/orders/${order.id}`}>{order.id}</Link></td>
            <td>{new Date(order.createdAt).toLocaleString(locale)}</td>
            <td>{order.lines.map((line) => `${pickText(line.title, locale)} × ${line.quantity}`).join(', ')}</td>
            <td className="num">{formatMoney(order.total, order.currency, locale)}</td>
            <td><StatusBadge status={order.status} label={status(order.status)} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
