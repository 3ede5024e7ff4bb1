import { randomBytes } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../../infra/db/database.ts';
import type { Notifier } from '../../infra/notify/notifier.ts';
import type { RevokedSessions } from '../../infra/revoked-sessions/revoked-sessions.ts';
import type { Clock } from '../../platform/clock.ts';
import { Gone, Invalid, RateLimited } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../tenants/platform.ts';
import * as store from './identity-store.ts';
import { passwordResetMessage } from './password-reset-message.ts';
import * as resets from './password-reset-store.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { hashToken } from './tokens.ts';

export const RESET_VALID_MINUTES = 30;
export type ResetAccountKind = 'customer' | 'staff';

export interface PasswordResets {
  /**
   * Mails (or logs) a one-time link when the login names an active account. Answers the same
   * whether or not it does, so the endpoint can't be used to find out who has an account.
   */
  request(platform: Platform, kind: ResetAccountKind, login: { email?: string | undefined; phone?: string | undefined }, ip: string): Promise<void>;
  /** Sets the new password, spends the token and ends every session of the account. */
  complete(platform: Platform, kind: ResetAccountKind, input: { token: string; newPassword: string }): Promise<void>;
}

export function createPasswordResets(deps: {
  db: Database;
  clock: Clock;
  hasher: PasswordHasher;
  notifier: Notifier;
  revokedSessions: RevokedSessions;
  /** Base of the links in messages; relative links when unset. */
  publicUrl?: string | undefined;
  /** Where a failed delivery is reported: the requester is never told (that would say the account exists). */
  onDeliveryError?: (error: unknown) => void;
}): PasswordResets {
  const { db, clock, notifier, revokedSessions } = deps;
  // Per login (whether or not it exists) and per address, so nobody can flood an inbox or
  // sweep the accounts of a platform.
  const perLogin = new RateLimiterMemory({ keyPrefix: 'reset-login', points: 3, duration: 15 * 60 });
  const perAddress = new RateLimiterMemory({ keyPrefix: 'reset-ip', points: 20, duration: 15 * 60 });

  async function admit(key: string, ip: string): Promise<void> {
    try {
      await perAddress.consume(ip);
      await perLogin.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new RateLimited('too_many_reset_requests', 'Too many password-reset requests; wait a while and try again.', rejection.msBeforeNext / 1000);
      }
      throw rejection;
    }
  }

  function link(platform: Platform, kind: ResetAccountKind, token: string): string {
    const page = kind === 'customer' ? '/reset-password' : '/admin/reset-password';
    // The token rides in the fragment: browsers never send it to a server or in a Referer.
    return `${deps.publicUrl ?? ''}${page}?tenant=${encodeURIComponent(platform.slug)}#token=${token}`;
  }

  return {
    async request(platform, kind, login, ip) {
      await admit(`${platform.id}:${kind}:${login.email ?? login.phone}`, ip);
      const account = await db.withTenant(platform.id, async (tx) =>
        kind === 'customer' ? store.findCustomerByLogin(tx, login) : login.email ? store.findStaffByEmail(tx, login.email) : undefined,
      );
      if (!account || account.status !== 'active') return;
      const token = `bzr_${randomBytes(32).toString('base64url')}`;
      const now = clock.now();
      await db.withTenant(platform.id, (tx) =>
        resets.insertReset(tx, {
          tenantId: platform.id,
          id: newId('pwr'),
          tokenHash: hashToken(token),
          accountKind: kind,
          accountId: account.id,
          createdAt: now,
          expiresAt: new Date(now.getTime() + RESET_VALID_MINUTES * 60_000),
          usedAt: null,
        }),
      );
      const message = passwordResetMessage({
        locale: platform.defaultLocale,
        shopName: platform.name,
        link: link(platform, kind, token),
        validMinutes: RESET_VALID_MINUTES,
        to: { email: account.email, phone: 'phone' in account ? account.phone : null },
      });
      // Not awaited: a slow mail server would otherwise tell apart accounts that exist.
      void notifier.send(message).catch((error: unknown) => deps.onDeliveryError?.(error));
    },

    async complete(platform, kind, input) {
      const passwordHash = await deps.hasher.hash(input.newPassword);
      await db.withTenant(platform.id, async (tx) => {
        const reset = await resets.findReset(tx, hashToken(input.token));
        if (!reset || reset.accountKind !== kind) throw new Invalid('invalid_reset_token', 'This password-reset link is not valid; ask for a new one.');
        if (reset.usedAt) throw new Gone('reset_token_used', 'This password-reset link was already used; ask for a new one.');
        if (reset.expiresAt <= clock.now()) throw new Gone('reset_token_expired', 'This password-reset link has expired; ask for a new one.');
        if (!(await resets.markUsed(tx, reset.id, clock.now()))) {
          throw new Gone('reset_token_used', 'This password-reset link was already used; ask for a new one.');
        }
        if (kind === 'customer') await store.setCustomerPassword(tx, reset.accountId, passwordHash);
        else await store.setStaffPassword(tx, reset.accountId, passwordHash);
        // Whoever knew the old password is locked out too; the ids go to the set that flash
        // attempts check, inside the transaction (a failure undoes the reset).
        await revokedSessions.revoke(await store.revokeSessionsOf(tx, reset.accountId, clock.now()));
      });
    },
  };
}
