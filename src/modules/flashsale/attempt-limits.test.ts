import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { REDIS_URL, redisReachable } from '../../../test/support/redis.ts';
import { createAttemptLimits } from './attempt-limits.ts';

const redis = (await redisReachable()) ? new Redis(REDIS_URL, { maxRetriesPerRequest: 2 }) : undefined;
afterAll(() => redis?.disconnect());

describe.each([{ store: 'memory', redis: undefined }, ...(redis ? [{ store: 'redis', redis }] : [])])('flash attempt limits in $store', ({ redis }) => {
  it('counts one address per platform: a crowd on one shop leaves another shop alone', async () => {
    const limits = createAttemptLimits({ ipPerSecond: 2, customerPerSecond: 2, redis });
    // A fresh address each run, so that counters left in Redis by an earlier run don't count.
    const ip = `203.0.113.${randomUUID()}`;
    expect(await limits.consume('ten_a', ip, 'cus_1')).toBeUndefined();
    expect(await limits.consume('ten_a', ip, 'cus_2')).toBeUndefined();
    expect(await limits.consume('ten_a', ip, 'cus_3')).toBeGreaterThanOrEqual(1);
    expect(await limits.consume('ten_b', ip, 'cus_4')).toBeUndefined();
    expect(await limits.consume('ten_b', ip, 'cus_5')).toBeUndefined();
  });
});
