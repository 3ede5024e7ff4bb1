/** Digits after the point for a currency (CNY 2, JPY 0): what its minor unit is. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Money in minor units, formatted for the locale (¥199.00, US$29.00). */
export function formatMoney(amount: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 10 ** minorDigits(currency));
}

/** "199.00" typed by staff, in minor units (19900); NaN when it isn't an amount. */
export function parseMoney(text: string, currency: string): number {
  const digits = minorDigits(currency);
  if (!new RegExp(`^\\d{1,12}(\\.\\d{0,${digits}})?$`).test(text.trim())) return Number.NaN;
  return Math.round(Number(text.trim()) * 10 ** digits);
}

/** Minor units as the plain decimal staff edit (19900 → "199.00"). */
export function moneyInput(amount: number, currency: string): string {
  return (amount / 10 ** minorDigits(currency)).toFixed(minorDigits(currency));
}
