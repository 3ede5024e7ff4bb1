import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSmtpNotifier } from '../src/infra/notify/smtp-notifier.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

const tokenIn = (text: string) => /#token=(bzr_[A-Za-z0-9_-]{43})/.exec(text)?.[1];

describe.each(await databaseKinds())('passwords on %s', (kind) => {
  const clock = new ManualClock(new Date());
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock });
    await t.createPlatform('pw');
    await t.createPlatform('pw-en', { defaultLocale: 'en' });
  });
  afterAll(() => t?.close());

  const post = (url: string, payload: object, headers: Record<string, string>) => t.request({ method: 'POST', url, headers, payload });
  async function customer(email: string, password = 'old-password-1', slug = 'pw') {
    const registered = await post('/api/store/auth/register', { email, password }, as(slug));
    expect(registered.statusCode).toBe(201);
    const other = await post('/api/store/auth/login', { email, password }, as(slug));
    return { current: registered.json().session.token as string, other: other.json().session.token as string };
  }
  const me = (token: string, slug = 'pw') => t.request({ method: 'GET', url: '/api/store/me', headers: as(slug, token) });
  const resetsFor = (email: string) => t.notifications.filter((n) => n.to.email === email);

  it('a customer changes their password: the wrong current one is refused, other sessions end, this one stays', async () => {
    const sessions = await customer('change@example.com');
    const wrong = await post('/api/store/me/password', { currentPassword: 'not-it-at-all', newPassword: 'new-password-1' }, as('pw', sessions.current));
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('wrong_current_password');
    expect((await me(sessions.other)).statusCode).toBe(200);

    const changed = await post('/api/store/me/password', { currentPassword: 'old-password-1', newPassword: 'new-password-1' }, as('pw', sessions.current));
    expect(changed.statusCode).toBe(204);
    expect((await me(sessions.current)).statusCode).toBe(200);
    expect((await me(sessions.other)).json().code).toBe('token_revoked');
    expect((await post('/api/store/auth/login', { email: 'change@example.com', password: 'old-password-1' }, as('pw'))).statusCode).toBe(401);
    expect((await post('/api/store/auth/login', { email: 'change@example.com', password: 'new-password-1' }, as('pw'))).statusCode).toBe(200);
  });

  it('staff change their password the same way; an API token may not', async () => {
    const owner = await post('/api/admin/auth/login', { email: 'owner@pw.test', password: 'owner-password-123' }, as('pw'));
    const second = await post('/api/admin/auth/login', { email: 'owner@pw.test', password: 'owner-password-123' }, as('pw'));
    const ownerToken = owner.json().session.token as string;
    const apiToken = (await post('/api/admin/api-tokens', { label: 'ci' }, as('pw', ownerToken))).json().token as string;
    const byApi = await post('/api/admin/me/password', { currentPassword: 'owner-password-123', newPassword: 'owner-password-456' }, as('pw', apiToken));
    expect(byApi.json().code).toBe('login_session_only');
    const wrong = await post('/api/admin/me/password', { currentPassword: 'owner-password-999', newPassword: 'owner-password-456' }, as('pw', ownerToken));
    expect(wrong.json().code).toBe('wrong_current_password');

    expect((await post('/api/admin/me/password', { currentPassword: 'owner-password-123', newPassword: 'owner-password-456' }, as('pw', ownerToken))).statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: '/api/admin/me', headers: as('pw', ownerToken) })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/api/admin/me', headers: as('pw', second.json().session.token) })).json().code).toBe('token_revoked');
    expect((await post('/api/admin/auth/login', { email: 'owner@pw.test', password: 'owner-password-456' }, as('pw'))).statusCode).toBe(200);
  });

  it('a reset request answers 202 whether or not the account exists, and only a real account gets a link, in the platform\'s language', async () => {
    await customer('forgot@example.com');
    const known = await post('/api/store/auth/password-reset', { email: 'forgot@example.com' }, as('pw'));
    const unknown = await post('/api/store/auth/password-reset', { email: 'nobody-here@example.com' }, as('pw'));
    expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(unknown.body).toBe(known.body);
    await vi.waitFor(() => expect(resetsFor('forgot@example.com')).toHaveLength(1));
    expect(resetsFor('nobody-here@example.com')).toHaveLength(0);
    const [message] = resetsFor('forgot@example.com');
    expect(message!.subject).toContain('重设');
    expect(message!.link).toMatch(/^\/reset-password\?tenant=pw#token=bzr_/);
    expect(message!.text).toContain(message!.link);
  });

  it('completing a reset sets the password, ends every session, and the link works once', async () => {
    const sessions = await customer('reset@example.com');
    await post('/api/store/auth/password-reset', { email: 'reset@example.com' }, as('pw'));
    await vi.waitFor(() => expect(resetsFor('reset@example.com')).toHaveLength(1));
    const token = tokenIn(resetsFor('reset@example.com')[0]!.text)!;

    const done = await post('/api/store/auth/password-reset/complete', { token, newPassword: 'reset-password-1' }, as('pw'));
    expect(done.statusCode).toBe(204);
    expect((await me(sessions.current)).json().code).toBe('token_revoked');
    expect((await me(sessions.other)).json().code).toBe('token_revoked');
    expect((await post('/api/store/auth/login', { email: 'reset@example.com', password: 'reset-password-1' }, as('pw'))).statusCode).toBe(200);

    const again = await post('/api/store/auth/password-reset/complete', { token, newPassword: 'reset-password-2' }, as('pw'));
    expect(again.statusCode).toBe(410);
    expect(again.json().code).toBe('reset_token_used');
    const forged = await post('/api/store/auth/password-reset/complete', { token: `bzr_${'A'.repeat(43)}`, newPassword: 'reset-password-2' }, as('pw'));
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('invalid_reset_token');
    // A customer's link is not a staff link, nor good on another platform.
    expect((await post('/api/admin/auth/password-reset/complete', { token, newPassword: 'reset-password-2' }, as('pw'))).statusCode).toBe(400);
  });

  it('a reset link expires after 30 minutes', async () => {
    await customer('late@example.com');
    await post('/api/store/auth/password-reset', { email: 'late@example.com' }, as('pw'));
    await vi.waitFor(() => expect(resetsFor('late@example.com')).toHaveLength(1));
    clock.advance(31 * 60_000);
    const late = await post('/api/store/auth/password-reset/complete', { token: tokenIn(resetsFor('late@example.com')[0]!.text)!, newPassword: 'late-password-1' }, as('pw'));
    clock.advance(-31 * 60_000);
    expect(late.statusCode).toBe(410);
    expect(late.json().code).toBe('reset_token_expired');
  });

  it('a customer who logs in by phone can ask by phone', async () => {
    expect((await post('/api/store/auth/register', { phone: '+8613900000001', password: 'phone-password-1' }, as('pw'))).statusCode).toBe(201);
    expect((await post('/api/store/auth/password-reset', { phone: '+8613900000001' }, as('pw'))).statusCode).toBe(202);
    await vi.waitFor(() => expect(t.notifications.filter((n) => n.to.phone === '+8613900000001')).toHaveLength(1));
  });

  it('staff reset through the admin routes, with an English message on an English platform', async () => {
    await post('/api/admin/auth/password-reset', { email: 'owner@pw-en.test' }, as('pw-en'));
    await vi.waitFor(() => expect(resetsFor('owner@pw-en.test')).toHaveLength(1));
    const message = resetsFor('owner@pw-en.test')[0]!;
    expect(message.subject).toBe('Reset your password at Shop pw-en');
    expect(message.link).toMatch(/^\/admin\/reset-password\?tenant=pw-en#token=/);
    const done = await post('/api/admin/auth/password-reset/complete', { token: tokenIn(message.text)!, newPassword: 'fresh-owner-pass' }, as('pw-en'));
    expect(done.statusCode).toBe(204);
    expect((await post('/api/admin/auth/login', { email: 'owner@pw-en.test', password: 'fresh-owner-pass' }, as('pw-en'))).statusCode).toBe(200);
  });

  it('reset requests are rate limited per login, existing or not', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await post('/api/store/auth/password-reset', { email: 'flood@example.com' }, as('pw'))).statusCode);
    expect(answers).toEqual([202, 202, 202, 429]);
  });
});

