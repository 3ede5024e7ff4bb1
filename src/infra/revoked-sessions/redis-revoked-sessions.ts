import { Redis } from 'ioredis';
import type { RevokedSessions } from './revoked-sessions.ts';

/** In Redis, so that every app node refuses a token whose session was revoked on another. */
export function createRedisRevokedSessions(url: string, options: { rememberMs: number }): RevokedSessions {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const key = (sessionId: string) => `bazaar:revoked-session:${sessionId}`;
  return {
    kind: 'redis',
    async revoke(sessionIds) {
      if (sessionIds.length === 0) return;
      const batch = redis.multi();
      for (const id of sessionIds) batch.set(key(id), '1', 'PX', options.rememberMs);
      await batch.exec();
    },
    async isRevoked(sessionId) {
      return (await redis.exists(key(sessionId))) === 1;
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
