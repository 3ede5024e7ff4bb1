import { Redis } from 'ioredis';

/**
 * Redis for the suites of the server size: used when one answers at BAZAAR_TEST_REDIS_URL
 * (default: the local server). With BAZAAR_REQUIRE_SERVICES=1 (CI) a missing server fails the run.
 */
export const REDIS_URL = process.env.BAZAAR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let probed: Promise<boolean> | undefined;

export function redisReachable(): Promise<boolean> {
  probed ??= (async () => {
    const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await client.connect();
      await client.ping();
      return true;
    } catch (error) {
      if (process.env.BAZAAR_REQUIRE_SERVICES === '1') {
        throw new Error(`BAZAAR_REQUIRE_SERVICES=1 but Redis at ${REDIS_URL} is unreachable: ${(error as Error).message}`);
      }
      process.stdout.write(`\n[notice] Redis suites skipped: no server at ${REDIS_URL} (set BAZAAR_REQUIRE_SERVICES=1 to fail instead)\n`);
      return false;
    } finally {
      client.disconnect();
    }
  })();
  return probed;
}

/** The sizes a flash-sale suite runs on: embedded (PGlite, in-process tokens) and server (PostgreSQL + Redis). */
export async function flashSaleSizes(): Promise<{ name: string; kind: 'pglite' | 'postgres'; redisUrl?: string }[]> {
  const { databaseKinds } = await import('./databases.ts');
  const kinds = await databaseKinds();
  const sizes: { name: string; kind: 'pglite' | 'postgres'; redisUrl?: string }[] = [{ name: 'embedded (PGlite, memory)', kind: 'pglite' }];
  if (kinds.includes('postgres') && (await redisReachable())) sizes.push({ name: 'server (PostgreSQL, Redis)', kind: 'postgres', redisUrl: REDIS_URL });
  return sizes;
}
