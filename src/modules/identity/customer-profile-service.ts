import type { Database } from '../../infra/db/database.ts';
import { appendEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Forbidden, NotFound, Unprocessable } from '../../platform/errors.ts';
import type { Platform } from '../tenants/platform.ts';
import { customerView, type CustomerView } from './identity-service.ts';
import * as store from './identity-store.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { PasswordHasher } from './password-hasher.ts';

export interface ProfileChanges {
  name?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  /** Needed whenever the email or the phone (the logins of the account) is given. */
  currentPassword?: string | undefined;
}

/** A customer's own name and logins. */
export interface CustomerProfiles {
  getProfile(platform: Platform, customerId: string): Promise<CustomerView>;
  /**
   * Changes the name at once, and the email or phone only with the current password: a login is
   * where a password-reset link goes, so a stolen session must not be able to move it. An email
   * or phone another account of the platform uses is refused (409), and one login always stays.
   */
  updateProfile(platform: Platform, customerId: string, changes: ProfileChanges, ip: string): Promise<CustomerView>;
}

const FIELDS = ['name', 'email', 'phone'] as const;

export function createCustomerProfiles(deps: { db: Database; clock: Clock; throttle: LoginThrottle; hasher: PasswordHasher }): CustomerProfiles {
  const { db, clock, throttle, hasher } = deps;

  async function checkPassword(platform: Platform, customerId: string, password: string | undefined, stored: string, ip: string): Promise<void> {
    const attempt = { platformId: platform.id, account: `password-change:${customerId}`, ip };
    await throttle.admit(attempt);
    if (password === undefined || !(await hasher.verify(password, stored))) {
      await throttle.recordFailure(attempt);
      throw new Forbidden('wrong_current_password', 'The current password is wrong.');
    }
    await throttle.recordSuccess(attempt);
  }

  return {
    async getProfile(platform, customerId) {
      const row = await db.withTenant(platform.id, (tx) => store.findCustomer(tx, customerId));
      if (!row) throw new NotFound('customer_not_found', 'No such customer.');
      return customerView(row);
    },

    async updateProfile(platform, customerId, changes, ip) {
      const current = await db.withTenant(platform.id, (tx) => store.findCustomer(tx, customerId));
      if (!current) throw new NotFound('customer_not_found', 'No such customer.');
      const wanted: store.CustomerProfileChanges = {};
      for (const field of FIELDS) {
        const value = changes[field];
        if (value !== undefined && value !== current[field]) wanted[field] = value;
      }
      if (Object.keys(wanted).length === 0) return customerView(current);
      const logins = { email: wanted.email === undefined ? current.email : wanted.email, phone: wanted.phone === undefined ? current.phone : wanted.phone };
      if (logins.email === null && logins.phone === null) {
        throw loginRequired();
      }
      if (wanted.email !== undefined || wanted.phone !== undefined) {
        await checkPassword(platform, customerId, changes.currentPassword, current.passwordHash, ip);
      }

      return db.withTenant(platform.id, async (tx) => {
        const usedElsewhere = async (login: { email: string } | { phone: string }) => {
          const holder = await store.findCustomerByLogin(tx, login);
          return holder !== undefined && holder.id !== customerId;
        };
        if (wanted.email && (await usedElsewhere({ email: wanted.email }))) throw emailTaken();
        if (wanted.phone && (await usedElsewhere({ phone: wanted.phone }))) throw phoneTaken();
        // The unique indexes decide between two accounts that ask for the same login at once.
        const row = await store.updateCustomerProfile(tx, customerId, wanted).catch((error: { code?: string; constraint?: string }) => {
          if (error.code === '23505') throw error.constraint === 'customers_phone' ? phoneTaken() : emailTaken();
          // Two edits at once that each drop one login: the table's check keeps one.
          if (error.code === '23514') throw loginRequired();
          throw error;
        });
        if (!row) throw new NotFound('customer_not_found', 'No such customer.');
        await appendEvent(
          tx,
          platform.id,
          { type: 'customer.profile_updated', aggregateType: 'customer', aggregateId: customerId, payload: { changed: Object.keys(wanted) } },
          clock.now(),
        );
        return customerView(row);
      });
    },
  };
}

const loginRequired = () => new Unprocessable('login_required', 'Keep an email or a phone number to log in with.');
const emailTaken = () => new Conflict('email_taken', 'Another account already uses this email.');
const phoneTaken = () => new Conflict('phone_taken', 'Another account already uses this phone number.');
