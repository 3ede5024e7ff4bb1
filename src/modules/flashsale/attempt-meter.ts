/**
 * Attempts and admissions per second for the live view, over the last few whole seconds. Per
 * node: each node reports what it served.
 */
export function createAttemptMeter(now: () => number = Date.now) {
  const WINDOW_S = 5;
  const seconds = new Map<string, { second: number; attempts: number; admitted: number }[]>();

  function bucket(saleId: string) {
    const second = Math.floor(now() / 1000);
    const ring = seconds.get(saleId) ?? [];
    if (ring.at(-1)?.second !== second) {
      ring.push({ second, attempts: 0, admitted: 0 });
      while (ring.length > WINDOW_S + 1) ring.shift();
      seconds.set(saleId, ring);
    }
    return ring.at(-1)!;
  }

  return {
    attempt(saleId: string): void {
      bucket(saleId).attempts += 1;
    },
    admitted(saleId: string): void {
      bucket(saleId).admitted += 1;
    },
    rates(saleId: string): { attemptsPerSecond: number; admittedPerSecond: number } {
      const current = Math.floor(now() / 1000);
      const complete = (seconds.get(saleId) ?? []).filter((entry) => entry.second < current && entry.second >= current - WINDOW_S);
      const sum = (pick: (entry: { attempts: number; admitted: number }) => number) => complete.reduce((total, entry) => total + pick(entry), 0) / WINDOW_S;
      return { attemptsPerSecond: sum((e) => e.attempts), admittedPerSecond: sum((e) => e.admitted) };
    },
  };
}
