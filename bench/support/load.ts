/**
 * A closed-loop load generator: `concurrency` workers each run `task` back to back until the
 * work runs out or the time is up, timing every task. Used where each iteration is a different
 * request sequence (a shopper's cart and checkout), which fixed-request tools can't express.
 */
export interface LoadResult {
  completed: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  failures: string[];
}

export async function runLoad(options: {
  concurrency: number;
  seconds?: number;
  iterations?: number;
  task: (index: number) => Promise<void>;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = options.seconds ? started + options.seconds * 1000 : Infinity;
  const limit = options.iterations ?? Infinity;

  async function worker(): Promise<void> {
    while (performance.now() < deadline && next < limit) {
      const index = next++;
      const t0 = performance.now();
      try {
        await options.task(index);
        latencies.push(performance.now() - t0);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    completed: latencies.length,
    failed: failures.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    p999Ms: at(0.999),
    failures: [...new Set(failures)].slice(0, 5),
  };
}

/** Runs `count` tasks with at most `concurrency` at once (set-up work, not measured). */
export async function inParallel<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}
