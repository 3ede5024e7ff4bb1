import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimited } from '../../platform/errors.ts';

/** One login try: which platform, which account (kind and login name), from which client address. */
export interface LoginAttempt {
  platformId: string;
  account: string;
  ip: string;
}

/**
 * Slows password guessing without handing strangers a way to lock customers out: failures are
 * counted per account *and* client address, so 5 wrong passwords block only that address for
 * that account (15 minutes) and the owner still logs in from theirs. Each address also gets a
 * number of attempts per minute on a platform, whatever the account. Nothing blocks an account
 * for every address. A success clears that address's failures for the account.
 */
export interface LoginThrottle {
  /** Throws RateLimited when this login may not be tried now. */
  admit(attempt: LoginAttempt): Promise<void>;
  recordFailure(attempt: LoginAttempt): Promise<void>;
  recordSuccess(attempt: LoginAttempt): Promise<void>;
}

export interface LoginThrottleSettings {
  failuresPerAccountAndAddress: number;
  attemptsPerAddressPerMinute: number;
}

const DEFAULTS: LoginThrottleSettings = { failuresPerAccountAndAddress: 5, attemptsPerAddressPerMinute: 50 };

export function createLoginThrottle(settings: LoginThrottleSettings = DEFAULTS): LoginThrottle {
  const maxFailures = settings.failuresPerAccountAndAddress;
  const failures = new RateLimiterMemory({ keyPrefix: 'login-fail', points: maxFailures, duration: 15 * 60 });
  const perAddress = new RateLimiterMemory({ keyPrefix: 'login-ip', points: settings.attemptsPerAddressPerMinute, duration: 60 });
  const pair = (a: LoginAttempt) => `${a.platformId}|${a.account}|${a.ip}`;

  return {
    async admit(attempt) {
      const failed = await failures.get(pair(attempt));
      if (failed && failed.consumedPoints >= maxFailures) {
        throw tooMany(failed.msBeforeNext);
      }
      try {
        await perAddress.consume(`${attempt.platformId}|${attempt.ip}`);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw tooMany(rejection.msBeforeNext);
        throw rejection;
      }
    },
    async recordFailure(attempt) {
      await failures.penalty(pair(attempt), 1);
    },
    async recordSuccess(attempt) {
      await failures.delete(pair(attempt));
    },
  };
}

function tooMany(msBeforeNext: number): RateLimited {
  return new RateLimited('too_many_login_attempts', 'Too many login attempts; wait a while and try again.', msBeforeNext / 1000);
}
