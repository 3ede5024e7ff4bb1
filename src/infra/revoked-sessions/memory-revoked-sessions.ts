import { LRUCache } from 'lru-cache';
import type { RevokedSessions } from './revoked-sessions.ts';

/** In this process, for the embedded size (one process sees every logout). */
export function createMemoryRevokedSessions(options: { rememberMs: number }): RevokedSessions {
  // The TTL drops entries once no token they issued can still be valid; the bound keeps a flood
  // of logouts from growing memory without limit (an evicted entry's tokens would outlive it, so
  // the bound is far above any realistic number of logouts in one token lifetime).
  const revoked = new LRUCache<string, true>({ max: 1_000_000, ttl: options.rememberMs, ttlAutopurge: false });
  return {
    kind: 'memory',
    async revoke(sessionIds) {
      for (const id of sessionIds) revoked.set(id, true);
    },
    async isRevoked(sessionId) {
      return revoked.has(sessionId);
    },
    async close() {
      revoked.clear();
    },
  };
}
