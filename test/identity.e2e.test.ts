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

describe.each(await databaseKinds())('client addresses, sign-up limits and lockouts on %s', (kind) => {
  const PROXY = '10.0.0.1';
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(kind, { trustProxy: [PROXY], registrationLimits: { perAddressPerHour: 3, perPlatformPerMinute: 6 } });
    for (const slug of ['signups', 'crowded', 'quiet', 'locks', 'twin', 'forged']) await t.createPlatform(slug);
  });
  afterAll(() => t?.close());

  /** A request from `remoteAddress` (the socket's peer), optionally naming a client in X-Forwarded-For. */
  const from = (remoteAddress: string, forwardedFor?: string) => (forwardedFor ? { remoteAddress, forwardedFor } : { remoteAddress });
  const send = (url: string, slug: string, payload: object, peer: { remoteAddress: string; forwardedFor?: string }) =>
    t.request({
      method: 'POST',
      url,
      remoteAddress: peer.remoteAddress,
      headers: { ...as(slug), ...(peer.forwardedFor ? { 'x-forwarded-for': peer.forwardedFor } : {}) },
      payload,
    });
  const register = (slug: string, email: string, peer: { remoteAddress: string; forwardedFor?: string }) =>
    send('/api/store/auth/register', slug, { email, password: 'right-password' }, peer);
  const login = (slug: string, email: string, password: string, peer: { remoteAddress: string; forwardedFor?: string }) =>
    send('/api/store/auth/login', slug, { email, password }, peer);

  it('sign-ups are limited per address on a platform; another address or platform is unaffected', async () => {
    for (let i = 0; i < 3; i++) expect((await register('signups', `a${i}@example.com`, from('192.0.2.1'))).statusCode).toBe(201);
    const refused = await register('signups', 'a3@example.com', from('192.0.2.1'));
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('too_many_registrations');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await register('signups', 'b@example.com', from('192.0.2.2'))).statusCode).toBe(201);
    expect((await register('quiet', 'a3@example.com', from('192.0.2.1'))).statusCode).toBe(201);
  });

  it('sign-ups are limited per platform, from any address; another platform is unaffected', async () => {
    for (let i = 0; i < 6; i++) expect((await register('crowded', `c${i}@example.com`, from(`198.51.100.${i + 1}`))).statusCode).toBe(201);
    const refused = await register('crowded', 'c6@example.com', from('198.51.100.99'));
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('too_many_registrations');
    expect((await register('quiet', 'c6@example.com', from('198.51.100.99'))).statusCode).toBe(201);
  });

  it('X-Forwarded-For names the client only when the trusted proxy sends it', async () => {
    // Through the proxy, each client has its own allowance.
    for (let i = 0; i < 3; i++) expect((await register('twin', `p${i}@example.com`, from(PROXY, '203.0.113.10'))).statusCode).toBe(201);
    expect((await register('twin', 'p3@example.com', from(PROXY, '203.0.113.10'))).statusCode).toBe(429);
    expect((await register('twin', 'p4@example.com', from(PROXY, '203.0.113.11'))).statusCode).toBe(201);
    // From anyone else the header is ignored: a new made-up address each time buys nothing.
    for (let i = 0; i < 3; i++) expect((await register('forged', `f${i}@example.com`, from('192.0.2.66', `203.0.113.${20 + i}`))).statusCode).toBe(201);
    expect((await register('forged', 'f3@example.com', from('192.0.2.66', '203.0.113.99'))).statusCode).toBe(429);
  });

  it('behind the proxy, a stranger failing on an account does not lock its owner out', async () => {
    expect((await register('locks', 'owner@example.com', from(PROXY, '203.0.113.7'))).statusCode).toBe(201);
    for (let i = 0; i < 5; i++) expect((await login('locks', 'owner@example.com', `guess-${i}-xx`, from(PROXY, '203.0.113.66'))).statusCode).toBe(401);
    const stranger = await login('locks', 'owner@example.com', 'right-password', from(PROXY, '203.0.113.66'));
    expect(stranger.statusCode).toBe(429);
    expect(stranger.json().code).toBe('too_many_login_attempts');
    expect((await login('locks', 'owner@example.com', 'right-password', from(PROXY, '203.0.113.7'))).statusCode).toBe(200);
  });

  it('a stranger failing on an account from another address does not lock its owner out', async () => {
    expect((await register('locks', 'mei@example.com', from('192.0.2.7'))).statusCode).toBe(201);
    for (let i = 0; i < 6; i++) await login('locks', 'mei@example.com', `guess-${i}-xx`, from('192.0.2.99'));
    expect((await login('locks', 'mei@example.com', 'right-password', from('192.0.2.99'))).statusCode).toBe(429);
    expect((await login('locks', 'mei@example.com', 'right-password', from('192.0.2.7'))).statusCode).toBe(200);
  });

  it('failures on one platform do not block the same login on another', async () => {
    expect((await register('quiet', 'both@example.com', from('192.0.2.8'))).statusCode).toBe(201);
    expect((await register('locks', 'both@example.com', from('192.0.2.8'))).statusCode).toBe(201);
    for (let i = 0; i < 5; i++) await login('locks', 'both@example.com', `guess-${i}-xx`, from('192.0.2.8'));
    expect((await login('locks', 'both@example.com', 'right-password', from('192.0.2.8'))).statusCode).toBe(429);
    expect((await login('quiet', 'both@example.com', 'right-password', from('192.0.2.8'))).statusCode).toBe(200);
  });
});

describe.each(await databaseKinds())('a sign-up flood on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(kind, { passwordHashing: { concurrency: 1, registrationBacklog: 4 } });
    await t.createPlatform('flood');
  });
  afterAll(() => t?.close());

  it('a staff login is answered before the queued sign-ups, and sign-ups past the backlog are refused', async () => {
    const answers: { status: number; code?: string }[] = [];
    const signUps = Array.from({ length: 12 }, (_, i) =>
      t
        .request({ method: 'POST', url: '/api/store/auth/register', headers: as('flood'), payload: { email: `rush${i}@example.com`, password: 'rush-password' } })
        .then((response) => answers.push({ status: response.statusCode, code: response.statusCode === 201 ? undefined : response.json().code })),
    );
    // Once one is refused as busy, the backlog is full: now the owner logs in.
    await expect.poll(() => answers.some((answer) => answer.code === 'registration_busy'), { timeout: 30_000 }).toBe(true);
    const staffLogin = await t.request({ method: 'POST', url: '/api/admin/auth/login', headers: as('flood'), payload: { email: 'owner@flood.test', password: 'owner-password-123' } });
    expect(staffLogin.statusCode).toBe(200);
    const signedUpBeforeLogin = answers.filter((answer) => answer.status === 201).length;

    await Promise.all(signUps);
    const signedUp = answers.filter((answer) => answer.status === 201).length;
    const busy = answers.filter((answer) => answer.code === 'registration_busy').length;
    expect(signedUp + busy).toBe(12);
    expect(busy).toBeGreaterThan(0);
    // The login waited at most for the hash that was running, not for the backlog behind it.
    expect(signedUpBeforeLogin).toBeLessThan(signedUp);
  });
});
