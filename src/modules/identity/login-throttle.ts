import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimited } from '../../platform/errors.ts';

/**
 * Slows password guessing: at most 5 failed logins per account and client address in 15
 * minutes, and 50 attempts per address per minute whatever the account. A success clears the
 * account's failures.
 */
export interface LoginThrottle {
  /** Throws RateLimited when this login may not be tried now. */
  admit(account: string, ip: string): Promise<void>;
  recordFailure(account: string, ip: string): Promise<void>;
  recordSuccess(account: string, ip: string): Promise<void>;
}

export function createLoginThrottle(): LoginThrottle {
  const failures = new RateLimiterMemory({ keyPrefix: 'login-fail', points: 5, duration: 15 * 60 });
  const perAddress = new RateLimiterMemory({ keyPrefix: 'login-ip', points: 50, duration: 60 });
  const key = (account: string, ip: string) => `${account}|${ip}`;

  return {
    async admit(account, ip) {
      const failed = await failures.get(key(account, ip));
      if (failed && failed.consumedPoints >= 5) {
        throw tooMany(failed.msBeforeNext);
      }
      try {
        await perAddress.consume(ip);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw tooMany(rejection.msBeforeNext);
        throw rejection;
      }
    },
    async recordFailure(account, ip) {
      await failures.penalty(key(account, ip), 1);
    },
    async recordSuccess(account, ip) {
      await failures.delete(key(account, ip));
    },
  };
}

function tooMany(msBeforeNext: number): RateLimited {
  return new RateLimited('too_many_login_attempts', 'Too many login attempts; wait a while and try again.', msBeforeNext / 1000);
}
