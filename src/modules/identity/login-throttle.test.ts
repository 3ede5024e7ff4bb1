import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './login-throttle.ts';

describe('login throttle', () => {
  const settings = { failuresPerAccountAndAddress: 5, attemptsPerAddressPerMinute: 50 };

  it('blocks an account only for the address its wrong passwords came from', async () => {
    const throttle = createLoginThrottle(settings);
    const stranger = { platformId: 'ten_a', account: 'customer:mei@example.com', ip: '203.0.113.5' };
    for (let i = 0; i < 5; i++) {
      await throttle.admit(stranger);
      await throttle.recordFailure(stranger);
    }
    await expect(throttle.admit(stranger)).rejects.toMatchObject({ code: 'too_many_login_attempts' });
    await expect(throttle.admit({ ...stranger, ip: '198.51.100.7' })).resolves.toBeUndefined();
    await expect(throttle.admit({ ...stranger, platformId: 'ten_b' })).resolves.toBeUndefined();
  });

  it('counts an address\'s attempts per platform', async () => {
    const throttle = createLoginThrottle(settings);
    const busy = { platformId: 'ten_a', account: 'customer:x@example.com', ip: '203.0.113.9' };
    for (let i = 0; i < 50; i++) await throttle.admit({ ...busy, account: `customer:${i}@example.com` });
    await expect(throttle.admit(busy)).rejects.toMatchObject({ code: 'too_many_login_attempts' });
    await expect(throttle.admit({ ...busy, platformId: 'ten_b' })).resolves.toBeUndefined();
  });
});
