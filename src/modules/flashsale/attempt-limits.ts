import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface AttemptLimits {
  /** Counts one attempt for the address (on this platform) and the customer: undefined within both limits, else seconds to wait. */
  consume(platformId: string, ip: string, customerId: string): Promise<number | undefined>;
}

/**
 * Per-IP and per-customer attempt limits, per second. An address is counted per platform, so that
 * a crowd from one address (a campus, a carrier's NAT) on one shop's sale leaves other shops' sales
 * alone. With Redis they are shared by every node
 * (a customer can't multiply their rate by hitting several nodes); once a key is over its limit,
 * each node answers it from memory until the second is over, without a round trip.
 */
export function createAttemptLimits(options: { ipPerSecond: number; customerPerSecond: number; redis?: Redis | undefined }): AttemptLimits {
  const limiter = (keyPrefix: string, points: number): RateLimiterAbstract =>
    options.redis
      ? new RateLimiterRedis({ storeClient: options.redis, keyPrefix, points, duration: 1, inMemoryBlockOnConsumed: points + 1, inMemoryBlockDuration: 1 })
      : new RateLimiterMemory({ keyPrefix, points, duration: 1 });
  const perIp = limiter('flash-ip', options.ipPerSecond);
  const perCustomer = limiter('flash-customer', options.customerPerSecond);
  return {
    async consume(platformId, ip, customerId) {
      try {
        await Promise.all([perIp.consume(`${platformId}|${ip}`), perCustomer.consume(customerId)]);
        return undefined;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw rejection;
      }
    },
  };
}
