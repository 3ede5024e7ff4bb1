import type { Locale } from './i18n.tsx';

/** A moment as the console shows it in tables and timelines: date and time to the minute. */
export function formatTime(iso: string, locale: Locale | string): string {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
