import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * The console's two languages. Each page keeps its own messages beside it (`defineMessages`), so
 * a page and its words change together; the type makes sure every English key has a Chinese one.
 */
export type Locale = 'zh-CN' | 'en';

interface LocaleState {
  locale: Locale;
  setLocale(locale: Locale): void;
}

const Context = createContext<LocaleState | null>(null);

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const saved = localStorage.getItem('bazaar.admin.locale');
    if (saved === 'en' || saved === 'zh-CN') return saved;
    return navigator.language.startsWith('zh') ? 'zh-CN' : 'en';
  });
  const value = useMemo<LocaleState>(
    () => ({
      locale,
      setLocale(next) {
        localStorage.setItem('bazaar.admin.locale', next);
        document.documentElement.lang = next;
        setLocaleState(next);
      },
    }),
    [locale],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useLocale(): LocaleState {
  const value = useContext(Context);
  if (!value) throw new Error('useLocale outside LocaleProvider');
  return value;
}

type Catalog<K extends string> = { en: Record<K, string>; 'zh-CN': Record<K, string> };

export function defineMessages<K extends string>(messages: Catalog<K>): Catalog<K> {
  return messages;
}

/** `t('left', { n: 3 })` in the current language; `{name}` placeholders are filled in. */
export function useMessages<K extends string>(messages: Catalog<K>): (key: K, values?: Record<string, string | number>) => string {
  const { locale } = useLocale();
  return useCallback(
    (key, values) => Object.entries(values ?? {}).reduce<string>((text, [name, v]) => text.replaceAll(`{${name}}`, String(v)), messages[locale][key]),
    [locale, messages],
  );
}

/** Picks the best text of a `{ "zh-CN": …, en: … }` value for the current language. */
export function pickText(value: Record<string, string> | undefined, locale: Locale): string {
  if (!value) return '';
  return value[locale] ?? value[locale.split('-')[0]!] ?? Object.values(value)[0] ?? '';
}
