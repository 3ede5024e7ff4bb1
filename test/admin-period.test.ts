import { describe, expect, it } from 'vitest';
import { dayAfter, periodQuery, thisMonth } from '../web/admin/src/period.ts';

describe('the periods staff pick in the admin', () => {
  it('is the whole current month by default, its last day included', () => {
    expect(thisMonth(new Date(2026, 1, 10))).toEqual({ from: '2026-02-01', through: '2026-02-28' });
    expect(thisMonth(new Date(2028, 1, 29))).toEqual({ from: '2028-02-01', through: '2028-02-29' });
    expect(thisMonth(new Date(2026, 11, 31))).toEqual({ from: '2026-12-01', through: '2026-12-31' });
  });

  it('sends the day after the last one as the exclusive end, across months and years', () => {
    expect(dayAfter('2026-12-31')).toBe('2027-01-01');
    expect(dayAfter('2026-02-28')).toBe('2026-03-01');
    expect(periodQuery({ from: '2026-12-01', through: '2026-12-31' }).toString()).toBe('from=2026-12-01&to=2027-01-01');
    // An open end is left out, so the list is not limited on that side.
    expect(periodQuery({ from: '', through: '2026-12-03' }).toString()).toBe('to=2026-12-04');
  });
});
