import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimited } from '../../platform/errors.ts';

/**
 * Sign-ups one client address may make on a platform per hour, and one platform may take per
 * minute from everyone. Each sign-up costs a password hash, so these bound what a flood can ask
 * of the CPU; every attempt counts (also one refused as a duplicate), which also slows probing
 * which emails have accounts. Counted in process, like the login throttle.
 */
export interface RegistrationLimits {
  /** Throws RateLimited `too_many_registrations` when this sign-up may not be tried now. */
  admit(platformId: string, ip: string): Promise<void>;
}

export interface RegistrationLimitSettings {
  perAddressPerHour: number;
  perPlatformPerMinute: number;
}

/**
 * A household or an office behind one address rarely signs up more than a few accounts an hour
 * in one shop; 120 a minute is far above a shop's busiest launch yet keeps a few flooded
 * platforms from filling the hashing queue that every platform shares.
 */
export const DEFAULT_REGISTRATION_LIMITS: RegistrationLimitSettings = { perAddressPerHour: 10, perPlatformPerMinute: 120 };

export function createRegistrationLimits(settings: RegistrationLimitSettings = DEFAULT_REGISTRATION_LIMITS): RegistrationLimits {
  const perAddress = new RateLimiterMemory({ keyPrefix: 'signup-ip', points: settings.perAddressPerHour, duration: 3600 });
  const perPlatform = new RateLimiterMemory({ keyPrefix: 'signup-platform', points: settings.perPlatformPerMinute, duration: 60 });

  return {
    async admit(platformId, ip) {
      try {
        await perAddress.consume(`${platformId}|${ip}`);
        await perPlatform.consume(platformId);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          throw new RateLimited('too_many_registrations', 'Too many sign-ups; wait a while and try again.', rejection.msBeforeNext / 1000);
        }
        throw rejection;
      }
    },
  };
}
