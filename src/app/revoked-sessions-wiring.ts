import { createMemoryRevokedSessions } from '../infra/revoked-sessions/memory-revoked-sessions.ts';
import { createRedisRevokedSessions } from '../infra/revoked-sessions/redis-revoked-sessions.ts';
import type { RevokedSessions } from '../infra/revoked-sessions/revoked-sessions.ts';

/**
 * Revoked sessions in this process (embedded) or in Redis (every node sees them). An entry lives
 * as long as a purchase token, the one credential checked against it, plus a minute of clock skew.
 */
export function createRevokedSessions(deps: { redisUrl?: string | undefined; purchaseTokenSeconds?: number | undefined }): RevokedSessions {
  const rememberMs = ((deps.purchaseTokenSeconds ?? 120) + 60) * 1000;
  return deps.redisUrl ? createRedisRevokedSessions(deps.redisUrl, { rememberMs }) : createMemoryRevokedSessions({ rememberMs });
}
