/**
 * Periods as staff pick them: whole days, the last one included. The API takes [from, to) in
 * UTC days, so the day after the last one is what is sent as `to`.
 */
export interface Period {
  from: string;
  /** The last day included, as shown in the picker. */
  through: string;
}

/** The current month, from its first day to its last. */
export function thisMonth(today = new Date()): Period {
  const first = new Date(Date.UTC(today.getFullYear(), today.getMonth(), 1));
  const last = new Date(Date.UTC(today.getFullYear(), today.getMonth() + 1, 0));
  return { from: isoDay(first), through: isoDay(last) };
}

/** `2026-12-31` → `2027-01-01`. */
export function dayAfter(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return isoDay(date);
}

/** The period as the API's query (`from=…&to=…`, `to` exclusive); empty ends are left out. */
export function periodQuery(period: { from: string; through: string }): URLSearchParams {
  const query = new URLSearchParams();
  if (period.from) query.set('from', period.from);
  if (period.through) query.set('to', dayAfter(period.through));
  return query;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
