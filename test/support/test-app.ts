import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApp, type Services } from '../../src/app/create-app.ts';
import type { Readiness } from '../../src/app/readiness.ts';
import type { Database, QueryObserver } from '../../src/infra/db/database.ts';
import type { OutboxDispatcher } from '../../src/infra/outbox/outbox-dispatcher.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLogNotifier } from '../../src/infra/notify/log-notifier.ts';
import { scryptWork, type PasswordHasherOptions } from '../../src/modules/identity/index.ts';
import type { Notification, Notifier } from '../../src/infra/notify/notifier.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileStore } from '../../src/infra/files/file-store.ts';
import { createLocalFileStore } from '../../src/infra/files/local-file-store.ts';
import { freshDatabase, type DatabaseKind } from './databases.ts';

export const OPERATOR_TOKEN = 'test-operator-token-0123456789abcdef';

export interface TestApp {
  kind: DatabaseKind;
  app: FastifyInstance;
  db: Database;
  services: Services;
  /** Not started: tests call drain() when they want events delivered. */
  dispatcher: OutboxDispatcher;
  /** Not marked ready: as a server between listening and the end of its start-up. */
  readiness: Readiness;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Messages the log notifier wrote (read back from its JSON log lines), oldest first. */
  notifications: Notification[];
  /** Creates a platform through the operator API and returns its owner's staff token. */
  createPlatform(slug: string, overrides?: Record<string, unknown>): Promise<{ slug: string; ownerToken: string; id: string }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  clock?: Clock;
  /** Flash-sale stock and limits in this Redis instead of in memory. */
  redisUrl?: string;
  flashLimits?: { ipPerSecond: number; customerPerSecond: number };
  /** Suites sign up many customers from one address, so by default these are far above the real ones. */
  registrationLimits?: { perAddressPerHour: number; perPlatformPerMinute: number };
  trustProxy?: string[];
  passwordHashing?: PasswordHasherOptions;
  /** The sandbox payment provider; on unless a test turns it off. */
  sandboxPayments?: boolean;
  /** Instead of the log notifier whose lines land in `notifications`. */
  notifier?: Notifier;
  maxOrderTotalMinor?: number;
  /** Hears every query text the app sends to its database (see `openDatabase`). */
  observeQueries?: QueryObserver;
  /** Where uploads go; by default a local store in a temporary directory, removed on close. */
  fileStore?: FileStore;
  maxFileBytes?: number;
}

const SUITE_HASHING = scryptWork({ N: 2 ** 12, r: 8, p: 1 });
const ROOMY_REGISTRATION_LIMITS = { perAddressPerHour: 100_000, perPlatformPerMinute: 100_000 };

export async function startTestApp(kind: DatabaseKind, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await freshDatabase(kind, options.observeQueries ? { observe: options.observeQueries } : {});
  const notifications: Notification[] = [];
  const lines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) notifications.push(JSON.parse(line).notification);
      done();
    },
  });
  const filesDir = options.fileStore ? undefined : await mkdtemp(join(tmpdir(), 'bazaar-files-'));
  const { app, services, dispatcher, readiness } = await createApp({
    fileStore: options.fileStore ?? (await createLocalFileStore(filesDir!)),
    notifier: options.notifier ?? createLogNotifier(pino(lines)),
    config: {
      logLevel: 'silent',
      bodyLimitBytes: 1024 * 1024,
      benchRoutes: true,
      sandboxPayments: options.sandboxPayments ?? true,
      redisUrl: options.redisUrl,
      flashLimits: options.flashLimits,
      registrationLimits: options.registrationLimits ?? ROOMY_REGISTRATION_LIMITS,
      trustProxy: options.trustProxy,
      maxOrderTotalMinor: options.maxOrderTotalMinor,
      ...(options.maxFileBytes ? { files: { maxBytes: options.maxFileBytes, s3: undefined } } : {}),
    },
    // Suites sign up crowds at once, so they get a roomy backlog and hashes an eighth of the real
    // cost; only the flood test wants the real backlog and the real cost.
    passwordHashing: options.passwordHashing ?? { registrationBacklog: 100_000, work: SUITE_HASHING },
    db: database.db,
    operatorToken: OPERATOR_TOKEN,
    logger: false,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await app.ready();

  const request = (injectOptions: InjectOptions) => app.inject(injectOptions);

  return {
    kind,
    app,
    db: database.db,
    services,
    dispatcher,
    readiness,
    request,
    notifications,
    async createPlatform(slug, overrides = {}) {
      const password = 'owner-password-123';
      const created = await request({
        method: 'POST',
        url: '/api/operator/platforms',
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
        payload: {
          slug,
          name: `Shop ${slug}`,
          domains: [`${slug}.shop.test`],
          defaultCurrency: 'CNY',
          currencies: ['CNY', 'USD'],
          defaultLocale: 'zh-CN',
          locales: ['zh-CN', 'en'],
          owner: { email: `owner@${slug}.test`, password },
          ...overrides,
        },
      });
      if (created.statusCode !== 201) throw new Error(`platform ${slug}: ${created.statusCode} ${created.body}`);
      const login = await request({
        method: 'POST',
        url: '/api/admin/auth/login',
        headers: { 'x-tenant': slug },
        payload: { email: `owner@${slug}.test`, password },
      });
      if (login.statusCode !== 200) throw new Error(`owner login ${slug}: ${login.statusCode} ${login.body}`);
      return { slug, id: created.json().id as string, ownerToken: login.json().session.token as string };
    },
    async close() {
      await app.close();
      await database.drop();
      if (filesDir) await rm(filesDir, { recursive: true, force: true });
    },
  };
}

/** Headers for a tenant-scoped call with an optional bearer token. */
export function as(slug: string, token?: string): Record<string, string> {
  return token ? { 'x-tenant': slug, authorization: `Bearer ${token}` } : { 'x-tenant': slug };
}
