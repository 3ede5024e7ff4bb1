import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimited } from '../../platform/errors.ts';
import type { Platform } from './platform.ts';

/**
 * Each platform's requests-per-second quota, counted separately so that a flood on one
 * platform is refused there and never queues behind the others' requests.
 *
 * Counted in process: with several app nodes each enforces the quota on its own share. A shared
 * (Redis) counter arrives with the server-size key-value adapter.
 */
export interface TenantRateLimiter {
  /** Throws RateLimited when the platform has used up this second's quota. */
  take(platform: Platform): Promise<void>;
}

export function createTenantRateLimiter(): TenantRateLimiter {
  const limiters = new Map<string, { points: number; limiter: RateLimiterMemory }>();

  function limiterFor(platform: Platform): RateLimiterMemory {
    const points = platform.quotas.requestsPerSecond;
    const existing = limiters.get(platform.id);
    if (existing && existing.points === points) return existing.limiter;
    const limiter = new RateLimiterMemory({ keyPrefix: `rps:${platform.id}`, points, duration: 1 });
    limiters.set(platform.id, { points, limiter });
    return limiter;
  }

  return {
    async take(platform) {
      try {
        await limiterFor(platform).consume(platform.id);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          throw new RateLimited(
            'platform_rate_limited',
            `This platform allows ${platform.quotas.requestsPerSecond} requests per second; try again shortly.`,
            rejection.msBeforeNext / 1000,
          );
        }
        throw rejection;
      }
    },
  };
}
