import { useState, type FormEvent } from 'react';
import { Link, Route, Routes, useNavigate } from 'react-router';
import { useI18n } from './i18n.tsx';
import { CartPage } from './pages/CartPage.tsx';
import { CheckoutPage } from './pages/CheckoutPage.tsx';
import { CreditPage } from './pages/CreditPage.tsx';
import { FlashSalePage } from './pages/FlashSalePage.tsx';
import { PasswordResetPage } from './pages/PasswordResetPage.tsx';
import { FlashSalesPage } from './pages/FlashSalesPage.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { OrderPage, OrdersPage } from './pages/OrdersPage.tsx';
import { ProductPage } from './pages/ProductPage.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { ListingPage } from './pages/ListingPage.tsx';
import { useStore } from './store.tsx';

export function App() {
  const { t, locale, setLocale } = useI18n();
  const { platform, cart, signedIn, signOut } = useStore();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');

  function search(event: FormEvent) {
    event.preventDefault();
    if (query.trim()) void navigate(`/search?q=${encodeURIComponent(query.trim())}`);
  }

  return (
    <>
      <header className="header">
        <Link to="/" className="brand">{platform.name}</Link>
        <form role="search" onSubmit={search} className="search">
          <label htmlFor="q" className="visually-hidden">{t('search')}</label>
          <input id="q" type="search" value={query} placeholder={t('searchPlaceholder')} onChange={(e) => setQuery(e.target.value)} />
        </form>
        <nav className="nav" aria-label="account">
          <Link to="/flash">{t('flashSales')}</Link>
          <Link to="/credit">{t('creditNav')}</Link>
          <Link to="/cart" aria-label={`${t('cart')} (${cart?.itemCount ?? 0})`}>🛒 <span className="badge">{cart?.itemCount ?? 0}</span></Link>
          {signedIn ? (
            <>
              <Link to="/orders">{t('orders')}</Link>
              <Link to="/account">{t('account')}</Link>
              <button type="button" className="link" onClick={() => void signOut()}>{t('logout')}</button>
            </>
          ) : (
            <Link to="/login">{t('login')}</Link>
          )}
          <button type="button" className="link" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>{t('language')}</button>
        </nav>
      </header>
      <main className="page">
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/c/:slug" element={<ListingPage scope="category" key="category" />} />
          <Route path="/search" element={<ListingPage scope="search" key="search" />} />
          <Route path="/brand/:value" element={<ListingPage scope="brand" key="brand" />} />
          <Route path="/collection/:slug" element={<ListingPage scope="collection" key="collection" />} />
          <Route path="/p/:id" element={<ProductPage />} />
          <Route path="/cart" element={<CartPage />} />
          <Route path="/checkout" element={<CheckoutPage />} />
          <Route path="/flash" element={<FlashSalesPage />} />
          <Route path="/flash/:id" element={<FlashSalePage />} />
          <Route path="/credit" element={<CreditPage />} />
          <Route path="/orders" element={<OrdersPage />} />
          <Route path="/orders/:id" element={<OrderPage />} />
          <Route path="/account" element={<AccountPage />} />
          <Route path="/login" element={<LoginPage mode="login" />} />
          <Route path="/register" element={<LoginPage mode="register" />} />
          <Route path="/reset-password" element={<PasswordResetPage />} />
          <Route path="*" element={<p>{t('notFound')}</p>} />
        </Routes>
      </main>
    </>
  );
}
