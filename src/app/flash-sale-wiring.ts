import { Redis } from 'ioredis';
import type { Database } from '../infra/db/database.ts';
import type { Clock } from '../platform/clock.ts';
import {
  createAdmissionWriter,
  createAttemptLimits,
  createFlashSaleService,
  createMemoryStockTokens,
  createRedisStockTokens,
  type FlashSaleService,
} from '../modules/flashsale/index.ts';
import type { RevokedSessions } from '../infra/revoked-sessions/revoked-sessions.ts';
import type { Config } from './config.ts';
import { deriveSecret } from './operator-token.ts';

export const DEFAULT_FLASH_LIMITS: Config['flashLimits'] = { ipPerSecond: 50, customerPerSecond: 5 };

/**
 * The flash-sale module with the adapters the configuration names: stock tokens and attempt
 * limits in this process (embedded), or in Redis, shared by every node (server size).
 */
export function createFlashSales(deps: { db: Database; clock: Clock; operatorToken: string; revokedSessions: RevokedSessions; redisUrl?: string | undefined; limits?: Config['flashLimits'] | undefined; purchaseTokenSeconds?: number | undefined; maxOrderTotal: number }): {
  flashSales: FlashSaleService;
  close(): Promise<void>;
} {
  const tokens = deps.redisUrl ? createRedisStockTokens(deps.redisUrl) : createMemoryStockTokens();
  const limiterRedis = deps.redisUrl ? new Redis(deps.redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true }) : undefined;
  const writer = createAdmissionWriter({ db: deps.db, clock: deps.clock });
  const limits = createAttemptLimits({ ...(deps.limits ?? DEFAULT_FLASH_LIMITS), redis: limiterRedis });
  const secret = deriveSecret(deps.operatorToken, 'flash-sale-purchase-tokens');
  const flashSales = createFlashSaleService({ db: deps.db, clock: deps.clock, tokens, writer, limits, revokedSessions: deps.revokedSessions, secret, purchaseTokenMs: (deps.purchaseTokenSeconds ?? 120) * 1000, maxOrderTotal: deps.maxOrderTotal });
  return {
    flashSales,
    async close() {
      await writer.flush();
      await tokens.close();
      await limiterRedis?.quit().catch(() => limiterRedis.disconnect());
    },
  };
}
