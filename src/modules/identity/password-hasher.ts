import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import PQueue from 'p-queue';
import { RateLimited } from '../../platform/errors.ts';

/**
 * Passwords are hashed with scrypt from Node's own crypto (memory-hard, no native add-on to
 * build). The parameters travel inside the stored hash, so they can be raised later without
 * invalidating existing accounts.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}
const DEFAULT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Spent when no account matches, so that response time doesn't reveal which emails exist. */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password');
  await verifyPassword(password, await dummyHash);
}

/**
 * Hashing at other parameters than the default: suites that sign up hundreds of customers use a
 * cheaper cost so that they measure the shop, not scrypt. Verification reads the parameters from
 * the stored hash either way.
 */
export function scryptWork(params: ScryptParams): PasswordWork {
  return { hash: (password) => hashPassword(password, params), verify: verifyPassword };
}

/**
 * Every password hash of the process goes through one queue: each scrypt takes a libuv thread
 * and a CPU core for well over 100 ms, so unbounded they pile up and a login waits behind every
 * registration in the flood. Logins (and accounts staff create) go first, and registrations may
 * hold all but one of the hashing slots, so a login never waits for a sign-up's hash to finish: it
 * starts at once unless other logins hold every slot. A registration waits in a bounded backlog
 * and is refused at once when that is full.
 */
export interface PasswordHasher {
  /** Checks a login's password (a wrong password or an unknown account alike): ahead of registrations. */
  verify(password: string, stored: string | undefined): Promise<boolean>;
  /** A password set by staff or the operator: ahead of registrations, never refused. */
  hash(password: string): Promise<string>;
  /** A self-registration's password: behind logins; RateLimited `registration_busy` when the backlog is full. */
  hashForRegistration(password: string): Promise<string>;
}

/** The hashing itself; replaceable so that a test can hold hashes open and look at the order. */
export interface PasswordWork {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

export interface PasswordHasherOptions {
  /** Hashes run at once; default one per core, at most libuv's default pool of 4 threads. */
  concurrency?: number;
  /** Registrations that may wait for a hash; default 64 (about 10 s of sign-up hashing). */
  registrationBacklog?: number;
  work?: PasswordWork;
}

const FIRST = 1;
const REGISTRATION = 0;

export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  const concurrency = options.concurrency ?? Math.min(availableParallelism(), 4);
  const registrationBacklog = options.registrationBacklog ?? 64;
  const work = options.work ?? { hash: hashPassword, verify: verifyPassword };
  const queue = new PQueue({ concurrency });
  // With a single slot a login still goes ahead of every registration that waits.
  const registrations = new PQueue({ concurrency: Math.max(1, concurrency - 1) });
  const first = <T>(task: () => Promise<T>) => queue.add(task, { priority: FIRST });

  return {
    verify(password, stored) {
      return first(async () => (stored ? work.verify(password, stored) : (await burnPasswordCheck(password), false)));
    },
    hash(password) {
      return first(() => work.hash(password));
    },
    async hashForRegistration(password) {
      if (registrations.size >= registrationBacklog) {
        // Waiting time grows with the backlog; a couple of seconds lets it drain.
        throw new RateLimited('registration_busy', 'Too many sign-ups right now; try again in a moment.', 2);
      }
      return registrations.add(() => queue.add(() => work.hash(password), { priority: REGISTRATION }));
    },
  };
}