describe.each(await databaseKinds())('password reset by mail on %s', (kind) => {
  const received: string[] = [];
  let smtp: SMTPServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, done) {
        let mail = '';
        stream.on('data', (chunk: Buffer) => (mail += chunk.toString()));
        stream.on('end', () => {
          received.push(mail);
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    t = await startTestApp(kind, { notifier: createSmtpNotifier({ url: `smtp://127.0.0.1:${port}`, from: 'Shop <shop@example.com>' }) });
    await t.createPlatform('mail', { defaultLocale: 'en' });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('the reset link arrives by mail and resets the password', async () => {
    expect((await t.request({ method: 'POST', url: '/api/store/auth/register', headers: as('mail'), payload: { email: 'mailme@example.com', password: 'mail-password-1' } })).statusCode).toBe(201);
    expect((await t.request({ method: 'POST', url: '/api/store/auth/password-reset', headers: as('mail'), payload: { email: 'mailme@example.com' } })).statusCode).toBe(202);
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000 });
    const mail = received[0]!.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    expect(mail).toMatch(/^To: mailme@example\.com/m);
    const token = tokenIn(mail);
    expect(token).toBeDefined();
    const done = await t.request({ method: 'POST', url: '/api/store/auth/password-reset/complete', headers: as('mail'), payload: { token, newPassword: 'mailed-password-1' } });
    expect(done.statusCode).toBe(204);
    expect((await t.request({ method: 'POST', url: '/api/store/auth/login', headers: as('mail'), payload: { email: 'mailme@example.com', password: 'mailed-password-1' } })).statusCode).toBe(200);
  });
});
