import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { api } from './api.ts';
import { App } from './App.tsx';
import { I18nProvider, type Locale } from './i18n.tsx';
import { StoreProvider, type Platform } from './store.tsx';
import './styles.css';

/** Loads the platform the page was reached by, applies its theme, then renders the store. */
function Root() {
  const [platform, setPlatform] = useState<Platform | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    api<Platform>('GET', '/api/store/platform')
      .then((found) => {
        document.title = found.name;
        document.documentElement.style.setProperty('--primary', found.theme.primaryColor);
        document.documentElement.style.setProperty('--accent', found.theme.accentColor);
        setPlatform(found);
      })
      .catch((error: Error) => setFailed(error.message));
  }, []);
  if (failed) return <main className="page"><p role="alert">{failed}</p></main>;
  if (!platform) return <main className="page" aria-busy="true" />;
  const initial: Locale = platform.defaultLocale.startsWith('zh') ? 'zh-CN' : 'en';
  return (
    <I18nProvider initial={initial}>
      <StoreProvider platform={platform}>
        <App />
      </StoreProvider>
    </I18nProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <Root />
    </BrowserRouter>
  </StrictMode>,
);
