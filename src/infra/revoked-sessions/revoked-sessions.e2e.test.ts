import { afterAll, describe, expect, it } from 'vitest';
import { REDIS_URL, redisReachable } from '../../../test/support/redis.ts';
import { newId } from '../../platform/ids.ts';
import { createMemoryRevokedSessions } from './memory-revoked-sessions.ts';
import { createRedisRevokedSessions } from './redis-revoked-sessions.ts';
import type { RevokedSessions } from './revoked-sessions.ts';

const adapters: [string, () => RevokedSessions][] = [['memory', () => createMemoryRevokedSessions({ rememberMs: 60_000 })]];
if (await redisReachable()) adapters.push(['redis', () => createRedisRevokedSessions(REDIS_URL, { rememberMs: 60_000 })]);

describe.each(adapters)('revoked sessions in %s', (_name, create) => {
  const set = create();
  afterAll(() => set.close());

  it('a revoked session is known as revoked; others are not', async () => {
    const [gone, alsoGone, live] = [newId('ses'), newId('ses'), newId('ses')];
    await set.revoke([gone, alsoGone]);
    await set.revoke([]);
    expect(await set.isRevoked(gone)).toBe(true);
    expect(await set.isRevoked(alsoGone)).toBe(true);
    expect(await set.isRevoked(live)).toBe(false);
  });

  it('forgets a session once no token it issued can still be valid', async () => {
    const brief = _name === 'memory' ? createMemoryRevokedSessions({ rememberMs: 50 }) : createRedisRevokedSessions(REDIS_URL, { rememberMs: 50 });
    const id = newId('ses');
    await brief.revoke([id]);
    await expect.poll(() => brief.isRevoked(id), { timeout: 5_000 }).toBe(false);
    await brief.close();
  });
});
