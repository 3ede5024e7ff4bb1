import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { S3FileStoreConfig } from '../infra/files/s3-file-store.ts';
import { DEFAULT_MAX_ORDER_TOTAL_MINOR } from '../platform/money.ts';

/**
 * Configuration is read from the environment once, validated, and handed around as a typed
 * object. Nothing else in the code base reads `process.env`. A bad value stops start-up with a
 * message that names the variable.
 */
const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

/**
 * Reverse proxies whose X-Forwarded-For is believed: addresses, CIDR ranges, or proxy-addr's
 * names for ranges. Any other peer's header is ignored, so clients can't pick their own address.
 */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const trustedProxies = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
  .refine((entries) => entries.every(isProxyAddress), {
    message: `give comma-separated IP addresses, CIDR ranges (10.0.0.0/8) or ${PROXY_RANGE_NAMES.join(', ')}`,
  });

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const optionalText = z.string().min(1).optional().or(z.literal('').transform(() => undefined));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  BAZAAR_OPERATOR_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  BAZAAR_SEED_DEMO: flag.default(true),
  BAZAAR_BENCH_ROUTES: flag.default(false),
  BAZAAR_PUBLIC_URL: z.string().url().optional(),
  BAZAAR_SANDBOX_PAYMENTS: flag.optional(),
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  REDIS_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  FLASH_ATTEMPTS_PER_IP_PER_SECOND: z.coerce.number().int().min(1).max(10_000_000).default(50),
  FLASH_ATTEMPTS_PER_CUSTOMER_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(5),
  FLASH_PURCHASE_TOKEN_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
  METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional().or(z.literal('').transform(() => undefined)),
  TRUST_PROXY: trustedProxies,
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(10_000_000).default(10),
  REGISTRATIONS_PER_PLATFORM_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(120),
  SMTP_URL: z.string().url().refine((url) => /^smtps?:\/\//.test(url), 'must be smtp:// or smtps://').optional().or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z.string().min(3).default('Bazaar <no-reply@bazaar.local>'),
  MAX_ORDER_TOTAL_MINOR: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(DEFAULT_MAX_ORDER_TOTAL_MINOR),
  FILES_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(5 * 1024 * 1024),
  FILES_S3_ENDPOINT: z.string().url().refine((url) => /^https?:\/\//.test(url), 'must be http:// or https://').optional().or(z.literal('').transform(() => undefined)),
  FILES_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens').optional().or(z.literal('').transform(() => undefined)),
  FILES_S3_REGION: z.string().regex(/^[a-z0-9-]{1,40}$/, 'a region such as us-east-1').default('us-east-1'),
  FILES_S3_ACCESS_KEY_ID: optionalText,
  FILES_S3_SECRET_ACCESS_KEY: optionalText,
}).superRefine((env, context) => {
  // An endpoint without a bucket or keys would fail on the first upload; fail at start instead.
  if (!env.FILES_S3_ENDPOINT) return;
  for (const name of ['FILES_S3_BUCKET', 'FILES_S3_ACCESS_KEY_ID', 'FILES_S3_SECRET_ACCESS_KEY'] as const) {
    if (!env[name]) context.addIssue({ code: 'custom', path: [name], message: 'required when FILES_S3_ENDPOINT is set' });
  }
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL server when set; embedded PGlite in `dataDir` otherwise. */
  databaseUrl: string | undefined;
  operatorToken: string | undefined;
  seedDemo: boolean;
  /** Registers `/bench/hello`, the hello-world ceiling used by the benchmarks. */
  benchRoutes: boolean;
  publicUrl: string | undefined;
  /** The sandbox payment provider, with which anyone can mark an order paid: demo and tests only. */
  sandboxPayments: boolean;
  logLevel: string;
  bodyLimitBytes: number;
  /** Redis for flash-sale stock and limits shared by every node; in-process when unset. */
  redisUrl: string | undefined;
  flashLimits: { ipPerSecond: number; customerPerSecond: number };
  /** How long a flash-sale purchase token stays valid. */
  purchaseTokenSeconds: number;
  /** A bearer token for Prometheus to scrape /metrics with (the operator token works too). */
  metricsToken: string | undefined;
  /** Peers whose X-Forwarded-For gives the client address; empty: the socket's peer is the client. */
  trustProxy: string[];
  registrationLimits: { perAddressPerHour: number; perPlatformPerMinute: number };
  /** Mail notifications (password resets) through this SMTP server; written to the log when unset. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** The largest order total, in minor units: below 2^53, so every total is exact. */
  maxOrderTotalMinor: number;
  /** Uploaded files: their size limit, and the S3-compatible bucket they go to (else `dataDir/files`). */
  files: { maxBytes: number; s3: S3FileStoreConfig | undefined };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    operatorToken: e.BAZAAR_OPERATOR_TOKEN,
    seedDemo: e.BAZAAR_SEED_DEMO,
    benchRoutes: e.BAZAAR_BENCH_ROUTES,
    publicUrl: e.BAZAAR_PUBLIC_URL,
    sandboxPayments: e.BAZAAR_SANDBOX_PAYMENTS ?? e.NODE_ENV !== 'production',
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    redisUrl: e.REDIS_URL,
    flashLimits: { ipPerSecond: e.FLASH_ATTEMPTS_PER_IP_PER_SECOND, customerPerSecond: e.FLASH_ATTEMPTS_PER_CUSTOMER_PER_SECOND },
    purchaseTokenSeconds: e.FLASH_PURCHASE_TOKEN_SECONDS,
    metricsToken: e.METRICS_TOKEN,
    trustProxy: e.TRUST_PROXY,
    registrationLimits: { perAddressPerHour: e.REGISTRATIONS_PER_ADDRESS_PER_HOUR, perPlatformPerMinute: e.REGISTRATIONS_PER_PLATFORM_PER_MINUTE },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    maxOrderTotalMinor: e.MAX_ORDER_TOTAL_MINOR,
    files: {
      maxBytes: e.FILES_MAX_BYTES,
      s3: e.FILES_S3_ENDPOINT
        ? { endpoint: e.FILES_S3_ENDPOINT, bucket: e.FILES_S3_BUCKET!, region: e.FILES_S3_REGION, accessKeyId: e.FILES_S3_ACCESS_KEY_ID!, secretAccessKey: e.FILES_S3_SECRET_ACCESS_KEY! }
        : undefined,
    },
  };
}
