import { describe, expect, it, vi } from 'vitest';
import { createPasswordHasher, hashPassword, scryptWork, verifyPassword } from './password-hasher.ts';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('treats a compatibility-equivalent spelling as the same password', async () => {
    const hash = await hashPassword('ｐａｓｓｗｏｒｄ１');
    expect(await verifyPassword('password1', hash)).toBe(true);
  });

  it('hashes at other parameters when asked, and a hash at either cost verifies through the same check', async () => {
    const cheap = scryptWork({ N: 2 ** 12, r: 8, p: 1 });
    const hash = await cheap.hash('suite password');
    expect(hash).toMatch(/^scrypt\$4096\$8\$1\$/);
    expect(await verifyPassword('suite password', hash)).toBe(true);
    expect(await cheap.verify('suite passworD', hash)).toBe(false);
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});

describe('the password-hashing queue', () => {
  it('checks a login before the registrations already waiting, and refuses registrations past the backlog', async () => {
    const hasher = createPasswordHasher({ concurrency: 1, registrationBacklog: 2 });
    const stored = await hasher.hash('owner password');
    const finished: string[] = [];
    const track = <T>(name: string, work: Promise<T>) => work.then((value) => (finished.push(name), value));

    const registrations = [track('first sign-up', hasher.hashForRegistration('a')), track('second sign-up', hasher.hashForRegistration('b')), track('third sign-up', hasher.hashForRegistration('c'))];
    await expect(hasher.hashForRegistration('d')).rejects.toMatchObject({ code: 'registration_busy', status: 429 });
    const login = track('login', hasher.verify('owner password', stored));

    expect(await login).toBe(true);
    await Promise.all(registrations);
    // The first sign-up was already hashing; the login goes ahead of the two that waited.
    expect(finished).toEqual(['first sign-up', 'login', 'second sign-up', 'third sign-up']);
    // Once the backlog has drained, registrations are taken again.
    expect(await hasher.hashForRegistration('e')).toMatch(/^scrypt\$/);
  });

  it('leaves a slot to logins: with sign-ups holding every other slot and more waiting, a login is checked at once', async () => {
    // Sign-up hashes that finish only when the test lets them.
    const held: Array<() => void> = [];
    const work = {
      hash: (password: string) => new Promise<string>((resolve) => held.push(() => resolve(`hash of ${password}`))),
      verify: async (password: string, stored: string) => stored === `hash of ${password}`,
    };
    const hasher = createPasswordHasher({ concurrency: 2, registrationBacklog: 10, work });
    const signUps = ['a', 'b', 'c', 'd'].map((password) => hasher.hashForRegistration(password));
    await vi.waitFor(() => expect(held).toHaveLength(1));

    // One sign-up hashes, three wait, none has finished: the login is answered all the same.
    expect(await hasher.verify('owner password', 'hash of owner password')).toBe(true);
    expect(held).toHaveLength(1);

    for (let released = 0; released < 4; released++) {
      await vi.waitFor(() => expect(held.length).toBeGreaterThan(released));
      held[released]!();
    }
    expect(await Promise.all(signUps)).toEqual(['hash of a', 'hash of b', 'hash of c', 'hash of d']);
  });

  it('answers an unknown account as a wrong password, after the same work', async () => {
    const hasher = createPasswordHasher();
    expect(await hasher.verify('anything', undefined)).toBe(false);
  });
});
