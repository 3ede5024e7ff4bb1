import { LRUCache } from 'lru-cache';
import type { Database } from '../../infra/db/database.ts';
import type { RevokedSessions } from '../../infra/revoked-sessions/revoked-sessions.ts';
import type { SessionKind, StaffRole } from '../../infra/db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Forbidden, NotFound, Unauthorized } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../tenants/platform.ts';
import type { ProvisionStep } from '../tenants/tenant-service.ts';
import * as store from './identity-store.ts';
import type { LoginAttempt, LoginThrottle } from './login-throttle.ts';
import type { PasswordHasher } from './password-hasher.ts';
import type { RegistrationLimits } from './registration-limits.ts';
import { roleAtLeast, type Principal } from './principal.ts';
import { hashToken, looksLikeToken, newToken } from './tokens.ts';

const CUSTOMER_SESSION_MS = 30 * 24 * 3600_000;
const STAFF_SESSION_MS = 12 * 3600_000;

/**
 * How long this node trusts a customer session it validated (or issued) without asking the
 * database again. A revocation anywhere takes effect at once wherever the revoked-sessions set is
 * shared (Redis) and on the node that revoked it (memory); only a node without Redis that did not
 * see the revocation may accept the session for up to this long. Far below the set's memory (a
 * purchase token's lifetime plus a minute), so no revoked entry is forgotten while still cached.
 * Staff sessions are never cached: a role change must apply on the next request.
 */
export const SESSION_CACHE_MS = 5_000;

type CustomerPrincipal = Extract<Principal, { kind: 'customer' }>;

export interface CustomerView {
  id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  createdAt: Date;
}

export interface StaffView {
  id: string;
  email: string;
  name: string | null;
  role: StaffRole;
  status: 'active' | 'disabled';
  createdAt: Date;
}

export interface IssuedToken {
  id: string;
  token: string;
  expiresAt: Date | null;
}

