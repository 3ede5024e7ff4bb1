import { NavLink, Navigate, Route, Routes, useLocation } from 'react-router';
import { defineMessages, useLocale, useMessages } from './i18n.tsx';
import { AttributesPage } from './pages/AttributesPage.tsx';
import { CollectionsPage } from './pages/CollectionsPage.tsx';
import { CouponsPage } from './pages/CouponsPage.tsx';
import { DashboardPage } from './pages/DashboardPage.tsx';
import { FlashSaleLivePage } from './pages/FlashSaleLivePage.tsx';
import { FlashSalesPage } from './pages/FlashSalesPage.tsx';
import { InvoicesPage } from './pages/InvoicesPage.tsx';
import { GiftCardsPage } from './pages/GiftCardsPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { OperatorPage } from './pages/OperatorPage.tsx';
import { OrderDetailPage } from './pages/OrderDetailPage.tsx';
import { OrdersPage } from './pages/OrdersPage.tsx';
import { PasswordResetPage } from './pages/PasswordResetPage.tsx';
import { ProductEditorPage } from './pages/ProductEditorPage.tsx';
import { ProductsPage } from './pages/ProductsPage.tsx';
import { ReviewsPage } from './pages/ReviewsPage.tsx';
import { ReturnsPage } from './pages/ReturnsPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { ShippingPage } from './pages/ShippingPage.tsx';
import { StaffPage } from './pages/StaffPage.tsx';
import { TaxPage } from './pages/TaxPage.tsx';
import { useSession } from './session.tsx';
import { statusMessages } from './labels.ts';

const messages = defineMessages({
  en: { console: 'Admin', dashboard: 'Dashboard', products: 'Products', attributes: 'Attributes', collections: 'Collections', orders: 'Orders', coupons: 'Coupons', giftCards: 'Gift cards & credit', reviews: 'Reviews', returns: 'Returns', flashSales: 'Flash sales', shipping: 'Shipping', tax: 'Tax', invoices: 'Invoices', staff: 'Staff', settings: 'Settings', operator: 'Operator', logout: 'Log out', language: '中文', notFound: 'Page not found', skip: 'Skip to content' },
  'zh-CN': { console: '管理后台', dashboard: '概览', products: '商品', attributes: '商品属性', collections: '专题', orders: '订单', coupons: '优惠券', giftCards: '礼品卡与余额', reviews: '评价审核', returns: '售后', flashSales: '秒杀', shipping: '运费与配送', tax: '税费', invoices: '发票', staff: '员工', settings: '店铺设置', operator: '平台运营', logout: '退出', language: 'English', notFound: '找不到这个页面', skip: '跳到正文' },
});

export function App() {
  const location = useLocation();
  // The operator page has a token of its own and needs no staff session.
  if (location.pathname.startsWith('/operator')) return <Shell><OperatorPage /></Shell>;
  // Whoever forgot their password has no session either.
  if (location.pathname.startsWith('/reset-password')) return <Shell><PasswordResetPage /></Shell>;
  return <StaffConsole />;
}

function StaffConsole() {
  const { session } = useSession();
  if (!session) return <Shell><LoginPage /></Shell>;
  return (
    <Shell>
      <Routes>
        <Route path="/" element={<DashboardPage />} />
        <Route path="/products" element={<ProductsPage />} />
        <Route path="/products/new" element={<ProductEditorPage />} />
        <Route path="/products/:id" element={<ProductEditorPage />} />
        <Route path="/attributes" element={<AttributesPage />} />
        <Route path="/collections" element={<CollectionsPage />} />
        <Route path="/orders" element={<OrdersPage />} />
        <Route path="/orders/:id" element={<OrderDetailPage />} />
        <Route path="/coupons" element={<CouponsPage />} />
        <Route path="/gift-cards" element={<GiftCardsPage />} />
        <Route path="/reviews" element={<ReviewsPage />} />
        <Route path="/returns" element={<ReturnsPage />} />
        <Route path="/flash-sales" element={<FlashSalesPage />} />
        <Route path="/flash-sales/:id" element={<FlashSaleLivePage />} />
        <Route path="/shipping" element={<ShippingPage />} />
        <Route path="/tax" element={<TaxPage />} />
        <Route path="/invoices" element={<InvoicesPage />} />
        <Route path="/staff" element={<StaffPage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="/login" element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Shell>
  );
}

function NotFound() {
  const t = useMessages(messages);
  return <p className="empty">{t('notFound')}</p>;
}

function Shell({ children }: { children: React.ReactNode }) {
  const t = useMessages(messages);
  const roles = useMessages(statusMessages);
  const { locale, setLocale } = useLocale();
  const { session, signOut, can } = useSession();
  return (
    <div className="layout">
      <a href="#main" className="skip">{t('skip')}</a>
      <header className="topbar">
        <span className="brand">Bazaar · {t('console')}</span>
        {session && <span className="who">{session.tenant} · {session.staff.email} ({roles(session.staff.role)})</span>}
        <button type="button" className="link" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>{t('language')}</button>
        {session && <button type="button" className="link" onClick={signOut}>{t('logout')}</button>}
      </header>
      {session && (
        <nav className="sidebar" aria-label={t('console')}>
          <NavLink to="/" end>{t('dashboard')}</NavLink>
          <NavLink to="/products">{t('products')}</NavLink>
          <NavLink to="/attributes">{t('attributes')}</NavLink>
          <NavLink to="/collections">{t('collections')}</NavLink>
          <NavLink to="/orders">{t('orders')}</NavLink>
          <NavLink to="/coupons">{t('coupons')}</NavLink>
          <NavLink to="/gift-cards">{t('giftCards')}</NavLink>
          <NavLink to="/reviews">{t('reviews')}</NavLink>
          <NavLink to="/returns">{t('returns')}</NavLink>
          <NavLink to="/flash-sales">{t('flashSales')}</NavLink>
          <NavLink to="/invoices">{t('invoices')}</NavLink>
          {can('admin') && <NavLink to="/shipping">{t('shipping')}</NavLink>}
          {can('admin') && <NavLink to="/tax">{t('tax')}</NavLink>}
          {can('admin') && <NavLink to="/staff">{t('staff')}</NavLink>}
          {can('admin') && <NavLink to="/settings">{t('settings')}</NavLink>}
          <NavLink to="/operator">{t('operator')}</NavLink>
        </nav>
      )}
      <main id="main" className="content">{children}</main>
    </div>
  );
}
