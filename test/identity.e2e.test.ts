import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

describe.each(await databaseKinds())('identity on %s', (kind) => {
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let shop: Awaited<ReturnType<TestApp['createPlatform']>>;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock });
    shop = await t.createPlatform('ident');
    await t.createPlatform('other');
  });
  afterAll(() => t?.close());

  const register = (payload: object, slug = 'ident') =>
    t.request({ method: 'POST', url: '/api/store/auth/register', headers: as(slug), payload });
  const customerLogin = (payload: object, slug = 'ident') =>
    t.request({ method: 'POST', url: '/api/store/auth/login', headers: as(slug), payload });

  it('a customer registers by email, logs in and sees their account', async () => {
    const registered = await register({ email: 'Mei@Example.com', password: 'correct horse', name: '小美' });
    expect(registered.statusCode).toBe(201);
    expect(registered.json().customer).toMatchObject({ email: 'mei@example.com', name: '小美' });
    expect(registered.json().customer).not.toHaveProperty('passwordHash');

    const login = await customerLogin({ email: 'mei@example.com', password: 'correct horse' });
    expect(login.statusCode).toBe(200);
    const me = await t.request({ method: 'GET', url: '/api/store/me', headers: as('ident', login.json().session.token) });
    expect(me.json().email).toBe('mei@example.com');
  });

  it('a customer registers by phone', async () => {
    const registered = await register({ phone: '+8613800138000', password: 'phone-pass-1' });
    expect(registered.statusCode).toBe(201);
    expect((await customerLogin({ phone: '+8613800138000', password: 'phone-pass-1' })).statusCode).toBe(200);
  });

  it('the same email cannot register twice on one platform, but can on another', async () => {
    await register({ email: 'twice@example.com', password: 'password-1' });
    const again = await register({ email: 'TWICE@example.com', password: 'password-2' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('account_exists');
    expect((await register({ email: 'twice@example.com', password: 'password-3' }, 'other')).statusCode).toBe(201);
  });

  it('a wrong password is a 401 that does not say whether the account exists', async () => {
    await register({ email: 'guard@example.com', password: 'right-password' });
    const wrong = await customerLogin({ email: 'guard@example.com', password: 'wrong-password' });
    const unknown = await customerLogin({ email: 'nobody@example.com', password: 'wrong-password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_credentials');
    expect(unknown.json().detail).toBe(wrong.json().detail);
  });

  it('login attempts are rate limited after repeated failures, even with the right password', async () => {
    await register({ email: 'brute@example.com', password: 'the-real-one' });
    for (let i = 0; i < 5; i++) {
      expect((await customerLogin({ email: 'brute@example.com', password: `guess-${i}-xx` })).statusCode).toBe(401);
    }
    const blocked = await customerLogin({ email: 'brute@example.com', password: 'the-real-one' });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('too_many_login_attempts');
    expect(blocked.headers['retry-after']).toBeDefined();
  });

  it('logout revokes the session; a revoked token is refused', async () => {
    const { session } = (await register({ email: 'leaver@example.com', password: 'password-1' })).json();
    const headers = as('ident', session.token);
    expect((await t.request({ method: 'POST', url: '/api/store/auth/logout', headers })).statusCode).toBe(204);
    const after = await t.request({ method: 'GET', url: '/api/store/me', headers });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('token_revoked');
  });

  it('an expired session is refused', async () => {
    const { session } = (await register({ email: 'sleeper@example.com', password: 'password-1' })).json();
    clock.advance(31 * 24 * 3600_000);
    const after = await t.request({ method: 'GET', url: '/api/store/me', headers: as('ident', session.token) });
    clock.advance(-31 * 24 * 3600_000);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('token_expired');
  });

  it('missing and malformed tokens are 401 problems', async () => {
    const none = await t.request({ method: 'GET', url: '/api/store/me', headers: as('ident') });
    expect(none.json().code).toBe('unauthenticated');
    const junk = await t.request({ method: 'GET', url: '/api/store/me', headers: as('ident', 'junk') });
    expect(junk.json().code).toBe('invalid_token');
  });

  it('a customer token does not open the admin API', async () => {
    const { session } = (await register({ email: 'nosy@example.com', password: 'password-1' })).json();
    const response = await t.request({ method: 'GET', url: '/api/admin/products', headers: as('ident', session.token) });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('staff_only');
  });

  describe('staff roles', () => {
    const staffLogin = async (email: string, password: string) => {
      const login = await t.request({ method: 'POST', url: '/api/admin/auth/login', headers: as('ident'), payload: { email, password } });
      expect(login.statusCode).toBe(200);
      return login.json().session.token as string;
    };
    const createStaff = (token: string, payload: object) =>
      t.request({ method: 'POST', url: '/api/admin/staff', headers: as('ident', token), payload });

    it('an owner adds staff with roles; a viewer can read but not edit', async () => {
      expect((await createStaff(shop.ownerToken, { email: 'viewer@ident.test', password: 'viewer-pass', role: 'viewer' })).statusCode).toBe(201);
      const viewer = await staffLogin('viewer@ident.test', 'viewer-pass');
      expect((await t.request({ method: 'GET', url: '/api/admin/products', headers: as('ident', viewer) })).statusCode).toBe(200);
      const edit = await t.request({
        method: 'POST',
        url: '/api/admin/categories',
        headers: as('ident', viewer),
        payload: { slug: 'x', name: { en: 'X' } },
      });
      expect(edit.statusCode).toBe(403);
      expect(edit.json().code).toBe('insufficient_role');
    });

    it('an admin cannot create owners or demote the owner; the last owner stays', async () => {
      await createStaff(shop.ownerToken, { email: 'admin@ident.test', password: 'admin-pass', role: 'admin' });
      const admin = await staffLogin('admin@ident.test', 'admin-pass');
      const owner = await createStaff(admin, { email: 'owner2@ident.test', password: 'owner-pass', role: 'owner' });
      expect(owner.statusCode).toBe(403);
      const staff = (await t.request({ method: 'GET', url: '/api/admin/staff', headers: as('ident', admin) })).json().items;
      const ownerAccount = staff.find((s: { role: string }) => s.role === 'owner');
      const demote = await t.request({
        method: 'PATCH',
        url: `/api/admin/staff/${ownerAccount.id}`,
        headers: as('ident', admin),
        payload: { role: 'viewer' },
      });
      expect(demote.statusCode).toBe(403);
      const selfDemote = await t.request({
        method: 'PATCH',
        url: `/api/admin/staff/${ownerAccount.id}`,
        headers: as('ident', shop.ownerToken),
        payload: { role: 'admin' },
      });
      expect(selfDemote.statusCode).toBe(409);
      expect(selfDemote.json().code).toBe('last_owner');
    });

    it('disabling a staff account ends its sessions at once', async () => {
      const created = await createStaff(shop.ownerToken, { email: 'temp@ident.test', password: 'temp-pass-1', role: 'operator' });
      const token = await staffLogin('temp@ident.test', 'temp-pass-1');
      await t.request({ method: 'PATCH', url: `/api/admin/staff/${created.json().id}`, headers: as('ident', shop.ownerToken), payload: { status: 'disabled' } });
      const after = await t.request({ method: 'GET', url: '/api/admin/me', headers: as('ident', token) });
      expect(after.statusCode).toBe(401);
    });

    it('an API token acts for its staff member until revoked', async () => {
      const issued = await t.request({
        method: 'POST',
        url: '/api/admin/api-tokens',
        headers: as('ident', shop.ownerToken),
        payload: { label: 'ERP sync', expiresInDays: 30 },
      });
      expect(issued.statusCode).toBe(201);
      const { id, token } = issued.json();
      expect(token).toMatch(/^bza_/);
      expect((await t.request({ method: 'GET', url: '/api/admin/products', headers: as('ident', token) })).statusCode).toBe(200);
      const listed = await t.request({ method: 'GET', url: '/api/admin/api-tokens', headers: as('ident', shop.ownerToken) });
      expect(listed.json().items[0]).toMatchObject({ id, label: 'ERP sync' });
      expect(JSON.stringify(listed.json())).not.toContain(token);
      const login = await t.request({ method: 'POST', url: '/api/admin/auth/login', headers: as('ident'), payload: { email: 'owner@ident.test', password: 'owner-password-123' } });
      const notAnApiToken = await t.request({ method: 'DELETE', url: `/api/admin/api-tokens/${login.json().session.id}`, headers: as('ident', shop.ownerToken) });
      expect(notAnApiToken.statusCode).toBe(404);
      expect((await t.request({ method: 'DELETE', url: `/api/admin/api-tokens/${id}`, headers: as('ident', shop.ownerToken) })).statusCode).toBe(204);
      const after = await t.request({ method: 'GET', url: '/api/admin/products', headers: as('ident', token) });
      expect(after.json().code).toBe('token_revoked');
    });
  });
});