export interface ApiTokenView {
  id: string;
  label: string | null;
  staffId: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

type StaffPrincipal = Extract<Principal, { kind: 'staff' | 'api' }>;

export interface IdentityService {
  registerCustomer(
    platform: Platform,
    input: { email?: string | undefined; phone?: string | undefined; password: string; name?: string | undefined },
    ip: string,
  ): Promise<{ customer: CustomerView; session: IssuedToken }>;
  loginCustomer(
    platform: Platform,
    input: { email?: string | undefined; phone?: string | undefined; password: string },
    ip: string,
  ): Promise<{ customer: CustomerView; session: IssuedToken }>;
  loginStaff(platform: Platform, input: { email: string; password: string }, ip: string): Promise<{ staff: StaffView; session: IssuedToken }>;
  /** Verifies a bearer token; throws Unauthorized with a precise code when it can't be used. */
  authenticate(platform: Platform, token: string): Promise<Principal>;
  logout(platform: Platform, principal: Principal): Promise<void>;
  /**
   * Changes the password of the account behind a login session. The session it is made from
   * stays signed in; every other session and API token of the account is revoked.
   */
  changePassword(platform: Platform, principal: Principal, input: { currentPassword: string; newPassword: string }, ip: string): Promise<void>;
  getCustomer(platform: Platform, customerId: string): Promise<CustomerView>;
  getStaff(platform: Platform, staffId: string): Promise<StaffView>;
  listStaff(platform: Platform): Promise<StaffView[]>;
  createStaff(
    platform: Platform,
    actor: StaffPrincipal,
    input: { email: string; password: string; name?: string | undefined; role: StaffRole },
  ): Promise<StaffView>;
  updateStaff(
    platform: Platform,
    actor: StaffPrincipal,
    staffId: string,
    changes: { role?: StaffRole | undefined; status?: 'active' | 'disabled' | undefined; name?: string | undefined },
  ): Promise<StaffView>;
  issueApiToken(platform: Platform, actor: StaffPrincipal, input: { label: string; expiresInDays?: number | undefined }): Promise<IssuedToken>;
  listApiTokens(platform: Platform): Promise<ApiTokenView[]>;
  revokeApiToken(platform: Platform, actor: StaffPrincipal, tokenId: string): Promise<void>;
  /** Creates the platform's first owner inside the platform's creation transaction. */
  provisionOwner: ProvisionStep;
}

export function createIdentityService(deps: {
  db: Database;
  clock: Clock;
  throttle: LoginThrottle;
  registrationLimits: RegistrationLimits;
  hasher: PasswordHasher;
  revokedSessions: RevokedSessions;
}): IdentityService {
  const { db, clock, throttle, registrationLimits, hasher, revokedSessions } = deps;
  // Keyed by platform and token hash (the token itself is never kept).
  const validated = new LRUCache<string, { principal: CustomerPrincipal; until: number; expiresAt: number | null }>({ max: 100_000 });

  const cacheKey = (platformId: string, token: string) => `${platformId}:${hashToken(token)}`;

  function remember(key: string, principal: CustomerPrincipal, expiresAt: Date | null): void {
    validated.set(key, { principal, until: clock.now().getTime() + SESSION_CACHE_MS, expiresAt: expiresAt?.getTime() ?? null });
  }

  /** The principal of a customer session checked lately and revoked nowhere since, if any. */
  async function recentlyValidated(key: string): Promise<CustomerPrincipal | undefined> {
    const hit = validated.get(key);
    if (!hit) return undefined;
    const now = clock.now().getTime();
    // A revoked or stale entry is dropped and the database asked: it is the truth (a revocation
    // recorded in the set by a transaction that then rolled back leaves the session live).
    if (hit.until <= now || (hit.expiresAt !== null && hit.expiresAt <= now) || (await revokedSessions.isRevoked(hit.principal.sessionId))) {
      validated.delete(key);
      return undefined;
    }
    return hit.principal;
  }

  /**
   * Every revocation ends here: the revoked ids go to the set that flash attempts check, inside
   * the transaction, so a failure to record them undoes the revocation instead of leaving
   * purchase tokens alive behind a session that looks revoked.
   */
  async function revoked(ids: string[]): Promise<string[]> {
    await revokedSessions.revoke(ids);
    return ids;
  }

  async function issue(tx: Parameters<Parameters<Database['withTenant']>[1]>[0], tenantId: string, kind: SessionKind, subjectId: string, ttlMs: number | null, label: string | null): Promise<IssuedToken> {
    const token = newToken(kind);
    const expiresAt = ttlMs === null ? null : new Date(clock.now().getTime() + ttlMs);
    const row = await store.insertSession(tx, {
      tenantId,
      id: newId('ses'),
      tokenHash: hashToken(token),
      kind,
      subjectId,
      label,
      expiresAt,
    });
    return { id: row.id, token, expiresAt };
  }

  async function checkedPassword(attempt: LoginAttempt, password: string, hash: string | undefined): Promise<void> {
    await throttle.admit(attempt);
    if (!(await hasher.verify(password, hash))) {
      await throttle.recordFailure(attempt);
      throw new Unauthorized('invalid_credentials', 'The login or password is wrong.');
    }
    await throttle.recordSuccess(attempt);
  }

  function assertMayManage(actor: StaffPrincipal, targetRole: StaffRole): void {
    if (!roleAtLeast(actor.role, 'admin')) {
      throw new Forbidden('insufficient_role', 'Managing staff needs the admin or owner role.');
    }
    if (!roleAtLeast(actor.role, targetRole) || (targetRole === 'owner' && actor.role !== 'owner')) {
      throw new Forbidden('insufficient_role', `Only an owner can manage ${targetRole} accounts.`);
    }
  }

  return {
    async registerCustomer(platform, input, ip) {
      await registrationLimits.admit(platform.id, ip);
      const passwordHash = await hasher.hashForRegistration(input.password);
      const registered = await db.withTenant(platform.id, async (tx) => {
        if (await store.findCustomerByLogin(tx, input)) {
          throw new Conflict('account_exists', 'An account with this email or phone already exists.');
        }
        const row = await store
          .insertCustomer(tx, {
            tenantId: platform.id,
            id: newId('cus'),
            email: input.email ?? null,
            phone: input.phone ?? null,
            name: input.name ?? null,
            passwordHash,
          })
          .catch(rethrowUnique('account_exists', 'An account with this email or phone already exists.'));
        const session = await issue(tx, platform.id, 'customer', row.id, CUSTOMER_SESSION_MS, null);
        return { customer: customerView(row), session };
      });
      remember(cacheKey(platform.id, registered.session.token), { kind: 'customer', customerId: registered.customer.id, sessionId: registered.session.id }, registered.session.expiresAt);
      return registered;
    },

    async loginCustomer(platform, input, ip) {
      const account = `customer:${input.email ?? input.phone}`;
      const found = await db.withTenant(platform.id, (tx) => store.findCustomerByLogin(tx, input));
      await checkedPassword({ platformId: platform.id, account, ip }, input.password, found?.status === 'active' ? found.passwordHash : undefined);
      const customer = found!;
      const session = await db.withTenant(platform.id, (tx) => issue(tx, platform.id, 'customer', customer.id, CUSTOMER_SESSION_MS, null));
      remember(cacheKey(platform.id, session.token), { kind: 'customer', customerId: customer.id, sessionId: session.id }, session.expiresAt);
      return { customer: customerView(customer), session };
    },

    async loginStaff(platform, input, ip) {
      const account = `staff:${input.email}`;
      const found = await db.withTenant(platform.id, (tx) => store.findStaffByEmail(tx, input.email));
      await checkedPassword({ platformId: platform.id, account, ip }, input.password, found?.status === 'active' ? found.passwordHash : undefined);
      const staff = found!;
      const session = await db.withTenant(platform.id, (tx) => issue(tx, platform.id, 'staff', staff.id, STAFF_SESSION_MS, null));
      return { staff: staffView(staff), session };
    },

    async authenticate(platform, token) {
      if (!looksLikeToken(token)) throw new Unauthorized('invalid_token', 'The bearer token is not valid.');
      const key = cacheKey(platform.id, token);
      const recent = await recentlyValidated(key);
      if (recent) return recent;
      const holder = await db.withTenant(platform.id, (tx) => store.findTokenHolder(tx, hashToken(token)));
      if (!holder) throw new Unauthorized('invalid_token', 'The bearer token is not valid.');
      if (holder.revokedAt) throw new Unauthorized('token_revoked', 'This token has been revoked; log in again.');
      if (holder.expiresAt && holder.expiresAt <= clock.now()) {
        throw new Unauthorized('token_expired', 'This token has expired; log in again.');
      }
      if (holder.subjectStatus !== 'active') throw new Unauthorized('account_disabled', 'This account is disabled.');
      if (holder.kind === 'customer') {
        const principal: CustomerPrincipal = { kind: 'customer', customerId: holder.subjectId, sessionId: holder.sessionId };
        remember(key, principal, holder.expiresAt);
        return principal;
      }
      return { kind: holder.kind, staffId: holder.subjectId, role: holder.role!, sessionId: holder.sessionId };
    },

    async logout(platform, principal) {
      await db.withTenant(platform.id, async (tx) => revoked(await store.revokeSession(tx, principal.sessionId, clock.now())));
    },

    async changePassword(platform, principal, input, ip) {
      if (principal.kind === 'api') throw new Forbidden('login_session_only', 'Change a password from a staff login, not with an API token.');
      const accountId = principal.kind === 'customer' ? principal.customerId : principal.staffId;
      const account: { passwordHash: string } | undefined = await db.withTenant(platform.id, async (tx) =>
        principal.kind === 'customer' ? store.findCustomer(tx, accountId) : store.findStaff(tx, accountId),
      );
      const attempt = { platformId: platform.id, account: `password-change:${accountId}`, ip };
      await throttle.admit(attempt);
      if (!(await hasher.verify(input.currentPassword, account?.passwordHash))) {
        await throttle.recordFailure(attempt);
        throw new Forbidden('wrong_current_password', 'The current password is wrong.');
      }
      await throttle.recordSuccess(attempt);
      const passwordHash = await hasher.hash(input.newPassword);
      await db.withTenant(platform.id, async (tx) => {
        if (principal.kind === 'customer') await store.setCustomerPassword(tx, accountId, passwordHash);
        else await store.setStaffPassword(tx, accountId, passwordHash);
        await revoked(await store.revokeSessionsOf(tx, accountId, clock.now(), principal.sessionId));
      });
    },

    async getCustomer(platform, customerId) {
      const row = await db.withTenant(platform.id, (tx) => store.findCustomer(tx, customerId));
      if (!row) throw new NotFound('customer_not_found', 'No such customer.');
      return customerView(row);
    },

    async getStaff(platform, staffId) {
      const row = await db.withTenant(platform.id, (tx) => store.findStaff(tx, staffId));
      if (!row) throw new NotFound('staff_not_found', 'No such staff account.');
      return staffView(row);
    },

    async listStaff(platform) {
      return (await db.withTenant(platform.id, store.listStaff)).map(staffView);
    },

    async createStaff(platform, actor, input) {
      assertMayManage(actor, input.role);
      const passwordHash = await hasher.hash(input.password);
      return db.withTenant(platform.id, async (tx) => {
        if (await store.findStaffByEmail(tx, input.email)) {
          throw new Conflict('account_exists', 'A staff account with this email already exists.');
        }
        const row = await store
          .insertStaff(tx, { tenantId: platform.id, id: newId('stf'), email: input.email, name: input.name ?? null, passwordHash, role: input.role })
          .catch(rethrowUnique('account_exists', 'A staff account with this email already exists.'));
        return staffView(row);
      });
    },

    async updateStaff(platform, actor, staffId, changes) {
      return db.withTenant(platform.id, async (tx) => {
        const target = await store.findStaff(tx, staffId);
        if (!target) throw new NotFound('staff_not_found', 'No such staff account.');
        assertMayManage(actor, target.role);
        if (changes.role) assertMayManage(actor, changes.role);
        const losesOwner = target.role === 'owner' && (changes.role !== undefined && changes.role !== 'owner' || changes.status === 'disabled');
        if (losesOwner && (await store.countActiveOwners(tx)) <= 1) {
          throw new Conflict('last_owner', 'A platform must keep at least one active owner.');
        }
        const row = await store.updateStaff(tx, staffId, changes);
        if (changes.status === 'disabled') await revoked(await store.revokeSessionsOf(tx, staffId, clock.now()));
        return staffView(row!);
      });
    },

    async issueApiToken(platform, actor, input) {
      if (!roleAtLeast(actor.role, 'admin')) throw new Forbidden('insufficient_role', 'Creating API tokens needs the admin role.');
      const ttl = input.expiresInDays ? input.expiresInDays * 24 * 3600_000 : null;
      return db.withTenant(platform.id, (tx) => issue(tx, platform.id, 'api', actor.staffId, ttl, input.label));
    },

    async listApiTokens(platform) {
      const rows = await db.withTenant(platform.id, store.listApiTokens);
      return rows.map((row) => ({
        id: row.id,
        label: row.label,
        staffId: row.subjectId,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
        revokedAt: row.revokedAt,
      }));
    },

    async revokeApiToken(platform, actor, tokenId) {
      if (!roleAtLeast(actor.role, 'admin')) throw new Forbidden('insufficient_role', 'Revoking API tokens needs the admin role.');
      const ended = await db.withTenant(platform.id, async (tx) => revoked(await store.revokeSession(tx, tokenId, clock.now(), 'api')));
      if (ended.length === 0) throw new NotFound('token_not_found', 'No such active API token.');
    },

    async provisionOwner(tx, platform, document) {
      if (!document.owner) return;
      await store.insertStaff(tx, {
        tenantId: platform.id,
        id: newId('stf'),
        email: document.owner.email,
        name: document.owner.name ?? null,
        passwordHash: await hasher.hash(document.owner.password),
        role: 'owner',
      });
    },
  };
}

function rethrowUnique(code: string, message: string) {
  return (error: { code?: string }): never => {
    if (error.code === '23505') throw new Conflict(code, message);
    throw error;
  };
}

export function customerView(row: store.CustomerRow): CustomerView {
  return { id: row.id, email: row.email, phone: row.phone, name: row.name, createdAt: row.createdAt };
}

function staffView(row: store.StaffRow): StaffView {
  return { id: row.id, email: row.email, name: row.name, role: row.role, status: row.status, createdAt: row.createdAt };
}
